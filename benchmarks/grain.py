"""The grain of ``fct_footprint``: long rows (one per item, year, method, stage and criterion, as
published) against criteria as columns (one row per item, year, method and stage, a value, a
low and a high column per criterion), from one published warehouse.

For each shape: seconds to write it (a table in a fresh DuckDB file, and a Parquet file), its
size, and the seconds of two BI queries (climate change by town and year; every criterion of
one town). ``python -m benchmarks.grain WAREHOUSE.duckdb OUT_FOLDER`` prints them as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.transformation import find

# The columns a wide row keeps from the long rows (everything but the criterion's own).
PER_CRITERION = ("value", "value_min", "value_max")
KEY = ("reporting_year", "method", "source_kind", "item_id", "stage", "town_id")


def measure(warehouse: Path, out: Path) -> dict[str, Any]:
    """Write both shapes from the warehouse's fct_footprint; their figures."""
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {}
    with duckdb.connect(str(out / "grain.duckdb")) as connection:
        connection.execute("set enable_progress_bar = false")
        connection.execute(f"attach '{warehouse}' as published (read_only)")
        fact = find(connection, "published", "fct_footprint")
        criteria = [
            row[0]
            for row in connection.execute(
                f"select distinct criterion from {fact} order by 1"
            ).fetchall()
        ]
        columns = ", ".join(
            f"max({name}) filter (where criterion = '{criterion}') as {criterion}_{name}"
            for criterion in criteria
            for name in PER_CRITERION
        )
        shapes = {
            "long": f"select * from {fact}",
            "wide": f"select {', '.join(KEY)}, {columns} from {fact} group by all",
        }
        queries = {
            "long": (
                "select town_id, reporting_year, sum(value) from long"
                " where criterion = 'climate_change' and method = 'amortised' group by all",
                f"select criterion, sum(value) from long where town_id = ({_a_town('long')})"
                f" and method = 'amortised' group by all",
            ),
            "wide": (
                "select town_id, reporting_year, sum(climate_change_value) from wide"
                " where method = 'amortised' group by all",
                f"select {', '.join(f'sum({c}_value)' for c in criteria)} from wide"
                f" where town_id = ({_a_town('wide')}) and method = 'amortised'",
            ),
        }
        for shape, sql in shapes.items():
            started = time.perf_counter()
            connection.execute(f"create table {shape} as {sql}")
            connection.execute("checkpoint")
            table_s = time.perf_counter() - started
            parquet = out / f"{shape}.parquet"
            started = time.perf_counter()
            connection.execute(f"copy {shape} to '{parquet}' (format parquet, compression zstd)")
            parquet_s = time.perf_counter() - started
            timings = []
            for query in queries[shape]:
                started = time.perf_counter()
                connection.execute(query).fetchall()
                timings.append(time.perf_counter() - started)
            (rows,) = connection.execute(f"select count(*) from {shape}").fetchone()
            figures[shape] = {
                "rows": rows,
                "columns": len(connection.execute(f"select * from {shape} limit 0").description),
                "table_s": table_s,
                "parquet_s": parquet_s,
                "parquet_mb": parquet.stat().st_size / 2**20,
                "bi_queries_s": timings,
            }
        figures["criteria"] = len(criteria)
    figures["wide_vs_long_parquet_size"] = (
        figures["wide"]["parquet_mb"] / figures["long"]["parquet_mb"]
    )
    return figures


def _a_town(table: str) -> str:
    return f"select min(town_id) from {table}"


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2])), indent=1))
