"""The decision marts on the fake metropolis: published with the footprint, and consistent with
it. Their formulas are checked by hand-worked dbt unit tests beside the models; here, on
thousands of assets, what must hold of any fleet."""

from __future__ import annotations

import polars as pl
import pytest

from connectors.lake import latest_rows, read_table
from tests.pipeline.conftest import PipelineRun
from tests.pipeline.test_end_to_end import query

DECISION_MARTS = (
    "mart_trajectory",
    "mart_budget_colour",
    "mart_catalogue_item_impact",
    "mart_keep_or_replace",
    "mart_scenario_comparison",
    "mart_action_plan_effects",
    "mart_data_quality",
)


def test_the_decision_marts_are_published(pipeline_run: PipelineRun) -> None:
    assert pipeline_run.success
    for mart in DECISION_MARTS:
        assert (pipeline_run.paths.marts / f"{mart}.parquet").exists(), mart
    for mart in ("mart_trajectory", "mart_budget_colour", "mart_catalogue_item_impact"):
        assert query(pipeline_run.paths, f"select count(*) from {mart}")[0][0] > 0, mart


def test_the_trajectory_follows_the_yearly_footprint(pipeline_run: PipelineRun) -> None:
    rows = query(
        pipeline_run.paths,
        """
        select trajectory.reporting_year, trajectory.value, sum(yearly.value),
            trajectory.baseline_year, trajectory.baseline_value, trajectory.target_value
        from mart_trajectory as trajectory
        inner join fct_footprint_yearly as yearly
            using (reporting_year, method, criterion)
        where criterion = 'climate_change' and method = 'amortised'
        group by all order by 1
        """,
    )
    by_year = {row[0]: row for row in rows}
    (baseline_year,) = {row[3] for row in rows}
    for year, value, total, _, baseline, _ in rows:
        assert value == pytest.approx(total, rel=1e-9), year
        assert baseline == pytest.approx(by_year[baseline_year][1], rel=1e-9)
    # The default path: 55% of the baseline in 2030 (ITU-T L.1470's -45%).
    assert by_year[2030][5] == pytest.approx(0.55 * by_year[baseline_year][1], rel=1e-9)


def test_data_quality_accounts_for_the_footprint_and_the_lake(pipeline_run: PipelineRun) -> None:
    footprint = dict(
        query(
            pipeline_run.paths,
            "select reporting_year, sum(value) from fct_footprint"
            " where criterion = 'climate_change' and method = 'amortised' group by all",
        )
    )
    measured = dict(
        query(
            pipeline_run.paths,
            "select reporting_year, sum(value) from mart_data_quality"
            " where measure = 'footprint' group by all",
        )
    )
    assert measured.keys() == footprint.keys()
    for year, value in footprint.items():
        assert measured[year] == pytest.approx(value, rel=1e-9)
    (outside,) = query(
        pipeline_run.paths,
        "select count(*) from mart_data_quality where share_of_footprint < 0"
        " or share_of_footprint > 1 + 1e-9",
    )[0]
    assert outside == 0
    landed = read_table(pipeline_run.paths.lake, "servicenow", "alm_hardware")
    (counted,) = query(
        pipeline_run.paths,
        "select sum(value) from mart_data_quality"
        " where measure = 'landed_rows' and table_name = 'alm_hardware'",
    )[0]
    assert counted == landed.filter(~pl.col("_is_deleted")).height


def test_budgets_are_coloured_and_spend_is_kept_whole(pipeline_run: PipelineRun) -> None:
    lines = latest_rows(read_table(pipeline_run.paths.lake, "servicenow", "fm_expense_line"))
    (spent,) = query(
        pipeline_run.paths, "select sum(spend) from mart_budget_colour where status = 'spent'"
    )[0]
    assert spent == pytest.approx(lines["amount"].cast(pl.Float64).sum(), rel=1e-9)
    colours = dict(
        query(
            pipeline_run.paths,
            "select coalesce(colour, 'none'), count(*) from mart_budget_colour group by all",
        )
    )
    assert set(colours) <= {"green", "amber", "red", "none"}
    (uncoloured,) = query(
        pipeline_run.paths,
        "select count(*) from mart_budget_colour"
        " where (colour is null) != (kgco2e_per_euro is null)",
    )[0]
    assert uncoloured == 0
    # The fake metropolis has requests in flight: next purchases are coloured already.
    (planned,) = query(
        pipeline_run.paths,
        "select count(*) from mart_budget_colour where status = 'planned' and colour is not null",
    )[0]
    assert planned > 0


def test_every_catalogue_item_has_its_label(pipeline_run: PipelineRun) -> None:
    items = latest_rows(read_table(pipeline_run.paths.lake, "servicenow", "sc_cat_item"))
    hardware = set(items.filter(pl.col("model") != "")["sys_id"].to_list())
    rows = query(
        pipeline_run.paths,
        "select catalogue_item_id, model_id, label_en, label_fr, life_impact, life_impact_min,"
        " life_impact_max, impact_per_year from mart_catalogue_item_impact"
        " where criterion = 'climate_change' and is_default_country",
    )
    assert {row[0] for row in rows if row[1] is not None} == hardware
    services = [row for row in rows if row[1] is None]
    # The metropolis's service items are requested for its services: each has its share.
    assert services and {row[0] for row in services} <= set(items["sys_id"].to_list()) - hardware
    for _, model, english, french, life, low, high, per_year in rows:
        if model is None:
            assert english.endswith(" CO2e per year") and french.endswith(" CO2e par an")
            assert life is None and per_year > 0
            continue
        assert english.startswith("≈ ") and " CO2e over " in english
        assert french.startswith("≈ ") and " CO2e sur " in french
        assert low <= life <= high


def test_budgets_carry_the_intensity_of_the_contracts_they_pay(
    pipeline_run: PipelineRun,
) -> None:
    """The metropolis's service and telecom contracts are computed by money ratio only (0.11
    kgCO2e/EUR for both, factors/data/emission_factors/money_base_carbone.csv): whatever part
    of a contract is paid yet, its payments carry 0.11 kgCO2e per euro."""
    rows = query(
        pipeline_run.paths,
        "select budget_line, kgco2e_per_euro, spend from mart_budget_colour"
        " where status = 'spent' and budget_line in ('service', 'telecom')",
    )
    assert {row[0] for row in rows} == {"service", "telecom"}
    for line, per_euro, spend in rows:
        assert per_euro == pytest.approx(0.11, rel=1e-9), (line, spend)


def test_keep_or_replace_decides_by_the_break_even(pipeline_run: PipelineRun) -> None:
    rows = query(
        pipeline_run.paths,
        "select decision, break_even_years, replacement_lifetime_years"
        " from mart_keep_or_replace where criterion = 'climate_change'",
    )
    assert rows
    for decision, break_even, lifetime in rows:
        keeps = break_even is None or break_even >= lifetime - 1e-9
        assert decision == ("keep" if keeps else "replace")
