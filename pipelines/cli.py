"""The `empreinte` command line: demo, run, query, status, publish, config, dev, fake-servicenow,
factors."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from connectors.servicenow.progress import configure_json_logging
from connectors.servicenow.settings import SettingsError
from pipelines.configuration import check_settings, describe, load_env_file
from pipelines.demo import (
    NotADemoFolder,
    check_demo_folder,
    demo_folder,
    fake_instance,
    prepare_demo_folder,
)
from pipelines.lock import DataFolderBusy, writer_lock
from pipelines.published import NothingToRollBack
from pipelines.warehouse import WarehousePaths, connect_read_only

REPOSITORY = Path(__file__).resolve().parents[1]
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  runs:
    tag_concurrency_limits:
      - key: empreinte/warehouse
        limit: 1
"""
# Variables of the production setup a demo must not use: it has its own folder and instance.
_NOT_FOR_THE_DEMO = (
    "EMPREINTE_WAREHOUSE",
    "EMPREINTE_EXPORTS_DIR",
    "EMPREINTE_LOGS_DIR",
    "DAGSTER_HOME",
)
# The settings that are paths, made absolute before `dagster dev` starts in another folder.
_PATHS = (
    "EMPREINTE_DATA_DIR",
    "EMPREINTE_WAREHOUSE",
    "EMPREINTE_EXPORTS_DIR",
    "EMPREINTE_FACTOR_OVERRIDES",
    "EMPREINTE_SERVICENOW_CA_BUNDLE",
)


def main(argv: Sequence[str] | None = None) -> int:
    origins = load_env_file()
    parser = _parser()
    arguments = parser.parse_args(argv)
    arguments.env_origins = origins
    if getattr(arguments, "data_dir", None) and arguments.command != "demo":
        os.environ["EMPREINTE_DATA_DIR"] = arguments.data_dir
    try:
        return arguments.handler(arguments)
    except (
        FileNotFoundError,
        SettingsError,
        duckdb.Error,
        DataFolderBusy,
        NotADemoFolder,
        NothingToRollBack,
    ) as error:
        print(f"empreinte {arguments.command}: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="empreinte",
        description="Environmental footprint of an organisation's IT, from its ServiceNow data.",
    )
    folder = argparse.ArgumentParser(add_help=False)
    folder.add_argument(
        "--data-dir", help="the data folder (default: EMPREINTE_DATA_DIR, else ./data)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="run the whole pipeline on the built-in fake ServiceNow instance"
    )
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--scale", type=float, default=1.0, help="1.0 = about 25,000 assets")
    demo.add_argument(
        "--data-dir", help="the demo's own folder (default: EMPREINTE_DEMO_DIR, else data/demo)"
    )
    demo.set_defaults(handler=_demo)

    run = commands.add_parser(
        "run",
        parents=[folder],
        help="run the whole pipeline against the instance in EMPREINTE_SERVICENOW_*",
    )
    run.set_defaults(handler=_run)

    query = commands.add_parser(
        "query", parents=[folder], help="run read-only SQL on the published warehouse"
    )
    query.add_argument("sql")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.set_defaults(handler=_query)

    status = commands.add_parser(
        "status", parents=[folder], help="the last runs: loaded, rejected, checks, published"
    )
    status.add_argument("--runs", type=int, default=5, help="how many runs (default 5)")
    status.set_defaults(handler=_status)

    publish = commands.add_parser(
        "publish", parents=[folder], help="list the kept published versions, or roll back"
    )
    action = publish.add_mutually_exclusive_group(required=True)
    action.add_argument(
        "--rollback", action="store_true", help="publish the previous kept version again"
    )
    action.add_argument("--list", action="store_true", help="list the kept versions")
    publish.set_defaults(handler=_publish)

    config = commands.add_parser(
        "config", parents=[folder], help="show the configuration (secrets masked) and check it"
    )
    config.set_defaults(handler=_config)

    dev = commands.add_parser(
        "dev", parents=[folder], help="the Dagster UI on the data folder's instance (make dev)"
    )
    dev.add_argument(
        "--demo", action="store_true", help="on the demo's folder, to browse the demo's runs"
    )
    dev.set_defaults(handler=_dev)

    fake = commands.add_parser("fake-servicenow", help="serve a fake ServiceNow instance")
    fake.add_argument("--port", type=int, default=8080)
    fake.add_argument("--seed", type=int, default=42)
    fake.add_argument("--scale", type=float, default=1.0)
    fake.add_argument("--faults", default=None, help="fault spec, see connectors/servicenow/fake")
    fake.set_defaults(handler=_fake_servicenow)

    from factors.commands import register

    register(commands)
    return parser


