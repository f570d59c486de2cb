"""Readers during publishes: four reader processes query the published warehouse through the
DuckDB file (``connect_read_only``) and through the Parquet marts (the folder resolved once,
then read whole) while four nights publish. Each query reads the fact and the fleet of one
version, whose every row holds the version's number: a read mixing two versions, or a count
that is not the version's, is inconsistent. Figures: queries, publishes during the reads,
errors (0), inconsistent reads (0).

The builds are the publishing tests' small stand-ins (``tests/pipeline/publish_helpers.py``):
what is measured is the publish and the readers, not dbt.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.published import publish
from pipelines.warehouse import WarehousePaths
from tests.pipeline.publish_helpers import build_with

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

READERS = 4
NIGHTS = 4
ROWS_PER_VERSION = 20_000
# Each reader goes on until the last night is published and it has made this many queries.
QUERIES_PER_READER = 260
READER = """
import json, os, sys, time
from pathlib import Path
import duckdb
from pipelines.warehouse import WarehousePaths, connect_read_only
folder, minimum, per_version = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
paths = WarehousePaths(folder, folder / "warehouse.duckdb")
done = folder / "nights.done"
SQL = (
    "select (select count(*) from {fact}), (select min(value) from {fact}),"
    " (select max(value) from {fact}), (select min(value) from {fleet}),"
    " (select max(value) from {fleet})"
)
queries = {"duckdb": 0, "parquet": 0}
during, seen, errors, mixed = 0, set(), [], []
print("reading", flush=True)
while not (done.exists() and sum(queries.values()) >= minimum):
    publishing = not done.exists()
    for path in queries:
        try:
            if path == "duckdb":
                with connect_read_only(paths) as connection:
                    read = connection.execute(
                        SQL.format(fact="fct_footprint", fleet="dim_hardware_assets")).fetchone()
            else:
                version = Path(os.path.realpath(folder / "marts"))  # resolved once, read whole
                read = duckdb.sql(SQL.format(
                    fact=f"'{version}/fct_footprint.parquet'",
                    fleet=f"'{version}/dim_hardware_assets.parquet'")).fetchall()[0]
            rows, *values = read
            if len(set(values)) != 1 or rows != values[0] * per_version:
                mixed.append([path, *read])
            seen.add(values[0])
        except Exception as error:
            errors.append(f"{path}: {error!r}")
        queries[path] += 1
        during += publishing
print(json.dumps({"queries": queries, "during_publishes": during, "seen": sorted(seen),
                  "errors": errors[:5], "error_count": len(errors), "mixed": mixed[:5],
                  "mixed_count": len(mixed)}), flush=True)
"""


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    paths = WarehousePaths(data_dir=tmp_path, warehouse=tmp_path / "warehouse.duckdb")
    build_with(paths, 1, rows=ROWS_PER_VERSION)
    publish(paths)
    return paths


def test_readers_see_no_error_and_no_mixed_version_during_publishes(
    paths: WarehousePaths, figures
) -> None:
    part = figures("readers")
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                READER,
                str(paths.data_dir),
                str(QUERIES_PER_READER),
                str(ROWS_PER_VERSION),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(READERS)
    ]
    for reader in readers:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
    for night in range(2, NIGHTS + 2):
        build_with(paths, night, rows=ROWS_PER_VERSION * night)
        publish(paths)
    (paths.data_dir / "nights.done").touch()
    outcomes = []
    for reader in readers:
        output, errors = reader.communicate(timeout=600)
        assert reader.returncode == 0, errors[-2000:]
        outcomes.append(json.loads(output.strip().splitlines()[-1]))
    queries = {
        path: sum(outcome["queries"][path] for outcome in outcomes)
        for path in ("duckdb", "parquet")
    }
    part.set("reader_processes", READERS)
    part.set("publishes_during_reads", NIGHTS)
    part.set("queries_duckdb_file", queries["duckdb"])
    part.set("queries_parquet_marts", queries["parquet"])
    part.set("queries_while_publishing", sum(outcome["during_publishes"] for outcome in outcomes))
    part.set("versions_seen", sorted({v for outcome in outcomes for v in outcome["seen"]}))
    part.set("errors", sum(outcome["error_count"] for outcome in outcomes))
    part.set("inconsistent_reads", sum(outcome["mixed_count"] for outcome in outcomes))
    assert [o["errors"] for o in outcomes] == [[]] * READERS
    assert [o["mixed"] for o in outcomes] == [[]] * READERS
    assert sum(queries.values()) >= 1_000
    assert {v for outcome in outcomes for v in outcome["seen"]} >= {1, NIGHTS + 1}
