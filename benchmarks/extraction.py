"""The extraction benchmark: a full read of every table over HTTP from a fake instance that runs
in a process of its own, so the client's work and the server's are told apart. The benchmark
serves it from as many forked copies as the client has request slots (``FakeProcess``'s
``processes``): one process answers a page at a time, a real instance several.

The fake stamps each answer with its own time (the ``Server-Timing`` header: ``app`` wall
milliseconds, ``cpu`` the handling thread's CPU milliseconds); this client sums them. Figures:

- ``rows_per_s``: rows landed per second of wall time, end to end;
- ``client_rows_per_cpu_s``: rows read, parsed, validated and landed per CPU-second of the client
  process, HTTP and threads included;
- ``parse_land_rows_per_cpu_s``: rows per CPU-second of the parse and land path alone (the
  "parse and land per core" target): the CPU time of the threads while they decode a page's
  JSON, build its string columns, then validate and land a batch (the Parquet write included).
  Work Polars hands to its own threads is not in it (a few percent, see docs/performance-log.md);
- ``client_cpu_share``: the client's CPU time over the wall time;
- ``client_overhead``: the share of the concurrency slots' time not spent at the server,
  ``1 - sum(server time per page) / (concurrency x wall)``: 0 when the client always has a
  request waiting at the server, as it should with a real instance, where a page takes the
  server far longer than the client needs to parse and land it. ``run.py`` measures it twice:
  against the fake as fast as it can serve (on a small machine, the fake's copies and the
  client then share its cores), and with every page paced at ``PAGE_SECONDS``.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from benchmarks.measure import LoopbackServer, tree
from connectors.servicenow import client as client_module
from connectors.servicenow import extract as extract_module
from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.drift import DriftTracker
from connectors.servicenow.extract import extract_all
from connectors.servicenow.fake.server import DEFAULT_PASSWORD, DEFAULT_USER
from connectors.servicenow.settings import ServiceNowSettings

_URL = r"at (http://127\.0\.0\.1:\d+)"
CONCURRENCY = 4  # the request slots of the target: "client overhead under 20% at concurrency 4"
# The paced read: each page costs the server at least this long. A pace chosen here, not a
# figure of ServiceNow's: the fake's own pages cost it 17 ms (S) to 58 ms (M) each.
PAGE_SECONDS = 0.1
_TIMING = re.compile(r"(\w+);dur=([0-9.]+)")


class TimedClient(ServiceNowClient):
    """The connector's client, summing the server's own time from each answer."""

    def __init__(self, settings: ServiceNowSettings) -> None:
        super().__init__(settings)
        self.server_ms: dict[str, float] = {"app": 0.0, "cpu": 0.0}
        self.answers = 0
        self._timing_lock = threading.Lock()

    def _session(self) -> requests.Session:
        session = super()._session()
        if not session.hooks["response"]:
            session.hooks["response"].append(self._record)
        return session

    def _record(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        timings = dict(_TIMING.findall(response.headers.get("Server-Timing", "")))
        with self._timing_lock:
            self.answers += 1
            for name in self.server_ms:
                self.server_ms[name] += float(timings.get(name, 0.0))


class FakeProcess(LoopbackServer):
    """``python -m connectors.servicenow.fake`` on a free loopback port, in its own process
    (``processes`` above 1: reads served by that many forked copies, in parallel)."""

    def __init__(
        self, scale: float, seed: int = 42, processes: int = 1, page_seconds: float = 0.0
    ) -> None:
        self.scale, self.seed, self.processes = scale, seed, processes
        module = ("-m", "connectors.servicenow.fake", "--port", "0")
        # Every page answered after ``page_seconds`` (the fake's ``slow`` fault on every list
        # request), the server's time counting it.
        paced = ("--faults", f"slow:1,slow_seconds={page_seconds}") if page_seconds else ()
        super().__init__(
            [
                *(sys.executable, *module, "--seed", str(seed), "--scale", str(scale)),
                *("--processes", str(processes), *paced),
            ],
            _URL,
            {"EMPREINTE_SERVICENOW_PASSWORD": DEFAULT_PASSWORD},
        )

    def __enter__(self) -> FakeProcess:
        super().__enter__()
        return self

    def cpu_s(self) -> float:
        """The server's CPU seconds so far, its forked copies included."""
        assert self.process is not None
        ticks = 0
        for pid in tree(self.process.pid):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


# The parse and land path: (owner, attribute) of each step, timed in the thread that runs it.
PARSE_AND_LAND = (
    (client_module, "_decode"),
    (DriftTracker, "frame"),
    (extract_module, "land_table_batch"),
)


@contextmanager
def thread_cpu(steps: tuple[tuple[Any, str], ...]) -> Iterator[list[float]]:
    """While open, the CPU seconds of the calling threads spent in ``steps`` add up in the
    list's one item (the functions are wrapped, then put back)."""
    spent = [0.0]
    lock = threading.Lock()
    originals = [(owner, name, getattr(owner, name)) for owner, name in steps]

    def timed(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                with lock:
                    spent[0] += time.thread_time() - started

        return wrapper

    for owner, name, function in originals:
        setattr(owner, name, timed(function))
    try:
        yield spent
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)


def measure(fake: FakeProcess, lake_dir: Path, concurrency: int = CONCURRENCY) -> dict[str, float]:
    """A full extraction of every table from ``fake`` into ``lake_dir``; its figures."""
    settings = ServiceNowSettings(
        url=fake.url,
        user=DEFAULT_USER,
        password=DEFAULT_PASSWORD,
        concurrency=concurrency,
        page_size=int(os.environ.get("EMPREINTE_SERVICENOW_PAGE_SIZE") or 1000),
    )
    client = TimedClient(settings)
    server_before, cpu_before = fake.cpu_s(), time.process_time()
    started = time.perf_counter()
    with client, thread_cpu(PARSE_AND_LAND) as parse_land:
        reports = extract_all(client, lake_dir, full=True)
    wall = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    server_cpu = fake.cpu_s() - server_before
    rows = sum(report.rows for name, report in reports.items() if not name.startswith("_"))
    return {
        "rows": rows,
        "pages": client.answers,
        "concurrency": concurrency,
        "fake_processes": fake.processes,
        "wall_s": wall,
        "rows_per_s": rows / wall,
        "client_cpu_s": client_cpu,
        "client_rows_per_cpu_s": rows / client_cpu,
        "client_cpu_share": client_cpu / wall,
        "parse_land_cpu_s": parse_land[0],
        "parse_land_rows_per_cpu_s": rows / parse_land[0],
        "server_cpu_s": server_cpu,
        "server_page_s": client.server_ms["app"] / 1000,
        "server_page_cpu_s": client.server_ms["cpu"] / 1000,
        "client_overhead": max(0.0, 1 - client.server_ms["app"] / 1000 / (concurrency * wall)),
    }
