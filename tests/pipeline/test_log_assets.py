"""The log assets: every log landed from the logs folder, a broken file quarantined and named,
and a log never given still readable by dbt (an empty batch)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from connectors import lake, quarantine
from pipelines.activity_logs import activity_logs
from pipelines.resources import WarehouseResource

AGENT_TRIPS = "trip_id,trip_date,mode,distance_km\nA1,2026-01-05,train,420\nA2,2026-01-06,ufo,10\n"


def materialise(data_dir: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [activity_logs],
        resources={"warehouse": WarehouseResource(data_dir=str(data_dir))},
        raise_on_error=False,
    )


def test_logs_land_and_a_log_never_given_is_an_empty_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMPREINTE_LOGS_DIR", raising=False)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "agent_trips.csv").write_text(AGENT_TRIPS, encoding="utf-8")
    result = materialise(tmp_path)
    assert result.success
    metadata = {
        event.asset_key.path[-1]: event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    assert metadata["agent_trips"]["rows_landed"].value == 1
    assert metadata["agent_trips"]["rows_rejected"].value == 1
    landed = lake.read_table(tmp_path / "lake", "logs", "agent_trips")
    assert landed["trip_id"].to_list() == ["A1"]
    empty = lake.read_table(tmp_path / "lake", "logs", "collection_events")
    assert empty.height == 0 and "collection_point_id" in empty.columns


def test_a_broken_log_file_is_quarantined_and_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = tmp_path / "elsewhere"
    logs.mkdir()
    monkeypatch.setenv("EMPREINTE_LOGS_DIR", str(logs))
    (logs / "agent_trips.csv").write_text(AGENT_TRIPS, encoding="utf-8")
    (logs / "vehicle_trips_march.csv").write_text("trip_id,purpose\nV1,transfer\n", "utf-8")
    result = materialise(tmp_path / "data")
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert "vehicle_trips_march.csv" in str(failure.event_specific_data.error)
    # The good file still landed; the broken one is kept, with its reason.
    assert lake.read_table(tmp_path / "data" / "lake", "logs", "agent_trips").height == 1
    (refused,) = quarantine.quarantined(tmp_path / "data" / "lake", "logs")
    assert refused["file"] == "vehicle_trips_march.csv"
    assert "missing column" in refused["reasons"][0]
