"""Every dbt unit test (the hand-worked formulas beside the models), run as dbt advises: in the
test run, not in the nightly build. The models are built empty from a real lake first, so each
unit test finds its inputs' columns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipelines.variant_builds import ScenarioPaths, dbt_environment
from tests.pipeline.conftest import PipelineRun

DBT = str(Path(sys.executable).with_name("dbt"))
DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


def test_every_unit_test_passes(pipeline_run: PipelineRun, tmp_path: Path) -> None:
    assert pipeline_run.success
    paths = pipeline_run.paths
    environment = {
        **os.environ,
        **dbt_environment(
            lake=paths.lake,
            editions=paths.editions,
            runs=ScenarioPaths.of(paths).runs,
            build=tmp_path / "warehouse.duckdb",
            internal=tmp_path / "internal.duckdb",
            temp_directory=tmp_path / "spill",
        ),
    }
    target = tmp_path / "target"
    built = subprocess.run(
        [DBT, "build", "--empty", "--exclude-resource-type", "test", "--target-path", str(target)],
        cwd=DBT_PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-4000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit_tests = {
        result["unique_id"]: result["status"]
        for result in results
        if result["unique_id"].startswith("unit_test.")
    }
    manifest = json.loads((target / "manifest.json").read_text())
    assert set(unit_tests) == set(manifest["unit_tests"])  # every one of them ran
    assert len(unit_tests) >= 50
    assert set(unit_tests.values()) == {"pass"}
