"""What the night's own process gives back before its heaviest steps, and what it never takes.

The landing, factor and gate steps free most of what they took, but glibc keeps the freed pages
of its heap mapped: through the dbt run (beside dbt's own process) and the publish (DuckDB in
this process, within its memory_limit) they would count in the night's peak
(docs/performance-log.md, L, "The third run" and "The fourth run"). Some libraries give nothing
back: Great Expectations' import and first suites hold about 450 MiB for the life of the
process, the factor step's Boavizta engine and pandas about 115. The steps using them run their
work in a process of their own (``own_process``), which ends with the step.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from connectors.processes import end_with_parent


def release_freed_memory() -> bool:
    """Collect Python's garbage, then ask the C library to return its free pages to the system
    (glibc's ``malloc_trim``). False where the C library has none (not glibc): nothing done
    beyond the collection."""
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def release_before(step: str) -> str | None:
    """Release the freed memory before ``step``; the line for the run's log saying how much went
    back (None where the C library cannot release it or ``/proc`` does not say)."""
    before = resident_mib()
    if not release_freed_memory() or before is None:
        return None
    return f"before {step}: {before:,.0f} MiB resident, {resident_mib():,.0f} after release"


def resident_mib() -> float | None:
    """This process's resident memory, MiB (None where ``/proc`` does not say)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


@contextmanager
def own_process() -> Iterator[Executor]:
    """One worker process for the step's heavy-importing work, started on the first ``submit``
    (a fresh interpreter: nothing of this process's is copied) and ended when the block ends.
    A worker whose starter is killed ends too, instead of waiting for work forever."""
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=end_with_parent,
        initargs=(os.getpid(),),
    ) as worker:
        yield worker
