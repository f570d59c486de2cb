"""The benchmark's memory record: a child's memory counts, anonymous memory is told apart from
the pages of a mapped file, and pages a forked child shares with its parent count once in the
proportional set."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

import pytest

from benchmarks import measure
from benchmarks.measure import Measured, PeakSampler, run

# The child holds this much, then sleeps past a few samples.
HELD_MB = 300
HOLD = (
    "import os, sys, time\n"
    "kind, size, path = sys.argv[1], int(sys.argv[2]) * 2**20, sys.argv[3]\n"
    "if kind == 'mapped':\n"
    "    import mmap\n"
    "    handle = open(path, 'rb')\n"
    "    held = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)\n"
    "    sum(held[offset] for offset in range(0, size, 4096))\n"
    "else:\n"
    "    held = bytearray(size)\n"
    "    for offset in range(0, size, 4096):\n"
    "        held[offset] = 1\n"
    "if kind != 'forked':\n"
    "    time.sleep(1.0)\n"
    "elif (child := os.fork()) == 0:\n"
    "    time.sleep(1.0)\n"
    "    os._exit(0)\n"
    "else:\n"
    "    os.waitpid(child, 0)\n"
)
# The parent holds its pages until its child is gone: a parent freeing them while the child
# still shares them would move their weight to the child between the sampler's reads of the two
# processes (parent read first), and one sample could count them one and a half times.


@pytest.fixture
def proportional_often(monkeypatch: pytest.MonkeyPatch) -> None:
    """The proportional set read as often as the resident one allows: these tests judge what it
    counts, not how often it is read. At the night's share (5%), one slow read on a loaded
    machine puts the next one past the child's second of holding (CI once saw 157 MiB of 300)."""
    monkeypatch.setattr(measure, "PROPORTIONAL_SHARE", 1.0)


def _measured(kind: str, tmp_path: Path) -> Measured:
    mapped = tmp_path / "mapped.bin"
    mapped.write_bytes(b"y" * HELD_MB * 2**20)
    # The child of a shell: the tree is sampled, not the first process alone.
    command = [sys.executable, "-c", HOLD, kind, str(HELD_MB), str(mapped)]
    return run(["sh", "-c", f"{shlex.join(command)}; true"])


@pytest.mark.usefixtures("proportional_often")
def test_a_childs_anonymous_memory_counts_in_every_peak(tmp_path: Path) -> None:
    measured = _measured("anonymous", tmp_path)
    assert measured.peak_rss_mb >= HELD_MB
    assert measured.peak_anonymous_mb >= HELD_MB
    assert measured.peak_proportional_mb >= HELD_MB
    assert any(":python" in process for process in measured.peak_processes)
    assert measured.timeline and measured.timeline[0][0] == 0.0


def test_a_mapped_file_counts_as_resident_not_anonymous(tmp_path: Path) -> None:
    measured = _measured("mapped", tmp_path)
    assert measured.peak_rss_mb >= HELD_MB
    assert measured.peak_anonymous_mb < HELD_MB / 2


@pytest.mark.usefixtures("proportional_often")
def test_pages_a_forked_child_shares_count_once_in_the_proportional_set(tmp_path: Path) -> None:
    measured = _measured("forked", tmp_path)
    assert measured.peak_rss_mb >= 2 * HELD_MB  # each process's resident set holds them
    assert HELD_MB <= measured.peak_proportional_mb < 1.5 * HELD_MB


def test_the_proportional_set_is_read_a_small_share_of_the_time(monkeypatch) -> None:
    # smaps_rollup costs tens of milliseconds for a process of gigabytes: here 0.1 s, so the
    # sampler reads it again only 2 s later, while the resident set is read at every sample.
    reads = []

    def slow_proportional_set(pid: int) -> int:
        reads.append(pid)
        time.sleep(0.1)
        return 2**20

    monkeypatch.setattr(measure, "_proportional_set", slow_proportional_set)
    with PeakSampler(os.getpid(), interval=0.0) as sampler:
        while sampler.samples < 10:
            time.sleep(0.005)
    assert sampler.proportional_reads == 1
    assert sampler.peak_proportional > 0 and sampler.peak > 0
