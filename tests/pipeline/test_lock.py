"""One writer per data folder, whatever starts it: a second one waits, or stops naming the
first; nothing the first wrote is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from pipelines.lock import DataFolderBusy, holder, writer_lock
from pipelines.publishing import published_warehouse
from pipelines.resources import WarehouseResource
from tests.pipeline.test_cli import empreinte

HOLD = """
import sys, time
from pathlib import Path
from pipelines.lock import writer_lock
with writer_lock(Path(sys.argv[1]), "empreinte run"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(data_dir: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the folder's lock for ``seconds``, once it says so."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_second_writer_stops_naming_the_first(tmp_path: Path) -> None:
    first = hold_lock(tmp_path, 30)
    try:
        with pytest.raises(DataFolderBusy) as stopped, writer_lock(tmp_path, "x", wait_seconds=0):
            pass
        message = str(stopped.value)
        assert f"pid {first.pid}" in message
        assert "empreinte run" in message and "started at 20" in message
    finally:
        first.kill()
        first.wait()


def test_a_second_writer_waits_for_the_first_to_finish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = hold_lock(tmp_path, 1.5)
    with writer_lock(tmp_path, "second", wait_seconds=60):
        assert "second" in holder(tmp_path)
    assert f"Waiting for pid {first.pid} " in capsys.readouterr().out
    first.wait()


def test_a_writer_that_dies_releases_the_lock(tmp_path: Path) -> None:
    first = hold_lock(tmp_path, 60)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    with writer_lock(tmp_path, "after the crash", wait_seconds=0):
        pass


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path) -> None:
    with writer_lock(tmp_path, "empreinte run", wait_seconds=0):
        with writer_lock(tmp_path, "its Dagster run", wait_seconds=0):
            assert "empreinte run" in holder(tmp_path)
        # still held by the outer block
        other = subprocess.run(
            [sys.executable, "-c", HOLD, str(tmp_path), "0"],
            capture_output=True,
            text=True,
            env={**os.environ, "EMPREINTE_LOCK_WAIT_SECONDS": "0"},
            check=False,
        )
        assert other.returncode != 0 and "DataFolderBusy" in other.stderr


def test_a_second_run_stops_before_dagster_and_loses_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    exports = tmp_path / "exports"
    exports.mkdir()
    (data_dir / "lake").mkdir(parents=True)
    kept = data_dir / "lake" / "batch.parquet"
    kept.write_bytes(b"landed by the first writer")
    first = hold_lock(data_dir, 60)
    try:
        started = time.monotonic()
        result = empreinte(
            "run",
            data_dir=data_dir,
            EMPREINTE_EXPORTS_DIR=str(exports),
            EMPREINTE_LOCK_WAIT_SECONDS="0",
        )
        assert result.returncode == 2
        assert f"is being written by pid {first.pid}" in result.stderr
        assert "Running the pipeline" not in result.stdout, "it stopped before Dagster"
        assert time.monotonic() - started < 60
    finally:
        first.kill()
        first.wait()
    assert kept.read_bytes() == b"landed by the first writer"
    assert not (data_dir / "dagster").exists()


def test_a_dagster_run_holds_the_lock_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EMPREINTE_LOCK_WAIT_SECONDS", "0")
    first = hold_lock(tmp_path, 60)
    try:
        result = dg.materialize(
            [published_warehouse],
            resources={"warehouse": WarehouseResource(data_dir=str(tmp_path))},
            raise_on_error=False,
        )
    finally:
        first.kill()
        first.wait()
    assert not result.success
    failure = result.get_run_failure_event().event_specific_data.error
    text = str(failure.message) + "".join(str(cause.message) for cause in _causes(failure))
    assert f"pid {first.pid}" in text


def _causes(error):
    while error is not None and error.cause is not None:
        error = error.cause
        yield error
