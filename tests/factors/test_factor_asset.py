"""The Dagster factor asset: a refused file fails the step with its reason, a bad override row
is left out and counted in the materialisation, the tables are still written."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from factor_lake import build_lake
from override_rows import GOOD, csv_text
from test_hostile_files import second

from pipelines.emission_factors import factor_tables
from pipelines.resources import WarehouseResource


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    lake = build_lake(tmp_path / "built")
    shutil.move(str(lake), str(folder / "lake"))
    return folder


def materialise(data_dir: Path, overrides: Path, monkeypatch) -> dg.ExecuteInProcessResult:
    monkeypatch.setenv("EMPREINTE_FACTOR_OVERRIDES", str(overrides))
    monkeypatch.delenv("EMPREINTE_FACTOR_SET", raising=False)
    return dg.materialize(
        [factor_tables],
        resources={"warehouse": WarehouseResource(data_dir=str(data_dir))},
        raise_on_error=False,
    )


def test_bad_override_row_left_out_and_counted(data_dir: Path, tmp_path: Path, monkeypatch):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "supplier.csv").write_text(csv_text([GOOD, second(value="NaN")]))
    result = materialise(data_dir, overrides, monkeypatch)
    assert result.success
    events = {
        event.asset_key.path[-1]: event.metadata
        for event in (
            e.event_specific_data.materialization for e in result.get_asset_materialization_events()
        )
    }
    assert events["emission_factors"]["override_rows_left_out"].value == 1
    rejects = pl.read_parquet(events["emission_factors"]["rejects"].value)
    assert rejects.select("line", "field").rows() == [(3, "value")]


def test_refused_file_fails_the_step_with_its_reason(data_dir: Path, tmp_path: Path, monkeypatch):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "supplier.csv").write_bytes(csv_text([GOOD]).encode("utf-16"))
    result = materialise(data_dir, overrides, monkeypatch)
    assert not result.success
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    error = failure.step_failure_data.user_failure_data
    assert "supplier.csv:1: encoded in UTF-16" in error.description
    assert not (data_dir / "lake" / "factors" / "emission_factors.parquet").exists()
