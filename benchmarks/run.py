"""``make benchmark`` (S and M) and ``make benchmark SCALE=L``: every figure of issue 12 for each
scale, in one run on one machine, printed as a table and written as JSON under
``benchmarks/results/``.

Per scale:
- S and M: a full extraction over HTTP at concurrency 4 from the fake instance served by four
  forked copies in a process of their own (``extraction.py``); then the whole nightly run
  against the fake in one process, since the night's changes are written to it (``nightly.py``).
  At M, a day of changes on the instance (1% of assets changed, 0.1% deleted) and the
  incremental night that follows.
- L: the metropolis ×100 written straight to export files (``connectors/servicenow/fake/
  bulk.py``), and the whole nightly run reading them.
- On the lake the night left: the hand-written reference script, checked against the night's
  ``fct_footprint``, and the peer on the night's warehouse (``peer.py``); then three dbt builds
  (``transformation.py``), each into a fresh file removed once measured. At L, where a fact
  table takes about 30 GB, the disk holds one: the peer runs first, the three builds are read
  from the night's own dbt run (each would take about as long as the night's build), and the
  night's fact table is reduced to one line per item and removed before the reference runs.

Data goes under ``data/benchmark/<scale>/`` (replaced at each run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks import extraction, nightly, peer, transformation
from connectors.servicenow.fake.bulk import write_exports

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results")
# XS: a quick try of the harness itself.
SCALES = {"XS": 0.1, "S": 1.0, "M": 10.0, "L": 100.0}
# Targets of issue 12 (ratios and rates; memory in MiB).
TARGETS = {
    "fct_footprint_models_vs_reference": 1.5,
    "models_and_tests_vs_reference": 3.0,
    "incremental_vs_full_night": 0.2,
    "client_overhead": 0.2,
    "parse_land_rows_per_cpu_s": 100_000,
    "peer_throughput_ratio": 1_000,
    "peak_rss_mb_at_L": 4096,
}


def measure_scale(
    name: str,
    root: Path,
    save: Callable[[dict[str, Any]], None],
    via_exports: bool = False,
    nights_only: bool = False,
) -> dict[str, Any]:
    """Every figure of one scale, ``save``d after each step (the cheapest and most asked-for
    first: a run stopped early keeps what it measured)."""
    scale = SCALES[name]
    data = root / name
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    figures: dict[str, Any] = {"scale": scale}
    if name == "L" or via_exports:
        started = time.perf_counter()
        figures["generated_rows"] = sum(write_exports(data / "exports", scale).values())
        figures["generation_s"] = time.perf_counter() - started
        _say(name, f"generated {figures['generated_rows']:,} rows")
        exports = {"EMPREINTE_EXPORTS_DIR": str(data / "exports")}
        figures["night"] = nightly.night(data, exports)
        save(figures)
        if nights_only:
            figures["changes"] = nightly.change_exports(data / "exports")
            _incremental_night(name, figures, nightly.night(data, exports), save)
        shutil.rmtree(data / "exports")
        if not nights_only:
            _transformation(name, data, figures, save)
    else:
        if not nights_only:
            # Pages served in parallel, one copy of the fake per request slot, as a real
            # instance's nodes serve them; then each page costing the server PAGE_SECONDS. The
            # nights write to the fake: one process.
            for figure, pace in (
                ("extraction", 0.0),
                ("extraction_paced", extraction.PAGE_SECONDS),
            ):
                with extraction.FakeProcess(
                    scale, processes=extraction.CONCURRENCY, page_seconds=pace
                ) as fake:
                    figures[figure] = extraction.measure(fake, data / "extraction_lake")
                shutil.rmtree(data / "extraction_lake")
                _say(name, f"{figure} {figures[figure]['rows_per_s']:,.0f} rows/s")
                save(figures)
        with extraction.FakeProcess(scale) as fake:
            figures["night"] = nightly.night(data, nightly.fake_env(fake.url))
            _say(name, f"night {figures['night']['wall_s']:.0f} s")
            save(figures)
            _after_night(name, data, figures, save, fake.url, nights_only)
    shutil.rmtree(data / "benchmark_builds", ignore_errors=True)
    return figures


def resume_scale(
    name: str, root: Path, figures: dict[str, Any], save: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """The steps after the night, measured again on the lake that night left (a run stopped
    after its night); the night's figures are kept."""
    data = root / name
    figures["resumed"] = {
        "commit": environment()["commit"],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    shutil.rmtree(data / "benchmark_builds", ignore_errors=True)
    if "extraction" in figures:
        # The fake is generated again from its seed: the instance the night extracted.
        with extraction.FakeProcess(SCALES[name]) as fake:
            _after_night(name, data, figures, save, fake.url)
    else:
        _transformation(name, data, figures, save)
    shutil.rmtree(data / "benchmark_builds", ignore_errors=True)
    return figures


def _after_night(
    name: str,
    data: Path,
    figures: dict[str, Any],
    save: Callable[[dict[str, Any]], None],
    url: str,
    nights_only: bool = False,
) -> None:
    """The transformation figures, then at M (at every scale with ``nights_only``) a day of
    changes and the incremental night."""
    if not nights_only:
        _transformation(name, data, figures, save)
    if name == "M" or nights_only:
        figures["changes"] = nightly.change_fleet(url)
        _incremental_night(name, figures, nightly.night(data, nightly.fake_env(url)), save)


def _incremental_night(
    name: str,
    figures: dict[str, Any],
    night: dict[str, Any],
    save: Callable[[dict[str, Any]], None],
) -> None:
    """Recorded; the ratio to the full night only when both nights passed: the seconds a night
    took to fail (e.g. refused by the disk check) measure nothing."""
    figures["incremental_night"] = night
    if "failed" in night or "failed" in figures["night"]:
        _say(name, f"incremental night FAILED after {night['wall_s']:.0f} s")
    else:
        figures["incremental_vs_full_night"] = night["wall_s"] / figures["night"]["wall_s"]
        _say(name, f"incremental night {night['wall_s']:.0f} s")
    save(figures)


def _transformation(
    name: str, data: Path, figures: dict[str, Any], save: Callable[[dict[str, Any]], None]
) -> None:
    """The reference, checked against the night's ``fct_footprint`` (the same models on the
    same lake) and the peer on that warehouse; then dbt's parse and each dbt build into a fresh
    file, removed once measured. At most two fact tables are on disk at once; at L, where one
    takes about 30 GB, one: see ``_transformation_at_l``."""
    lake, builds = data / "lake", data / "benchmark_builds"
    builds.mkdir(exist_ok=True)
    night_warehouse = _night_warehouse(data)
    if name == "L":
        _transformation_at_l(data, night_warehouse, figures, save)
        return
    reference = builds / "reference.duckdb"
    _reference(name, lake, reference, figures)
    figures["check"] = transformation.compare(reference, night_warehouse)
    _say(name, f"reference = night's fct_footprint: {figures['check']['identical']}")
    transformation.remove_database(reference)
    save(figures)
    figures["peer"] = peer.measure(lake, night_warehouse)
    _say(name, f"peer ratio {figures['peer']['throughput_ratio']:,.0f}")
    save(figures)
    base = figures["reference"]["wall_s"]
    editions = data / "editions"
    # Every build into the same file name, after one parse (recorded): as a deployment's nights.
    database = builds / "dbt_build.duckdb"
    figures["dbt_parse"] = transformation.measure_parse(
        lake, editions, database, nightly.AS_OF
    ).as_dict()
    save(figures)
    for build in transformation.BUILDS:
        measured = transformation.measure_dbt(build, lake, editions, database, nightly.AS_OF)
        figures[build] = measured.as_dict()
        transformation.remove_database(database)
        if measured.returncode != 0:
            # Recorded with dbt's last words; the other builds are still measured.
            figures[build]["failed"] = measured.output[-4000:]
            _say(name, f"{build} FAILED after {measured.wall_s:.0f} s")
        else:
            figures[f"{build.removeprefix('dbt_')}_vs_reference"] = figures[build]["wall_s"] / base
            _say(name, f"{build} {figures[build]['wall_s']:.0f} s")
        save(figures)


def _transformation_at_l(
    data: Path,
    night_warehouse: Path,
    figures: dict[str, Any],
    save: Callable[[dict[str, Any]], None],
) -> None:
    """At L: the peer on the night's warehouse; the three builds read from the night's own dbt
    run (each would take about as long as the night's build); the night's fact table reduced
    to one line per item (``transformation.summarise``) and the night's files removed; then the
    reference, in the room they leave, checked against that summary."""
    lake, builds = data / "lake", data / "benchmark_builds"
    figures["peer"] = peer.measure(lake, night_warehouse)
    _say("L", f"peer ratio {figures['peer']['throughput_ratio']:,.0f}")
    save(figures)
    night = transformation.builds_from_night(
        data / "build" / "dbt", figures["night"]["steps_s"]["dbt_build"]
    )
    figures.update(night)
    save(figures)
    summary = builds / "night_items.duckdb"
    transformation.summarise(night_warehouse, summary)
    _free_night_copies(data)
    reference = builds / "reference.duckdb"
    _reference("L", lake, reference, figures)
    for build, measured in night.items():
        figures[f"{build.removeprefix('dbt_')}_vs_reference"] = (
            measured["wall_s"] / figures["reference"]["wall_s"]
        )
    figures["check"] = transformation.compare(reference, summary=summary)
    _say("L", f"reference = night's fct_footprint: {figures['check']['identical']}")
    transformation.remove_database(reference)
    save(figures)


def _night_warehouse(data: Path) -> Path:
    """The night's warehouse: published, or the build a failed night left."""
    published = data / "warehouse.duckdb"
    return published.resolve() if published.exists() else data / "build" / "warehouse.duckdb"


def _reference(name: str, lake: Path, reference: Path, figures: dict[str, Any]) -> None:
    figures["reference"] = transformation.measure_reference(
        lake, reference, nightly.AS_OF
    ).as_dict()
    _say(name, f"reference {figures['reference']['wall_s']:.0f} s")


def _free_night_copies(data: Path) -> None:
    """At L, once the night's fact table is summarised: the night's files (its published
    version with the Parquet marts, its build and working layers), removed to leave room for
    the reference (about 30 GB written, and as much spilled)."""
    published = (data / "warehouse.duckdb").resolve().parent
    if published.exists():
        published.chmod(0o755)  # a published version is read-only
        shutil.rmtree(published)
    for database in ("warehouse.duckdb", "internal.duckdb"):
        (data / "build" / database).unlink(missing_ok=True)


def environment() -> dict[str, Any]:
    """Machine and versions, for the record."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            package: version(package)
            for package in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "polars", "boaviztapi")
        },
        "commit": commit,
        "duckdb_memory_limit": transformation.duckdb_settings()["memory_limit"],
        "dbt_threads": os.environ.get("EMPREINTE_DBT_THREADS") or "1 (the profile's default)",
    }


def print_table(results: dict[str, dict[str, Any]]) -> None:
    """The figures side by side, one column per scale."""
    rows = [
        ("assets (x 25,000)", lambda r: r["scale"]),
        ("night: wall s", lambda r: _night_wall(r["night"])),
        ("night: peak RSS MiB", lambda r: r["night"]["peak_rss_mb"]),
        ("night: extract+check s", lambda r: r["night"]["steps_s"].get("extract_and_check")),
        ("night: factors s", lambda r: r["night"]["steps_s"].get("factors")),
        ("night: dbt build s", lambda r: r["night"]["steps_s"].get("dbt_build")),
        ("night: publish s", lambda r: r["night"]["steps_s"].get("publish")),
        ("incremental night s", lambda r: _night_wall(r.get("incremental_night"))),
        ("incremental / full", lambda r: r.get("incremental_vs_full_night")),
        ("fct_footprint rows", lambda r: r["check"]["dbt_rows"]),
        ("reference s", lambda r: r["reference"]["wall_s"]),
        ("reference peak MiB", lambda r: r["reference"]["peak_rss_mb"]),
        ("dbt full parse s", lambda r: r["dbt_parse"]["wall_s"]),
        ("dbt +fct_footprint s", lambda r: r["dbt_fct_footprint_models"]["wall_s"]),
        ("  / reference", lambda r: r["fct_footprint_models_vs_reference"]),
        ("dbt models s", lambda r: r["dbt_models"]["wall_s"]),
        ("  / reference", lambda r: r["models_vs_reference"]),
        ("dbt models+tests s", lambda r: r["dbt_models_and_tests"]["wall_s"]),
        ("  / reference", lambda r: r["models_and_tests_vs_reference"]),
        ("dbt models+tests peak MiB", lambda r: r["dbt_models_and_tests"]["peak_rss_mb"]),
        ("reference = dbt", lambda r: r["check"]["identical"]),
        ("extraction rows/s", lambda r: r.get("extraction", {}).get("rows_per_s")),
        ("client rows/CPU-s", lambda r: r.get("extraction", {}).get("client_rows_per_cpu_s")),
        ("parse+land rows/CPU-s", lambda r: r["extraction"]["parse_land_rows_per_cpu_s"]),
        ("client overhead", lambda r: r.get("extraction", {}).get("client_overhead")),
        (
            f"  pages paced at {extraction.PAGE_SECONDS * 1000:.0f} ms",
            lambda r: r.get("extraction_paced", {}).get("client_overhead"),
        ),
        ("peer assets/s", lambda r: r["peer"]["peer_assets_per_s"]),
        ("warehouse assets/s", lambda r: r["peer"]["warehouse_assets_per_s"]),
        ("peer ratio", lambda r: r["peer"]["throughput_ratio"]),
        ("peer largest difference", lambda r: r["peer"]["largest_relative_difference"]),
        ("peer over HTTP assets/s", lambda r: r["peer"]["http_peer_assets_per_s"]),
        ("peer over HTTP ratio", lambda r: r["peer"]["http_throughput_ratio"]),
        (
            "  difference (rounded)",
            lambda r: r["peer"]["http_largest_relative_difference_rounded"],
        ),
    ]
    scales = list(results)
    print(f"\n{'figure':<28}" + "".join(f"{s:>16}" for s in scales))
    for label, get in rows:
        cells = []
        for scale in scales:
            try:
                value = get(results[scale])
            except (KeyError, TypeError):
                value = None
            cells.append(_cell(value))
        print(f"{label:<28}" + "".join(f"{cell:>16}" for cell in cells))


def _night_wall(night: dict[str, Any] | None) -> float | str | None:
    """A night's wall seconds, or "failed": how long a night took to fail is no figure."""
    if night is None:
        return None
    return "failed" if "failed" in night else night["wall_s"]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        if value != 0 and abs(value) < 0.01:
            return f"{value:.1e}"
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}"


