"""The figures the report and the dashboard show, each read from one mart of the published
warehouse. A function returns a Polars frame; a mart missing from the warehouse (an older
build) gives ``None``, so the section says so instead of failing.

Climate change is the headline criterion (kgCO2e, shown in tCO2e); the amortised convention
is the default method, as in the printed summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import polars as pl

CLIMATE = "climate_change"
DEFAULT_METHOD = "amortised"
# The criteria DESIGN.md names first: the report's headline cards.
MAIN_CRITERIA = ("climate_change", "abiotic_depletion", "primary_energy")


@dataclass(frozen=True)
class Filters:
    """Slices of fct_footprint the dashboard applies (empty: everything)."""

    towns: Sequence[str] = field(default_factory=tuple)
    departments: Sequence[str] = field(default_factory=tuple)
    cost_centers: Sequence[str] = field(default_factory=tuple)
    categories: Sequence[str] = field(default_factory=tuple)
    sources: Sequence[str] = field(default_factory=tuple)
    locations: Sequence[str] = field(default_factory=tuple)

    def where(self) -> tuple[str, list[object]]:
        """A SQL condition on fct_footprint's columns and its parameters."""
        clauses, parameters = ["true"], []
        for column, values in (
            ("town_id", self.towns),
            ("department_id", self.departments),
            ("cost_center_id", self.cost_centers),
            ("device_category", self.categories),
            ("source_kind", self.sources),
            ("location_id", self.locations),
        ):
            if values:
                clauses.append(f"fct_footprint.{column} in ({', '.join('?' for _ in values)})")
                parameters.extend(values)
        return " and ".join(clauses), parameters


