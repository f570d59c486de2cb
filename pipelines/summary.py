"""The summary `empreinte demo` and `empreinte run` print from the published warehouse."""

from __future__ import annotations

import duckdb
import polars as pl

# Climate change under the amortised convention is the headline figure; the acquisition total
# is shown beside it per year.
HEADLINE = "criterion = 'climate_change'"


def footprint_summary(connection: duckdb.DuckDBPyConnection, *, years: int = 5) -> str:
    """Footprint per town and year (tCO2e), totals per method, top categories and coverage."""
    latest = connection.execute(
        "select max(reporting_year) from climate_footprint_yearly where stage = 'use'"
        # Contracts are spread over their whole term: the devices' use says which years are run.
        " and source_kind = 'hardware_asset'"
    ).fetchall()[0][0]
    if latest is None:
        return "The published warehouse holds no footprint yet."
    first = latest - years + 1
    status = connection.execute(
        "select year_status, as_of_date from dim_reporting_years where reporting_year = ?",
        [latest],
    ).fetchall()
    to_date = f" ({latest} to {status[0][1]})" if status and status[0][0] != "complete" else ""
    by_town = connection.sql(
        f"""
        pivot (
            select town_name as town, reporting_year, tco2e
            from climate_footprint_yearly
            where method = 'amortised'
                and reporting_year between {first} and {latest}
        )
        on reporting_year using round(sum(tco2e), 1) group by town order by town
        """
    ).pl()
    totals = connection.sql(
        f"""
        pivot (
            select method, reporting_year, tco2e
            from climate_footprint_yearly
            where reporting_year between {first} and {latest}
        )
        on reporting_year using round(sum(tco2e), 1) group by method order by method
        """
    ).pl()
    categories = connection.sql(
        f"""
        select
            device_category as category,
            count(distinct item_id) as assets,
            round(sum(value) / 1000, 1) as tco2e,
            round(100 * sum(value) / sum(sum(value)) over (), 1) as percent
        from fct_footprint
        where {HEADLINE} and method = 'amortised' and reporting_year = {latest}
            and source_kind = 'hardware_asset'
        group by all order by tco2e desc limit 8
        """
    ).pl()
    restated = connection.sql(
        f"""
        select published_factor_set, factor_set, reporting_year as year, method,
            round(published_value / 1000, 1) as published_tco2e,
            round(value / 1000, 1) as restated_tco2e
        from fct_footprint_restatements
        where {HEADLINE} and reporting_year between {first} and {latest}
        order by published_factor_set, year, method
        """
    ).pl()
    by_source = connection.sql(
        f"""
        pivot (
            select source_kind as source, reporting_year, value / 1000 as tco2e
            from mart_footprint_by_source
            where {HEADLINE} and method = 'amortised'
                and reporting_year between {first} and {latest}
        )
        on reporting_year using round(sum(tco2e), 1) group by source order by source
        """
    ).pl()
    money_share = connection.execute(
        f"""
        select round(100 * sum(value) filter (where calculation_method = 'money_ratio')
            / nullif(sum(value), 0), 1)
        from mart_footprint_by_source
        where {HEADLINE} and method = 'amortised' and reporting_year = {latest}
        """
    ).fetchall()[0][0]
    coverage = connection.sql(
        "select match_level, count(*) as assets from dim_hardware_assets"
        " group by all order by assets desc"
    ).pl()
    # The stock "Computer" category: how each asset was decided laptop or desktop.
    computers = connection.sql(
        "select category_source as decided_by, device_category, count(*) as assets"
        " from dim_hardware_assets where category_source in ('form_factor', 'model_name',"
        " 'default') group by all order by decided_by, device_category"
    ).pl()
    sections = [
        f"Footprint per town, climate change, amortised (tCO2e), {first}-{latest}"
        f"{to_date}:\n{_table(by_town)}",
        f"Total per accounting method (tCO2e):\n{_table(totals)}",
        f"Footprint per source, climate change, amortised (tCO2e); {money_share or 0}% of"
        f" {latest} rests on money ratios:\n{_table(by_source)}",
        f"Top categories in {latest} (the devices themselves, amortised, tCO2e):"
        f"\n{_table(categories)}",
        f"Assets per factor match level:\n{_table(coverage)}",
    ]
    if computers.height:
        sections.append(f"Computers decided laptop or desktop, by:\n{_table(computers)}")
    if restated.height:
        sections.append(
            "Restated: these years were published before under another factor set"
            f" (tCO2e):\n{_table(restated)}"
        )
    return "\n\n".join(sections)


def _table(frame: pl.DataFrame) -> str:
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        tbl_formatting="ASCII_MARKDOWN",
        fmt_str_lengths=40,
        thousands_separator=" ",
    ):
        return str(frame)


def headline_figures(connection: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The figures a publish is judged by: the number of assets, and climate change (tCO2e)
    per method for the as-of year (to date) and the year before."""
    figures: dict[str, float] = {
        "assets": connection.execute("select count(*) from dim_hardware_assets").fetchall()[0][0]
    }
    for method, year, tco2e in connection.execute(
        """
        select method, reporting_year, round(sum(tco2e), 1)
        from climate_footprint_yearly
        where reporting_year between extract(year from as_of_date) - 1
            and extract(year from as_of_date)
        group by all order by all
        """
    ).fetchall():
        figures[f"tco2e_{method}_{year}"] = tco2e
    return figures


def changes(current: dict[str, float], previous: dict[str, float]) -> dict[str, float]:
    """The relative change (percent) of each figure present in both."""
    return {
        f"{name}_change_percent": round(100 * (value - previous[name]) / previous[name], 1)
        for name, value in current.items()
        if previous.get(name)
    }
