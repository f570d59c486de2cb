"""Readers while nights publish, through every documented path: DuckDB read-only, SQLAlchemy
(duckdb-engine, as Superset opens it) and the Parquet folder. Each read sees one published
version whole, never an error, and no reader can write."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from pipelines.published import publish
from pipelines.warehouse import WarehousePaths, connect_read_only, sqlalchemy_url
from tests.pipeline.publish_helpers import build_with

ROWS_PER_VERSION = 20_000
READERS = 4
# Reads in a loop until it has seen the last version through both paths; prints what it saw.
READER = """
import json, os, sys, time
from pathlib import Path
import duckdb
from pipelines.warehouse import WarehousePaths, connect_read_only
folder, last, per_version = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
paths = WarehousePaths(folder, folder / "warehouse.duckdb")
# One query: the rows of the fact, and the lowest and highest value of the fact and the fleet.
SQL = (
    "select (select count(*) from {fact}), (select min(value) from {fact}),"
    " (select max(value) from {fact}), (select min(value) from {fleet}),"
    " (select max(value) from {fleet})"
)
seen, errors, mixed, started = set(), [], [], False
deadline = time.monotonic() + 120
while time.monotonic() < deadline and not {("duckdb", last), ("parquet", last)} <= seen:
    try:
        with connect_read_only(paths) as connection:
            reads = {"duckdb": connection.execute(
                SQL.format(fact="fct_footprint", fleet="dim_hardware_assets")).fetchone()}
        version = Path(os.path.realpath(folder / "marts"))  # resolved once, then read whole
        reads["parquet"] = duckdb.sql(SQL.format(
            fact=f"'{version}/fct_footprint.parquet'",
            fleet=f"'{version}/dim_hardware_assets.parquet'")).fetchall()[0]
        for path, (rows, *values) in reads.items():
            if len(set(values)) != 1 or rows != values[0] * per_version:
                mixed.append([path, rows, *values])
            seen.add((path, values[0]))
    except Exception as error:
        errors.append(repr(error))
        if len(errors) > 5:
            break
    if not started and seen:
        started = print("reading", flush=True) or True
print(json.dumps({"seen": sorted(seen), "errors": errors[:5], "mixed": mixed[:5]}), flush=True)
"""


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    paths = WarehousePaths(data_dir=tmp_path, warehouse=tmp_path / "warehouse.duckdb")
    build_with(paths, 1, rows=ROWS_PER_VERSION)
    publish(paths)
    return paths


def test_readers_see_one_version_whole_while_two_nights_publish(paths: WarehousePaths) -> None:
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(paths.data_dir), "3", str(ROWS_PER_VERSION)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(READERS)
    ]
    for reader in readers:  # every reader has read the first version before the nights start
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
    for night in (2, 3):
        build_with(paths, night, rows=ROWS_PER_VERSION * night)
        publish(paths)
    for reader in readers:
        output, errors = reader.communicate(timeout=180)
        assert reader.returncode == 0, errors[-2000:]
        outcome = json.loads(output.strip().splitlines()[-1])
        assert outcome["errors"] == [] and outcome["mixed"] == []
        seen = {tuple(pair) for pair in outcome["seen"]}
        assert {("duckdb", 1), ("duckdb", 3), ("parquet", 1), ("parquet", 3)} <= seen
        assert {version for _, version in seen} <= {1, 2, 3}


@pytest.mark.parametrize(
    "statement",
    [
        "create table marts.stolen as select 1",
        "drop table marts.fct_footprint",
        "copy marts.fct_footprint to '{folder}/stolen.csv'",
        "install httpfs",
        "attach '{folder}/other.duckdb' as other",
        "select * from read_csv('/etc/hostname')",
    ],
)
def test_sqlalchemy_opens_the_warehouse_read_only(paths: WarehousePaths, statement: str) -> None:
    engine = sa.create_engine(sqlalchemy_url(paths))
    with engine.connect() as connection:
        assert connection.execute(sa.text("select count(*) from marts.fct_footprint")).scalar() == (
            ROWS_PER_VERSION
        )
        assert "fct_footprint" in sa.inspect(connection).get_table_names(schema="marts")
        # The pipeline's limit, not DuckDB's default (80% of the machine, which it fills with
        # the blocks it reads).
        limit = sa.text("select current_setting('memory_limit')")
        assert connection.execute(limit).scalar() == "1.8 GiB"  # 2GB
        with pytest.raises(sa.exc.DBAPIError):
            connection.execute(sa.text(statement.format(folder=paths.data_dir)))
    engine.dispose()
    assert (
        sorted(path.name for path in paths.data_dir.iterdir() if path.is_file()) == [".writer.lock"]
        or not (paths.data_dir / "stolen.csv").exists()
    )


@pytest.mark.parametrize(
    "statement",
    [
        "copy fct_footprint to '{folder}/stolen.parquet'",
        "export database '{folder}/export'",
        "install httpfs",
        "load httpfs",
        "attach '{folder}/other.duckdb' as other",
        "select * from read_parquet('{folder}/marts/fct_footprint.parquet')",
        "set enable_external_access = true",
        "set memory_limit = '64GB'",
        "insert into fct_footprint select * from fct_footprint",
    ],
)
def test_a_read_only_connection_gets_no_external_access(
    paths: WarehousePaths, statement: str
) -> None:
    with connect_read_only(paths) as connection, pytest.raises(duckdb.Error):
        connection.execute(statement.format(folder=paths.data_dir))
    assert not (paths.data_dir / "stolen.parquet").exists()
    assert not (paths.data_dir / "export").exists()


def test_a_plain_read_only_duckdb_connection_cannot_write(paths: WarehousePaths) -> None:
    """What `duckdb -readonly data/warehouse.duckdb` does, from Python."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.fct_footprint").fetchone() == (
            ROWS_PER_VERSION,
        )
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            connection.execute("delete from marts.fct_footprint")


def test_two_readers_in_one_process_both_read(paths: WarehousePaths) -> None:
    """A process may hold two readers (a report written while the dashboard answers): DuckDB
    gives them one database instance, so the second finds the first's locked configuration. It
    opens, reads the marts by name, is as closed to the outside, and outlives the first."""
    count = "select count(*) from fct_footprint"
    with connect_read_only(paths) as first:
        second = connect_read_only(paths)
        assert first.execute(count).fetchone() == second.execute(count).fetchone()
        assert second.execute(count).fetchone() == (ROWS_PER_VERSION,)
        for statement in (
            "set enable_external_access = true",
            f"select * from read_parquet('{paths.data_dir}/marts/fct_footprint.parquet')",
        ):
            with pytest.raises(duckdb.Error):
                second.execute(statement)
    with second:
        assert second.execute(count).fetchone() == (ROWS_PER_VERSION,)
