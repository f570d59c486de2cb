"""dbt assets: every model of dbt_project/, built into the build file, tests as asset checks."""

import fcntl
import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from pipelines.config_file import configured_dbt_vars
from pipelines.incremental import full_build_reason
from pipelines.memory import release_before
from pipelines.resources import WarehouseResource
from pipelines.variant_builds import DBT_EXECUTABLE, DBT_PROJECT_DIR, nightly_dbt_environment
from pipelines.warehouse import prepare_build

# The Dagster run building the warehouse, for marts.warehouse_metadata.
RUN_ID_VARIABLE = "EMPREINTE_RUN_ID"

# What a parse reads: a manifest older than any of these describes other models.
_PARSED = ("dbt_project.yml", "packages.yml", "profiles.yml", "models", "macros", "seeds", "tests")


def code_version(project_dir: Path, dbt_vars: Mapping[str, Any]) -> str:
    """A digest of what dbt computes with beside the data: every file it parses and the
    configured vars. A night whose version differs from the published one's rebuilds every
    row instead of building incrementally."""
    digest = hashlib.sha256(json.dumps(dict(dbt_vars), sort_keys=True, default=str).encode())
    for name in _PARSED:
        path = project_dir / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(str(file.relative_to(project_dir)).encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def manifest_is_stale(project: DbtProject) -> bool:
    """True when the manifest is missing or older than a file dbt parses (after a pull)."""
    if not project.manifest_path.exists():
        return True
    parsed_at = project.manifest_path.stat().st_mtime
    for name in _PARSED:
        path = project.project_dir / name
        files = path.rglob("*") if path.is_dir() else [path]
        if any(file.is_file() and file.stat().st_mtime > parsed_at for file in files):
            return True
    return False


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource, without two things it does before each command.

    - The dbt adapter it opens in Dagster's own process (about 2 s and 40 MiB a night):
      dagster-dbt uses it only to fetch row counts and column metadata, which these assets do
      not ask for. dbt itself runs in its own process as before; without the adapter, its
      events reach Dagster as each node ends instead of once the build is over
      (tests/pipeline/test_cli.py fails if the adapter comes back).
    - `dbt --version`, a process of about 3 s: the dbt installed beside this Python gives its
      version from its package's metadata; another executable is still asked.

    Both are private members of dagster-dbt 0.29, which pyproject.toml pins."""

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable).parent == Path(sys.executable).parent:
            return version.parse(importlib.metadata.version("dbt-core"))
        return super()._cli_version


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# `dagster dev` re-parses on load (with the `dbt` on PATH, see the Makefile); elsewhere the
# manifest is parsed on the first load of a checkout and again whenever the project changed.
dbt_project.prepare_if_dev()


def parse_if_stale(project: DbtProject) -> bool:
    """Parse the project when its manifest is stale, one process at a time (the webserver,
    the daemon or parallel test workers may load the definitions at once, and a manifest read
    while another process writes it is torn); True when this call parsed."""
    target = project.project_dir / project.target_path
    target.mkdir(parents=True, exist_ok=True)
    with (target / ".parse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not manifest_is_stale(project):  # another process parsed meanwhile
            return False
        DbtCli(project_dir=project, dbt_executable=DBT_EXECUTABLE).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()
        return True


if manifest_is_stale(dbt_project):
    parse_if_stale(dbt_project)


class LayeredTranslator(DagsterDbtTranslator):
    """Models keep their name as asset key (sources stay ``servicenow/<table>``, the ingestion
    assets) and are grouped by layer: staging (with seeds), intermediate, marts, bi."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        folders = dbt_resource_props["fqn"][1:-1]
        if dbt_resource_props["resource_type"] == "seed" or not folders:
            return "staging"
        if folders[0] == "marts" and "bi" in folders:
            return "bi"
        return folders[0]

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        """A dbt test as an asset check, described by the test's own description or by what it
        tests (``not_null on model_id``)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        test = manifest["nodes"][unique_id]
        kind = (test.get("test_metadata") or {}).get("name", test["name"])
        column = f" on {test['column_name']}" if test.get("column_name") else ""
        return spec._replace(description=test.get("description") or f"dbt test {kind}{column}")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LayeredTranslator(),
)
def dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    """Build the selected models into the build file and run their tests; publishing happens
    downstream. The build starts from a copy of the published warehouse and the last build's
    internal layers, so fct_footprint computes only the rows whose inputs changed; from an
    empty file when the models or their configuration changed since the published build, when
    too much of the published file holds no live row, or when EMPREINTE_FULL_REBUILD asks
    (pipelines/incremental.py)."""
    paths = warehouse.paths
    configured = configured_dbt_vars()  # the configuration file's decisions (baseline year...)
    version = code_version(DBT_PROJECT_DIR, configured)
    full_build = full_build_reason(paths, version)
    prepare_build(paths, from_published=context.is_subset or full_build is None)
    context.log.info(
        f"full build: {full_build}"
        if full_build
        else "incremental build from the published warehouse"
    )
    # dbt runs as a subprocess and reads its inputs (the lake, the editions, the scenario runs
    # the decision marts compare), build file and DuckDB settings from its environment, and
    # keeps its artefacts in `paths.dbt_target`. The run id comes through the environment: as a
    # var, it would make dbt parse the whole project every night.
    os.environ.update(nightly_dbt_environment(paths) | {RUN_ID_VARIABLE: context.run.run_id})
    dbt_vars = json.dumps(
        configured
        | {"code_version": version}
        | ({"as_of": warehouse.as_of_date} if warehouse.as_of_date else {})
    )
    # The data tests judge tonight's rows; the unit tests judge the SQL, which a night does not
    # change: they run in `make test` (tests/pipeline/test_dbt_unit_tests.py), as dbt advises.
    build = ["build", "--exclude-resource-type", "unit_test", "--vars", dbt_vars]
    if released := release_before("dbt"):
        context.log.info(released)
    yield from dbt.cli(build, context=context, target_path=paths.dbt_target).stream()
