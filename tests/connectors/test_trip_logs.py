"""Trip logs: validated on read, rejected rows kept with their reason, landed once."""

from __future__ import annotations

import pytest

from connectors import lake, quarantine
from connectors.logs import AGENT_TRIPS, VEHICLE_TRIPS, land_trip_logs, read_trip_log

VEHICLE_CSV = (
    "\ufefftrip_id,trip_date,vehicle_type,purpose,distance_km,from_location_id,"
    "to_location_id,transfer_order_number,contract_number\n"
    """V1,2026-03-02,van_diesel,transfer,"12,5",,,TO0001001,
V2,02/03/2026,VAN_ELECTRIC,intervention,,aaa,bbb,,CNTR0001
V3,2026-03-02,truck,transfer,30,,,,
V4,2026-02-30,car_petrol,transfer,10,,,,
V5,2026-03-03,cargo_bike,collection,,aaa,,,
V1,2026-03-04,car_diesel,other,-4,,,,
"""
)


def test_vehicle_trips_validated(tmp_path) -> None:
    path = tmp_path / "vehicle_trips_2026-03.csv"
    path.write_text(VEHICLE_CSV, encoding="utf-8")
    valid, rejected = read_trip_log(path, VEHICLE_TRIPS)
    assert valid["trip_id"].to_list() == ["V1", "V2"]
    assert valid.row(0, named=True)["distance_km"] == "12.5"
    assert valid.row(1, named=True)["trip_date"] == "2026-03-02"
    assert valid.row(1, named=True)["vehicle_type"] == "van_electric"
    reasons = dict(zip(rejected["_row"], rejected["_reason"], strict=True))
    assert "vehicle_type 'truck' is not one of" in reasons["4"]
    assert "trip_date '2026-02-30' is not a date" in reasons["5"]
    assert "from_location_id/to_location_id are not both given" in reasons["6"]
    assert "distance_km '-4' is outside" in reasons["7"] and "repeated" in reasons["7"]


def test_landed_once_with_rejections_beside(tmp_path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "vehicle_trips.csv").write_text(VEHICLE_CSV, encoding="utf-8")
    (logs / "agent_trips.csv").write_text(
        "trip_id,trip_date,mode,distance_km,cost_center_code,purpose\n"
        "A1,2026-01-05,train,420,CC-042,training\nA2,2026-01-06,rocket,10,,\n",
        encoding="utf-8",
    )
    (logs / "agent_trips_bad.csv").write_text("trip_id,mode\nA9,bus\n", encoding="utf-8")
    report = land_trip_logs(logs, tmp_path / "lake")
    assert report.landed == {"agent_trips.csv": 1, "vehicle_trips.csv": 2}
    assert report.rejected_rows == {"agent_trips.csv": 1, "vehicle_trips.csv": 4}
    assert "missing column(s) trip_date, distance_km" in report.refused["agent_trips_bad.csv"]
    rejected = quarantine.read_rejects(tmp_path / "lake", "logs", "vehicle_trips")
    assert rejected["row_number"].n_unique() == 4
    assert set(rejected["source_file"]) == {"vehicle_trips.csv"}
    (refused,) = quarantine.quarantined(tmp_path / "lake", "logs")
    assert refused["file"] == "agent_trips_bad.csv" and "missing column" in refused["reasons"][0]
    assert lake.read_table(tmp_path / "lake", "logs", "agent_trips")["mode"].to_list() == ["train"]
    again = land_trip_logs(logs, tmp_path / "lake")
    assert again.landed == {} and not again.refused
    assert sorted(again.skipped) == ["agent_trips.csv", "agent_trips_bad.csv", "vehicle_trips.csv"]


@pytest.mark.parametrize("log", [VEHICLE_TRIPS, AGENT_TRIPS])
def test_documented_header_is_the_code_header(log) -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "connectors" / "README.md").read_text()
    assert ", ".join(f"`{c}`" for c in log.columns) in readme
