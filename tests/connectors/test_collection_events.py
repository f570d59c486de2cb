"""Collection events: validated like the trip logs, rejected rows kept with their reason."""

from __future__ import annotations

from pathlib import Path

from connectors import quarantine
from connectors.logs import COLLECTION_EVENTS, land_trip_logs, read_trip_log

CSV = """\
event_id,event_date,collection_point_id,device_category,item_count,outcome,campaign,asset_tag
E1,2026-03-21,aaa,smartphone,12,reuse,Digital Cleanup Day,
E2,21/03/2026,aaa,laptop,1,recycling,,P000042
E3,2026-03-21,aaa,laptop,1.5,recycling,,
E4,2026-03-21,aaa,screen,2,burnt,,
E1,2026-03-22,bbb,tablet,1,reuse,,
E5,2026-03-22,,tablet,1,reuse,,
"""


def test_collection_events_validated(tmp_path: Path) -> None:
    path = tmp_path / "collection_events_2026.csv"
    path.write_text(CSV, encoding="utf-8")
    valid, rejected = read_trip_log(path, COLLECTION_EVENTS)
    assert valid["event_id"].to_list() == ["E1", "E2"]
    assert valid.row(1, named=True)["event_date"] == "2026-03-21"
    assert valid.row(1, named=True)["asset_tag"] == "P000042"
    reasons = dict(zip(rejected["_row"], rejected["_reason"], strict=True))
    assert "item_count '1.5' is not a whole number" in reasons["4"]
    assert "outcome 'burnt' is not one of reuse" in reasons["5"]
    assert "event_id 'E1' repeated in the file" in reasons["6"]
    assert "collection_point_id is required" in reasons["7"]


def test_collection_events_land_beside_the_trip_logs(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "collection_events.csv").write_text(CSV, encoding="utf-8")
    report = land_trip_logs(logs, tmp_path / "lake")
    assert report.landed == {"collection_events.csv": 2}
    assert report.rejected_rows == {"collection_events.csv": 4}
    rejected = quarantine.read_rejects(tmp_path / "lake", "logs", "collection_events")
    assert sorted(rejected["row_number"].unique().to_list()) == [4, 5, 6, 7]
    assert set(rejected["source_file"]) == {"collection_events.csv"}


def test_documented_header_is_the_code_header() -> None:
    readme = (Path(__file__).parents[2] / "connectors" / "README.md").read_text()
    assert ", ".join(f"`{c}`" for c in COLLECTION_EVENTS.columns) in readme
