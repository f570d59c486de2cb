"""The whole pipeline against the fake instance over HTTP, checked against plain Python."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest

from tests.pipeline.conftest import AS_OF, PipelineRun, run_nightly
from tests.pipeline.reference_footprint import ReferenceFootprint

TOLERANCE = 1e-6


def mart_totals(paths, criterion: str = "climate_change") -> dict[tuple[str, int, str], float]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as connection:
        rows = connection.execute(
            """
            select method, reporting_year, stage, sum(value)
            from fct_footprint where criterion = ? and source_kind = 'hardware_asset'
            group by all
            """,
            [criterion],
        ).fetchall()
    return {(method, year, stage): total for method, year, stage, total in rows}


@pytest.fixture(scope="module")
def reference(pipeline_run: PipelineRun) -> tuple[dict, dict]:
    records = {
        table: pipeline_run.fake.store.records(table)
        for table in ("alm_hardware", "cmn_location", "core_company")
    }
    return ReferenceFootprint(records, pipeline_run.paths.lake / "factors", AS_OF).compute()


def test_the_pipeline_publishes_a_warehouse(pipeline_run: PipelineRun) -> None:
    assert pipeline_run.success
    assert pipeline_run.paths.warehouse.exists()
    for mart in ("fct_footprint", "dim_hardware_assets"):
        assert (pipeline_run.paths.marts / f"{mart}.parquet").exists()
    assert not pipeline_run.paths.build.exists(), "the build file is swapped, not copied"


@pytest.mark.parametrize("method", ["amortised", "acquisition"])
def test_mart_totals_equal_an_independent_computation(
    pipeline_run: PipelineRun, reference: tuple[dict, dict], method: str
) -> None:
    expected, _ = reference
    published = mart_totals(pipeline_run.paths)
    keys = {key for key in expected.keys() | published.keys() if key[0] == method}
    assert len(keys) > 20, "several years and stages are compared"
    for key in sorted(keys):
        assert published.get(key, 0.0) == pytest.approx(expected.get(key, 0.0), rel=TOLERANCE), key
    assert sum(published[key] for key in keys) > 50_000, "a fleet of ~2,500 assets weighs tonnes"


def test_amortised_years_of_an_asset_sum_to_its_embodied_impact(
    pipeline_run: PipelineRun, reference: tuple[dict, dict]
) -> None:
    _, embodied = reference
    with duckdb.connect(str(pipeline_run.paths.warehouse), read_only=True) as connection:
        rows = connection.execute(
            """
            select item_id, sum(value) from fct_footprint
            where method = 'amortised' and stage != 'use' and criterion = 'climate_change'
                and source_kind = 'hardware_asset'
            group by item_id
            """
        ).fetchall()
    assert len(rows) == len(embodied) > 2000
    for asset_id, total in rows:
        assert total == pytest.approx(embodied[asset_id], rel=1e-9), asset_id


def test_every_asset_is_matched_to_a_sourced_factor(pipeline_run: PipelineRun) -> None:
    with duckdb.connect(str(pipeline_run.paths.warehouse), read_only=True) as connection:
        unmapped = connection.execute(
            "select count(*) from dim_hardware_assets where match_level = 'unmapped'"
        ).fetchall()[0][0]
        unsourced = connection.execute(
            """
            select count(*) from fct_footprint as footprint
            left join stg_factors__emission_factors as factors using (factor_id)
            where factors.source_title is null or factors.source_year is null
            """
        ).fetchall()[0][0]
    assert unmapped == 0
    assert unsourced == 0


def test_a_second_run_republishes_the_same_mart(pipeline_run: PipelineRun) -> None:
    before = mart_totals(pipeline_run.paths)
    first_inode = pipeline_run.paths.warehouse.stat().st_ino
    assert run_nightly()
    after = mart_totals(pipeline_run.paths)
    assert pipeline_run.paths.warehouse.stat().st_ino != first_inode, "a new file was swapped in"
    assert after.keys() == before.keys()
    for key, total in before.items():
        assert after[key] == pytest.approx(total, rel=1e-12), key


def test_use_phase_stops_at_the_as_of_date(pipeline_run: PipelineRun) -> None:
    totals = defaultdict(float)
    for (_method, year, stage), value in mart_totals(pipeline_run.paths).items():
        totals[(stage, year)] += value
    assert totals[("use", AS_OF.year)] > 0
    assert totals.get(("use", AS_OF.year + 1), 0) == 0
