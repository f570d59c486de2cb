"""The BI views of the published warehouse agree with the marts they read, and the wide view
has a column for every criterion the factor library knows, named with its unit."""

from __future__ import annotations

import pytest

from factors.loading import default_factor_set_name
from factors.schema import CRITERION_UNITS
from pipelines.warehouse import connect_read_only
from tests.pipeline.conftest import AS_OF, PipelineRun

METHODS = ("amortised", "acquisition")
# How a unit reads at the end of a column name of the wide view.
UNIT_SUFFIXES = {
    "kgCO2e": "kgco2e",
    "kgSbe": "kgsbe",
    "MJ": "mj",
    "molH+e": "mol_h_eq",
    "CTUe": "ctue",
    "CTUh": "ctuh",
    "kgPe": "kgpe",
    "kgNe": "kgne",
    "molNe": "molne",
    "kBqU235e": "kbqu235e",
    "pt": "pt",
    "kgCFC11e": "kgcfc11e",
    "disease_incidence": "disease_incidence",
    "kgNMVOCe": "kgnmvoce",
    "m3e": "m3e",
    "kg": "kg",
}
# The columns of the wide view that are not criteria.
KEYS = (
    "reporting_year",
    "year_status",
    "as_of_date",
    "method",
    "stage",
    "source_kind",
    "town_id",
    "town_name",
    "device_category",
    "factor_set",
)


@pytest.fixture(scope="module")
def published(pipeline_run: PipelineRun):
    assert pipeline_run.success
    with connect_read_only(pipeline_run.paths) as connection:
        yield connection


def test_the_wide_view_has_one_column_per_criterion(published) -> None:
    """A criterion the factor library adds needs its column (and its unit's suffix here)."""
    columns = {
        name
        for (name,) in published.execute(
            "select column_name from duckdb_columns() where table_name = 'footprint_yearly_wide'"
        ).fetchall()
    }
    expected = {f"{criterion}_{UNIT_SUFFIXES[unit]}" for criterion, unit in CRITERION_UNITS.items()}
    assert expected <= columns
    assert len(columns - expected) == len(KEYS)


def test_the_wide_view_sums_to_the_long_table(published) -> None:
    long = dict(
        published.execute(
            "select criterion || '|' || method, sum(value) from fct_footprint_yearly group by all"
        ).fetchall()
    )
    for method in METHODS:
        wide = published.execute(
            "select sum(climate_change_kgco2e), sum(primary_energy_mj)"
            " from footprint_yearly_wide where method = ?",
            [method],
        ).fetchall()[0]
        assert wide[0] == pytest.approx(long[f"climate_change|{method}"], rel=1e-9)
        assert wide[1] == pytest.approx(long[f"primary_energy|{method}"], rel=1e-9)


def test_the_climate_view_is_the_yearly_climate_in_tonnes(published) -> None:
    rows = published.execute(
        """
        select climate.reporting_year, climate.method, climate.tco2e * 1000, yearly.kgco2e,
            climate.year_status, climate.as_of_date
        from (
            select reporting_year, method, sum(tco2e) as tco2e,
                any_value(year_status) as year_status, any_value(as_of_date) as as_of_date
            from climate_footprint_yearly group by all
        ) as climate
        inner join (
            select reporting_year, method, sum(value) as kgco2e from fct_footprint_yearly
            where criterion = 'climate_change' group by all
        ) as yearly using (reporting_year, method)
        """
    ).fetchall()
    assert len(rows) > 10
    for year, _method, tonnes_in_kg, kgco2e, status, as_of in rows:
        assert tonnes_in_kg == pytest.approx(kgco2e, rel=1e-9)
        assert as_of == AS_OF
        expected = (
            "complete"
            if year < AS_OF.year
            else ("year_to_date" if year == AS_OF.year else "future")
        )
        assert status == expected, year


def test_the_warehouse_says_when_and_as_of_which_day_it_was_published(published) -> None:
    as_of, factor_set, run_id, published_at, version = published.execute(
        "select as_of_date, factor_set, run_id, published_at, published_version"
        " from warehouse_metadata"
    ).fetchall()[0]
    assert as_of == AS_OF and factor_set == default_factor_set_name()
    assert run_id and published_at is not None
    assert version == published_at.strftime("%Y%m%dT%H%M%S%fZ")
