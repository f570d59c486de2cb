"""The same dbt models on Spark (dbt-spark, a local session) and on DuckDB, from the same Parquet
lake: every mart holds the same rows (`make test-spark`; installs the `spark` group)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

pytest.importorskip("pyspark", reason="the Spark group is not installed: make test-spark")

from connectors.logs import land_trip_logs
from connectors.servicenow.exports import land_exports
from connectors.servicenow.fake.bulk import write_exports
from connectors.servicenow.fake.logs import write_logs
from factors.tables import write_factor_tables
from pipelines.variant_builds import RUN_SCHEMA, dbt_environment
from pipelines.warehouse import EDITION_SCHEMA, MARTS

pytestmark = [pytest.mark.spark, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
AS_OF = "2026-11-01"
RUN_SCENARIO = "laptops-kept-longer"
# Folders that hold only their `_schema.*` file here are left out (see macros/spark_lake.sql).
BUILD = [
    "build",
    "--exclude",
    "source:landing+",
    "source:editions+",
    "--exclude-resource-type",
    "test",
    "unit_test",
    "--vars",
    json.dumps(
        {
            "as_of": AS_OF,
            # An action plan adopting the scenario run below, so its mart has rows to compare.
            "action_plans": [
                {"plan": "Laptops six years", "scenario": RUN_SCENARIO, "starts_on": "2025-01-01"}
            ],
        }
    ),
]
# Marts read from what the build above leaves out (what landing refused, the editions).
NOT_ON_SPARK = frozenset({"fct_footprint_restatements", "mart_trajectory", "mart_data_quality"})


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One small lake built by dbt on DuckDB and on Spark: (DuckDB file, Spark warehouse)."""
    root = tmp_path_factory.mktemp("spark")
    lake = root / "lake"
    write_exports(root / "exports", 0.03, base_scale=0.03)
    land_exports(root / "exports", lake)
    write_logs(root / "logs", scale=0.03)
    land_trip_logs(root / "logs", lake)
    write_factor_tables(lake)
    editions = root / "editions"
    editions.mkdir()
    pl.DataFrame(schema=EDITION_SCHEMA).write_parquet(editions / "_schema.parquet")
    runs = root / "scenarios" / "runs"
    env = {
        **os.environ,
        **dbt_environment(
            lake=lake,
            editions=editions,
            runs=runs,
            build=root / "duckdb.duckdb",
            internal=root / "internal.duckdb",
            temp_directory=root / "tmp",
        ),
        "EMPREINTE_SPARK_WAREHOUSE": str(root / "spark" / "warehouse"),
    }
    (runs / RUN_SCENARIO).mkdir()
    scenario_run().write_parquet(runs / RUN_SCENARIO / "20261101T000000000000.parquet")
    for target in ("build", "spark"):
        done = subprocess.run(
            [DBT, *BUILD, "--target", target, "--target-path", str(root / f"target-{target}")],
            cwd=REPO / "dbt_project",
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout[-4000:]
    return root / "duckdb.duckdb", root / "spark" / "warehouse"


def scenario_run() -> pl.DataFrame:
    """One archived scenario run (both variants, two years) for the scenario marts to compare:
    Spark cannot read a runs folder that holds only its ``_schema.parquet``."""
    rows = [
        (variant, year, value)
        for variant, values in (("baseline", (1200.0, 1100.0)), ("scenario", (1150.5, 980.25)))
        for year, value in zip((2025, 2026), values, strict=True)
    ]
    return pl.DataFrame(
        {
            "scenario_name": RUN_SCENARIO,
            "scenario_title": "Laptops kept longer",
            "run_at": datetime(2026, 11, 1),
            "as_of_date": date(2026, 11, 1),
            "variant": [variant for variant, _, _ in rows],
            "factor_set": "default",
            "reporting_year": [year for _, year, _ in rows],
            "method": "amortised",
            "criterion": "climate_change",
            "unit": "kgCO2e",
            "value": [value for *_, value in rows],
            "value_min": [value * 0.8 for *_, value in rows],
            "value_max": [value * 1.2 for *_, value in rows],
        }
    ).select([pl.col(column).cast(kind) for column, kind in RUN_SCHEMA.items()])


def spark_table(warehouse: Path, name: str) -> str:
    """The Parquet files of a table Spark wrote (``<warehouse>/<schema>.db/<table>/``)."""
    (folder,) = list(warehouse.glob(f"*.db/{name}"))
    return f"read_parquet('{folder}/*.parquet')"


# Sums of doubles in another order differ in their last bits: within this, equal.
TOLERANCE = 1e-9


def differing_rows(
    connection: duckdb.DuckDBPyConnection, left: str, right: str, columns: list[str]
) -> int:
    """Rows of one relation with no equal row in the other: the same text, date and integer
    cells, doubles within ``TOLERANCE`` (relative); repeated rows paired in order."""
    description = connection.execute(f"select * from {left} limit 0").description
    doubles = [c[0] for c in description if str(c[1]) in ("DOUBLE", "FLOAT") and c[0] in columns]
    exact = [name for name in columns if name not in doubles]
    numbered = ", ".join(exact + doubles)
    partition = f"partition by {', '.join(exact)} " if exact else ""
    order = f"order by {', '.join(doubles)}" if doubles else ""

    def side(relation: str) -> str:
        return f"select {numbered}, row_number() over ({partition}{order}) as n from {relation}"

    on = " and ".join([f"l.{c} is not distinct from r.{c}" for c in exact] + ["l.n = r.n"])
    apart = " or ".join(
        f"abs(l.{c} - r.{c}) > {TOLERANCE} * greatest(abs(l.{c}), abs(r.{c}))"
        f" or (l.{c} is null) <> (r.{c} is null)"
        for c in doubles
    )
    return connection.execute(
        f"select count(*) from ({side(left)}) as l full join ({side(right)}) as r on {on}"
        f" where l.n is null or r.n is null{' or ' + apart if apart else ''}"
    ).fetchone()[0]


@pytest.mark.parametrize("mart", [mart for mart in MARTS if mart not in NOT_ON_SPARK])
def test_each_mart_is_the_same_on_spark_and_duckdb(builds: tuple[Path, Path], mart: str) -> None:
    database, warehouse = builds
    with duckdb.connect(str(database), read_only=True) as connection:
        (schema,) = connection.execute(
            "select schema_name from duckdb_tables() where table_name = ?", [mart]
        ).fetchone()
        duck = f"{schema}.{mart}"
        spark = spark_table(warehouse, mart)
        columns = [row[0] for row in connection.execute(f"describe {duck}").fetchall()]
        spark_columns = [
            row[0] for row in connection.execute(f"describe select * from {spark}").fetchall()
        ]
        assert sorted(spark_columns) == sorted(columns)
        rows = connection.execute(f"select count(*) from {duck}").fetchone()[0]
        assert rows > 0
        differing = differing_rows(connection, duck, spark, columns)
    assert differing == 0, f"{mart}: {differing} of {rows} rows differ"
