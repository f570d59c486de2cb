"""A new factor set restates earlier years without erasing what was published before."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.published import published_factor_sets
from pipelines.summary import footprint_summary
from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.pipeline.conftest import PipelineRun, run_nightly

DEFAULT_SET = "empreinte-2026"


def test_a_new_factor_set_restates_and_keeps_the_published_edition(
    pipeline_run: PipelineRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pipeline_run.paths
    assert published_factor_sets(first) == [DEFAULT_SET]
    data_dir = tmp_path / "data"
    for folder in ("lake", "editions"):
        shutil.copytree(first.data_dir / folder, data_dir / folder)
    published_before = (data_dir / "editions" / f"{DEFAULT_SET}.parquet").read_bytes()
    monkeypatch.setenv("EMPREINTE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("EMPREINTE_FACTOR_SET", "ademe-2018")

    assert run_nightly()

    paths = WarehousePaths.from_env()
    assert published_factor_sets(paths) == ["ademe-2018", DEFAULT_SET]
    assert (paths.editions / f"{DEFAULT_SET}.parquet").read_bytes() == published_before
    with connect_read_only(paths) as connection:
        restated = connection.execute(
            """
            select reporting_year, value, published_value, change_since_published
            from fct_footprint_restatements
            where criterion = 'climate_change' and method = 'acquisition'
                and published_factor_set = ? and factor_set = 'ademe-2018'
            order by reporting_year
            """,
            [DEFAULT_SET],
        ).fetchall()
        published = dict(
            duckdb.execute(
                f"""
                select reporting_year, sum(value) from '{first.editions}/{DEFAULT_SET}.parquet'
                where criterion = 'climate_change' and method = 'acquisition' group by all
                """
            ).fetchall()
        )
        summary = footprint_summary(connection)
    assert len(restated) > 5
    for year, value, published_value, change_since_published in restated:
        assert published_value == pytest.approx(published[year], rel=1e-12)
        assert change_since_published == pytest.approx(value - published_value)
    # ADEME 2018's screen figure is about four times the 2024 one: the years go up.
    assert sum(row[3] for row in restated) > 0
    assert "Restated" in summary and DEFAULT_SET in summary
