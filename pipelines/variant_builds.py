"""Scratch builds for scenarios and what-ifs: the same dbt models as the nightly build, with a
scenario's levers (or a what-if's lake), into files beside the published warehouse.

Nothing here computes a footprint: it runs dbt into ``<data>/scenarios/work/`` and archives
the yearly totals of each variant (``baseline`` and ``scenario``), which the dbt model
``mart_scenario_comparison`` compares. The published warehouse is never opened for writing.

Layout of ``<data>/scenarios/``:

- ``runs/<scenario>/<run>.parquet``: each run of a named scenario, both variants' yearly
  totals; the nightly build reads them (the comparison and the action plans).
- ``what-if/<run>/``: a what-if's two lakes, its run and its comparison, kept for reference.
- ``scenarios.duckdb`` and ``mart_scenario_comparison.parquet``: the latest comparison of every
  scenario, for SQL and BI tools (open it read-only).
- ``work/``: scratch builds; the baseline is reused while the lake, the as-of date and the
  configuration are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.config_file import configured_dbt_vars
from pipelines.warehouse import (
    MEMORY_LIMIT_VARIABLE,
    WarehousePaths,
    connect_within_limit,
    memory_limit,
)

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
# The dbt installed beside this Python, so every build runs without an activated environment
# (dagster-dbt would otherwise run the `dbt` on PATH).
DBT_EXECUTABLE = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
# dbt's own variable for the level of its log file. At dbt's default, debug, the file holds
# every SQL statement: about 10 MB and 6 s of each build, whatever the fleet's size. The builds
# log at info unless it is set (`debug` to see the statements).
DBT_FILE_LOG_LEVEL_VARIABLE = "DBT_LOG_LEVEL_FILE"
_DBT_FILE_LOG_LEVELS = ("debug", "info", "warn", "error", "none")
RUN_SCHEMA = {
    "scenario_name": pl.String,
    "scenario_title": pl.String,
    "run_at": pl.Datetime("us"),
    "as_of_date": pl.Date,
    "variant": pl.String,
    "factor_set": pl.String,
    "reporting_year": pl.Int32,
    "method": pl.String,
    "criterion": pl.String,
    "unit": pl.String,
    "value": pl.Float64,
    "value_min": pl.Float64,
    "value_max": pl.Float64,
}
COMPARISON_MART = "mart_scenario_comparison"


class VariantBuildError(RuntimeError):
    """A scratch build failed; the message holds dbt's error lines."""


@dataclass(frozen=True)
class ScenarioPaths:
    """The scenario folder of one installation, beside its published warehouse."""

    root: Path
    lake: Path
    editions: Path

    @classmethod
    def of(cls, paths: WarehousePaths) -> ScenarioPaths:
        return cls(root=paths.data_dir / "scenarios", lake=paths.lake, editions=paths.editions)

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def what_if(self) -> Path:
        return self.root / "what-if"

    @property
    def database(self) -> Path:
        return self.root / "scenarios.duckdb"


def run_dbt(arguments: list[str], environment: dict[str, str], target: Path) -> None:
    """Run one dbt command on the project with its own target folder (the nightly's manifest
    is never touched); raise `VariantBuildError` with dbt's error lines when it fails. Models
    and seeds are built; their tests ran in the nightly build."""
    target.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [
            DBT_EXECUTABLE,
            *arguments,
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
        ],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        lines = [
            line
            for line in (completed.stdout + completed.stderr).splitlines()
            if "error" in line.lower() or "fail" in line.lower()
        ]
        raise VariantBuildError("dbt " + arguments[0] + " failed:\n" + "\n".join(lines[-20:]))


