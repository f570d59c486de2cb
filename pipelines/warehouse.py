"""Where the warehouse lives on disk, and how a build is published.

Plain Python (no Dagster): the publish step and the CLI both use it. The build happens in a
separate DuckDB file; publishing checkpoints and closes it, writes the marts as Parquet, then
atomically replaces ``warehouse.duckdb``. Readers that had the old file keep a consistent view,
new readers see the new one, and a failed night leaves the last good warehouse in place.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

# The marts analysts and BI tools read; also written as Parquet beside the warehouse.
MARTS: tuple[str, ...] = (
    "fct_footprint",
    "fct_footprint_yearly",
    "fct_footprint_restatements",
    "fct_footprint_gaps",
    "dim_hardware_assets",
    "dim_reporting_years",
    "dim_towns",
    "dim_locations",
    "dim_cost_centers",
    "dim_departments",
    "dim_models",
    "mart_trajectory",
    "mart_keep_or_replace",
    "mart_scenario_comparison",
    "mart_action_plan_effects",
    "mart_data_quality",
    "mart_catalogue_item_impact",
    "mart_budget_colour",
)
# What is archived per factor set at each publish, so a new edition never erases an old one.
EDITION_MART = "fct_footprint_yearly"
EDITION_SCHEMA = {
    "factor_set": pl.String,
    "reporting_year": pl.Int32,
    "year_status": pl.String,
    "as_of_date": pl.Date,
    "method": pl.String,
    "stage": pl.String,
    "criterion": pl.String,
    "source_kind": pl.String,
    "town_id": pl.String,
    "town_name": pl.String,
    "device_category": pl.String,
    "unit": pl.String,
    "items": pl.Int64,
    "value": pl.Float64,
    "value_min": pl.Float64,
    "value_max": pl.Float64,
    "published_at": pl.Datetime("us"),
}


@dataclass(frozen=True)
class WarehousePaths:
    """The folders and files of one Empreinte installation."""

    data_dir: Path
    warehouse: Path

    @classmethod
    def from_env(cls) -> WarehousePaths:
        """``EMPREINTE_DATA_DIR`` (default ``data``) and ``EMPREINTE_WAREHOUSE``."""
        data_dir = Path(os.environ.get("EMPREINTE_DATA_DIR") or "data").resolve()
        warehouse = os.environ.get("EMPREINTE_WAREHOUSE") or data_dir / "warehouse.duckdb"
        return cls(data_dir=data_dir, warehouse=Path(warehouse).resolve())

    @property
    def lake(self) -> Path:
        return self.data_dir / "lake"

    @property
    def build(self) -> Path:
        return self.data_dir / "build" / "warehouse.build.duckdb"

    @property
    def marts(self) -> Path:
        return self.data_dir / "marts"

    @property
    def editions(self) -> Path:
        return self.data_dir / "editions"

    def dbt_env(self) -> dict[str, str]:
        """The environment dbt reads its inputs and build file from (see dbt_project/)."""
        return {
            "EMPREINTE_LAKE": str(self.lake),
            "EMPREINTE_EDITIONS": str(self.editions),
            "EMPREINTE_BUILD_DB": str(self.build),
        }


def prepare_build(paths: WarehousePaths, *, from_published: bool) -> None:
    """Start a build file: empty for a full build, a copy of the published warehouse when only
    part of the models are rebuilt (so the others are there)."""
    paths.build.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (paths.build, paths.build.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    if from_published and paths.warehouse.exists():
        shutil.copyfile(paths.warehouse, paths.build)
    # dbt reads the editions archive with a glob, which must match at least one file.
    paths.editions.mkdir(parents=True, exist_ok=True)
    schema_file = paths.editions / "_schema.parquet"
    if not schema_file.exists():
        pl.DataFrame(schema=EDITION_SCHEMA).write_parquet(schema_file)


def publish(paths: WarehousePaths) -> dict[str, int]:
    """Publish the build: marts to Parquet, then swap the build file over the warehouse, then
    archive the yearly footprint under its factor set (an earlier set's file stays).

    Returns the row count of each mart. Raises if the build is missing or lacks a mart, leaving
    the published warehouse untouched.
    """
    if not paths.build.exists():
        raise FileNotFoundError(f"no build to publish at {paths.build}")
    paths.marts.mkdir(parents=True, exist_ok=True)
    paths.editions.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    staged: dict[Path, Path] = {}
    with duckdb.connect(str(paths.build)) as connection:
        for mart in MARTS:
            counts[mart] = connection.execute(f"select count(*) from {mart}").fetchall()[0][0]
            temporary = paths.marts / f".{mart}.parquet.tmp"
            connection.execute(f"copy {mart} to '{temporary}' (format parquet, compression zstd)")
            staged[temporary] = paths.marts / f"{mart}.parquet"
        for (factor_set,) in connection.execute(
            f"select distinct factor_set from {EDITION_MART}"
        ).fetchall():
            temporary = paths.editions / f".{edition_file_name(factor_set)}.tmp"
            quoted = factor_set.replace("'", "''")
            connection.execute(
                f"copy (select *, current_localtimestamp() as published_at from {EDITION_MART}"
                f" where factor_set = '{quoted}') to '{temporary}' (format parquet)"
            )
            staged[temporary] = paths.editions / edition_file_name(factor_set)
        connection.execute("checkpoint")
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    os.replace(paths.build, paths.warehouse)
    for temporary, final in staged.items():
        os.replace(temporary, final)
    return counts


def edition_file_name(factor_set: str) -> str:
    """The archive file of a factor set (its name made safe for a file system)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", factor_set) + ".parquet"


def published_factor_sets(paths: WarehousePaths) -> list[str]:
    """The factor sets whose footprint has been published at least once."""
    return sorted(
        path.stem for path in paths.editions.glob("*.parquet") if not path.name.startswith("_")
    )


def connect_read_only(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, as analysts open it."""
    if not paths.warehouse.exists():
        raise FileNotFoundError(
            f"no published warehouse at {paths.warehouse}: run `empreinte demo` or `empreinte run`"
        )
    return duckdb.connect(str(paths.warehouse), read_only=True)
