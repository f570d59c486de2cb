"""Where the warehouse lives on disk, and how it is opened.

Plain Python (no Dagster): the pipeline, the publish step and the CLI all use it. dbt builds a
separate DuckDB file; publishing (``pipelines.published``) turns a checked build into a
read-only published version and points ``warehouse.duckdb``, ``marts/`` and ``editions/`` at it.
Everything that reads the published warehouse goes through `connect_read_only`.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

# How many published versions are kept (pipelines/published.py).
KEEP_VARIABLE = "EMPREINTE_KEEP_PUBLISHED"
# The schema the published file holds (dbt's marts and the BI views); nothing else is published.
PUBLISHED_SCHEMA = "marts"
# Beside it, what fct_footprint's rows were computed from, for the next night's incremental
# build (dbt_project/macros/incremental_footprint.sql); kept in the file, not exported.
INCREMENTAL_STATE_SCHEMA = "incremental_state"
# The marts a build must hold to be published; every relation of the schema is published.
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
    "mart_footprint_by_source",
    "mart_footprint_by_service",
    "mart_end_of_life",
    "dim_services",
    "dim_contracts",
    "dim_travel_modes",
    "dim_factors",
    "fct_footprint_inputs",
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
MEMORY_LIMIT_VARIABLE = "EMPREINTE_DUCKDB_MEMORY_LIMIT"
# Keeps a whole night under 4 GiB (Dagster and dbt's Python beside DuckDB); DuckDB spills beyond
# it. Measured in docs/performance.md.
DEFAULT_MEMORY_LIMIT = "2GB"
# A reader gets no file, network or extension access, and cannot change that. DuckDB shares one
# database instance among a process's connections to a file, so the configuration is locked as
# the first one opens: a second reader then finds it as it would have set it.
READER_CONFIG = {
    "access_mode": "READ_ONLY",
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


@dataclass(frozen=True)
class WarehousePaths:
    """The folders and files of one Empreinte installation."""

    data_dir: Path
    warehouse: Path

    @classmethod
    def from_env(cls) -> WarehousePaths:
        """``EMPREINTE_DATA_DIR`` (default ``data``) and ``EMPREINTE_WAREHOUSE``."""
        return cls.at(Path(os.environ.get("EMPREINTE_DATA_DIR") or "data"))

    @classmethod
    def at(cls, data_dir: Path) -> WarehousePaths:
        """The paths of ``data_dir``, the published file from ``EMPREINTE_WAREHOUSE`` if set."""
        data_dir = data_dir.resolve()
        warehouse = os.environ.get("EMPREINTE_WAREHOUSE") or data_dir / "warehouse.duckdb"
        return cls(data_dir=data_dir, warehouse=Path(warehouse).absolute())

    @property
    def lake(self) -> Path:
        return self.data_dir / "lake"

    @property
    def build(self) -> Path:
        """The build file, named like the published one so DuckDB gives both one catalog name."""
        return self.data_dir / "build" / self.warehouse.name

    @property
    def internal(self) -> Path:
        """The build's working layers (staging views, intermediate tables, seeds): a DuckDB
        file beside the build that is never published, kept until the next full build for
        inspection and for partial builds."""
        return self.data_dir / "build" / "internal.duckdb"

    @property
    def dbt_target(self) -> Path:
        """The nightly dbt run's artefacts (manifest, run_results.json, dbt.log), reused night
        after night: a later night parses only what changed."""
        return self.data_dir / "build" / "dbt"

    @property
    def temp_directory(self) -> Path:
        """Where DuckDB spills what does not fit in ``memory_limit`` while building."""
        return self.data_dir / "build" / "tmp"

    @property
    def published(self) -> Path:
        """The published versions, one folder each (see ``pipelines.published``)."""
        return self.data_dir / "published"

    @property
    def marts(self) -> Path:
        """The current version's Parquet marts (a link swapped at each publish)."""
        return self.data_dir / "marts"

    @property
    def editions(self) -> Path:
        """The yearly footprint archived per factor set (a link swapped at each publish)."""
        return self.data_dir / "editions"

    @property
    def quality(self) -> Path:
        """Great Expectations results, one folder per run."""
        return self.data_dir / "quality"

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance of the CLI's runs, `make dev` and the schedule."""
        return self.data_dir / "dagster"


def memory_limit() -> str:
    """DuckDB's ``memory_limit`` for builds, publishing and readers (default 2GB)."""
    return os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip() or DEFAULT_MEMORY_LIMIT


