"""Benchmark: the whole nightly pipeline against the fake instance at growing scales.

Prints, per scale, the wall time of each Dagster step, the rows landed and published, the
throughput and the peak memory, then each figure's ratio to the smallest scale, so that
growth can be judged within one run on one machine (timings on a shared machine are noisy;
ratios measured together are what to compare). Run with `make benchmark` or
`python -m benchmarks.pipeline --scales 0.25 1 4` (1.0 = about 25,000 assets).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from connectors.servicenow.fake import FakeInstance
from pipelines.warehouse import WarehousePaths, connect_read_only


def run_once(scale: float, data_dir: Path) -> dict[str, float]:
    """One nightly run at ``scale`` into ``data_dir``; its figures."""
    from dagster import DagsterInstance

    from pipelines.definitions import defs

    with FakeInstance(seed=42, scale=scale) as fake:
        os.environ.update(
            {
                "EMPREINTE_DATA_DIR": str(data_dir),
                "EMPREINTE_SERVICENOW_URL": fake.url,
                "EMPREINTE_SERVICENOW_AUTH": "basic",
                "EMPREINTE_SERVICENOW_USER": fake.user,
                "EMPREINTE_SERVICENOW_PASSWORD": fake.password,
                "EMPREINTE_AS_OF": "2026-11-01",
            }
        )
        instance = DagsterInstance.ephemeral()
        started = time.perf_counter()
        result = defs.resolve_job_def("nightly").execute_in_process(
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        )
        figures = {"total_s": time.perf_counter() - started}
        for step in instance.get_run_step_stats(result.run_id):
            figures[f"{step.step_key}_s"] = step.end_time - step.start_time
    paths = WarehousePaths.from_env()
    landed = duckdb.sql(
        f"select count(*) from read_parquet('{paths.lake}/servicenow/*/*.parquet',"
        " union_by_name = true)"
    ).fetchall()[0][0]
    with connect_read_only(paths) as connection:
        published = connection.execute("select count(*) from fct_footprint").fetchall()[0][0]
    figures.update(rows_landed=landed, footprint_rows=published)
    figures["landed_rows_per_s"] = landed / figures["servicenow_tables_s"]
    figures["footprint_rows_per_s"] = published / figures["dbt_models_s"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 1.0, 4.0])
    scales = sorted(parser.parse_args().scales)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for scale in scales:
            results[scale] = run_once(scale, Path(folder) / f"scale-{scale}")
            print(f"scale {scale}: {results[scale]['total_s']:.1f} s", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    names = list(results[scales[0]])
    print(f"\n{'figure':<28}" + "".join(f"{'scale ' + str(s):>16}" for s in scales))
    for name in names:
        print(f"{name:<28}" + "".join(f"{results[s][name]:>16,.1f}" for s in scales))
    print(
        f"\n{'ratio to scale ' + str(scales[0]):<28}"
        + "".join(f"{'x' + str(s / scales[0]):>16}" for s in scales)
    )
    for name in names:
        base = results[scales[0]][name] or 1.0
        print(f"{name:<28}" + "".join(f"{results[s][name] / base:>16.2f}" for s in scales))
    print(f"\npeak memory: this process {peak_mb:,.0f} MB, dbt {peak_children_mb:,.0f} MB")


if __name__ == "__main__":
    main()
