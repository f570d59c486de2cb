"""Values from the instance never alter a query; the first refusal of the credentials stops the
whole extraction with one message."""

from __future__ import annotations

import logging

import pytest
from fake_helpers import fake_client, landed_state
from servicenow_stub import Stub, make_client

from connectors.servicenow.auth import AuthenticationError
from connectors.servicenow.client import ServiceNowError, check_position
from connectors.servicenow.extract import extract_all, extract_table
from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.tables import TABLES, table_spec
from connectors.state import StateStore

LOCATIONS = table_spec("cmn_location")
INJECTED = "f" * 32 + "^NQsys_id>0"


@pytest.mark.parametrize(
    "position, field",
    [
        (("2024-01-01 00:00:00", INJECTED), "sys_id"),
        (("2024-01-01 00:00:00", "F" * 32), "sys_id"),
        (("2024-01-01 00:00:00^NQsys_id>0", "a" * 32), "sys_updated_on"),
        (("javascript:gs.daysAgo(1)", "a" * 32), "sys_updated_on"),
        (("2024-02-30 00:00:00x", ""), "sys_updated_on"),
    ],
)
def test_unsafe_positions_are_refused_naming_table_field_and_value(position, field) -> None:
    with pytest.raises(ServiceNowError) as error:
        check_position("alm_hardware", position)
    message = str(error.value)
    assert message.startswith(f"alm_hardware: {field} ")
    assert repr(position[0 if field == "sys_updated_on" else 1][:80]) in message
    assert check_position("t", ("2024-01-01 00:00:00", "")) == ("2024-01-01 00:00:00", "")


def test_a_record_whose_sys_id_would_alter_the_query_stops_the_read(tmp_path) -> None:
    with FakeInstance(seed=5, scale=0.01) as fake:
        good = {record["sys_id"] for record in fake.store.records(LOCATIONS.name)}
        fake.store.insert(LOCATIONS.name, {"sys_id": INJECTED, "name": "Injected"})  # the newest
        state = StateStore(tmp_path)
        for _night in range(2):  # and the next night the same, never stuck on a bad watermark
            with pytest.raises(ServiceNowError) as error:
                extract_table(fake_client(fake, page_size=10), LOCATIONS, tmp_path, state)
            assert f"cmn_location: sys_id {INJECTED!r} is not a sys_id" in str(error.value)
            saved = state.get("watermarks", LOCATIONS.name)
            assert saved["sys_id"] in good, "the watermark is the last valid landed row"
        queries = [request["params"].get("sysparm_query", "") for request in fake.requests]
        assert queries and not any("^NQ" in query for query in queries)
        landed = set(landed_state(tmp_path, LOCATIONS))
        assert landed <= good and len(landed) >= len(good) - 10, "pages before it landed"


def test_an_invalid_stored_watermark_means_a_full_read(tmp_path, caplog) -> None:
    with FakeInstance(seed=5, scale=0.01) as fake:
        state = StateStore(tmp_path)
        state.set("watermarks", LOCATIONS.name, {"sys_updated_on": "x", "sys_id": INJECTED})
        report = extract_table(fake_client(fake), LOCATIONS, tmp_path, state)
        assert report.full and report.rows == len(fake.store.records(LOCATIONS.name))
        assert any(record.__dict__.get("event") == "watermark_invalid" for record in caplog.records)
        assert not any("^NQ" in r["params"].get("sysparm_query", "") for r in fake.requests)


def test_the_first_refused_credentials_stop_every_table_at_once(tmp_path, caplog) -> None:
    with FakeInstance(seed=5, scale=0.01) as fake, caplog.at_level(logging.WARNING):
        client = fake_client(fake, password="not-the-password")
        with pytest.raises(AuthenticationError, match="HTTP 401") as error:
            extract_all(client, tmp_path, TABLES)
        tried = {request["path"] for request in fake.requests}
        assert tried == {"/api/now/v2/table/alm_hardware"}, "no other table was tried"
        assert "not-the-password" not in str(error.value)
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and "401" in errors[0].getMessage()


def test_access_refused_stops_every_table_at_once(stub: Stub, tmp_path) -> None:
    stub.tables = {spec.name: [] for spec in TABLES}
    stub.faults = ["403"]
    with pytest.raises(AuthenticationError, match="HTTP 403 on GET /api/now/v2/table/"):
        extract_all(make_client(stub.url), tmp_path, TABLES)
    assert {request["path"] for request in stub.requests} == {"/api/now/v2/table/alm_hardware"}