def _say(scale: str, message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {scale}: {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", choices=list(SCALES), default=["S", "M"])
    parser.add_argument("--data", type=Path, default=REPO / "data" / "benchmark")
    parser.add_argument(
        "--via-exports",
        action="store_true",
        help="every scale as L is: export files from the bulk generator, no HTTP extraction,"
        " no incremental night unless --nights-only (a quicker run of the transformation"
        " figures)",
    )
    parser.add_argument(
        "--nights-only",
        action="store_true",
        help="the full and the incremental night side by side, at every scale (at L and with"
        " --via-exports, the day's changes as export files): no separate"
        " extraction, reference, dbt builds or peer",
    )
    parser.add_argument(
        "--resume",
        type=Path,
        metavar="RESULTS_JSON",
        help="a run stopped after a scale's night: measure the rest of --scales again on the"
        " lakes their nights left under --data, into the same results file",
    )
    options = parser.parse_args()
    started = datetime.now(UTC)
    RESULTS.mkdir(exist_ok=True)
    if options.resume:
        path = options.resume
        report = json.loads(path.read_text())
    else:
        path = RESULTS / f"{started:%Y-%m-%dT%H%M}-{'-'.join(options.scales)}.json"
        report = {
            "started_at": started.isoformat(timespec="seconds"),
            "command": "make benchmark"
            + ("" if options.scales == ["S", "M"] else f" SCALE={' '.join(options.scales)}")
            + (" (python -m benchmarks.run --via-exports)" if options.via_exports else "")
            + (" (python -m benchmarks.run --nights-only)" if options.nights_only else ""),
            "environment": environment(),
            "load_average_1_5_15_min": {"start": list(os.getloadavg())},
            "targets": TARGETS,
            "results": {},
        }
    results: dict[str, dict[str, Any]] = report["results"]

    def save(scale: str, figures: dict[str, Any]) -> None:
        """The report so far, rewritten after each step: a run stopped early keeps it."""
        results[scale] = figures
        report["load_average_1_5_15_min"]["last_save"] = list(os.getloadavg())
        path.write_text(json.dumps(report, indent=1, default=str))

    root = options.data.resolve()
    for scale in options.scales:
        if options.resume:
            figures = resume_scale(scale, root, results[scale], partial(save, scale))
        else:
            figures = measure_scale(
                scale, root, partial(save, scale), options.via_exports, options.nights_only
            )
        save(scale, figures)
    print_table(results)
    print(f"\nwritten {path}")


if __name__ == "__main__":
    sys.exit(main())
