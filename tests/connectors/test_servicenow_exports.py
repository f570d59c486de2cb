"""Exported files give the same staged rows as the Table API, or a clear rejection."""

from __future__ import annotations

import json

import pytest
from export_writers import (
    write_csv,
    write_display_csv,
    write_json,
    write_jsonv2,
    write_xlsx,
    write_xml,
)
from fake_helpers import fake_client, frame_state, landed_state

from connectors import lake, quarantine
from connectors.servicenow.exports import ExportError, land_exports, read_export
from connectors.servicenow.extract import extract_table
from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.tables import TableSpec, table_spec
from connectors.state import StateStore

HARDWARE = table_spec("alm_hardware")


@pytest.fixture(scope="module")
def api_and_records(tmp_path_factory):
    """The API path's staged rows for alm_hardware, and the records the instance holds."""
    lake_dir = tmp_path_factory.mktemp("api_lake")
    with FakeInstance(seed=9, scale=0.02) as fake:
        extract_table(fake_client(fake, page_size=200), HARDWARE, lake_dir)
        records = fake.store.records(HARDWARE.name)
    return landed_state(lake_dir, HARDWARE), records


def same(left: dict, right: dict, columns=HARDWARE.columns) -> bool:
    """Equal on ``columns``, an absent field (null) matching an empty one."""

    def shape(state):
        return {k: {c: (v[c] or "") for c in columns} for k, v in state.items()}

    return shape(left) == shape(right)


@pytest.mark.parametrize(
    "name, write",
    [
        ("alm_hardware.csv", lambda p, r: write_csv(p, HARDWARE, r)),
        ("alm_hardware_1.csv", lambda p, r: write_csv(p, HARDWARE, r, bom=True, labels=True)),
        ("alm_hardware.xlsx", lambda p, r: write_xlsx(p, HARDWARE, r)),
        ("alm_hardware.json", lambda p, r: write_json(p, HARDWARE, r)),
        ("alm_hardware.2.json", lambda p, r: write_json(p, HARDWARE, r, mode="all")),
        ("alm_hardware-3.json", lambda p, r: write_jsonv2(p, HARDWARE, r)),
        ("alm_hardware.xml", lambda p, r: write_xml(p, HARDWARE, r)),
    ],
)
def test_every_format_matches_the_api_path(tmp_path, api_and_records, name, write) -> None:
    api, records = api_and_records
    path = write(tmp_path / name, records)
    assert same(frame_state(read_export(path, HARDWARE), HARDWARE), api)
    report = land_exports(tmp_path, tmp_path / "lake", tables=(HARDWARE,))
    assert report.landed == {name: len(records)}
    assert not report.quarantined and not report.rows_rejected
    assert same(landed_state(tmp_path / "lake", HARDWARE), api)


def test_display_values_mapped_or_rejected(tmp_path, api_and_records) -> None:
    api, records = api_and_records
    path = write_display_csv(tmp_path / "alm_hardware.csv", HARDWARE, records)
    with pytest.raises(ExportError, match=r"alm_hardware.csv: row 1: field \w+ holds a display"):
        read_export(path, HARDWARE)
    frame = read_export(path, HARDWARE, unresolved="null")
    plain = [c for c in HARDWARE.columns if c not in HARDWARE.references]
    assert same(frame_state(frame, HARDWARE), api, plain)  # labels, currency, dd/MM dates
    report = land_exports(tmp_path, tmp_path / "lake", tables=(HARDWARE,))
    assert "holds a display value" in report.quarantined["alm_hardware.csv"][0]
    assert not report.landed
    (kept,) = quarantine.quarantined(tmp_path / "lake")
    folder = tmp_path / "lake" / "_quarantine" / "servicenow" / "alm_hardware"
    copy = folder / f"{kept['batch_id']}.alm_hardware.csv.quarantined"
    assert copy.read_bytes() == path.read_bytes() and kept["stage"] == "read"


def test_unknown_choice_rejects_the_row_and_ambiguous_dates_the_file(
    tmp_path, api_and_records
) -> None:
    _, records = api_and_records
    exports = tmp_path / "exports"
    exports.mkdir()
    bad = [dict(records[0], install_status="Lent to a school"), records[1]]
    write_csv(exports / "alm_hardware.csv", HARDWARE, bad)
    report = land_exports(exports, tmp_path / "lake", tables=(HARDWARE,))
    assert report.landed == {"alm_hardware.csv": 1}
    assert report.rows_rejected == {"alm_hardware.csv": 1}
    (reject,) = quarantine.read_rejects(tmp_path / "lake").to_dicts()
    assert reject["row_number"] == 1 and reject["field"] == "install_status"
    assert reject["raw_value"] == "Lent to a school" and "not a known value" in reject["reason"]
    assert reject["sys_id"] == records[0]["sys_id"] and reject["source_file"] == "alm_hardware.csv"
    assert set(landed_state(tmp_path / "lake", HARDWARE)) == {records[1]["sys_id"]}
    ambiguous = [dict(records[0], purchase_date="03/04/2024")]
    with pytest.raises(ExportError, match="purchase_date: date '03/04/2024' is ambiguous"):
        read_export(write_csv(tmp_path / "alm_hardware.csv", HARDWARE, ambiguous), HARDWARE)
    no_key = tmp_path / "alm_hardware.json"
    no_key.write_text(json.dumps({"result": [{"asset_tag": "P1"}]}))
    with pytest.raises(ExportError, match="no sys_id / sys_updated_on column"):
        read_export(no_key, HARDWARE)


