"""The README's commands, as a user and an operator run them: demo, query, status, publish,
config, run, and the Dagster instance `make dev` opens."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import dagster as dg
import pytest

from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.settings import SettingsError
from connectors.servicenow.tables import TABLES
from pipelines.configuration import check_settings
from pipelines.demo import DEFAULT_DEMO_DIR, NotADemoFolder, demo_folder, prepare_demo_folder
from pipelines.mart_checks import mart_gates
from pipelines.warehouse import WarehousePaths

EMPREINTE = str(Path(sys.executable).with_name("empreinte"))
DAGSTER = str(Path(sys.executable).with_name("dagster"))
DBT = str(Path(sys.executable).with_name("dbt"))
REPO = Path(__file__).resolve().parents[2]
SCALE = 0.02


# The console script run as it is, its process writing, as it ends, which of the libraries the
# night's steps run in processes of their own (pipelines/memory.py) it imported.
RECORDING_IMPORTS = """
import atexit, json, runpy, sys
record, sys.argv = sys.argv[1], sys.argv[2:]
heavy = {"great_expectations", "boaviztapi", "pandas", "dbt.adapters.duckdb"}
atexit.register(lambda: open(record, "w").write(json.dumps(sorted(heavy & set(sys.modules)))))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def empreinte(
    *args: str,
    data_dir: Path | None = None,
    cwd: Path | None = None,
    imports_to: Path | None = None,
    **environment: str,
) -> subprocess.CompletedProcess[str]:
    """Run the command with a clean environment (no EMPREINTE_* nor DAGSTER_HOME but those
    given), from ``cwd`` (default: a folder without a .env); with ``imports_to``, the heavy
    libraries its process imported are written there (RECORDING_IMPORTS)."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("EMPREINTE_", "DAGSTER_HOME"))
    }
    if data_dir is not None:
        clean["EMPREINTE_DATA_DIR"] = str(data_dir)
    recording = [sys.executable, "-c", RECORDING_IMPORTS, str(imports_to)] if imports_to else []
    return subprocess.run(
        [*recording, EMPREINTE, *args],
        env={**clean, **environment},
        cwd=cwd or Path(tempfile.gettempdir()),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    imports = folder.parent / "imported.json"
    return folder, empreinte(
        "demo", "--scale", str(SCALE), "--data-dir", str(folder), imports_to=imports
    )


def test_demo_runs_the_pipeline_and_prints_the_summary(demo) -> None:
    folder, result = demo
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Fake ServiceNow instance at http://127.0.0.1:" in result.stdout
    for heading in (
        "Footprint per town, climate change, amortised",
        "Total per accounting method",
        "Footprint per source, climate change, amortised",
        "Top categories",
        "Assets per factor match level",
    ):
        assert heading in result.stdout
    assert "| Nantes " in result.stdout and "| Rezé " in result.stdout
    assert (folder / "warehouse.duckdb").exists() and (folder / "demo.json").exists()
    coverage = result.stdout.split("Assets per factor match level")[1]
    assert "| category " in coverage and "unmapped" not in coverage


def test_the_nights_process_never_takes_the_libraries_its_steps_run_apart(demo) -> None:
    """The demo's night, in a fresh interpreter: every table's suite and every quality gate
    judged it (beside dbt's tests) and passed, in processes of their own, and the factor step's
    Boavizta engine ran there too: the night's own process imported none of them, nor the dbt
    adapter dagster-dbt would open in it (pipelines/memory.py, pipelines/transformation.py)."""
    folder, _ = demo
    with dg.DagsterInstance.from_config(str(folder / "dagster")) as instance:
        (run,) = instance.get_runs()
        evaluations = [
            entry.dagster_event.event_specific_data
            for entry in instance.all_logs(
                run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            )
        ]
    verdicts = {evaluation.check_name: evaluation.passed for evaluation in evaluations}
    suites = [f"{spec.name}_expectations" for spec in TABLES]
    suites += [key.name for key in mart_gates.check_keys]
    assert {name: verdicts.get(name) for name in suites} == dict.fromkeys(suites, True)
    assert json.loads((folder.parent / "imported.json").read_text()) == []


def test_the_demo_has_its_own_folder_apart_from_runs() -> None:
    assert demo_folder(None) == DEFAULT_DEMO_DIR.resolve()
    assert demo_folder(None) != WarehousePaths.at(Path("data")).data_dir


def test_the_demo_refuses_a_folder_it_did_not_create(tmp_path: Path) -> None:
    production = tmp_path / "data"
    (production / "lake" / "servicenow").mkdir(parents=True)
    batch = production / "lake" / "servicenow" / "batch.parquet"
    batch.write_bytes(b"a night's batch")
    result = empreinte("demo", "--scale", str(SCALE), "--data-dir", str(production))
    assert result.returncode == 2
    assert "holds data the demo did not create (lake)" in result.stderr
    assert "Starting the fake" not in result.stdout
    assert batch.read_bytes() == b"a night's batch"
    assert [path.name for path in production.iterdir()] == ["lake"], "nothing written there"


def test_a_new_demo_empties_only_the_folder_the_demo_made(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    prepare_demo_folder(folder, seed=1, scale=0.1)
    for made in ("lake/servicenow", "published/v1", "dagster"):
        (folder / made).mkdir(parents=True)
    (folder / "dagster" / "runs.db").write_bytes(b"history")
    prepare_demo_folder(folder, seed=1, scale=0.1)  # the same demo again keeps its lake
    assert (folder / "lake" / "servicenow").is_dir()
    prepare_demo_folder(folder, seed=2, scale=0.1)  # another fleet: a new lake
    assert sorted(path.name for path in folder.iterdir()) == ["dagster", "demo.json"]
    assert (folder / "dagster" / "runs.db").read_bytes() == b"history"
    assert json.loads((folder / "demo.json").read_text()) == {"seed": 2, "scale": 0.1}
    (folder / "demo.json").unlink()
    with pytest.raises(NotADemoFolder, match="holds data the demo did not create"):
        prepare_demo_folder(folder, seed=2, scale=0.1)
    assert (folder / "dagster" / "runs.db").exists()


def test_query_reads_the_published_warehouse(demo) -> None:
    folder, _ = demo
    result = empreinte(
        "query",
        "select count(*) as assets from dim_hardware_assets",
        "--format",
        "csv",
        "--data-dir",
        str(folder),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["assets", str(len(generate(42, SCALE)["alm_hardware"]))]


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        ("drop table fct_footprint", "read-only"),
        ("copy fct_footprint to '{folder}/stolen.csv'", "file system operations are disabled"),
        ("install httpfs", "Permission Error"),
        ("select * from read_csv('/etc/hostname')", "file system operations are disabled"),
        ("attach '{folder}/other.duckdb' as other", "file system operations are disabled"),
        ("set enable_external_access = true", "configuration has been locked"),
        ("   ", "no SQL given"),
    ],
)
def test_query_is_read_only(demo, sql: str, refusal: str) -> None:
    folder, _ = demo
    result = empreinte("query", sql.format(folder=folder), data_dir=folder)
    assert result.returncode == 2
    assert refusal in result.stderr
    assert "Traceback" not in result.stderr
    assert not (folder / "stolen.csv").exists() and not (folder / "other.duckdb").exists()


def test_query_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = empreinte("query", "select 1", data_dir=tmp_path)
    assert result.returncode == 2
    assert "no published warehouse" in result.stderr and "empreinte demo" in result.stderr


def test_status_shows_the_demo_run_and_what_it_published(demo) -> None:
    folder, _ = demo
    result = empreinte("status", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "Published: version 20" in result.stdout
    run = result.stdout.split("Last runs")[1]
    assert "SUCCESS" in run and "nightly (empreinte demo)" in run
    assert "loaded:    " in run and "alm_hardware" in run
    assert "published: 20" in run and "tCO2e" in run
    assert f"{len(generate(42, SCALE)['alm_hardware'])} assets" in run


def test_make_dev_opens_the_instance_of_the_cli_runs(demo) -> None:
    """What `make dev` shows: the CLI's runs in the data folder's instance, the schedule on by
    default, the exports sensor, the job and the blocking checks."""
    folder, _ = demo
    from pipelines.definitions import defs

    with dg.DagsterInstance.from_config(str(folder / "dagster")) as instance:
        runs = instance.get_runs()
        assert [run.tags.get("empreinte/command") for run in runs] == ["empreinte demo"]
        assert runs[0].status == dg.DagsterRunStatus.SUCCESS
        assert instance.all_instigator_state() == [], "no state stored: the defaults apply"
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert defs.resolve_sensor_def("exports_sensor").job_name == "nightly"
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {"volumes_within_band_of_last_publish", "alm_hardware_expectations"} <= checks
    listed = subprocess.run(
        [DAGSTER, "run", "list"],
        env={**os.environ, "DAGSTER_HOME": str(folder / "dagster")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"Run: {runs[0].run_id}" in listed.stdout


def test_dbt_docs_generate_reads_the_published_warehouse_without_writing(
    demo, tmp_path: Path
) -> None:
    folder, _ = demo
    before = sha256(folder / "warehouse.duckdb")
    generated = subprocess.run(
        [DBT, "docs", "generate", "--target", "published", "--target-path", str(tmp_path)],
        cwd=REPO / "dbt_project",
        env={**os.environ, "EMPREINTE_WAREHOUSE": str(folder / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout[-3000:]
    assert sha256(folder / "warehouse.duckdb") == before
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    footprint = catalog["nodes"]["model.empreinte.fct_footprint"]
    assert footprint["metadata"]["schema"] == "marts"
    assert footprint["metadata"]["comment"].startswith("The footprint")
    assert footprint["columns"]["method"]["comment"].startswith("Accounting convention")


def test_publish_lists_versions_and_refuses_a_rollback_with_none_kept(demo) -> None:
    folder, _ = demo
    listed = empreinte("publish", "--list", data_dir=folder)
    assert listed.returncode == 0 and listed.stdout.startswith("* 20")
    result = empreinte("publish", "--rollback", data_dir=folder)
    assert result.returncode == 2
    assert "no published version before" in result.stderr


def test_make_dev_without_an_instance_stops_before_dagster(tmp_path: Path) -> None:
    result = empreinte("dev", data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.startswith("empreinte dev: EMPREINTE_SERVICENOW_URL is not set")
    assert result.stderr.count("\n") == 1 and not (tmp_path / "data").exists()


def test_run_without_an_instance_names_the_missing_setting(tmp_path: Path) -> None:
    result = empreinte("run", data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.startswith("empreinte run: EMPREINTE_SERVICENOW_URL is not set")
    assert result.stderr.count("\n") == 1, "one line"
    assert not (tmp_path / "data" / "dagster").exists(), "it stopped before Dagster"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("EMPREINTE_AS_OF", "2026-02-30"),
        ("EMPREINTE_TIME_ZONE", "Nantes"),
        ("EMPREINTE_SCHEDULE_CRON", "every night"),
        ("EMPREINTE_SCHEDULE_TIMEZONE", "Paris"),
        ("EMPREINTE_KEEP_PUBLISHED", "none"),
        ("EMPREINTE_COMPACT_AT", "1.5"),
        ("EMPREINTE_COMPACT_AT", "a quarter"),
        ("EMPREINTE_VOLUME_BAND", "-1"),
        ("EMPREINTE_LOCK_WAIT_SECONDS", "soon"),
        ("EMPREINTE_DUCKDB_MEMORY_LIMIT", "lots"),
        ("DBT_LOG_LEVEL_FILE", "verbose"),
        ("EMPREINTE_FACTOR_SET", "no-such-set"),
    ],
)
def test_an_invalid_setting_is_named_with_its_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str
) -> None:
    monkeypatch.setenv("EMPREINTE_EXPORTS_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as invalid:
        check_settings(needs_instance=True)
    assert str(invalid.value).startswith(f"{variable}: {value!r}")
    assert "\n" not in str(invalid.value)


def test_an_invalid_setting_stops_the_run_in_one_line(tmp_path: Path) -> None:
    result = empreinte(
        "run",
        data_dir=tmp_path / "data",
        EMPREINTE_EXPORTS_DIR=str(tmp_path),
        EMPREINTE_SCHEDULE_CRON="every night",
    )
    assert result.returncode == 2
    assert result.stderr == (
        "empreinte run: EMPREINTE_SCHEDULE_CRON: 'every night' is not a cron expression"
        " (e.g. '0 2 * * *') nor 'off'\n"
    )
    assert not (tmp_path / "data" / "dagster").exists(), "it stopped before Dagster"


def test_the_env_file_is_read_and_the_real_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "EMPREINTE_DATA_DIR=from-the-file\n"
        "EMPREINTE_SERVICENOW_URL=https://file.example.com\n"
        "EMPREINTE_SERVICENOW_USER=integration\n"
        "EMPREINTE_SERVICENOW_PASSWORD=s3cret-from-the-file\n"
    )
    result = empreinte("config", cwd=tmp_path, EMPREINTE_SERVICENOW_URL="https://real.example.com")
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    assert lines["EMPREINTE_SERVICENOW_URL"].startswith("https://real.example.com ")
    assert "environment (overrides .env)" in lines["EMPREINTE_SERVICENOW_URL"]
    assert lines["EMPREINTE_DATA_DIR"] == "from-the-file    [.env]"
    assert lines["EMPREINTE_SERVICENOW_PASSWORD"].startswith("********")
    assert "s3cret" not in result.stdout + result.stderr


def test_a_failed_run_says_whether_a_warehouse_stays_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.cli import main

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setattr("pipelines.cli.configure_json_logging", lambda: None)
    for name in ("EMPREINTE_WAREHOUSE", "EMPREINTE_EXPORTS_DIR", "EMPREINTE_FACTOR_SET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "EMPREINTE_DATA_DIR": str(tmp_path / "data"),
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "EMPREINTE_SERVICENOW_URL": f"http://127.0.0.1:{closed}",
        "EMPREINTE_SERVICENOW_USER": "integration",
        "EMPREINTE_SERVICENOW_PASSWORD": "not-a-real-one",
        "EMPREINTE_SERVICENOW_MAX_ATTEMPTS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["run"]) == 1
    failure = capsys.readouterr().err
    assert "The run failed (servicenow_tables:" in failure
    assert "nothing has been published yet" in failure
    assert "stays published" not in failure


@pytest.mark.slow
def test_the_dagster_cli_shows_the_schedule_running_and_the_sensor(demo) -> None:
    folder, _ = demo
    environment = {**os.environ, "DAGSTER_HOME": str(folder / "dagster")}
    listed = {
        kind: subprocess.run(
            [DAGSTER, kind, "list", "-w", "workspace.yaml"],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for kind in ("schedule", "sensor")
    }
    assert "Schedule: nightly_schedule [RUNNING]" in listed["schedule"]
    assert "Sensor: exports_sensor [STOPPED]" in listed["sensor"], "no exports folder set"
