"""A series of nights as a deployment runs them, for what incremental nights do to the published
file over time.

A full night, then incremental ones; before each, a day of changes through the fake's Table API
(1% of the assets changed, 0.1% deleted) and the as-of date one day on, so the current year of
every asset in use is computed again, as on a real instance. Per night: wall time, whether
``fct_footprint`` was built incrementally or from an empty file (``EMPREINTE_COMPACT_AT``,
``pipelines/incremental.py``), the published file's size, the fact table's live rows against
the rows it stores (deleted ones included), the share of the file holding no live row, and
the size of its Parquet copy. Prints a table; writes ``results/<start>-nights-<scale>.json``.

    python -m benchmarks.nights --scale S --nights 8
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import nightly
from benchmarks.extraction import FakeProcess
from benchmarks.run import REPO, RESULTS, SCALES, environment
from pipelines.incremental import published_room
from pipelines.warehouse import WarehousePaths


def published_file(paths: WarehousePaths) -> dict[str, Any]:
    """The published file's size and what its fact table stores."""
    room = published_room(paths)
    return {
        "file_mb": paths.warehouse.resolve().stat().st_size / 1e6,
        "fct_footprint_rows": room.rows,
        "fct_footprint_rows_stored": room.stored,
        "unused_share": room.unused_share,
        "fct_footprint_parquet_mb": (paths.marts / "fct_footprint.parquet").stat().st_size / 1e6,
    }


def built_incrementally(paths: WarehousePaths) -> bool:
    """Whether the night's fct_footprint computed only the asset-years that changed (its SQL as
    dbt ran it)."""
    results = json.loads((paths.dbt_target / "run_results.json").read_text())
    (node,) = [r for r in results["results"] if r["unique_id"] == "model.empreinte.fct_footprint"]
    return "fct_footprint_rebuilt" in node["compiled_code"]


def series(scale: str, nights: int, data: Path, save: Any) -> list[dict[str, Any]]:
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    paths = WarehousePaths(data_dir=data, warehouse=data / "warehouse.duckdb")
    first_day = date.fromisoformat(nightly.AS_OF)
    figures: list[dict[str, Any]] = []
    with FakeProcess(SCALES[scale]) as fake:
        for number in range(nights + 1):
            changes = nightly.change_fleet(fake.url, seed=100 + number) if number else {}
            as_of = (first_day + timedelta(days=number)).isoformat()
            night = nightly.night(data, nightly.fake_env(fake.url), as_of)
            row = {"night": number, "as_of": as_of, "changes": changes, "wall_s": night["wall_s"]}
            if "failed" in night:
                figures.append(row | {"failed": night["failed"]})
                save(figures)
                break
            row |= {"incremental": built_incrementally(paths), **published_file(paths)}
            row["steps_s"] = night["steps_s"]
            figures.append(row)
            save(figures)
            print(_line(row), flush=True)
    return figures


def _line(row: dict[str, Any]) -> str:
    kind = "incremental" if row["incremental"] else "full"
    return (
        f"night {row['night']:>2} {row['as_of']} {kind:>11} {row['wall_s']:7.1f} s"
        f"  file {row['file_mb']:8.1f} MB  rows {row['fct_footprint_rows']:>12,}"
        f"  stored {row['fct_footprint_rows_stored']:>12,}  unused {row['unused_share']:6.1%}"
        f"  Parquet {row['fct_footprint_parquet_mb']:7.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["XS", "S", "M"], default="S")
    parser.add_argument("--nights", type=int, default=8, help="incremental nights after the first")
    parser.add_argument("--data", type=Path, default=REPO / "data" / "benchmark-nights")
    options = parser.parse_args()
    started = datetime.now(UTC)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{started:%Y-%m-%dT%H%M}-nights-{options.scale}.json"
    report: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.nights", *sys.argv[1:]]),
        "environment": environment(),
        "compact_at": os.environ.get("EMPREINTE_COMPACT_AT") or "default",
        "load_average_1_5_15_min": {"start": list(os.getloadavg())},
    }

    def save(figures: list[dict[str, Any]]) -> None:
        report["nights"] = figures
        report["load_average_1_5_15_min"]["last_save"] = list(os.getloadavg())
        path.write_text(json.dumps(report, indent=1, default=str))

    series(options.scale, options.nights, options.data.resolve() / options.scale, save)
    print(f"\nwritten {path}")


if __name__ == "__main__":
    sys.exit(main())
