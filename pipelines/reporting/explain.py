"""`empreinte explain ASSET_OR_ITEM`: how a figure was computed, in words, with the numbers
the models used put in. Every number is read from the published marts (fct_footprint with its
inputs in fct_footprint_inputs and its factors in dim_factors; mart_catalogue_item_impact);
nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import polars as pl

from pipelines.reporting.figures import CLIMATE, has_table, latest_complete_year
from pipelines.reporting.messages import number, translator

# The inputs of each embodied row: its factor's value × the share booked to the year.
_EMBODIED = """
select footprint.stage, footprint.method, footprint.value, footprint.unit, footprint.factor_id,
    footprint.match_level, footprint.factor_fallback, factors.value as factor_value,
    inputs.share
from fct_footprint as footprint
inner join fct_footprint_inputs as inputs
    on footprint.item_id = inputs.asset_id and footprint.reporting_year = inputs.reporting_year
    and footprint.method = inputs.method and footprint.stage = inputs.stage
inner join dim_factors as factors
    on footprint.factor_id = factors.factor_id and footprint.factor_set = factors.factor_set
where footprint.source_kind = 'hardware_asset' and footprint.stage <> 'use'
    and footprint.item_id = ? and footprint.reporting_year = ? and footprint.criterion = ?
order by footprint.method, footprint.stage
"""
# The inputs of each use row: annual energy × PUE × share of the year in use × grid intensity.
_USE = """
select footprint.method, footprint.value, footprint.unit, footprint.factor_id,
    footprint.match_level, footprint.factor_fallback, footprint.energy_parameter_id,
    footprint.pue_parameter_id, inputs.annual_energy_kwh, inputs.pue, inputs.year_share,
    grid.value as grid_value
from fct_footprint as footprint
inner join fct_footprint_inputs as inputs
    on footprint.item_id = inputs.asset_id and footprint.reporting_year = inputs.reporting_year
    and footprint.method = inputs.method and footprint.stage = inputs.stage
inner join dim_factors as grid
    on footprint.factor_id = grid.factor_id and footprint.factor_set = grid.factor_set
where footprint.source_kind = 'hardware_asset' and footprint.stage = 'use'
    and footprint.item_id = ? and footprint.reporting_year = ? and footprint.criterion = ?
