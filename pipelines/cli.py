"""The `empreinte` command line: demo, run, query, fake-servicenow, factors, what-if, scenario."""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from connectors.servicenow.progress import configure_json_logging
from connectors.servicenow.settings import SettingsError
from pipelines.warehouse import WarehousePaths, connect_read_only

DEMO_USER = "empreinte"
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  runs:
    tag_concurrency_limits:
      - key: empreinte/warehouse
        limit: 1
"""
_URL_LINE = re.compile(r"at (http://127\.0\.0\.1:\d+)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="empreinte",
        description="Environmental footprint of an organisation's IT, from its ServiceNow data.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="run the whole pipeline on the built-in fake ServiceNow instance"
    )
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--scale", type=float, default=1.0, help="1.0 = about 25,000 assets")
    demo.set_defaults(handler=_demo)

    run = commands.add_parser(
        "run", help="run the whole pipeline against the instance in EMPREINTE_SERVICENOW_*"
    )
    run.set_defaults(handler=_run)

    query = commands.add_parser("query", help="run read-only SQL on the published warehouse")
    query.add_argument("sql")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.set_defaults(handler=_query)

    fake = commands.add_parser("fake-servicenow", help="serve a fake ServiceNow instance")
    fake.add_argument("--port", type=int, default=8080)
    fake.add_argument("--seed", type=int, default=42)
    fake.add_argument("--scale", type=float, default=1.0)
    fake.add_argument("--faults", default=None, help="fault spec, see connectors/servicenow/fake")
    fake.set_defaults(handler=_fake_servicenow)

    from factors.commands import register
    from pipelines.decision_commands import register as register_decisions

    register(commands)
    register_decisions(commands)

    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except (FileNotFoundError, SettingsError, duckdb.Error) as error:
        print(f"empreinte {arguments.command}: {error}", file=sys.stderr)
        return 2


def _demo(arguments: argparse.Namespace) -> int:
    paths = WarehousePaths.from_env()
    _reset_lake_if_demo_changed(paths, arguments.seed, arguments.scale)
    started = time.monotonic()
    with _fake_instance(arguments.seed, arguments.scale) as environment:
        os.environ.update(environment)
        status = _run_pipeline(paths)
    print(f"\nDemo finished in {time.monotonic() - started:.0f} s.", flush=True)
    return status


def _run(arguments: argparse.Namespace) -> int:
    if not sys.stderr.isatty():
        configure_json_logging()  # scheduled runs: one JSON object per log line
    return _run_pipeline(WarehousePaths.from_env())


def _run_pipeline(paths: WarehousePaths) -> int:
    """Materialise every asset through Dagster, then print the summary of what was published."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(paths.data_dir / "dagster")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        # A local instance: runs and events in SQLite under DAGSTER_HOME, no usage telemetry,
        # and one warehouse build at a time (the nightly job's tag).
        (home / "dagster.yaml").write_text(DAGSTER_YAML)
    from dagster import DagsterInstance

    from pipelines.definitions import defs  # reads the environment set above

    print("Running the pipeline through Dagster...", flush=True)
    result = defs.resolve_job_def("nightly").execute_in_process(
        # The console shows warnings; every event stays in the instance's log (`make dev`).
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        instance=DagsterInstance.get(),
        raise_on_error=False,
    )
    if not result.success:
        failed = [event.step_key for event in result.get_step_failure_events()]
        print(
            f"The run failed at {', '.join(failed) or 'a check'}; the last good warehouse stays"
            f" published at {paths.warehouse}. Details: dagster run {result.run_id}.",
            file=sys.stderr,
        )
        return 1
    from pipelines.summary import footprint_summary

    with connect_read_only(paths) as connection:
        print(f"\nPublished {paths.warehouse}\n\n{footprint_summary(connection)}")
    return 0


def _query(arguments: argparse.Namespace) -> int:
    import polars as pl

    with connect_read_only(WarehousePaths.from_env()) as connection:
        frame = connection.sql(arguments.sql).pl()
    if arguments.format == "csv":
        print(frame.write_csv(), end="")
    elif arguments.format == "json":
        print(json.dumps(frame.to_dicts(), default=str, ensure_ascii=False, indent=1))
    else:
        with pl.Config(tbl_rows=200, tbl_cols=-1, fmt_str_lengths=60):
            print(frame)
    return 0


def _fake_servicenow(arguments: argparse.Namespace) -> int:
    from connectors.servicenow.fake.server import serve

    serve(arguments.port, arguments.seed, arguments.scale, arguments.faults)
    return 0


@contextmanager
def _fake_instance(seed: int, scale: float) -> Iterator[dict[str, str]]:
    """Start the fake instance in a child process on a free port; yield the settings to reach
    it. The password is made up for this run only."""
    password = secrets.token_urlsafe(16)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "fake-servicenow",
            "--port",
            "0",
            "--seed",
            str(seed),
            "--scale",
            str(scale),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "EMPREINTE_SERVICENOW_PASSWORD": password},
    )
    try:
        print("Starting the fake ServiceNow instance...", flush=True)
        line = process.stdout.readline() if process.stdout else ""
        found = _URL_LINE.search(line)
        if not found:
            raise RuntimeError(f"the fake instance did not start: {line.strip()!r}")
        print(f"Fake ServiceNow instance at {found.group(1)}", flush=True)
        yield {
            "EMPREINTE_SERVICENOW_URL": found.group(1),
            "EMPREINTE_SERVICENOW_AUTH": "basic",
            "EMPREINTE_SERVICENOW_USER": DEMO_USER,
            "EMPREINTE_SERVICENOW_PASSWORD": password,
        }
    finally:
        process.terminate()
        process.wait(timeout=10)


def _reset_lake_if_demo_changed(paths: WarehousePaths, seed: int, scale: float) -> None:
    """The lake keeps every batch; a demo on another seed or scale starts a new one."""
    marker = paths.data_dir / "demo.json"
    wanted = {"seed": seed, "scale": scale}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return
    shutil.rmtree(paths.lake, ignore_errors=True)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(wanted))


if __name__ == "__main__":
    sys.exit(main())
