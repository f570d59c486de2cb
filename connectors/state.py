"""A small JSON state store kept in the lake: watermarks, landed export files.

One file per source, ``<lake>/_state/<source>.json``. Every change is a read-modify-write under
an exclusive lock (several processes may load different tables at once), written to a temporary
file, flushed and renamed, so a killed process leaves either the old or the new state. Callers
update the state only after the data it describes is durable in the lake.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class StateStore:
    """Sections of JSON objects keyed by name, e.g. ``("watermarks", "alm_hardware")``."""

    def __init__(self, lake_dir: Path | str, source: str = "servicenow") -> None:
        self.folder = Path(lake_dir) / "_state"
        self.path = self.folder / f"{source}.json"
        self._lock_path = self.folder / f".{source}.lock"

    def __repr__(self) -> str:
        return f"StateStore({str(self.path)!r})"

    def read(self) -> dict[str, Any]:
        """The whole state (empty if nothing was stored yet)."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get(self, section: str, name: str, default: Any = None) -> Any:
        """One entry of a section."""
        return self.read().get(section, {}).get(name, default)

    def set(self, section: str, name: str, value: Any) -> None:
        """Store one entry, durably."""
        self.update(lambda state: state.setdefault(section, {}).__setitem__(name, value))

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to the state in place, under the lock, and write it atomically."""
        with self._locked():
            state = self.read()
            change(state)
            state["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            self._write(state)
            return state

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a+") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _write(self, state: dict[str, Any]) -> None:
        temporary = self.folder / f".tmp-{self.path.name}.{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
