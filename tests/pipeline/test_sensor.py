"""The exports sensor starts one run per complete, stable set of export files."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.sensors import exports_sensor, required_tables


def write_set(folder: Path, tables: frozenset[str] | set[str], content: str = "sys_id\n") -> None:
    for table in tables:
        (folder / f"{table}.csv").write_text(content)


def evaluate(cursor: str | None) -> dg.SensorResult:
    return exports_sensor(dg.build_sensor_context(cursor=cursor))


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EMPREINTE_EXPORTS_DIR", str(tmp_path))
    return tmp_path


def test_the_required_tables_are_those_the_models_read() -> None:
    assert {"alm_hardware", "cmdb_model", "core_company", "cmn_location"} <= required_tables()
    assert "sys_audit_delete" not in required_tables()


def test_an_incomplete_set_starts_nothing(exports: Path) -> None:
    required = required_tables()
    write_set(exports, required - {"cmn_location"})
    # A half-copied file of the missing table, under a temporary name, is not an export.
    (exports / "cmn_location.csv.part").write_text("sys_id\n")
    (exports / ".cmn_location.csv").write_text("sys_id\n")
    cursor = None
    for _ in range(3):
        result = evaluate(cursor)
        assert not result.run_requests
        assert result.skip_reason.skip_message == "waiting for the export of cmn_location"
        cursor = result.cursor


def test_a_complete_set_starts_one_run_once_its_files_are_stable(exports: Path) -> None:
    write_set(exports, required_tables())
    first = evaluate(None)
    assert not first.run_requests, "files just seen may still be being written"
    second = evaluate(first.cursor)
    assert len(second.run_requests) == 1
    third = evaluate(second.cursor)
    assert not third.run_requests
    assert "already started a run" in third.skip_reason.skip_message
    assert evaluate(third.cursor).run_requests == []


def test_a_file_still_growing_holds_the_run_back(exports: Path) -> None:
    write_set(exports, required_tables())
    growing = exports / "alm_hardware.csv"
    cursor = evaluate(None).cursor
    for rows in range(1, 4):  # the exporter is still writing it
        growing.write_text("sys_id\n" + "0123456789abcdef0123456789abcdef\n" * rows)
        result = evaluate(cursor)
        assert not result.run_requests
        cursor = result.cursor
    assert len(evaluate(cursor).run_requests) == 1


def test_a_new_set_after_a_run_starts_another(exports: Path) -> None:
    write_set(exports, required_tables())
    first = evaluate(evaluate(None).cursor)
    (exports / "alm_hardware_2.csv").write_text("sys_id\n")  # tomorrow's export, in parts
    seen = evaluate(first.cursor)
    assert not seen.run_requests
    second = evaluate(seen.cursor)
    assert len(second.run_requests) == 1
    assert second.run_requests[0].run_key != first.run_requests[0].run_key


def test_without_an_exports_folder_the_sensor_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMPREINTE_EXPORTS_DIR", raising=False)
    result = evaluate(None)
    assert not result.run_requests and "EMPREINTE_EXPORTS_DIR" in result.skip_reason.skip_message
