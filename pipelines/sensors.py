"""The exports sensor: a run starts when a complete set of export files has landed in
``EMPREINTE_EXPORTS_DIR``, once per set.

Complete means: a file for every ServiceNow table the dbt models read (the ``servicenow``
sources of the dbt project), and every export file unchanged (same size and modification time)
since the sensor's previous evaluation, one interval earlier, so a file still being copied is
never read. Temporary names (``.tmp``, ``.part``, dot files) are not export files. The cursor
remembers the last set that started a run, and the set is the run key: the same files never
start two runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from connectors.servicenow.exports.landing import export_table
from connectors.servicenow.tables import TABLES_BY_NAME
from pipelines.schedules import nightly_job
from pipelines.transformation import dbt_project

EXPORTS_VARIABLE = "EMPREINTE_EXPORTS_DIR"
INTERVAL_SECONDS = 60


def required_tables() -> frozenset[str]:
    """The ServiceNow tables the dbt models read (their ``servicenow`` sources)."""
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    return frozenset(
        source["name"]
        for source in manifest["sources"].values()
        if source["source_name"] == "servicenow"
    )


def export_files(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Each export file of the folder: its table, size and modification time."""
    files = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        spec = export_table(path, TABLES_BY_NAME)
        if spec is not None:
            status = path.stat()
            files[path.name] = (spec.name, status.st_size, status.st_mtime_ns)
    return files


def evaluate_exports(
    folder: Path, cursor: str | None, required: frozenset[str]
) -> tuple[dg.RunRequest | None, str, str]:
    """Decide on the folder's files: (the run to start or None, why, the next cursor)."""
    state = json.loads(cursor) if cursor else {}
    files = {name: list(found) for name, found in export_files(folder).items()}
    seen, fired = state.get("seen"), state.get("fired")
    following = json.dumps({"seen": files, "fired": fired})
    missing = sorted(required - {table for table, _, _ in files.values()})
    if missing:
        return None, f"waiting for the export of {', '.join(missing)}", following
    if files != seen:
        return None, "export files new or still changing; checking again next time", following
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    if digest == fired:
        return None, "this set of export files has already started a run", following
    request = dg.RunRequest(run_key=digest, tags={"empreinte/exports": digest[:12]})
    return (
        request,
        f"{len(files)} export files complete",
        json.dumps({"seen": files, "fired": digest}),
    )


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=INTERVAL_SECONDS,
    default_status=(
        dg.DefaultSensorStatus.RUNNING
        if os.environ.get(EXPORTS_VARIABLE, "").strip()
        else dg.DefaultSensorStatus.STOPPED
    ),
    description=(
        f"Starts the nightly job when a complete set of export files is in {EXPORTS_VARIABLE}:"
        " every table the models read, each file unchanged over one interval. Once per set."
    ),
)
def exports_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Watch the exports folder for a complete, stable set of files."""
    folder = os.environ.get(EXPORTS_VARIABLE, "").strip()
    if not folder or not Path(folder).is_dir():
        return dg.SensorResult(skip_reason=f"{EXPORTS_VARIABLE} is not a folder: {folder!r}")
    request, why, cursor = evaluate_exports(Path(folder), context.cursor, required_tables())
    if request is None:
        return dg.SensorResult(skip_reason=why, cursor=cursor)
    context.log.info(why)
    return dg.SensorResult(run_requests=[request], cursor=cursor)
