"""The whole pipeline against the fake instance over HTTP: what must hold of any fleet.

The figures themselves are checked against hand-worked fleets (dbt unit tests next to the
models, and `test_hand_worked_fleet.py` through the real pipeline); here the metropolis checks
the invariants of the methodology on thousands of assets.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl
import pytest

from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.pipeline.conftest import AS_OF, PipelineRun, run_nightly
from tests.pipeline.dbt_logs import dbt_runs


def query(paths: WarehousePaths, sql: str, parameters: list | None = None) -> list[tuple]:
    with connect_read_only(paths) as connection:
        return connection.execute(sql, parameters or []).fetchall()


def mart_totals(paths, criterion: str = "climate_change") -> dict[tuple[str, int, str], float]:
    rows = query(
        paths,
        """
        select method, reporting_year, stage, sum(value)
        from fct_footprint where criterion = ? and source_kind = 'hardware_asset'
        group by all
        """,
        [criterion],
    )
    return {(method, year, stage): total for method, year, stage, total in rows}


def test_the_pipeline_publishes_a_warehouse(pipeline_run: PipelineRun) -> None:
    assert pipeline_run.success
    assert pipeline_run.paths.warehouse.exists()
    for mart in ("fct_footprint", "fct_footprint_yearly", "dim_hardware_assets"):
        assert (pipeline_run.paths.marts / f"{mart}.parquet").exists()
    assert not pipeline_run.paths.build.exists(), "the build file is swapped, not copied"
    totals = mart_totals(pipeline_run.paths)
    assert sum(v for (method, _, _), v in totals.items() if method == "amortised") > 50_000


def test_dbt_logs_what_each_node_did_not_every_statement(pipeline_run: PipelineRun) -> None:
    """The night's dbt log file at info: each model's and test's result, not every statement
    dbt sent (its debug default: about 10 MB and 6 s of each build, whatever the fleet's size)."""
    events = [event for run in dbt_runs(pipeline_run.paths) for event in run]
    assert {"LogModelResult", "LogTestResult"} <= {event["info"]["name"] for event in events}
    assert {event["info"]["level"] for event in events} <= {"info", "warn", "error"}


def test_both_methods_book_the_same_total_over_a_life(pipeline_run: PipelineRun) -> None:
    """Per asset, stage and criterion: manufacturing and distribution always, end of life once
    the asset is disposed, sum to the same total under both conventions (DESIGN.md)."""
    rows = query(
        pipeline_run.paths,
        """
        select footprint.item_id, footprint.stage, footprint.criterion,
            sum(case when method = 'amortised' then value end) as amortised,
            sum(case when method = 'acquisition' then value end) as acquisition
        from fct_footprint as footprint
        inner join dim_hardware_assets as assets on footprint.item_id = assets.asset_id
        where footprint.stage != 'use'
            and (footprint.stage != 'end_of_life' or assets.disposed_on is not null)
        group by all
        """,
    )
    assert len({row[0] for row in rows}) > 2000
    stages = {row[1] for row in rows}
    assert stages == {"manufacturing", "distribution", "end_of_life"}
    for item_id, stage, criterion, amortised, acquisition in rows:
        assert amortised == pytest.approx(acquisition, rel=1e-9, abs=1e-12), (
            item_id,
            stage,
            criterion,
        )


def test_every_row_has_a_range_and_a_sourced_factor(pipeline_run: PipelineRun) -> None:
    (outside,) = query(
        pipeline_run.paths,
        """
        select count(*) from fct_footprint
        where value_min is null or value_max is null
            or not (least(value_min, value_max) <= value + 1e-12
                and value <= greatest(value_min, value_max) + 1e-12)
        """,
    )[0]
    assert outside == 0
    (degenerate,) = query(
        pipeline_run.paths,
        "select count(*) from fct_footprint where value != 0 and value_min = value_max",
    )[0]
    assert degenerate == 0, "a factor without a range gets the documented relative range"
    factors = pl.read_parquet(pipeline_run.paths.lake / "factors" / "emission_factors.parquet")
    sourced = set(
        factors.filter(pl.col("source").is_not_null() & pl.col("source_year").is_not_null())[
            "factor_id"
        ].to_list()
    )
    used = query(pipeline_run.paths, "select distinct factor_id from fct_footprint")
    used = {row[0] for row in used}
    assert used and used <= sourced
    (unmapped,) = query(
        pipeline_run.paths,
        "select count(*) from dim_hardware_assets where match_level = 'unmapped'",
    )[0]
    assert unmapped == 0


def test_computers_are_decided_per_asset(pipeline_run: PipelineRun) -> None:
    decided = dict(
        query(
            pipeline_run.paths,
            "select category_source, count(*) from dim_hardware_assets"
            " where category_source in ('form_factor', 'model_name', 'default') group by all",
        )
    )
    # The fake's CIs say their form factor for most computers, not all (README of the fake).
    assert decided["form_factor"] > 10 * decided.get("default", 0) > 0
    (left,) = query(
        pipeline_run.paths,
        "select count(*) from dim_hardware_assets where device_category = 'computer'",
    )[0]
    assert left == 0


# A whole night again on the metropolis (about 3 minutes): `make test-all`. `make test` keeps a
# second night on the hand-worked fleet and the incremental night against a full rebuild.
@pytest.mark.slow
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
    statuses = dict(
        query(
            pipeline_run.paths,
            "select reporting_year, year_status from dim_reporting_years"
            " where reporting_year between ? and ?",
            [AS_OF.year - 1, AS_OF.year + 1],
        )
    )
    assert statuses == {
        AS_OF.year - 1: "complete",
        AS_OF.year: "year_to_date",
        AS_OF.year + 1: "future",
    }
