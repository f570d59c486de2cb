"""What the night's own process gives back before dbt runs beside it.

The landing and factor steps free most of what they took, but glibc keeps the freed pages of
its heap mapped: through the dbt run, the longest step, they would count in the night's peak
beside dbt's own process (docs/performance.md, L, "The third run").
"""

from __future__ import annotations

import ctypes
import gc
from pathlib import Path


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
