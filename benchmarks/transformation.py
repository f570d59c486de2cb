"""The transformation benchmark: dbt's build against the hand-written reference script.

On one lake: the hand-written DuckDB script (``reference_footprint.sql``) and three dbt builds
(the models behind ``fct_footprint``; every model; every model with its tests), each into a
fresh DuckDB file in its own process, measured whole (wall, CPU, peak memory of the process
tree); and the reference's rows checked against a dbt build's (the night's): the same keys, the
same values within rounding, the same columns elsewhere.

``python -m benchmarks.transformation reference LAKE OUT.duckdb AS_OF`` runs the script alone.
"""

from __future__ import annotations

import json
import shutil
import string
import sys
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.measure import Measured, run
from pipelines.variant_builds import ScenarioPaths, dbt_environment
from pipelines.warehouse import memory_limit

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
SCRIPT = Path(__file__).with_name("reference_footprint.sql")
DBT = str(Path(sys.executable).with_name("dbt"))
KEY = ("reporting_year", "method", "source_kind", "item_id", "stage", "criterion")
VALUES = ("value", "value_min", "value_max")
# fct_footprint's columns, in its order: the reference writes them all, and dbt's device rows
# are compared in every one of them.
REFERENCE_COLUMNS = (
    *KEY,
    *VALUES,
    "unit",
    "factor_id",
    "factor_set",
    "match_level",
    "factor_fallback",
    "factor_flag",
    "energy_parameter_id",
    "energy_match_level",
    "pue_parameter_id",
    "calculation_method",
    "ghg_scope",
    "ghg_category",
    "travel_mode",
    "asset_id",
    "contract_id",
    "town_id",
    "location_id",
    "cost_center_id",
    "department_id",
    "device_category",
    "model_id",
)
# A relative difference below this is rounding (the two sides multiply in the same order).
TOLERANCE = 1e-9
# dbt selections measured, by name, in this order (every model alone last: the least asked-for).
# "Tests" are the data tests, as the night runs them: the unit tests judge the SQL on fixed
# inputs, whatever the fleet, and run in `make test` (pipelines/transformation.py).
BUILDS: dict[str, list[str]] = {
    "dbt_fct_footprint_models": [
        "build",
        "--select",
        "+fct_footprint",
        "--exclude-resource-type",
        "test",
        "unit_test",
    ],
    "dbt_models_and_tests": ["build", "--exclude-resource-type", "unit_test"],
    "dbt_models": ["build", "--exclude-resource-type", "test", "unit_test"],
}


def builds_from_night(dbt_target: Path, dbt_step_s: float) -> dict[str, dict[str, Any]]:
    """The three builds' figures read from a night's own dbt run (its ``run_results.json`` and
    manifest): the models behind ``fct_footprint`` and every model, the sum of their nodes'
    execution times (dbt builds one at a time); every model and test, the night's dbt step.
    For L, where three separate builds would take hours more."""
    results = json.loads((dbt_target / "run_results.json").read_text())["results"]
    parents = json.loads((dbt_target / "manifest.json").read_text())["parent_map"]
    seconds = {
        node["unique_id"]: node["execution_time"]
        for node in results
        if node["unique_id"].startswith("model.")
    }
    behind, queue = set(), ["model.empreinte.fct_footprint"]
    while queue:
        node = queue.pop()
        if node in behind or not node.startswith("model."):
            continue
        behind.add(node)
        queue.extend(parents.get(node, []))
    source = "the night's run: sum of the models' execution times (run_results.json)"
    slowest = sorted(results, key=lambda node: node["execution_time"], reverse=True)[:12]
    return {
        "dbt_fct_footprint_models": {
            "wall_s": sum(seconds.get(node, 0.0) for node in behind),
            "models": len(behind),
            "source": source,
        },
        "dbt_models": {"wall_s": sum(seconds.values()), "models": len(seconds), "source": source},
        "dbt_models_and_tests": {
            "wall_s": dbt_step_s,
            "source": "the night's dbt step (every model and its tests, Dagster's record)",
            "slowest_nodes_s": {
                node["unique_id"].split(".", 2)[-1]: round(node["execution_time"], 1)
                for node in slowest
            },
        },
    }


def duckdb_settings() -> dict[str, str]:
    """The DuckDB settings builds run with (the same for the reference and dbt)."""
    return {"memory_limit": memory_limit()}


def run_reference(lake: Path, database: Path, as_of: str, time_zone: str = "Europe/Paris") -> None:
    """Execute the reference script into ``database`` (replaced), in this process."""
    database.unlink(missing_ok=True)
    sql = string.Template(SCRIPT.read_text()).substitute(
        lake=lake, seeds=DBT_PROJECT / "seeds", as_of=as_of, time_zone=time_zone
    )
    temp = database.with_suffix(".tmp")
    temp.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(
        str(database), config={**duckdb_settings(), "temp_directory": str(temp)}
    ) as connection:
        connection.execute("set enable_progress_bar = false")
        connection.execute(sql)
        connection.execute("checkpoint")


