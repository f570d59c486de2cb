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
- ``work/<build>/``: each scratch build's folder (``baseline``, ``scenario``, ``comparison``,
  ``what-if-baseline``, ``what-if-scenario``); the baseline is reused while the lake, the as-of
  date and the configuration are unchanged. ``work/dbt/``: dbt's parse of the project, one
  folder per set of vars, shared by the builds (the most recent few kept). ``work/.writer.lock``:
  held by a what-if or a scenario run for its whole course (``pipelines/decision_commands.py``),
  so that two never build in the same folders at once.
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

from pipelines.published import replace_link
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
# dbt parses the whole project again (about 7 s) whenever its profile or its vars differ from
# the last parse's, and parses again the files that read an environment variable whose value
# changed. So every scratch build runs dbt in a folder of its own under work/, where its files
# have the same names and `lake` and `runs` link to what it reads: the profile and the
# environment are the same for every scratch build, and builds with the same vars share one
# parse (`parse_folder`).
SCRATCH_FILE = "footprint.duckdb"
_SCRATCH_INTERNAL = "internal.duckdb"
_PARSES_KEPT = 6
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


def run_dbt(arguments: list[str], environment: dict[str, str], target: Path, folder: Path) -> None:
    """Run one dbt command on the project in ``folder``, with its parse and artefacts in
    ``target`` (the nightly's manifest is never touched) and its log in ``folder/logs``; raise
    `VariantBuildError` with dbt's error lines when it fails. Models and seeds are built; their
    tests ran in the nightly build."""
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
            str(target.absolute()),
            "--log-path",
            str((folder / "logs").absolute()),
        ],
        cwd=folder,
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
    *,
    lake: Path,
    editions: Path,
    runs: Path,
    build: Path,
    internal: Path,
    temp_directory: Path,
    relative_to: Path | None = None,
) -> dict[str, str]:
    """The environment every dbt build runs with (the nightly, the scratch builds, the tests and
    the benchmarks): what it reads (the lake, the editions archive, the scenario runs) and where
    it writes (the build file, its internal layers, DuckDB's spill folder and memory limit), and
    the level of dbt's log file. Paths are given relative to ``relative_to`` when set (the
    folder dbt runs in). The runs folder gets its schema file, without which dbt's glob over it
    matches nothing."""
    ensure_runs_schema(runs)
    paths = {
        "EMPREINTE_LAKE": lake,
        "EMPREINTE_EDITIONS": editions,
        "EMPREINTE_SCENARIO_RUNS": runs,
        "EMPREINTE_BUILD_DB": build,
        "EMPREINTE_INTERNAL_DB": internal,
        "EMPREINTE_DUCKDB_TEMP_DIR": temp_directory,
    }
    return {
        name: os.path.relpath(path, relative_to) if relative_to else str(path)
        for name, path in paths.items()
    } | {
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


def scratch_build(
    scenario_paths: ScenarioPaths,
    name: str,
    arguments: list[str],
    dbt_vars: dict[str, Any],
    *,
    lake: Path,
    runs: Path,
) -> Path:
    """Run one dbt command into scratch build ``name`` reading ``lake`` and ``runs``; return
    the build's file."""
    folder, environment = prepare_scratch(scenario_paths, name, lake=lake, runs=runs)
    arguments = [*arguments, "--vars", json.dumps(dbt_vars, sort_keys=True)]
    run_dbt(arguments, environment, parse_folder(scenario_paths, dbt_vars), folder)
    return folder / SCRATCH_FILE


def prepare_scratch(
    scenario_paths: ScenarioPaths, name: str, *, lake: Path, runs: Path
) -> tuple[Path, dict[str, str]]:
    """Scratch build ``name``'s folder (``work/<name>/``), emptied of its last build, with
    ``lake`` and ``runs`` linking to what this build reads; and the environment dbt runs with
    there, the same for every scratch build of the installation."""
    folder = (scenario_paths.work / name).absolute()
    folder.mkdir(parents=True, exist_ok=True)
    # Before each build had its folder, its files were `work/<name>.duckdb` and
    # `work/<name>.internal.duckdb`: those of an earlier version go too.
    earlier = (
        scenario_paths.work / f"{name}{suffix}" for suffix in (".duckdb", ".internal.duckdb")
    )
    for file in (folder / SCRATCH_FILE, folder / _SCRATCH_INTERNAL, *earlier):
        for path in (file, file.with_name(f"{file.name}.wal")):
            path.unlink(missing_ok=True)
    ensure_runs_schema(runs)  # the folder itself first: the link must lead to a folder
    lake_link, runs_link = folder / "lake", folder / "runs"
    for link, inside in ((lake_link, lake), (runs_link, runs)):
        replace_link(link, str(inside.absolute()))
    environment = dbt_environment(
        lake=lake_link,
        editions=scenario_paths.editions,
        runs=runs_link,
        build=folder / SCRATCH_FILE,
        internal=folder / _SCRATCH_INTERNAL,
        temp_directory=scenario_paths.work / "tmp",
        relative_to=folder,
    )
    return folder, environment


def parse_folder(scenario_paths: ScenarioPaths, dbt_vars: dict[str, Any]) -> Path:
    """dbt's target folder for builds with these vars: their parse of the project, kept for the
    next build with the same vars (the most recently used few are kept)."""
    key = hashlib.sha256(json.dumps(dbt_vars, sort_keys=True, default=str).encode())
    folders = scenario_paths.work / "dbt"
    folder = folders / key.hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    os.utime(folder)
    by_use = sorted(folders.iterdir(), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in by_use[_PARSES_KEPT:]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def build_footprint(
    scenario_paths: ScenarioPaths,
    name: str,
    dbt_vars: dict[str, Any],
    *,
    lake: Path | None = None,
) -> Path:
    """Build the footprint (every model up to ``fct_footprint_yearly``) into scratch build
    ``name`` and return its file."""
    return scratch_build(
        scenario_paths,
        name,
        ["build", "--select", "+fct_footprint_yearly"],
        dbt_vars,
        lake=lake or scenario_paths.lake,
        runs=scenario_paths.runs,
    )


def cached_baseline(scenario_paths: ScenarioPaths, dbt_vars: dict[str, Any]) -> Path:
    """The baseline build (no lever), rebuilt only when the lake, the as-of date or the
    configuration changed since the last one."""
    key = _fingerprint(scenario_paths.lake, dbt_vars)
    build = scenario_paths.work / "baseline" / SCRATCH_FILE
    stamp = scenario_paths.work / "baseline" / "key"
    if build.exists() and stamp.exists() and stamp.read_text() == key:
        return build
    stamp.unlink(missing_ok=True)
    build = build_footprint(scenario_paths, "baseline", dbt_vars)
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


def build_comparison(
    scenario_paths: ScenarioPaths, runs: Path, output: Path, dbt_vars: dict[str, Any]
) -> pl.DataFrame:
    """Build ``mart_scenario_comparison`` over the runs in ``runs`` into ``output`` (replaced
    atomically, with a Parquet copy beside it) and return its rows. ``dbt_vars`` are those of
    the builds it compares, so that it reads their parse of the project: its models take the
    as-of date of each run from the run, not from the vars."""
    build = scratch_build(
        scenario_paths,
        "comparison",
        ["build", "--select", f"+{COMPARISON_MART}"],
        dbt_vars,
        lake=scenario_paths.lake,
        runs=runs,
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
