"""The demo's own data folder and the fake instance it runs against.

The demo never touches a folder it did not create: it writes a marker (``demo.json``) when it
creates its folder, and refuses any other folder that holds something. Its folder defaults to
``data/demo`` (``--data-dir`` or ``EMPREINTE_DEMO_DIR``), apart from `empreinte run`'s ``data``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.lock import LOCK_FILE
from pipelines.published import remove_folder

DEMO_MARKER = "demo.json"
DEMO_DIR_VARIABLE = "EMPREINTE_DEMO_DIR"
DEFAULT_DEMO_DIR = Path("data") / "demo"
DEMO_USER = "empreinte"
# What a new demo (another seed or scale) keeps: the run history and the lock.
_KEPT = {DEMO_MARKER, LOCK_FILE, "dagster"}
_URL_LINE = re.compile(r"at (http://127\.0\.0\.1:\d+)")


class NotADemoFolder(RuntimeError):
    """The folder holds data the demo did not create."""


def demo_folder(given: str | None) -> Path:
    """The demo's data folder: ``--data-dir``, else ``EMPREINTE_DEMO_DIR``, else ``data/demo``."""
    return Path(given or os.environ.get(DEMO_DIR_VARIABLE) or DEFAULT_DEMO_DIR).resolve()


def check_demo_folder(folder: Path) -> None:
    """Raise `NotADemoFolder` unless ``folder`` is missing, empty, or the demo's (it has the
    marker). Writes nothing."""
    if (folder / DEMO_MARKER).is_file() or not folder.exists():
        return
    found = sorted(entry.name for entry in folder.iterdir() if entry.name != LOCK_FILE)
    if found:
        raise NotADemoFolder(
            f"{folder} holds data the demo did not create ({', '.join(found[:5])}); the demo"
            " only writes to an empty folder or one it made (it has a demo.json). Give it"
            " another folder with --data-dir."
        )


def prepare_demo_folder(folder: Path, seed: int, scale: float) -> None:
    """Make ``folder`` the demo's: create it with its marker, or check the marker is there.

    A folder the demo created for another seed or scale is emptied (its history kept), since
    its lake and published versions describe another fleet. Any other folder that holds
    something is refused with `NotADemoFolder`.
    """
    check_demo_folder(folder)
    marker = folder / DEMO_MARKER
    wanted = {"seed": seed, "scale": scale}
    if marker.is_file():
        if json.loads(marker.read_text()) != wanted:
            for entry in folder.iterdir():
                if entry.name in _KEPT:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    remove_folder(entry)
                else:
                    entry.unlink()
            marker.write_text(json.dumps(wanted))
        return
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(wanted))


@contextmanager
def fake_instance(seed: int, scale: float) -> Iterator[dict[str, str]]:
    """Start the fake instance in a child process on a free port; yield the settings to reach
    it. The password is made up for this run only."""
    password = secrets.token_urlsafe(16)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "fake-servicenow",
            "--port",
            "0",
            "--seed",
            str(seed),
            "--scale",
            str(scale),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "EMPREINTE_SERVICENOW_PASSWORD": password},
    )
    try:
        print("Starting the fake ServiceNow instance...", flush=True)
        line = process.stdout.readline() if process.stdout else ""
        found = _URL_LINE.search(line)
        if not found:
            raise RuntimeError(f"the fake instance did not start: {line.strip()!r}")
        print(f"Fake ServiceNow instance at {found.group(1)}", flush=True)
        yield {
            "EMPREINTE_SERVICENOW_URL": found.group(1),
            "EMPREINTE_SERVICENOW_AUTH": "basic",
            "EMPREINTE_SERVICENOW_USER": DEMO_USER,
            "EMPREINTE_SERVICENOW_PASSWORD": password,
        }
    finally:
        # Killed, not asked to stop: it keeps nothing, and a process started where SIGTERM is
        # ignored (Dagster maps SIGTERM to SIGINT's handler, ignored in background jobs)
        # inherits that and would outlive the demo.
        process.kill()
        process.wait(timeout=10)
