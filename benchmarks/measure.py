"""Wall time, CPU time and peak memory of a command and every process it starts.

Peak memory is the largest sum of the resident set sizes of the process tree seen at one
moment (sampled every 50 ms from /proc), so a dbt run's Python, its DuckDB threads and any
child count together. Beside it: the anonymous part alone and the proportional set (a page
shared by several processes counted once: what the machine feels; read less often, as it
costs more: ``PROPORTIONAL_SHARE``), and a timeline of the three every ``TIMELINE_S`` seconds,
to tell which step holds the memory (``Usage``).
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE")
TIMELINE_S = 10.0
# Reading ``smaps_rollup`` walks each process's page tables: about 70 ms for a night's tree at
# L, against 1.4 ms for ``statm``. Read every 50 ms, it took 0.4 of a core from the night it
# measured; the proportional set is now read at most this share of the time.
PROPORTIONAL_SHARE = 0.05


class LoopbackServer:
    """A server in a process of its own on a free loopback port: ``url`` is read from what it
    prints when it listens (``url_pattern``'s first group); killed on exit."""

    def __init__(
        self, command: Sequence[str], url_pattern: str, env: Mapping[str, str] | None = None
    ) -> None:
        self.command, self.url_pattern, self.env = list(command), re.compile(url_pattern), env
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> LoopbackServer:
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(self.env or {})},
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = self.url_pattern.search(line)
            if found:
                self.url = found.group(1)
                return self
        raise RuntimeError(f"{self.command[2]} did not start (exit {self.process.wait()})")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


@dataclass
class Measured:
    """What one command cost."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    output: str = ""
    # When the peak was seen (seconds after the start) and each process's share of it, MiB.
    peak_at_s: float = 0.0
    peak_processes: dict[str, float] = field(default_factory=dict)
    # The peaks of the anonymous part and of the proportional set (``Usage``), and
    # [seconds, resident, anonymous, proportional MiB] samples.
    peak_anonymous_mb: float = 0.0
    peak_proportional_mb: float = 0.0
    timeline: list[list[float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "wall_s": self.wall_s,
            "cpu_s": self.cpu_s,
            "peak_rss_mb": self.peak_rss_mb,
            "peak_at_s": self.peak_at_s,
            "peak_processes": self.peak_processes,
            "peak_anonymous_mb": self.peak_anonymous_mb,
            "peak_proportional_mb": self.peak_proportional_mb,
            "timeline": self.timeline,
        }


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc/<pid>/task/*/children)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                pending.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                continue
    return found


@dataclass(frozen=True)
class Usage:
    """One process's memory now, in bytes: resident; its anonymous part (the resident set less
    the pages of mapped files, which the kernel can drop and read again); proportional (each
    page shared with other processes, such as a forked child's copy-on-write pages, divided
    among them: the tree's sum counts every page once)."""

    resident: int
    anonymous: int
    proportional: int


def tree_memory(pid: int, proportional: bool = True) -> dict[str, Usage]:
    """The memory of ``pid`` and of each of its descendants now, by ``pid:command`` (``statm``;
    the proportional set from ``smaps_rollup``, the resident one where the kernel has none or
    when ``proportional`` is false)."""
    found = {}
    for member in tree(pid):
        try:
            _, resident, shared, *_ = Path(f"/proc/{member}/statm").read_text().split()
            name = Path(f"/proc/{member}/comm").read_text().strip()
        except (OSError, ValueError):
            continue
        found[f"{member}:{name}"] = Usage(
            int(resident) * _PAGE,
            (int(resident) - int(shared)) * _PAGE,
            (proportional and _proportional_set(member)) or int(resident) * _PAGE,
        )
    return found


def _proportional_set(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


class PeakSampler:
    """Samples a process tree's memory in a thread; its peaks after ``stop``."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.peak_at_s = 0.0
        self.peak_processes: dict[str, float] = {}
        self.peak_anonymous = 0
        self.peak_proportional = 0
        self.samples = self.proportional_reads = 0
        self.timeline: list[list[float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = next_sample = next_proportional = time.perf_counter()
        proportional = 0
        while not self._stop.is_set():
            read_at = time.perf_counter()
            with_proportional = read_at >= next_proportional
            members = tree_memory(self.pid, with_proportional)
            total = sum(usage.resident for usage in members.values())
            anonymous = sum(usage.anonymous for usage in members.values())
            now = time.perf_counter()
            self.samples += 1
            if with_proportional:
                proportional = sum(usage.proportional for usage in members.values())
                next_proportional = now + (now - read_at) / PROPORTIONAL_SHARE
                self.proportional_reads += 1
            self.peak_anonymous = max(self.peak_anonymous, anonymous)
            self.peak_proportional = max(self.peak_proportional, proportional)
            if total > self.peak:
                self.peak, self.peak_at_s = total, now - started
                self.peak_processes = {
                    member: round(usage.resident / 2**20) for member, usage in members.items()
                }
            if now >= next_sample:
                self.timeline.append(
                    [round(now - started, 1)]
                    + [round(part / 2**20) for part in (total, anonymous, proportional)]
                )
                next_sample += TIMELINE_S
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


def run(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | str | None = None,
    check: bool = True,
) -> Measured:
    """Run ``command`` to its end, measuring its whole process tree."""
    started = time.perf_counter()
    before = os.times()
    process = subprocess.Popen(
        list(command),
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    with PeakSampler(process.pid) as sampler:
        output, _ = process.communicate()
    after = os.times()
    measured = Measured(
        wall_s=time.perf_counter() - started,
        cpu_s=(after.children_user - before.children_user)
        + (after.children_system - before.children_system),
        peak_rss_mb=sampler.peak_mb,
        returncode=process.returncode,
        peak_at_s=sampler.peak_at_s,
        peak_processes=sampler.peak_processes,
        peak_anonymous_mb=sampler.peak_anonymous / 2**20,
        peak_proportional_mb=sampler.peak_proportional / 2**20,
        timeline=sampler.timeline,
        output=output,
    )
    if check and process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    return measured


def self_peak_mb() -> float:
    """This process's own resident peak so far."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