def _demo(arguments: argparse.Namespace) -> int:
    folder = demo_folder(arguments.data_dir)
    for name in _NOT_FOR_THE_DEMO:
        os.environ.pop(name, None)
    os.environ["EMPREINTE_DATA_DIR"] = str(folder)
    check_settings(needs_instance=False)
    paths = WarehousePaths.at(folder)
    started = time.monotonic()
    check_demo_folder(folder)  # before the lock, which would write its file there
    with writer_lock(folder, "empreinte demo"):
        prepare_demo_folder(folder, arguments.seed, arguments.scale)
        from connectors.servicenow.fake.logs import write_logs

        # The metropolis's own logs (trips, collection events), where the pipeline reads them.
        logs = folder / "logs"
        write_logs(logs, seed=arguments.seed, scale=arguments.scale)
        with fake_instance(arguments.seed, arguments.scale) as environment:
            os.environ.update(environment, EMPREINTE_LOGS_DIR=str(logs))
            status = _run_pipeline(paths, "empreinte demo")
    print(f"\nDemo finished in {time.monotonic() - started:.0f} s.", flush=True)
    if status == 0:
        print(
            f'Its data folder is {folder}: `empreinte query --data-dir {folder} "SQL"` reads it,'
            f" `empreinte status --data-dir {folder}` shows its runs."
        )
    return status


def _run(arguments: argparse.Namespace) -> int:
    check_settings(needs_instance=True)
    if not sys.stderr.isatty():
        configure_json_logging()  # scheduled runs: one JSON object per log line
    paths = WarehousePaths.from_env()
    with writer_lock(paths.data_dir, "empreinte run"):
        return _run_pipeline(paths, "empreinte run")


def _run_pipeline(paths: WarehousePaths, command: str) -> int:
    """Materialise every asset through Dagster, then print the summary of what was published."""
    prepare_dagster_home(paths)
    from dagster import DagsterInstance

    from pipelines.definitions import defs  # reads the environment set above

    print("Running the pipeline through Dagster...", flush=True)
    result = defs.resolve_job_def("nightly").execute_in_process(
        # The console shows warnings; every event stays in the instance's log (`make dev`).
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        instance=DagsterInstance.get(),
        tags={"empreinte/command": command},
        raise_on_error=False,
    )
    if not result.success:
        from pipelines.status import failure_message

        failures = [
            f"{event.step_key}: {failure_message(event.event_specific_data.error)}"
            for event in result.get_step_failure_events()
        ]
        kept = (
            f"the last good warehouse stays published at {paths.warehouse}"
            if paths.warehouse.exists()
            else "nothing has been published yet"
        )
        print(
            f"The run failed ({'; '.join(failures) or 'see its events'}); {kept}."
            f" Details: `empreinte status`, or run {result.run_id} in `make dev`.",
            file=sys.stderr,
        )
        return 1
    from pipelines.summary import footprint_summary

    with connect_read_only(paths) as connection:
        print(f"\nPublished {paths.warehouse}\n\n{footprint_summary(connection)}")
    return 0