def test_files_landed_once_and_parts_grouped(tmp_path, api_and_records) -> None:
    _, records = api_and_records
    exports = tmp_path / "exports"
    exports.mkdir()
    write_csv(exports / "alm_hardware_1.csv", HARDWARE, records[:10])
    write_csv(exports / "alm_hardware.2.csv", HARDWARE, records[10:])
    (exports / "notes.txt").write_text("not an export")
    state = StateStore(tmp_path / "lake")
    first = land_exports(exports, tmp_path / "lake", state, tables=(HARDWARE,))
    assert sum(first.landed.values()) == len(records)
    (exports / "alm_hardware_1.csv").rename(exports / "alm_hardware_9.csv")
    second = land_exports(exports, tmp_path / "lake", state, tables=(HARDWARE,))
    assert second.landed == {} and len(second.skipped) == 2
    assert len(lake.batches(tmp_path / "lake", "servicenow", "alm_hardware")) == 2


def test_an_exported_delete_audit_marks_its_records_deleted(tmp_path, api_and_records) -> None:
    """An export of ``sys_audit_delete`` deletes what it names, as the Table API path does: one
    asset gone; the row for a table not loaded and the one for a table not ours land no
    marker."""
    _, records = api_and_records
    audit = table_spec("sys_audit_delete")
    exports = tmp_path / "exports"
    exports.mkdir()
    write_csv(exports / "alm_hardware.csv", HARDWARE, records)
    gone = records[3]["sys_id"]
    audited = [
        ("alm_hardware", gone),
        ("cmdb_ci_computer", records[4]["sys_id"]),
        ("incident", records[5]["sys_id"]),
    ]
    write_csv(
        exports / "sys_audit_delete.csv",
        audit,
        [
            {
                "sys_id": f"{number:032x}",
                "sys_updated_on": "2030-01-01 08:00:00",
                "sys_created_on": "2030-01-01 08:00:00",
                "tablename": table,
                "documentkey": key,
            }
            for number, (table, key) in enumerate(audited, start=1)
        ],
    )
    report = land_exports(exports, tmp_path / "lake", tables=(HARDWARE, audit))
    assert report.markers == {"alm_hardware": 1}
    assert report.for_table("alm_hardware")["delete_markers"] == 1
    current = landed_state(tmp_path / "lake", HARDWARE)
    assert gone not in current
    assert len(current) == len(records) - 1
    assert len(landed_state(tmp_path / "lake", audit)) == 3


def test_personal_data_dropped_on_read(fixtures_dir) -> None:
    frame = read_export(
        fixtures_dir / "workarena_sys_user_display_100.json",
        table_spec("sys_user"),
        unresolved="null",
    )
    assert frame.height == 100 and frame.columns == list(table_spec("sys_user").columns)
    text = frame.write_csv()
    source = json.loads((fixtures_dir / "workarena_sys_user_display_100.json").read_text())
    assert not any(record["email"] and record["email"] in text for record in source)


def test_real_hardware_export_loads(fixtures_dir) -> None:
    path = fixtures_dir / "workarena_alm_hardware_display_200.json"
    frame = read_export(path, HARDWARE, unresolved="null")
    assert frame.height == 200 and frame["sys_id"].str.len_chars().eq(32).all()
    row = frame.filter(frame["sys_id"] == "63a9280d3790200044e0bfc8bcbe5d45").row(0, named=True)
    assert row["cost"] == "1599.99" and row["install_status"] == "1"
    assert row["sys_class_name"] == "alm_hardware" and row["substatus"] == ""
    assert row["ci"] == "7fa9280d3790200044e0bfc8bcbe5d45"  # from the reference link
    assert row["location"] is None  # a bare display string: unresolved, left null
    assert set(frame["install_status"]) <= {"1", "6"}
    with pytest.raises(ExportError, match="holds a display value"):
        read_export(path, HARDWARE)


@pytest.mark.parametrize(
    "name, table, fields",
    [
        ("workarena_incident_display_100.json", "incident", ("number", "priority", "opened_at")),
        ("workarena_problem_display_50.json", "problem", ("number", "opened_at")),
        ("demisto_change_task_display_all.json", "change_task", ("number", "state", "made_sla")),
        ("demisto_change_request_display_all.json", "change_request", ("number", "state")),
        ("workarena_kb_autopublish_workflow_unload.xml", "sys_update_xml", ("name", "payload")),
    ],
)
def test_other_real_exports_load(fixtures_dir, name, table, fields) -> None:
    spec = TableSpec(table, fields, "a table outside Empreinte's list, to test the readers")
    frame = read_export(fixtures_dir / name, spec, unresolved="null")
    assert frame.height >= 1 and frame["sys_id"].null_count() == 0
    assert frame["sys_updated_on"].str.contains(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$").all()
    if table == "change_task":
        assert frame["state"][0] == "1" and frame["made_sla"][0] == "false"
        assert frame["sys_updated_on"][0] == "2020-02-06 22:19:51"  # the UTC value
    if table == "sys_update_xml":
        assert frame["payload"][0].startswith("<?xml")
