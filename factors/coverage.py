"""``empreinte factors coverage``: what the factor set does not cover for the fleet, and how
specific the matches of the published warehouse are.

Two tables, from the published warehouse (read only) and the factor set it was computed with:
per criterion, the embodied stages the set states ``not_covered`` for the fleet's device
categories (and the assets of those categories); per match level, the assets and their
amortised climate-change footprint.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl

from factors.loading import load_factor_set
from factors.schema import CRITERION_UNITS, MATCH_LEVELS, NOT_COVERED

WAREHOUSE_ENV = "EMPREINTE_WAREHOUSE"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
# The pipeline's DuckDB memory limit (pipelines.warehouse.memory_limit): without one, DuckDB
# allows itself 80% of the machine and keeps cached every block of the fact table it reads.
MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT = "EMPREINTE_DUCKDB_MEMORY_LIMIT", "2GB"
EMBODIED_STAGES = ("manufacturing", "distribution", "end_of_life")


def coverage(warehouse: Path | str | None = None) -> str:
    """Stages stated not covered per criterion, then assets and footprint per match level."""
    path = Path(warehouse or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no published warehouse (run the pipeline first)")
    limit = os.environ.get(MEMORY_LIMIT_ENV, "").strip() or DEFAULT_MEMORY_LIMIT
    with duckdb.connect(str(path), read_only=True, config={"memory_limit": limit}) as connection:
        assets = _table(connection, "dim_hardware_assets")
        footprint = _table(connection, "fct_footprint")
        levels = _frame(connection, LEVELS_SQL.format(assets=assets, footprint=footprint))
        categories = _frame(
            connection,
            f"select device_category, count(*) as assets from {assets} "
            "where device_category is not null group by all",
        )
        (factor_set,) = connection.execute(f"select min(factor_set) from {footprint}").fetchone()
    if levels.is_empty():
        return f"no hardware asset in {assets}"
    factors = load_factor_set(factor_set, overrides_dir=None).emission_factors
    uncovered = not_covered_stages(factors, categories)
    return "\n".join([*_not_covered_lines(uncovered, factor_set), "", *_level_lines(levels)])


def not_covered_stages(factors: pl.DataFrame, categories: pl.DataFrame) -> pl.DataFrame:
    """(criterion, device_category, stage, assets) where the set gives no figure for a category
    of the fleet and states it ``not_covered`` (a figure in any data set covers the stage)."""
    rows = factors.filter(
        (pl.col("scope") == "category")
        & pl.col("key").is_in(categories["device_category"].to_list())
        & pl.col("stage").is_in(EMBODIED_STAGES)
    )
    status = rows.group_by("criterion", "key", "stage").agg(
        pl.col("value").is_not_null().any().alias("covered"),
        (pl.col("flag") == NOT_COVERED).any().alias("stated"),
    )
    return (
        status.filter(~pl.col("covered") & pl.col("stated"))
        .rename({"key": "device_category"})
        .join(categories, on="device_category")
        .select("criterion", "device_category", "stage", "assets")
        .sort("criterion", "device_category", "stage")
    )


def _not_covered_lines(uncovered: pl.DataFrame, factor_set: str | None) -> list[str]:
    lines = [
        f"Stages stated not covered by factor set {factor_set} for the fleet's categories",
        f"{'criterion':<22}{'stages':>8}{'assets':>10}  where",
    ]
    order = {criterion: rank for rank, criterion in enumerate(CRITERION_UNITS)}
    for criterion in sorted(set(uncovered["criterion"]), key=order.__getitem__):
        group = uncovered.filter(pl.col("criterion") == criterion)
        assets = group.unique("device_category")["assets"].sum()
        pairs = group.select("device_category", "stage").iter_rows()
        where = ", ".join(f"{category} {stage}" for category, stage in pairs)
        lines.append(f"{criterion:<22}{group.height:>8}{assets:>10}  {where}")
    if uncovered.is_empty():
        lines.append("none")
    return lines


def _level_lines(frame: pl.DataFrame) -> list[str]:
    assets, footprint = frame["assets"].sum(), frame["footprint_kgco2e"].sum() or 0.0
    lines = [f"{'match level':<22}{'assets':>10}{'share':>8}{'kgCO2e':>16}{'share':>8}"]
    for row in frame.iter_rows(named=True):
        value = row["footprint_kgco2e"] or 0.0
        lines.append(
            f"{row['match_level'] or 'unmapped':<22}{row['assets']:>10}"
            f"{row['assets'] / assets:>8.1%}{value:>16,.1f}"
            f"{(value / footprint if footprint else 0):>8.1%}"
        )
    lines.append(f"{'total':<22}{assets:>10}{'':>8}{footprint:>16,.1f}")
    return lines


def _table(connection: duckdb.DuckDBPyConnection, name: str) -> str:
    """The qualified name of a mart, whichever schema the warehouse publishes it in."""
    found = connection.execute(
        "select table_schema from information_schema.tables where table_name = ? "
        "order by table_schema = 'main' desc limit 1",
        [name],
    ).fetchone()
    if found is None:
        raise FileNotFoundError(f"no table {name} in the published warehouse")
    return f'"{found[0]}".{name}'


def _frame(connection: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    result = connection.execute(sql)
    columns = [column[0] for column in result.description]
    return pl.DataFrame(result.fetchall(), schema=columns, orient="row")


_LEVEL_ORDER = " ".join(
    f"when '{level}' then {rank}" for rank, level in enumerate(MATCH_LEVELS, start=1)
)
LEVELS_SQL = (
    """
-- An asset's level is the one of its manufacturing climate factor (dim_hardware_assets, which
-- also lists unmapped assets); its footprint is all its rows, climate change, amortised.
with footprint as (
    select item_id, sum(value) as value
    from {footprint}
    where source_kind = 'hardware_asset' and criterion = 'climate_change'
        and method = 'amortised'
    group by item_id
)
select
    assets.match_level,
    count(*) as assets,
    cast(sum(footprint.value) as double) as footprint_kgco2e
from {assets} as assets
left join footprint on assets.asset_id = footprint.item_id
group by assets.match_level
order by case assets.match_level """
    + _LEVEL_ORDER
    + """ else 99 end
"""
)