def prepare_dagster_home(paths: WarehousePaths) -> Path:
    """``DAGSTER_HOME`` (default ``<data>/dagster``) with a local instance's ``dagster.yaml``:
    runs and events in SQLite, no usage telemetry, one warehouse build at a time."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(paths.dagster_home))).resolve()
    os.environ["DAGSTER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(DAGSTER_YAML)
    return home


def _query(arguments: argparse.Namespace) -> int:
    import polars as pl

    if not arguments.sql.strip():
        print(
            'empreinte query: no SQL given, e.g. "select count(*) from fct_footprint"',
            file=sys.stderr,
        )
        return 2
    with connect_read_only(WarehousePaths.from_env()) as connection:
        relation = connection.sql(arguments.sql)
        if relation is None:
            print("empreinte query: the statement returns no rows", file=sys.stderr)
            return 2
        frame = relation.pl()
    if arguments.format == "csv":
        print(frame.write_csv(), end="")
    elif arguments.format == "json":
        print(json.dumps(frame.to_dicts(), default=str, ensure_ascii=False, indent=1))
    else:
        with pl.Config(tbl_rows=200, tbl_cols=-1, fmt_str_lengths=60):
            print(frame)
    return 0


def _status(arguments: argparse.Namespace) -> int:
    from pipelines.status import last_runs, render

    paths = WarehousePaths.from_env()
    if paths.warehouse.exists():
        with connect_read_only(paths) as connection:
            print(_published_line(connection))
    else:
        print(f"Nothing published yet at {paths.warehouse}.")
    home = Path(os.environ.get("DAGSTER_HOME") or paths.dagster_home)
    if not (home / "dagster.yaml").exists():
        print(f"No runs recorded yet (no Dagster instance at {home}).")
        return 0
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home)) as instance:
        print(f"\nLast runs ({home}):\n\n{render(last_runs(instance, arguments.runs))}")
    return 0


def _published_line(connection: duckdb.DuckDBPyConnection) -> str:
    try:
        published_at, version, as_of, factor_set = connection.execute(
            "select published_at, published_version, as_of_date, factor_set from warehouse_metadata"
        ).fetchall()[0]
    except (duckdb.CatalogException, IndexError):
        return "Published: a warehouse from before versions (no warehouse_metadata)."
    return (
        f"Published: version {version}, at {published_at:%Y-%m-%d %H:%M:%S} UTC,"
        f" as of {as_of}, factor set {factor_set}."
    )


def _publish(arguments: argparse.Namespace) -> int:
    from pipelines.published import current_version, published_versions, rollback

    paths = WarehousePaths.from_env()
    if arguments.list:
        current = current_version(paths)
        for version in published_versions(paths):
            print(f"{'*' if version == current else ' '} {version}")
        return 0
    with writer_lock(paths.data_dir, "empreinte publish --rollback"):
        previous, restored = rollback(paths)
    print(
        f"Rolled back: {paths.warehouse}, marts/ and editions/ now show {restored}"
        f" (was {previous})."
    )
    return 0


def _config(arguments: argparse.Namespace) -> int:
    print(describe(arguments.env_origins))
    check_settings(needs_instance=True)
    print("\nThe configuration is complete: `empreinte run` can start.")
    return 0


def _dev(arguments: argparse.Namespace) -> int:
    if arguments.demo:
        folder = demo_folder(arguments.data_dir)
        os.environ["EMPREINTE_DATA_DIR"] = str(folder)
        # The demo's fake instance is gone: nothing to schedule nor watch.
        os.environ["EMPREINTE_SCHEDULE_CRON"] = "off"
        for name in _NOT_FOR_THE_DEMO:
            os.environ.pop(name, None)
    check_settings(needs_instance=not arguments.demo)
    home = prepare_dagster_home(WarehousePaths.from_env())
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-w", str(REPOSITORY / "workspace.yaml")]
    print(f"Dagster UI on the instance at {home}", flush=True)
    for name in _PATHS:
        if os.environ.get(name):
            os.environ[name] = str(Path(os.environ[name]).resolve())
    # From the instance's folder: `dagster dev` would let a .env of the working folder override
    # the real environment, which wins here (read above).
    os.chdir(home)
    os.execv(command[0], command)
    return 0  # not reached


def _fake_servicenow(arguments: argparse.Namespace) -> int:
    from connectors.servicenow.fake.server import serve

    serve(arguments.port, arguments.seed, arguments.scale, arguments.faults)
    return 0


if __name__ == "__main__":
    sys.exit(main())
