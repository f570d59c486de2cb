"""The benchmark's day of changes for an exports folder is the day it says: 1% of the assets
exported again, half retired and half moved, 0.1% deleted through an audit export."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from benchmarks.nightly import change_exports
from connectors import lake
from connectors.servicenow.exports import land_exports
from connectors.servicenow.fake.bulk import write_exports

AT = "2026-11-01 18:00:00"


def current_assets(lake_dir: Path) -> pl.DataFrame:
    return lake.latest_rows(lake.read_table(lake_dir, "servicenow", "alm_hardware"))


def test_a_day_of_changes_lands_as_one_percent_changed_and_a_tenth_of_that_deleted(
    tmp_path: Path,
) -> None:
    exports, lake_dir = tmp_path / "exports", tmp_path / "lake"
    write_exports(exports, 0.2)
    land_exports(exports, lake_dir)
    before = current_assets(lake_dir)

    assert change_exports(exports, at=AT) == {"assets": 5000, "changed": 50, "deleted": 5}
    report = land_exports(exports, lake_dir)

    # Only the day's two files land: the folder's earlier files are skipped by their hash.
    assert sorted(report.landed.values()) == [5, 50]
    assert report.markers == {"alm_hardware": 5}
    after = current_assets(lake_dir)
    assert after.height == before.height - 5
    changed = after.filter(pl.col("sys_updated_on") == AT)
    assert changed.height == 50
    retired = changed.filter(
        (pl.col("install_status") == "7")
        & (pl.col("substatus") == "disposed")
        & (pl.col("retired") == "2026-10-30")
    )
    assert retired.height == 25
    moved = changed.join(before, on="sys_id", suffix="_before").filter(
        pl.col("location") != pl.col("location_before")
    )
    assert moved.height >= 20
    deleted = set(before["sys_id"]) - set(after["sys_id"])
    assert len(deleted) == 5 and deleted.isdisjoint(changed["sys_id"])