order by footprint.method
"""


def explain(
    connection: duckdb.DuckDBPyConnection,
    key: str,
    *,
    year: int | None = None,
    criterion: str = CLIMATE,
    language: str = "en",
) -> str:
    """The explanation of an asset (`alm_hardware` sys_id) or a catalogue item (`sc_cat_item`
    sys_id or exact name) as printable text. Raises ``KeyError`` when it is neither."""
    t = translator(language)
    asset = connection.sql(
        """
        select * from dim_hardware_assets where asset_id = ? or asset_tag = ?
        """,
        params=[key, key],
    ).pl()
    if asset.height:
        year = year or latest_complete_year(connection)
        return _explain_asset(connection, asset.row(0, named=True), year, criterion, t, language)
    if has_table(connection, "mart_catalogue_item_impact"):
        items = connection.sql(
            "select * from mart_catalogue_item_impact where (catalogue_item_id = ? or"
            " catalogue_item_name = ?) and criterion = ? order by not is_default_country,"
            " country_code",
            params=[key, key, criterion],
        ).pl()
        if items.height:
            return _explain_item(items, t, language)
    raise KeyError(t("explain_unknown", key=key))


def _explain_asset(
    connection: duckdb.DuckDBPyConnection,
    asset: dict,
    year: int,
    criterion: str,
    t: Callable[..., str],
    language: str,
) -> str:
    def n(value: float | None, digits: int = 2) -> str:
        return number(value, language, digits)

    disposed = t("explain_disposed", day=asset["disposed_on"]) if asset["disposed_on"] else ""
    status = connection.execute(
        "select year_status from dim_reporting_years where reporting_year = ?", [year]
    ).fetchall()
    lines = [
        t(
            "explain_asset",
            asset=asset["asset_id"],
            category=asset["device_category"],
            model=asset["model_name"] or "—",
            acquired=asset["acquired_on"],
            lifetime=n(asset["lifetime_years"], 1),
            lifetime_source=asset["lifetime_source"],
            window_end=asset["window_ends_on"],
            disposed=disposed,
        ),
        t(
            "explain_place",
            town=asset["town_name"] or "—",
            location=asset["location_name"] or "—",
            data_centre=t("explain_data_centre") if asset["is_in_data_centre"] else "",
        ),
        "",
        t(
            "explain_year",
            year=year,
            status=t(f"status_{status[0][0]}") if status else "—",
            criterion=criterion,
        ),
    ]
    arguments = [asset["asset_id"], year, criterion]
    embodied = connection.sql(_EMBODIED, params=arguments).pl()
    use = connection.sql(_USE, params=arguments).pl()
    for row in embodied.iter_rows(named=True):
        lines.append(
            "  "
            + t(
                "explain_embodied",
                stage=row["stage"],
                method=t(f"method_{row['method']}"),
                factor=row["factor_id"],
                factor_value=n(row["factor_value"]),
                unit=row["unit"],
                match_level=row["match_level"],
                share=n(row["share"], 4),
                value=n(row["value"]),
            )
        )
        lines.extend(_fallback(row, t))
    for row in use.iter_rows(named=True):
        lines.append(
            "  "
            + t(
                "explain_use",
                method=t(f"method_{row['method']}"),
                energy=n(row["annual_energy_kwh"], 1),
                pue=n(row["pue"]),
                year_share=n(row["year_share"], 4),
                factor=row["factor_id"],
                grid=n(row["grid_value"], 4),
                unit=row["unit"],
                match_level=row["match_level"],
                value=n(row["value"]),
            )
        )
        lines.extend(_fallback(row, t))
    other_lines, other_factors = _other_sources(
        connection, asset["asset_id"], year, criterion, t, language
    )
    lines.extend(other_lines)
    totals = connection.execute(
        "select method, unit, sum(value), sum(value_min), sum(value_max) from fct_footprint"
        f" where {_asset_rows(connection)} and reporting_year = ? and criterion = ?"
        " group by method, unit order by method",
        arguments,
    ).fetchall()
    if not totals:
        lines.append("  " + t("explain_no_rows", year=year))
    for method, unit, value, low, high in totals:
        lines.append(
            t(
                "explain_total",
                method=t(f"method_{method}"),
                value=n(value),
                unit=unit,
                low=n(low),
                high=n(high),
            )
        )
    factor_ids = sorted(
        {*embodied["factor_id"], *use["factor_id"], *use["energy_parameter_id"].drop_nulls()}
        | set(use["pue_parameter_id"].drop_nulls())
        | set(other_factors)
    )
    lines.extend(_factor_sources(connection, factor_ids, t))
    return "\n".join(lines)


def _asset_rows(connection: duckdb.DuckDBPyConnection) -> str:
    """The rows borne by an asset: its own, and (where fct_footprint has `asset_id`) the shares
    of transports and contracts attributed to it."""
    columns = {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns where table_name = 'fct_footprint'"
        ).fetchall()
    }
    return "coalesce(asset_id, item_id) = ?" if "asset_id" in columns else "item_id = ?"


def _other_sources(
    connection: duckdb.DuckDBPyConnection,
    asset_id: str,
    year: int,
    criterion: str,
    t: Callable[..., str],
    language: str,
) -> tuple[list[str], list[str]]:
    rows = connection.sql(
        "select source_kind, stage, method, value, unit, factor_id, match_level, factor_fallback"
        f" from fct_footprint where {_asset_rows(connection)} and reporting_year = ?"
        " and criterion = ? and source_kind <> 'hardware_asset' order by source_kind, method",
        params=[asset_id, year, criterion],
    ).pl()
    lines = []
    for row in rows.iter_rows(named=True):
        lines.append(
            "  "
            + t(
                "explain_other",
                source_kind=row["source_kind"],
                stage=row["stage"],
                method=t(f"method_{row['method']}"),
                value=number(row["value"], language, 2),
                unit=row["unit"],
                factor=row["factor_id"],
                match_level=row["match_level"],
            )
        )
        lines.extend(_fallback(row, t))
    return lines, [factor for factor in rows["factor_id"] if factor]


def _fallback(row: dict, t: Callable[..., str]) -> list[str]:
    return (
        [t("explain_fallback", fallback=row["factor_fallback"])] if row["factor_fallback"] else []
    )


def _factor_sources(
    connection: duckdb.DuckDBPyConnection, factor_ids: list[str], t: Callable[..., str]
) -> list[str]:
    """Each factor or parameter with its source and edition (dim_factors)."""
    if not factor_ids:
        return []
    marks = ", ".join("?" for _ in factor_ids)
    rows = connection.sql(
        "select factor_id as id, source_title, source_url, source_year, data_set, edition,"
        f" valid_from, valid_to from dim_factors where factor_id in ({marks}) order by id",
        params=factor_ids,
    ).pl()
    lines = ["", t("explain_factors")]
    for row in rows.unique("id", keep="first", maintain_order=True).iter_rows(named=True):
        lines.append(
            "  "
            + t(
                "explain_factor",
                factor=row["id"],
                source=row["source_title"],
                year=row["source_year"],
                url=row["source_url"] or "—",
                data_set=row["data_set"],
                edition=row["edition"] or "—",
                valid_from=row["valid_from"] or "—",
                valid_to=row["valid_to"] or "—",
            )
        )
    return lines


def _explain_item(items: pl.DataFrame, t: Callable[..., str], language: str) -> str:
    def n(value: float | None, digits: int = 2) -> str:
        return number(value, language, digits)

    lines = []
    for row in items.iter_rows(named=True):
        lines += [
            t(
                "explain_item",
                name=row["catalogue_item_name"],
                item=row["catalogue_item_id"],
                model=row["model_name"],
                category=row["device_category"],
                country=row["country_code"],
            ),
            "  "
            + t(
                "explain_item_embodied",
                manufacturing=n(row["manufacturing"]),
                distribution=n(row["distribution"]),
                end_of_life=n(row["end_of_life"]),
                embodied=n(row["embodied"]),
                unit=row["unit"],
            ),
            "  "
            + t(
                "explain_item_year",
                embodied=n(row["embodied"]),
                lifetime=n(row["lifetime_years"], 1),
                annual_use=n(row["annual_use"]),
                per_year=n(row["impact_per_year"]),
                unit=row["unit"],
            ),
            "  "
            + t(
                "explain_item_life",
                embodied=n(row["embodied"]),
                annual_use=n(row["annual_use"]),
                lifetime=n(row["lifetime_years"], 1),
                life=n(row["life_impact"]),
                unit=row["unit"],
                low=n(row["life_impact_min"]),
                high=n(row["life_impact_max"]),
                label=row[f"label_{language}"] or "—",
            ),
        ]
    return "\n".join(lines)
