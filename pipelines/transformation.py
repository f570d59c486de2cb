"""dbt assets: every model of dbt_project/, built into the build file, tests as asset checks."""

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.config_file import configured_dbt_vars
from pipelines.resources import WarehouseResource
from pipelines.variant_builds import ScenarioPaths, ensure_runs_schema
from pipelines.warehouse import prepare_build

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
# The dbt installed beside this Python, so the pipeline runs without an activated environment.
DBT_EXECUTABLE = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# `dagster dev` re-parses on load (with the `dbt` on PATH, see the Makefile); elsewhere the
# manifest is parsed once, on the first load of a fresh checkout.
dbt_project.prepare_if_dev()
if not dbt_project.manifest_path.exists():
    DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE).cli(
        ["parse", "--quiet"], target_path=dbt_project.target_path
    ).wait()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Build the selected models into a fresh build file (a copy of the published warehouse when
    only some models are selected), running their tests; publishing happens downstream."""
    paths = warehouse.paths
    prepare_build(paths, from_published=context.is_subset)
    # dbt runs as a subprocess and reads the lake and build locations from its environment.
    os.environ.update(paths.dbt_env())
    # The scenario runs the decision marts compare and the action plans adopt.
    runs = ScenarioPaths.of(paths).runs
    ensure_runs_schema(runs)
    os.environ["EMPREINTE_SCENARIO_RUNS"] = str(runs)
    dbt_vars = configured_dbt_vars()  # the configuration file's decisions (baseline year...)
    if warehouse.as_of_date:
        dbt_vars["as_of"] = warehouse.as_of_date
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()
