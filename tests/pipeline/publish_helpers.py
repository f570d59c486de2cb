"""Small builds for publishing tests: the marts' schema with a few rows, no dbt run."""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from pipelines.warehouse import MARTS, WarehousePaths, connect_build, prepare_build

# Linux capabilities that let root write whatever the permissions say; prctl's option to drop
# one from the bounding set, so the next program runs without it.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24


def build_with(
    paths: WarehousePaths, value: int, marts: tuple[str, ...] = MARTS, rows: int = 1
) -> None:
    """A build holding the marts, each ``rows`` rows of ``value`` for factor set ``set-<value>``,
    the fleet as many assets, and a climate row per method."""
    prepare_build(paths, from_published=False)
    with connect_build(paths) as connection:
        connection.execute("create schema marts")
        for mart in marts:
            connection.execute(
                f"create table marts.{mart} as select {value} as value,"
                f" 'set-{value}' as factor_set, 'climate_change' as criterion,"
                f" 'amortised' as method from range({rows})"
            )


def checksum(path: Path) -> str:
    """The SHA-256 of a file's bytes (through links)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def as_a_reader(code: str) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` bound by the files' permissions, as a reader's account is: root
    (these tests may run as root) without the capabilities that override them."""

    def drop_overrides() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=drop_overrides if os.geteuid() == 0 else None,
    )