def dbt_environment(
    *, lake: Path, editions: Path, runs: Path, build: Path, internal: Path, temp_directory: Path
) -> dict[str, str]:
    """The environment every dbt build runs with (the nightly, the scratch builds, the tests and
    the benchmarks): what it reads (the lake, the editions archive, the scenario runs) and where
    it writes (the build file, its internal layers, DuckDB's spill folder and memory limit), and
    the level of dbt's log file. The runs folder gets its schema file, without which dbt's glob
    over it matches nothing."""
    ensure_runs_schema(runs)
    return {
        "EMPREINTE_LAKE": str(lake),
        "EMPREINTE_EDITIONS": str(editions),
        "EMPREINTE_SCENARIO_RUNS": str(runs),
        "EMPREINTE_BUILD_DB": str(build),
        "EMPREINTE_INTERNAL_DB": str(internal),
        "EMPREINTE_DUCKDB_TEMP_DIR": str(temp_directory),
        MEMORY_LIMIT_VARIABLE: memory_limit(),
        DBT_FILE_LOG_LEVEL_VARIABLE: dbt_file_log_level_from_env(),
    }


def dbt_file_log_level_from_env() -> str:
    """The level of dbt's log file for every build (``DBT_LOG_LEVEL_FILE``, default info)."""
    level = os.environ.get(DBT_FILE_LOG_LEVEL_VARIABLE, "").strip() or "info"
    if level not in _DBT_FILE_LOG_LEVELS:
        raise ValueError(
            f"{DBT_FILE_LOG_LEVEL_VARIABLE}: {level!r} is not a level of dbt's log file"
            f" ({', '.join(_DBT_FILE_LOG_LEVELS)})"
        )
    return level


def nightly_dbt_environment(paths: WarehousePaths) -> dict[str, str]:
    """The nightly build's environment: the installation's lake, editions and scenario runs,
    built into its build file."""
    return dbt_environment(
        lake=paths.lake,
        editions=paths.editions,
        runs=ScenarioPaths.of(paths).runs,
        build=paths.build,
        internal=paths.internal,
        temp_directory=paths.temp_directory,
    )


def build_environment(
    scenario_paths: ScenarioPaths, lake: Path, name: str, runs: Path | None = None
) -> dict[str, str]:
    """Where a scratch build reads and writes: its lake, the runs (the installation's unless
    given), its own build files."""
    work = scenario_paths.work
    return dbt_environment(
        lake=lake,
        editions=scenario_paths.editions,
        runs=runs or scenario_paths.runs,
        build=work / f"{name}.duckdb",
        internal=work / f"{name}.internal.duckdb",
        temp_directory=work / "tmp",
    )


def build_footprint(
    scenario_paths: ScenarioPaths,
    name: str,
    dbt_vars: dict[str, Any],
    *,
    lake: Path | None = None,
) -> Path:
    """Build the footprint (every model up to ``fct_footprint_yearly``) into
    ``work/<name>.duckdb`` and return the file."""
    environment = build_environment(scenario_paths, lake or scenario_paths.lake, name)
    for variable in ("EMPREINTE_BUILD_DB", "EMPREINTE_INTERNAL_DB"):
        for path in (Path(environment[variable]), Path(environment[variable] + ".wal")):
            path.unlink(missing_ok=True)
    run_dbt(
        ["build", "--select", "+fct_footprint_yearly", "--vars", json.dumps(dbt_vars)],
        environment,
        scenario_paths.work / "dbt" / name,
    )
    return Path(environment["EMPREINTE_BUILD_DB"])


def cached_baseline(scenario_paths: ScenarioPaths, dbt_vars: dict[str, Any]) -> Path:
    """The baseline build (no lever), rebuilt only when the lake, the as-of date or the
    configuration changed since the last one."""
    key = _fingerprint(scenario_paths.lake, dbt_vars)
    build = scenario_paths.work / "baseline.duckdb"
    stamp = scenario_paths.work / "baseline.key"
    if build.exists() and stamp.exists() and stamp.read_text() == key:
        return build
    stamp.unlink(missing_ok=True)
    build_footprint(scenario_paths, "baseline", dbt_vars)
    stamp.write_text(key)
    return build


