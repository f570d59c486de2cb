"""The code location loads, and its asset graph is one graph from ServiceNow to the mart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from connectors.servicenow.tables import TABLES
from pipelines.cli import DAGSTER_YAML
from pipelines.definitions import defs
from pipelines.schedules import RECONCILIATION_RUN_CONFIG
from pipelines.variant_builds import DBT_EXECUTABLE, DBT_PROJECT_DIR

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
    # And the scenario runs `empreinte scenario run` archives (scenarios/README.md), beside it;
    # and the lake's batches counted whole for the data-quality mart (every ingestion asset
    # writes them: the dbt step runs after all of them anyway).
    materializable.add(dg.AssetKey(["scenarios", "runs"]))
    materializable.add(dg.AssetKey(["landing", "landed_batches"]))
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


def test_the_schedule_is_on_by_default_and_set_from_the_environment() -> None:
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.execution_timezone == "Europe/Paris"
    probe = (
        "from pipelines.schedules import nightly_schedule as s;"
        " print(s.cron_schedule, s.execution_timezone, s.default_status.value)"
    )
    for environment, expected in (
        (
            {"EMPREINTE_SCHEDULE_CRON": "30 3 * * 1-5", "EMPREINTE_SCHEDULE_TIMEZONE": "UTC"},
            "30 3 * * 1-5 UTC RUNNING",
        ),
        ({"EMPREINTE_SCHEDULE_CRON": "off"}, "0 2 * * * Europe/Paris STOPPED"),
    ):
        printed = subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, **environment},
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert printed.strip() == expected


def test_dbt_models_are_grouped_by_layer() -> None:
    graph = defs.resolve_asset_graph()
    groups = {
        name: graph.get(dg.AssetKey(name)).group_name
        for name in (
            "stg_servicenow__hardware_assets",
            "country_codes",
            "int_hardware_assets_dated",
            "fct_footprint",
            "dim_hardware_assets",
            "climate_footprint_yearly",
            "footprint_yearly_wide",
            "warehouse_metadata",
        )
    }
    assert groups == {
        "stg_servicenow__hardware_assets": "staging",
        "country_codes": "staging",
        "int_hardware_assets_dated": "intermediate",
        "fct_footprint": "marts",
        "dim_hardware_assets": "marts",
        "climate_footprint_yearly": "bi",
        "footprint_yearly_wide": "bi",
        "warehouse_metadata": "bi",
    }


def test_jobs_checks_sensors_and_assets_say_what_they_are() -> None:
    graph = defs.resolve_asset_graph()
    undescribed = [
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).is_materializable and not graph.get(key).description
    ]
    assert undescribed == []
    for check in graph.asset_check_keys:
        assert graph.get_check_spec(check).description, check
    assert defs.resolve_job_def("nightly").description
    assert defs.resolve_sensor_def("exports_sensor").description
    assert defs.resolve_schedule_def("nightly_schedule").description


def test_the_quality_gates_block_the_publish() -> None:
    graph = defs.resolve_asset_graph()
    gates = {
        key.name: graph.get_check_spec(key)
        for key in graph.asset_check_keys
        if key.asset_key == dg.AssetKey("fct_footprint") and graph.get_check_spec(key).blocking
    }
    assert set(gates) >= {
        "no_unexplained_negative_values",
        "every_row_has_a_factor",
        "volumes_within_band_of_last_publish",
    }
    assert dg.AssetKey("fct_footprint") in upstream_of(graph, dg.AssetKey("published_warehouse"))


def test_a_run_holds_the_data_folder_from_its_first_step_to_its_last() -> None:
    # One process per run: the warehouse resource's lock spans every step.
    assert defs.resolve_job_def("nightly").executor_def.name == "in_process"


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


def test_a_changed_model_makes_the_manifest_stale(tmp_path: Path) -> None:
    """After a pull that changes a model, the pipeline parses again instead of running with a
    manifest that names models that no longer exist."""
    from dagster_dbt import DbtProject

    from pipelines.transformation import manifest_is_stale

    (tmp_path / "dbt_project.yml").write_text("name: p\nversion: '1'\nprofile: p\n")
    model = tmp_path / "models" / "m.sql"
    model.parent.mkdir()
    model.write_text("select 1 as x")
    project = DbtProject(project_dir=tmp_path)
    assert manifest_is_stale(project)  # never parsed
    project.manifest_path.parent.mkdir(parents=True)
    project.manifest_path.write_text("{}")
    os.utime(model, (1_000_000_000, 1_000_000_000))
    os.utime(tmp_path / "dbt_project.yml", (1_000_000_000, 1_000_000_000))
    assert not manifest_is_stale(project)
    model.write_text("select 2 as x")  # newer than the manifest
    assert manifest_is_stale(project)


def test_processes_loading_at_once_parse_the_project_once(tmp_path: Path) -> None:
    """The webserver and the daemon (or two test workers) load the definitions together: one
    parses, the other waits and reads the finished manifest."""
    (tmp_path / "dbt_project.yml").write_text(
        "name: p\nversion: '1.0'\nprofile: empreinte\nconfig-version: 2\n"
    )
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.sql").write_text("select 1 as x")
    shutil.copy(REPO / "dbt_project" / "profiles.yml", tmp_path / "profiles.yml")
    code = (
        "import sys; from dagster_dbt import DbtProject;"
        " from pipelines.transformation import parse_if_stale;"
        " print(parse_if_stale(DbtProject(project_dir=sys.argv[1])))"
    )
    loaders = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "DBT_PROFILES_DIR": str(tmp_path)},
        )
        for _ in range(2)
    ]
    parsed = sorted(loader.communicate(timeout=300)[0].split()[-1] for loader in loaders)
    assert parsed == ["False", "True"]
    assert "m" in {
        node["name"]
        for node in json.loads((tmp_path / "target" / "manifest.json").read_text())[
            "nodes"
        ].values()
    }


def test_no_dbt_run_sends_usage_events_to_dbt_labs(tmp_path: Path) -> None:
    """dagster-dbt turns dbt's usage events off for the nights it starts; the project's own flag
    turns them off for every other dbt run (scenarios, what-ifs, lint, `dbt docs generate`)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DBT_SEND_ANONYMOUS_USAGE_STATS", "DO_NOT_TRACK")
    }
    project = str(DBT_PROJECT_DIR)
    command = [DBT_EXECUTABLE, "debug", "--config-dir", "--project-dir", project]
    command += ["--profiles-dir", project, "--log-path", str(tmp_path)]
    command += ["--log-level-file", "debug", "--log-format-file", "json"]
    subprocess.run(command, env=environment, check=True, capture_output=True)
    lines = (tmp_path / "dbt.log").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    (arguments,) = [
        event["data"]["args"] for event in events if event["info"]["name"] == "MainReportArgs"
    ]
    assert arguments["send_anonymous_usage_stats"] == "False"
    assert not [event for event in events if event["info"]["name"] == "SendingEvent"]


def test_the_environments_dbt_gives_its_version_without_a_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """dagster-dbt asks for dbt's version before each command: the dbt beside this Python
    answers from its package, without `dbt --version` (a process of about 3 s a night); any
    other executable is still asked."""
    import importlib.metadata

    from dagster_dbt.core import resource
    from packaging import version

    from pipelines.transformation import DbtCli, dbt_project

    asked: list[list[str]] = []

    def check_output(command: list[str], **_: object) -> bytes:
        asked.append(command)
        return b"Core:\n  - installed: 1.11.2\n"

    monkeypatch.setattr(resource, "check_output", check_output)
    installed = version.parse(importlib.metadata.version("dbt-core"))
    assert DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)._cli_version == installed
    assert asked == []
    other = shutil.which("true")
    assert other is not None
    assert DbtCli(project_dir=dbt_project, dbt_executable=other)._cli_version == version.parse(
        "1.11.2"
    )
    assert asked == [[other, "--version"]]
