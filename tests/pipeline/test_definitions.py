"""The code location loads, and its asset graph is one graph from ServiceNow to the mart."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import dagster as dg

from connectors.servicenow.tables import TABLES
from pipelines.cli import DAGSTER_YAML
from pipelines.definitions import defs
from pipelines.schedules import RECONCILIATION_RUN_CONFIG

REPO = Path(__file__).resolve().parents[2]
DAGSTER = str(Path(sys.executable).parent / "dagster")


def upstream_of(graph: dg.AssetGraph, key: dg.AssetKey) -> set[dg.AssetKey]:
    seen: set[dg.AssetKey] = set()
    todo = [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_every_servicenow_table_has_an_ingestion_asset() -> None:
    keys = defs.resolve_all_asset_keys()
    for spec in TABLES:
        assert dg.AssetKey(["servicenow", spec.name]) in keys


def test_the_published_warehouse_depends_on_the_tables_factors_and_marts() -> None:
    graph = defs.resolve_asset_graph()
    upstream = upstream_of(graph, dg.AssetKey("published_warehouse"))
    for key in (
        ["servicenow", "alm_hardware"],
        ["servicenow", "cmdb_model"],
        ["servicenow", "cmn_location"],
        ["factors", "emission_factors"],
        ["factors", "model_matches"],
        ["stg_servicenow__hardware_assets"],
        ["fct_footprint"],
        ["dim_hardware_assets"],
    ):
        assert dg.AssetKey(key) in upstream, key


def test_dbt_sources_are_the_ingestion_assets_not_loose_external_assets() -> None:
    graph = defs.resolve_asset_graph()
    materializable = {key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    # The one declared input no asset of this run writes: the archive of earlier publishes.
    materializable.add(dg.AssetKey(["editions", "published_footprints"]))
    for key in graph.get_all_asset_keys():
        for parent in graph.get(key).parent_keys:
            assert parent in materializable, (
                f"{key.to_user_string()} reads {parent}, unmaterialised"
            )


def test_blocking_quality_check_guards_hardware_assets() -> None:
    checks = defs.resolve_asset_graph().asset_check_keys
    assert (
        dg.AssetCheckKey(dg.AssetKey(["servicenow", "alm_hardware"]), "alm_hardware_expectations")
        in checks
    )


def test_the_nightly_job_is_scheduled_with_a_sunday_reconciliation() -> None:
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.job_name == "nightly"
    requests = {}
    for day in (datetime(2026, 11, 28, 2), datetime(2026, 11, 29, 2)):  # Saturday, Sunday
        context = dg.build_schedule_context(scheduled_execution_time=day)
        requests[day.strftime("%A")] = schedule.evaluate_tick(context).run_requests[0]
    assert requests["Saturday"].run_config == {}
    assert requests["Sunday"].run_config == RECONCILIATION_RUN_CONFIG


def test_runs_building_the_warehouse_never_overlap(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text(DAGSTER_YAML)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
    assert {"key": "empreinte/warehouse", "limit": 1} in limits
    assert defs.resolve_job_def("nightly").tags["empreinte/warehouse"] == "build"


def test_dagster_cli_lists_the_graph() -> None:
    listed = subprocess.run(
        [
            str(Path(sys.executable).parent / "dagster"),
            "asset",
            "list",
            "-m",
            "pipelines.definitions",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "servicenow/alm_hardware" in listed
    assert "factors/emission_factors" in listed
    assert "fct_footprint" in listed
    assert "published_warehouse" in listed


def test_the_workspace_loads_the_code_location() -> None:
    validated = subprocess.run(
        [DAGSTER, "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0, validated.stderr[-2000:]
    output = validated.stdout + validated.stderr
    assert "Validation successful for code location pipelines.definitions" in output