def yearly_totals(build: Path, variant: str) -> pl.DataFrame:
    """A build's footprint per year, method and criterion (the comparison's inputs)."""
    with connect_within_limit(build) as connection:
        relation = _relation(connection, "fct_footprint_yearly")
        frame = connection.sql(
            f"""
            select factor_set, reporting_year, method, criterion, unit,
                sum(value) as value, sum(value_min) as value_min, sum(value_max) as value_max
            from {relation} group by all
            """
        ).pl()
    return frame.with_columns(pl.lit(variant).alias("variant"))


def archive_run(
    folder: Path,
    name: str,
    title: str,
    as_of: date,
    baseline: Path,
    variant: Path,
    run_at: datetime | None = None,
) -> Path:
    """Write both variants' yearly totals as one run file ``<folder>/<name>/<run>.parquet``."""
    run_at = (run_at or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    frame = pl.concat([yearly_totals(baseline, "baseline"), yearly_totals(variant, "scenario")])
    frame = frame.with_columns(
        pl.lit(name).alias("scenario_name"),
        pl.lit(title).alias("scenario_title"),
        pl.lit(run_at).alias("run_at"),
        pl.lit(as_of).alias("as_of_date"),
    ).select([pl.col(column).cast(kind) for column, kind in RUN_SCHEMA.items()])
    path = folder / name / f"{run_at:%Y%m%dT%H%M%S%f}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    frame.write_parquet(temporary)
    os.replace(temporary, path)
    ensure_runs_schema(folder)
    return path


def ensure_runs_schema(folder: Path) -> None:
    """dbt reads the runs with a glob: an empty schema file keeps it matching before any run."""
    folder.mkdir(parents=True, exist_ok=True)
    schema_file = folder / "_schema.parquet"
    if not schema_file.exists():
        pl.DataFrame(schema=RUN_SCHEMA).write_parquet(schema_file)


def build_comparison(scenario_paths: ScenarioPaths, runs: Path, output: Path) -> pl.DataFrame:
    """Build ``mart_scenario_comparison`` over the runs in ``runs`` into ``output`` (replaced
    atomically, with a Parquet copy beside it) and return its rows."""
    name = "comparison"
    environment = build_environment(scenario_paths, scenario_paths.lake, name, runs)
    build = Path(environment["EMPREINTE_BUILD_DB"])
    build.unlink(missing_ok=True)
    run_dbt(
        ["build", "--select", f"+{COMPARISON_MART}", "--vars", json.dumps(configured_dbt_vars())],
        environment,
        scenario_paths.work / "dbt" / name,
    )
    with connect_within_limit(build, read_only=False) as connection:
        relation = _relation(connection, COMPARISON_MART)
        rows = connection.sql(f"select * from {relation}").pl()
        connection.execute("checkpoint")
    output.parent.mkdir(parents=True, exist_ok=True)
    rows.write_parquet(output.with_name(f"{COMPARISON_MART}.parquet"))
    os.replace(build, output)
    return rows


def _relation(connection: duckdb.DuckDBPyConnection, name: str) -> str:
    """A model's table in a build file (in the `marts` schema where the project publishes it)."""
    schemas = [
        row[0]
        for row in connection.execute(
            "select table_schema from information_schema.tables where table_name = ?", [name]
        ).fetchall()
    ]
    if not schemas:
        raise VariantBuildError(f"the build holds no {name}")
    schema = "marts" if "marts" in schemas else schemas[0]
    return f'"{schema}"."{name}"'


def _fingerprint(lake: Path, dbt_vars: dict[str, Any]) -> str:
    """What a baseline build depends on: every landed and factor file, and the vars."""
    digest = hashlib.sha256(json.dumps(dbt_vars, sort_keys=True, default=str).encode())
    for path in sorted(lake.rglob("*.parquet")):
        stat = path.stat()
        digest.update(f"{path.relative_to(lake)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