def measure_reference(lake: Path, database: Path, as_of: str) -> Measured:
    """The reference script in its own process, measured."""
    return run(
        [
            sys.executable,
            "-m",
            "benchmarks.transformation",
            "reference",
            str(lake),
            str(database),
            as_of,
        ],
        cwd=REPO,
    )


def remove_database(database: Path) -> None:
    """A measured build's files: the database, its working layers, its spill folder."""
    for path in (
        database,
        database.with_name(database.name + ".wal"),
        _internal(database),
    ):
        path.unlink(missing_ok=True)
    shutil.rmtree(database.with_suffix(".tmp"), ignore_errors=True)


def measure_parse(lake: Path, editions: Path, database: Path, as_of: str) -> Measured:
    """dbt's full parse of the project, measured, into the target folder the builds into
    ``database`` share: each build then parses only what changed, as every night after a
    deployment's first does (the night keeps its target folder and its file names). A build
    into a file of another name would parse the whole project again: the path is in the
    profile."""
    shutil.rmtree(_target(database), ignore_errors=True)
    return measure_dbt_command(["parse"], lake, editions, database, as_of)


def measure_dbt(name: str, lake: Path, editions: Path, database: Path, as_of: str) -> Measured:
    """One dbt build (see ``BUILDS``) into a fresh ``database``, measured."""
    remove_database(database)
    return measure_dbt_command(BUILDS[name], lake, editions, database, as_of)


def _internal(database: Path) -> Path:
    """The working layers' file beside a build into ``database``."""
    return database.with_name(database.stem + ".internal.duckdb")


def _target(database: Path) -> Path:
    """dbt's target folder (manifest, partial parse, logs) for the builds into ``database``."""
    return database.with_name(database.stem + ".target")


def measure_dbt_command(
    arguments: list[str], lake: Path, editions: Path, database: Path, as_of: str
) -> Measured:
    """One dbt command on ``lake`` with the builds' environment, database and target folder,
    measured."""
    # The scenario runs the decision marts read: the night's, beside its lake.
    runs = ScenarioPaths(root=lake.parent / "scenarios", lake=lake, editions=editions).runs
    env = dbt_environment(
        lake=lake,
        editions=editions,
        runs=runs,
        build=database,
        internal=_internal(database),
        temp_directory=database.with_suffix(".tmp"),
    )
    target = _target(database)
    command = [
        DBT,
        *arguments,
        "--vars",
        json.dumps({"as_of": as_of}),
        "--target-path",
        str(target),
        "--log-path",
        str(target),
        "--quiet",
    ]
    return run(command, env=env, cwd=DBT_PROJECT, check=False)


def summarise(built: Path, summary: Path, relation: str = "fct_footprint") -> None:
    """dbt's side of ``compare`` kept in a small file of its own (one line per item, and the
    fact table's rows): at L the built fact table (about 30 GB) must go before the reference
    writes its own, and the disk holds one of them, not two."""
    summary.unlink(missing_ok=True)
    temp = summary.with_suffix(".tmp")
    with _comparing(summary, temp) as connection:
        connection.execute(f"attach '{built}' as built (read_only)")
        built_relation = find(connection, "built", relation)
        _check_columns(connection, built_relation, "dbt's")
        connection.execute(f"create table items as {_items(_hardware_rows(built_relation))}")
        connection.execute(f"create table fact as select count(*) as rows from {built_relation}")
    shutil.rmtree(temp, ignore_errors=True)


def compare(
    reference: Path,
    built: Path | None = None,
    relation: str = "fct_footprint",
    summary: Path | None = None,
) -> dict[str, Any]:
    """Rows, sums and differences between the reference's fact table and dbt's device rows, in
    ``built`` or in its ``summary`` (``summarise``).

    Each side is read once and reduced to one line per item (its rows, the sum of its values,
    the sum of its rows' hashes); only the items whose lines differ are joined row by row, to
    find what differs and by how much. A join of the whole tables spills tens of GB at M. From a
    summary, only the differing items are counted: the rows behind them are gone."""
    if (built is None) == (summary is None):
        raise ValueError("compare: give either the built database or its summary")
    temp = (built or summary).with_suffix(".compare.tmp")
    with _comparing(None, temp) as connection:
        connection.execute(f"attach '{reference}' as reference (read_only)")
        _check_columns(connection, "reference.fct_footprint", "the reference's")
        connection.execute(f"create temp table r_items as {_items('reference.fct_footprint')}")
        if summary is not None:
            connection.execute(f"attach '{summary}' as summary (read_only)")
            connection.execute("create temp table b_items as select * from summary.items")
            (built_rows,) = connection.execute("select rows from summary.fact").fetchone()
        else:
            connection.execute(f"attach '{built}' as built (read_only)")
            built_relation = find(connection, "built", relation)
            _check_columns(connection, built_relation, "dbt's")
            hardware_rows = _hardware_rows(built_relation)
            connection.execute(f"create temp table b_items as {_items(hardware_rows)}")
            (built_rows,) = connection.execute(f"select count(*) from {built_relation}").fetchone()
        totals = connection.execute(
            "select (select sum(n) from r_items), (select sum(n) from b_items),"
            " (select sum(value_sum) from r_items), (select sum(value_sum) from b_items)"
        ).fetchone()
        connection.execute(
            "create temp table differing as select coalesce(r.item_id, b.item_id) as item_id"
            " from r_items as r full join b_items as b on r.item_id = b.item_id"
            " where r.rows_hash is distinct from b.rows_hash or r.n is distinct from b.n"
        )
        if summary is not None:
            (items_differing,) = connection.execute("select count(*) from differing").fetchone()
            figures = {"items_differing": items_differing, "checked_against": "summary"}
        else:
            figures = _differences(connection, hardware_rows)
    shutil.rmtree(temp, ignore_errors=True)
    result: dict[str, Any] = {
        "reference_rows": totals[0],
        "dbt_hardware_rows": totals[1],
        **figures,
        "reference_value_sum": totals[2],
        "dbt_value_sum": totals[3],
        "dbt_rows": built_rows,
    }
    if summary is not None:
        result["identical"] = result["items_differing"] == 0 and totals[0] == totals[1]
    else:
        result["identical"] = (
            result["only_in_reference"] == 0
            and result["only_in_dbt"] == 0
            and result["rows_with_other_columns_differing"] == 0
            and result["largest_relative_difference"] <= TOLERANCE
        )
    return result


