"""Where the warehouse lives on disk, and how a build is published.

Plain Python (no Dagster): the publish step and the CLI both use it. The build happens in a
separate DuckDB file; publishing checkpoints and closes it, writes the marts as Parquet, then
atomically replaces ``warehouse.duckdb``. Readers that had the old file keep a consistent view,
new readers see the new one, and a failed night leaves the last good warehouse in place.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

# The marts analysts and BI tools read; also written as Parquet beside the warehouse.
MARTS: tuple[str, ...] = ("fct_footprint", "dim_hardware_assets")


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

    def dbt_env(self) -> dict[str, str]:
        """The environment dbt reads its lake and build file from (see dbt_project/)."""
        return {"EMPREINTE_LAKE": str(self.lake), "EMPREINTE_BUILD_DB": str(self.build)}


def prepare_build(paths: WarehousePaths, *, from_published: bool) -> None:
    """Start a build file: empty for a full build, a copy of the published warehouse when only
    part of the models are rebuilt (so the others are there)."""
    paths.build.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (paths.build, paths.build.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    if from_published and paths.warehouse.exists():
        shutil.copyfile(paths.warehouse, paths.build)


def publish(paths: WarehousePaths) -> dict[str, int]:
    """Publish the build: marts to Parquet, then swap the build file over the warehouse.

    Returns the row count of each mart. Raises if the build is missing or lacks a mart, leaving
    the published warehouse untouched.
    """
    if not paths.build.exists():
        raise FileNotFoundError(f"no build to publish at {paths.build}")
    paths.marts.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    staged: dict[Path, Path] = {}
    with duckdb.connect(str(paths.build)) as connection:
        for mart in MARTS:
            counts[mart] = connection.execute(f"select count(*) from {mart}").fetchall()[0][0]
            temporary = paths.marts / f".tmp-{mart}.parquet"
            connection.execute(f"copy {mart} to '{temporary}' (format parquet, compression zstd)")
            staged[temporary] = paths.marts / f"{mart}.parquet"
        connection.execute("checkpoint")
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    os.replace(paths.build, paths.warehouse)
    for temporary, final in staged.items():
        os.replace(temporary, final)
    return counts


def connect_read_only(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, as analysts open it."""
    if not paths.warehouse.exists():
        raise FileNotFoundError(
            f"no published warehouse at {paths.warehouse}: run `empreinte demo` or `empreinte run`"
        )
    return duckdb.connect(str(paths.warehouse), read_only=True)
