"""The night's process hands freed heap pages back before dbt and before the publish, and the
worker processes that hold what Great Expectations and the Boavizta engine take end with it.
That a whole night's process never imports them is checked on the demo's night
(tests/pipeline/test_cli.py), a fresh interpreter already."""

from __future__ import annotations

import ctypes
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.memory import release_before, release_freed_memory, resident_mib
from tests.processes import pid_alive

REPO = Path(__file__).resolve().parents[2]

BLOCKS, BLOCK_BYTES = 300_000, 1_000  # about 290 MiB in small blocks, from glibc's heap


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_heap_pages_go_back_to_the_system() -> None:
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(BLOCK_BYTES) for _ in range(BLOCKS)]
    for address in blocks:
        ctypes.memset(address, 1, BLOCK_BYTES)  # resident, not only reserved
    # Free every block but the last: the heap's top stays in use, so glibc cannot shrink the
    # heap by itself and keeps the freed pages mapped, as after a night's landing steps.
    for address in blocks[:-1]:
        libc.free(address)
    held = resident_mib()
    assert release_freed_memory()
    released = held - resident_mib()
    libc.free(blocks[-1])
    assert released > 200, f"only {released:.0f} MiB of about 290 freed went back"


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_the_log_line_before_a_step_says_what_was_resident_and_what_is_left() -> None:
    line = release_before("the publish")
    figures = re.fullmatch(
        r"before the publish: ([\d,]+) MiB resident, ([\d,]+) after release", line or ""
    )
    assert figures, line
    before, after = (int(figure.replace(",", "")) for figure in figures.groups())
    assert 0 < after <= before + 5  # a few MiB may come and go between the two readings


# A process that starts a worker, prints both pids, and waits to be killed.
STARTER = """
import os, time
from pipelines.memory import own_process

with own_process() as worker:
    print(os.getpid(), worker.submit(os.getpid).result(), flush=True)
    time.sleep(600)
"""


def test_a_worker_ends_when_the_process_that_started_it_is_killed() -> None:
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert starter.stdout is not None
    own, worker = (int(pid) for pid in starter.stdout.readline().split())
    assert worker != own and pid_alive(worker)

    starter.kill()  # SIGKILL: no clean-up in the starter
    starter.wait()

    # The worker notices within its poll (1 s); the bound only keeps a broken test from hanging.
    for _ in range(300):
        if not pid_alive(worker):
            break
        time.sleep(0.1)
    assert not pid_alive(worker)
