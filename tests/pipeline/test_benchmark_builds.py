"""The transformation benchmark's dbt builds run as a deployment's nights do: the project parsed
once, then each build parsing only what changed; the data tests built, the unit tests left to
`make test`. Their ratios to the reference mean something only while they do."""

from __future__ import annotations

import json
import re
from pathlib import Path

from benchmarks.transformation import BUILDS, measure_dbt, measure_dbt_command, measure_parse
from tests.pipeline.conftest import AS_OF, PipelineRun


def test_the_builds_parse_the_project_once(pipeline_run: PipelineRun, tmp_path: Path) -> None:
    assert pipeline_run.success
    lake, editions = pipeline_run.paths.lake, pipeline_run.paths.editions
    database = tmp_path / "dbt_build.duckdb"

    parsed = measure_parse(lake, editions, database, AS_OF.isoformat())
    built = measure_dbt("dbt_fct_footprint_models", lake, editions, database, AS_OF.isoformat())

    assert parsed.returncode == 0, parsed.output[-2000:]
    assert built.returncode == 0, built.output[-2000:]
    target = tmp_path / "dbt_build.target"
    # One section of dbt's log per command, each opening with a rule of 30 "=".
    parse_log, build_log = re.split(r"^={30} ", (target / "dbt.log").read_text(), flags=re.M)[1:]
    full_parse = "Unable to do partial parsing"  # what dbt says at every full parse
    assert full_parse in parse_log
    assert full_parse not in build_log
    results = json.loads((target / "run_results.json").read_text())["results"]
    built_ids = {result["unique_id"] for result in results}
    assert "model.empreinte.fct_footprint" in built_ids
    assert not {node for node in built_ids if node.startswith(("test.", "unit_test."))}


def test_every_model_and_test_means_the_data_tests_as_the_night_runs_them(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    assert pipeline_run.success
    selection = BUILDS["dbt_models_and_tests"]
    assert selection[0] == "build"
    listed = measure_dbt_command(
        ["ls", *selection[1:], "--output", "json", "--output-keys", "resource_type"],
        pipeline_run.paths.lake,
        pipeline_run.paths.editions,
        tmp_path / "dbt_build.duckdb",
        AS_OF.isoformat(),
    )

    assert listed.returncode == 0, listed.output[-2000:]
    kinds = {json.loads(line)["resource_type"] for line in listed.output.splitlines()}
    assert {"model", "test", "seed"} <= kinds
    assert "unit_test" not in kinds