def has_table(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the published warehouse holds ``name`` (a table or a view)."""
    return bool(
        connection.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchall()[0][0]
    )


def _frame(
    connection: duckdb.DuckDBPyConnection,
    sql: str,
    parameters: Sequence[object] = (),
    *,
    needs: Sequence[str],
) -> pl.DataFrame | None:
    if not all(has_table(connection, name) for name in needs):
        return None
    return connection.sql(sql, params=list(parameters)).pl()


def total(
    connection: duckdb.DuckDBPyConnection,
    year: int,
    *,
    method: str = DEFAULT_METHOD,
    filters: Filters | None = None,
) -> float:
    """The year's climate footprint (tCO2e) within the filters."""
    where, parameters = (filters or Filters()).where()
    return connection.execute(
        f"select coalesce(sum(value), 0) / 1000 from fct_footprint where reporting_year = ?"
        f" and method = ? and criterion = '{CLIMATE}' and {where}",
        [year, method, *parameters],
    ).fetchall()[0][0]


def choices(connection: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """The values each dashboard filter offers, as (value, label) pairs."""
    queries = {
        "town": "select town_id, town_name from dim_towns order by town_name",
        "department": "select department_id, department_name from dim_departments order by 2",
        "cost_center": "select cost_center_id, cost_center_name from dim_cost_centers order by 2",
        "category": "select distinct device_category, device_category from fct_footprint"
        " where device_category is not null order by 1",
        "source": "select distinct source_kind, source_kind from fct_footprint order by 1",
    }
    return {key: connection.execute(sql).fetchall() for key, sql in queries.items()}


def reporting_years(connection: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every year with a footprint, its status and as-of date, latest first."""
    return connection.sql(
        "select reporting_year, year_status, as_of_date from dim_reporting_years"
        " where reporting_year in (select distinct reporting_year from fct_footprint_yearly)"
        " order by reporting_year desc"
    ).pl()


def latest_complete_year(connection: duckdb.DuckDBPyConnection) -> int:
    """The last complete year (the report's default), else the latest year."""
    years = reporting_years(connection)
    complete = years.filter(pl.col("year_status") == "complete")
    return int((complete if complete.height else years)["reporting_year"][0])


def headline(connection: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    """Per criterion: the year's footprint under the amortised convention with its range, the
    acquisition convention's beside it, the year's status and as-of date."""
    return connection.sql(
        """
        select criterion, unit, any_value(year_status) as year_status,
            any_value(as_of_date) as as_of_date,
            sum(value) filter (where method = 'amortised') as value,
            sum(value_min) filter (where method = 'amortised') as value_min,
            sum(value_max) filter (where method = 'amortised') as value_max,
            sum(value) filter (where method = 'acquisition') as acquisition_value
        from fct_footprint_yearly where reporting_year = ?
        group by criterion, unit
        order by criterion = 'climate_change' desc, criterion
        """,
        params=[year],
    ).pl()


def breakdown(
    connection: duckdb.DuckDBPyConnection,
    year: int,
    dimension: str,
    *,
    method: str = DEFAULT_METHOD,
    filters: Filters | None = None,
) -> pl.DataFrame:
    """The year's climate footprint (tCO2e) by one column of fct_footprint, with its share.

    ``dimension`` is ``town``, ``stage``, ``source_kind``, ``device_category``, ``model``,
    ``department``, ``cost_center``, ``location`` or ``asset``.
    """
    label, join = _DIMENSIONS[dimension]
    where, parameters = (filters or Filters()).where()
    if dimension == "asset":
        where += " and fct_footprint.asset_id is not null"
    return connection.sql(
        f"""
        select {label} as key, coalesce(cast({_NAMES[dimension]} as varchar), '—') as name,
            count(distinct item_id) as items,
            sum(value) / 1000 as tco2e,
            sum(value_min) / 1000 as tco2e_min,
            sum(value_max) / 1000 as tco2e_max,
            sum(value) / sum(sum(value)) over () as share
        from fct_footprint {join}
        where reporting_year = ? and method = ? and criterion = '{CLIMATE}' and {where}
        group by all order by tco2e desc nulls last
        """,
        params=[year, method, *parameters],
    ).pl()


_DIMENSIONS = {
    "town": ("fct_footprint.town_id", "left join dim_towns using (town_id)"),
    "stage": ("stage", ""),
    "source_kind": ("source_kind", ""),
    "device_category": ("fct_footprint.device_category", ""),
    "model": ("fct_footprint.model_id", "left join dim_models using (model_id)"),
    "department": (
        "fct_footprint.department_id",
        "left join dim_departments using (department_id)",
    ),
    "cost_center": (
        "fct_footprint.cost_center_id",
        "left join dim_cost_centers using (cost_center_id)",
    ),
    "location": ("fct_footprint.location_id", "left join dim_locations using (location_id)"),
    # The devices, with the transport and contract shares they bear.
    "asset": (
        "fct_footprint.asset_id",
        "left join dim_hardware_assets as assets on fct_footprint.asset_id = assets.asset_id",
    ),
}
_NAMES = {
    "town": "town_name",
    "stage": "stage",
    "source_kind": "source_kind",
    "device_category": "fct_footprint.device_category",
    "model": "model_name",
    "department": "department_name",
    "cost_center": "cost_center_name",
    "location": "location_name",
    "asset": "concat_ws(' — ', assets.asset_tag, assets.model_name)",
}


def trend(connection: duckdb.DuckDBPyConnection, baseline: int, year: int) -> pl.DataFrame:
    """Climate footprint (tCO2e) per year and method from the baseline to the year, with the
    change against the baseline."""
    return connection.sql(
        f"""
        with yearly as (
            select reporting_year, any_value(year_status) as year_status, method,
                sum(value) / 1000 as tco2e
            from fct_footprint_yearly
            where criterion = '{CLIMATE}' and reporting_year between ? and ?
            group by reporting_year, method
        )
        select *, tco2e / first_value(tco2e) over (
                partition by method order by reporting_year) - 1 as change_since_baseline
        from yearly order by method, reporting_year
        """,
        params=[baseline, year],
    ).pl()


def trajectory(
    connection: duckdb.DuckDBPyConnection, method: str = DEFAULT_METHOD
) -> pl.DataFrame | None:
    """mart_trajectory for climate change: actuals, target path to 2050 and the gap (tCO2e)."""
    return _frame(
        connection,
        f"""
        select reporting_year, year_status, baseline_year, value / 1000 as tco2e,
            target_value / 1000 as target_tco2e, gap_to_target / 1000 as gap_tco2e,
            is_on_track, target_source, target_source_url, target_source_year
        from mart_trajectory where criterion = '{CLIMATE}' and method = ?
        order by reporting_year
        """,
        [method],
        needs=["mart_trajectory"],
    )


def budgets(connection: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame | None:
    """mart_budget_colour for the year: spend, kgCO2e, kgCO2e per euro and colour per cost
    centre and budget line, heaviest first."""
    return _frame(
        connection,
        """
        select cost_center_name, status, expense_type, budget_line, spend, traced_spend,
            kgco2e, kgco2e_per_euro, colour
        from mart_budget_colour where reporting_year = ?
        order by kgco2e desc nulls last, cost_center_name, budget_line
        """,
        [year],
        needs=["mart_budget_colour"],
    )


def services(
    connection: duckdb.DuckDBPyConnection, year: int, method: str = DEFAULT_METHOD, limit: int = 15
) -> pl.DataFrame | None:
    """mart_footprint_by_service: the heaviest services and their per-user impact (kgCO2e)."""
    return _frame(
        connection,
        f"""
        select service_name, company_name, servers, users, value as kgco2e,
            value_per_user as kgco2e_per_user, value_per_request as kgco2e_per_request
        from mart_footprint_by_service
        where reporting_year = ? and method = ? and criterion = '{CLIMATE}'
            and not is_unallocated
        order by value desc, service_name, company_name limit {int(limit)}
        """,
        [year, method],
        needs=["mart_footprint_by_service"],
    )


def catalogue_items(connection: duckdb.DuckDBPyConnection) -> pl.DataFrame | None:
    """mart_catalogue_item_impact: the catalogue items by life impact (kgCO2e), in the
    organisation's country."""
    return _frame(
        connection,
        f"""
        select catalogue_item_id, catalogue_item_name, model_name, device_category, price,
            embodied, annual_use, lifetime_years, impact_per_year, life_impact,
            life_impact_min, life_impact_max, label_fr, label_en
        from mart_catalogue_item_impact
        where criterion = '{CLIMATE}' and is_default_country
        order by life_impact desc nulls last, catalogue_item_name
        """,
        needs=["mart_catalogue_item_impact"],
    )


def transport(
    connection: duckdb.DuckDBPyConnection, year: int, method: str = DEFAULT_METHOD
) -> pl.DataFrame:
    """The year's climate footprint (tCO2e) of every source other than the devices themselves:
    transport, contracts, trips, collected devices."""
    return connection.sql(
        f"""
        select source_kind, sum(items) as items, sum(value) / 1000 as tco2e
        from fct_footprint_yearly
        where reporting_year = ? and method = ? and criterion = '{CLIMATE}'
            and source_kind <> 'hardware_asset'
        group by source_kind order by tco2e desc
        """,
        params=[year, method],
    ).pl()


def end_of_life(connection: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame | None:
    """mart_end_of_life for the year: items leaving the fleet or handed in at collection
    points, by origin and outcome, and the share given a second life."""
    return _frame(
        connection,
        """
        select origin, outcome, is_second_life, sum(items) as items,
            sum(end_of_life_amortised_kgco2e) as end_of_life_kgco2e
        from mart_end_of_life where reporting_year = ?
        group by all order by origin, items desc
        """,
        [year],
        needs=["mart_end_of_life"],
    )


def keep_or_replace(connection: duckdb.DuckDBPyConnection, limit: int = 15) -> pl.DataFrame | None:
    """mart_keep_or_replace for climate change: the largest cohorts, their decision and
    break-even."""
    return _frame(
        connection,
        f"""
        select model_name, device_category, acquired_year, assets, age_years,
            replacement_model_name, embodied_avoided_per_year, use_saving_per_year,
            net_saving_of_keeping, break_even_years, decision
        from mart_keep_or_replace where criterion = '{CLIMATE}'
        order by assets desc, model_name, acquired_year limit {int(limit)}
        """,
        needs=["mart_keep_or_replace"],
    )


def match_levels(connection: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Assets per factor match level (dim_hardware_assets), with the share."""
    return connection.sql(
        "select match_level, count(*) as assets, count(*) / sum(count(*)) over () as share"
        " from dim_hardware_assets group by all order by assets desc"
    ).pl()


def data_quality(connection: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame | None:
    """mart_data_quality for the year: rejected rows and what the footprint rests on."""
    return _frame(
        connection,
        """
        select measure, source_name, table_name, detail, sum(value) as value, unit,
            sum(share_of_footprint) as share_of_footprint
        from mart_data_quality where reporting_year = ?
            and measure not in ('landed_rows', 'delete_markers')
        group by all order by measure, value desc
        """,
        [year],
        needs=["mart_data_quality"],
    )


def scenario(
    connection: duckdb.DuckDBPyConnection, name: str, method: str = DEFAULT_METHOD
) -> pl.DataFrame | None:
    """mart_scenario_comparison for one scenario, climate change (tCO2e)."""
    return _frame(
        connection,
        f"""
        select scenario_title, reporting_year, year_status, baseline_value / 1000 as baseline_tco2e,
            scenario_value / 1000 as scenario_tco2e, difference / 1000 as difference_tco2e,
            difference_ratio
        from mart_scenario_comparison
        where scenario_name = ? and method = ? and criterion = '{CLIMATE}'
        order by reporting_year
        """,
        [name, method],
        needs=["mart_scenario_comparison"],
    )
