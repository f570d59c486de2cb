"""What an incremental night's deletes hold in DuckDB's memory, at the fact table's size.

DuckDB keeps a committed delete's version information in memory until the next checkpoint,
where ``memory_limit`` cannot spill it, for every vector of 2,048 rows the delete touches; the
rows an incremental night computes again are spread over the whole of ``fct_footprint``. A
table of ``--rows`` rows whose asset ids are interleaved as the fact table's are, then the rows
of 1% of the assets deleted within the pipeline's memory limit, two ways, each in a process of
its own: one delete, then slices of rowids each committed and checkpointed (as
``footprint_rows_replaced_deleted()`` in ``dbt_project/macros/incremental_footprint.sql``).
Prints each way's outcome, time and peak RSS.

    python -m benchmarks.deletes --rows 690000000   # L's fact table: 40 s to build, 5 GB
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks import measure
from pipelines.warehouse import memory_limit

ASSETS = 2_500_000  # L's fleet
SLICE_ROWS = 16_777_216  # the pipeline's default (EMPREINTE_DELETE_SLICE_ROWS)
DELETED = "asset % 100 = 7"  # 1% of the assets


def build(path: Path, rows: int) -> None:
    """Consecutive rows belong to different assets, so every vector holds rows to delete."""
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            f"create table fact as select range % {ASSETS} as asset, range // {ASSETS} as line"
            f" from range({rows})"
        )


def delete(path: Path, slice_rows: int) -> None:
    """Delete the rows of 1% of the assets: at once (``slice_rows`` 0) or in slices."""
    config = {"memory_limit": memory_limit(), "temp_directory": str(path.parent / "tmp")}
    with duckdb.connect(str(path), config=config) as connection:
        started = time.perf_counter()
        if not slice_rows:
            connection.execute(f"delete from fact where {DELETED}")
        else:
            (last,) = connection.execute("select max(rowid) from fact").fetchone()
            for first in range(0, last + 1, slice_rows):
                connection.execute(
                    f"delete from fact where rowid >= {first} and rowid < {first + slice_rows}"
                    f" and {DELETED}"
                )
                connection.execute("checkpoint")
        print(f"deleted in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=690_000_000)
    parser.add_argument("--slice-rows", type=int, default=SLICE_ROWS)
    parser.add_argument("--delete-from", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.delete_from:  # one way, in the process measured
        delete(options.delete_from, options.slice_rows)
        return
    folder = Path(tempfile.mkdtemp(prefix="empreinte-deletes-"))
    try:
        table = folder / "fact.duckdb"
        started = time.perf_counter()
        build(table, options.rows)
        print(f"{options.rows:,} rows built in {time.perf_counter() - started:.0f} s")
        for name, slice_rows in (
            ("one delete", 0),
            (f"slices of {options.slice_rows:,}", options.slice_rows),
        ):
            copy = folder / "copy.duckdb"
            shutil.copyfile(table, copy)
            command = [sys.executable, "-m", "benchmarks.deletes", "--delete-from", str(copy)]
            measured = measure.run([*command, "--slice-rows", str(slice_rows)], check=False)
            lines = measured.output.strip().splitlines() or [""]
            outcome = next((line for line in lines if "Error:" in line), lines[-1])
            print(
                f"{name}: {'passed' if measured.returncode == 0 else 'FAILED'},"
                f" {measured.wall_s:.1f} s, peak {measured.peak_rss_mb:,.0f} MiB: {outcome[:200]}"
            )
            copy.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