def connect_build(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """The read-write connection to the build file (only the writer holding the lock opens it)."""
    paths.temp_directory.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(
        str(paths.build),
        config={"memory_limit": memory_limit(), "temp_directory": str(paths.temp_directory)},
    )


def connect_within_limit(database: Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to one of the pipeline's own DuckDB files (a build, a scenario's file)
    within ``memory_limit``. Without it DuckDB allows itself 80% of the machine's memory and
    keeps every block a query reads cached until that is full: at L, the quality gates' scans of
    the 29 GB fact table held 18 GiB (docs/performance-log.md, L)."""
    return duckdb.connect(
        str(database), read_only=read_only, config={"memory_limit": memory_limit()}
    )


def prepare_build(paths: WarehousePaths, *, from_published: bool) -> None:
    """Start a build: empty for a full build; otherwise a copy of the published warehouse and
    the last build's internal layers (the models not rebuilt are there; fct_footprint keeps the
    rows whose inputs did not change)."""
    paths.build.parent.mkdir(parents=True, exist_ok=True)
    leftovers = [paths.build] + ([] if from_published else [paths.internal])
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
        leftover.with_name(leftover.name + ".wal").unlink(missing_ok=True)
    shutil.rmtree(paths.temp_directory, ignore_errors=True)
    check_free_disk(paths)
    if from_published and paths.warehouse.exists():
        shutil.copyfile(paths.warehouse, paths.build)
    # dbt reads the editions archive with a glob, which must match at least one file.
    if not paths.editions.exists():
        paths.editions.mkdir(parents=True)
        pl.DataFrame(schema=EDITION_SCHEMA).write_parquet(paths.editions / "_schema.parquet")


class DiskSpaceError(RuntimeError):
    """Not enough free disk for tonight's build and publish."""


def check_free_disk(paths: WarehousePaths) -> None:
    """Raise DiskSpaceError, before anything is written, when the disk under the build has less
    free space than tonight needs beside the published version: a warehouse file as large as
    the published one (a copy of it, or a full build), then its Parquet marts at publish. A
    disk filled halfway through a night stops whatever else writes there too (Dagster's own
    storage among them); DuckDB's spills come on top and are not counted. Nothing to compare
    with before the first publish."""
    if not paths.warehouse.exists():
        return
    warehouse = paths.warehouse.stat().st_size
    marts = sum(path.stat().st_size for path in paths.marts.glob("*.parquet"))
    free = shutil.disk_usage(paths.build.parent).free
    if free < warehouse + marts:
        free_gb, warehouse_gb, marts_gb = (size / 1e9 for size in (free, warehouse, marts))
        raise DiskSpaceError(
            f"not enough free disk for tonight's build under {paths.build.parent}: "
            f"{free_gb:,.1f} GB free, about {warehouse_gb + marts_gb:,.1f} GB needed (the "
            f"warehouse, {warehouse_gb:,.1f} GB published, built again beside it, then its "
            f"Parquet marts, {marts_gb:,.1f} GB). The published warehouse is unchanged. Free "
            f"space there, keep fewer published versions ({KEEP_VARIABLE}) or move the data "
            "folder (EMPREINTE_DATA_DIR) to a larger disk."
        )


def sqlalchemy_url(paths: WarehousePaths) -> str:
    """The published warehouse's SQLAlchemy URL (``duckdb-engine``), read-only and without
    external access, within ``memory_limit``, as Superset and other SQLAlchemy-based tools
    open it."""
    config = {**READER_CONFIG, "memory_limit": memory_limit()}
    query = "&".join(f"{name}={str(value).lower()}" for name, value in config.items())
    return f"duckdb:///{paths.warehouse}?{query}"


def connect_read_only(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, as analysts and BI tools open it.

    The marts' schema is on the search path (``select ... from fct_footprint`` works). The
    connection cannot write, read or write files (``COPY ... TO``, ``read_csv``, ``ATTACH``),
    install or load extensions, nor change those settings. Several may be open at once in one
    process (they share DuckDB's database instance); closing one leaves the others open.
    """
    if not paths.warehouse.exists():
        raise FileNotFoundError(
            f"no published warehouse at {paths.warehouse}: run `empreinte demo` or `empreinte run`"
        )
    connection = duckdb.connect(
        str(paths.warehouse), config={**READER_CONFIG, "memory_limit": memory_limit()}
    )
    schemas = connection.execute(
        "select count(*) from duckdb_schemas() where schema_name = ?", [PUBLISHED_SCHEMA]
    ).fetchall()[0][0]
    if schemas:  # a warehouse published before the marts had their schema has none
        connection.execute(f"set search_path = '{PUBLISHED_SCHEMA}'")  # per connection
    return connection
