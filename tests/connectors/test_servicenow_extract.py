"""extract_table on the scripted stub: batches, watermarks, ranges, drift, restarts."""

from __future__ import annotations

import random

import polars as pl
import pytest
from servicenow_stub import Stub, make_client

from connectors import lake
from connectors.servicenow.client import ServiceNowError
from connectors.servicenow.extract import extract_table, read_watermark
from connectors.servicenow.tables import table_spec
from connectors.state import StateStore

SPEC = table_spec("cmn_location")


def location(rng: random.Random, moment: str) -> dict[str, str]:
    return {
        "sys_id": f"{rng.getrandbits(128):032x}",
        "sys_updated_on": moment,
        "sys_created_on": "2023-01-01 00:00:00",
        "name": f"site {rng.random():.6f}",
        "city": "Lyon",
        "country": "France",
        "latitude": "45.7",
        "longitude": "4.8",
        "parent": "",
        "company": "",
    }


def landed(lake_dir) -> dict[str, dict]:
    current = lake.latest_rows(lake.read_table(lake_dir, "servicenow", SPEC.name))
    return {row["sys_id"]: {k: row[k] for k in SPEC.columns} for row in current.to_dicts()}


def source(stub: Stub) -> dict[str, dict]:
    return {r["sys_id"]: {k: r.get(k, "") for k in SPEC.columns} for r in stub.tables[SPEC.name]}


@pytest.mark.parametrize("ranges", [1, 3])
def test_full_then_incremental(stub: Stub, tmp_path, ranges: int) -> None:
    rng = random.Random(ranges)
    stub.tables[SPEC.name] = [location(rng, f"2024-02-01 10:00:{i // 9:02d}") for i in range(80)]
    client = make_client(stub.url, page_size=6)
    state = StateStore(tmp_path)
    report = extract_table(client, SPEC, tmp_path, state, ranges=ranges, batch_rows=20)
    assert report.full and report.rows == 80 and report.batches >= 4
    assert landed(tmp_path) == source(stub)
    assert read_watermark(state, SPEC.name) == report.watermark_after
    # Updates, inserts and a deletion on the instance, then an incremental read.
    records = stub.tables[SPEC.name]
    records[3]["city"], records[3]["sys_updated_on"] = "Villeurbanne", "2024-02-02 08:00:00"
    records.append(location(rng, "2024-02-02 08:00:00"))
    again = extract_table(client, SPEC, tmp_path, state, ranges=ranges)
    # One range re-reads only the changes; several may re-read rows after the slowest range.
    assert not again.full and (again.rows == 2 if ranges == 1 else again.rows >= 2)
    assert landed(tmp_path) == source(stub)


def test_empty_table_lands_one_empty_batch_first_time_only(stub: Stub, tmp_path) -> None:
    stub.tables[SPEC.name] = []
    client = make_client(stub.url)
    extract_table(client, SPEC, tmp_path)
    extract_table(client, SPEC, tmp_path, full=True)
    files = lake.batches(tmp_path, "servicenow", SPEC.name)
    assert len(files) == 1
    assert pl.read_parquet(files[0]).columns[: len(SPEC.columns)] == list(SPEC.columns)


def test_failure_midway_keeps_progress_and_rerun_converges(stub: Stub, tmp_path) -> None:
    rng = random.Random(7)
    stub.tables[SPEC.name] = [location(rng, f"2024-03-01 00:{i // 5:02d}:00") for i in range(60)]
    client = make_client(stub.url, page_size=5, max_attempts=2)
    state = StateStore(tmp_path)
    stub.faults = [None] * 6 + ["503"] * 2  # the client gives up after its 2 attempts
    # One range: the script of faults meets the requests in page order (two ranges in parallel
    # may give the first page a 503 and leave nothing landed, on a loaded machine).
    with pytest.raises(ServiceNowError):
        extract_table(client, SPEC, tmp_path, state, ranges=1, batch_rows=10)
    first = read_watermark(state, SPEC.name)
    assert first is not None  # what was read before the failure is landed and remembered
    extract_table(client, SPEC, tmp_path, state, batch_rows=10)
    assert landed(tmp_path) == source(stub)


def test_schema_drift_is_landed_and_reported(stub: Stub, tmp_path) -> None:
    rng = random.Random(3)
    rows = [location(rng, "2024-04-01 00:00:00") for _ in range(4)]
    for row in rows:
        del row["latitude"]  # a field that disappeared from the instance
    rows[0]["longitude"] = 4.85  # a number where a string is expected
    parent = "abc" * 10 + "de"
    rows[1]["parent"] = {"value": parent, "link": f"https://x/api/now/table/cmn_location/{parent}"}
    stub.tables[SPEC.name] = rows
    client = make_client(stub.url)
    report = extract_table(client, SPEC, tmp_path)
    assert report.drift.missing_columns == ["latitude"]
    assert report.drift.changed_shapes == {
        "longitude": {"number": 1},
        "parent": {"reference object": 1},
    }
    current = landed(tmp_path)
    assert current[rows[1]["sys_id"]]["parent"] == parent
    assert current[rows[0]["sys_id"]]["longitude"] == "4.85"
    assert all(value["latitude"] is None for value in current.values())


def test_personal_data_never_landed_even_if_the_instance_sends_it(stub: Stub, tmp_path) -> None:
    stub.tables["sys_user"] = [
        {
            "sys_id": "a" * 32,
            "sys_updated_on": "2024-01-01 00:00:00",
            "sys_created_on": "2024-01-01 00:00:00",
            "active": "true",
            "email": "jane@example.org",
            "name": "Jane Doe",
        }
    ]
    stub.ignore_fields = True  # returns every field, as if sysparm_fields were ignored
    client = make_client(stub.url)
    report = extract_table(client, table_spec("sys_user"), tmp_path)
    frame = lake.read_table(tmp_path, "servicenow", "sys_user")
    assert "email" not in frame.columns and "name" not in frame.columns
    assert report.drift.dropped_columns == ["email", "name"]
