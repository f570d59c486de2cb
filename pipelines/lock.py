"""One writer per data folder: an exclusive lock held by every command and run that writes it.

Plain Python (no Dagster). The lock is an ``flock`` on ``<data>/.writer.lock``: the kernel
releases it when the holder exits, however it exits, so a crash never leaves a stale lock. The
file also records who holds it (pid, command, start time) for the message a second writer
prints. Within one process the lock is re-entrant: `empreinte run` takes it, then the Dagster run
it starts in process takes it again without waiting for itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".writer.lock"
WAIT_SECONDS_VARIABLE = "EMPREINTE_LOCK_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 60.0
_POLL_SECONDS = 0.5


class DataFolderBusy(RuntimeError):
    """Another process writes the data folder; the message names it."""


@dataclass
class _Held:
    handle: int
    depth: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


def wait_seconds_from_env() -> float:
    """How long a second writer waits for the lock (``EMPREINTE_LOCK_WAIT_SECONDS``)."""
    raw = os.environ.get(WAIT_SECONDS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"{WAIT_SECONDS_VARIABLE}: {raw!r} is not a number of seconds") from None
    if seconds < 0:
        raise ValueError(f"{WAIT_SECONDS_VARIABLE}: {raw!r} is negative")
    return seconds


def holder(data_dir: Path) -> str:
    """Who holds the lock of ``data_dir``, as written by the holder (or why it is unknown)."""
    try:
        found = json.loads((data_dir / LOCK_FILE).read_text() or "{}")
    except (OSError, ValueError):
        found = {}
    if not found:
        return "another process (it has not said which yet)"
    return (
        f"pid {found.get('pid')} on {found.get('host')} ({found.get('command')},"
        f" started at {found.get('started_at')})"
    )


@contextmanager
def writer_lock(
    data_dir: Path, command: str, *, wait_seconds: float | None = None
) -> Iterator[None]:
    """Hold the data folder's writer lock for the block.

    Waits up to ``wait_seconds`` (default ``EMPREINTE_LOCK_WAIT_SECONDS``, 60 s) for another
    writer to finish, then raises `DataFolderBusy` naming it.
    """
    data_dir = Path(data_dir).resolve()
    with _guard:
        held = _held.get(data_dir)
        if held is not None:
            held.depth += 1
    if held is not None:
        try:
            yield
        finally:
            with _guard:
                held.depth -= 1
        return
    handle = _acquire(data_dir, command, wait_seconds)
    with _guard:
        _held[data_dir] = _Held(handle, 1)
    try:
        yield
    finally:
        with _guard:
            del _held[data_dir]
        os.ftruncate(handle, 0)
        os.close(handle)  # closing the descriptor releases the flock


def _acquire(data_dir: Path, command: str, wait_seconds: float | None) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    limit = wait_seconds_from_env() if wait_seconds is None else wait_seconds
    handle = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + limit
    announced = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(handle)
                raise DataFolderBusy(
                    f"{data_dir} is being written by {holder(data_dir)}; waited {limit:.0f} s."
                    f" Try again when it has finished (or raise {WAIT_SECONDS_VARIABLE})."
                ) from None
            if not announced:
                print(f"Waiting for {holder(data_dir)} to finish writing {data_dir}...", flush=True)
                announced = True
            time.sleep(_POLL_SECONDS)
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(handle, 0)
    os.pwrite(handle, json.dumps(record).encode(), 0)
    return handle