def _check_columns(connection: duckdb.DuckDBPyConnection, relation: str, whose: str) -> None:
    """Raise unless ``relation`` has REFERENCE_COLUMNS, in that order (a column added to the
    model and not to the reference, or the reverse, stops the comparison)."""
    columns = tuple(row[0] for row in connection.execute(f"describe {relation}").fetchall())
    if columns != REFERENCE_COLUMNS:
        raise ValueError(f"{whose} fct_footprint has columns {columns}, not REFERENCE_COLUMNS")


def _comparing(database: Path | None, temp: Path) -> duckdb.DuckDBPyConnection:
    """A connection with the builds' memory limit, spilling into ``temp``."""
    connection = duckdb.connect(
        str(database) if database else ":memory:",
        config={**duckdb_settings(), "temp_directory": str(temp)},
    )
    connection.execute("set enable_progress_bar = false")
    return connection


def _hardware_rows(built_relation: str) -> str:
    """dbt's device rows, in the reference's columns."""
    return (
        f"(select {', '.join(REFERENCE_COLUMNS)} from {built_relation}"
        " where source_kind = 'hardware_asset')"
    )


def _items(table: str) -> str:
    """One line per item: its rows, the sum of its values, the sum of its rows' hashes."""
    return (
        f"select item_id, count(*) as n, sum(value) as value_sum,"
        f" sum(hash({', '.join(REFERENCE_COLUMNS)})::hugeint) as rows_hash"
        f" from {table} group by item_id"
    )


def _differences(connection: duckdb.DuckDBPyConnection, hardware_rows: str) -> dict[str, Any]:
    """The differing items joined row by row: rows on one side only, rows whose other columns
    differ, the largest relative difference of a value."""
    others = [c for c in REFERENCE_COLUMNS if c not in KEY and c not in VALUES]
    on = " and ".join(f"r.{k} = b.{k}" for k in KEY)
    relative = " , ".join(
        f"abs(r.{v} - b.{v}) / greatest(abs(r.{v}), abs(b.{v}), 1e-300)" for v in VALUES
    )
    differing = " or ".join(f"r.{c} is distinct from b.{c}" for c in others)
    detail = connection.execute(
        f"""
        with
        r as (select * from reference.fct_footprint
            where item_id in (select item_id from differing)),
        b as (select * from {hardware_rows} where item_id in (select item_id from differing))
        select
            count(*) filter (where b.item_id is null) as only_in_reference,
            count(*) filter (where r.item_id is null) as only_in_dbt,
            count(*) filter (where r.item_id is not null and b.item_id is not null
                and ({differing})) as rows_with_other_columns_differing,
            coalesce(max(greatest({relative})), 0) as largest_relative_difference,
            (select count(*) from differing) as items_differing
        from r
        full join b on {on}
        """
    )
    return dict(zip([d[0] for d in detail.description], detail.fetchone(), strict=True))


def relation(connection: duckdb.DuckDBPyConnection, name: str) -> str:
    """``name`` qualified with its schema in the connection's database (``marts`` once
    published, ``main`` in an older build)."""
    (database,) = connection.execute("select current_database()").fetchone()
    return find(connection, database, name)


def find(connection: duckdb.DuckDBPyConnection, database: str, relation: str) -> str:
    """``relation`` qualified with its database and schema (``marts`` in a build)."""
    schemas = connection.execute(
        "select schema_name from duckdb_tables() where database_name = ? and table_name = ?"
        " order by schema_name = 'main'",
        [database, relation],
    ).fetchall()
    if not schemas:
        raise LookupError(f"no {relation} in {database}")
    return f"{database}.{schemas[0][0]}.{relation}"


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "reference":
        run_reference(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__.splitlines()[-1])
