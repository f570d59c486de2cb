"""`empreinte status`: the last runs, read from the Dagster instance, and what is published.

For each run: how it started, its outcome and duration, what each table loaded (the landing
figures the ingestion assets record: rows new, changed, deleted, rejected, batches quarantined;
absent figures are left out), the checks that failed, the step that failed and why, and the
headline figures the publish recorded with their change from the previous publish.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dagster as dg

# The landing figures of an ingestion asset's materialisation, in the order they are shown.
LANDING_FIGURES: tuple[str, ...] = (
    "rows_landed",
    "rows_new",
    "rows_changed",
    "rows_deleted",
    "rows_rejected",
    "batches_quarantined",
)
PUBLISHED_ASSET = dg.AssetKey("published_warehouse")
_EVENTS = {
    dg.DagsterEventType.ASSET_MATERIALIZATION,
    dg.DagsterEventType.ASSET_CHECK_EVALUATION,
    dg.DagsterEventType.STEP_FAILURE,
}


@dataclass
class RunSummary:
    """What one run did, from its events."""

    run_id: str
    job: str
    status: str
    started_by: str
    started_at: datetime | None
    seconds: float | None
    loaded: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed_checks: list[str] = field(default_factory=list)
    checks_passed: int = 0
    failed_steps: dict[str, str] = field(default_factory=dict)
    published: dict[str, Any] = field(default_factory=dict)


def last_runs(instance: dg.DagsterInstance, limit: int = 5) -> list[RunSummary]:
    """The ``limit`` most recent runs, newest first."""
    return [_summarise(instance, record) for record in instance.get_run_records(limit=limit)]


def render(runs: Iterable[RunSummary]) -> str:
    """The runs as text, a block each."""
    blocks = []
    for run in runs:
        started = (
            run.started_at.strftime("%Y-%m-%d %H:%M:%S UTC") if run.started_at else "not started"
        )
        took = _duration(run.seconds) if run.seconds is not None else "running"
        lines = [
            f"{run.run_id[:8]}  {run.status:<9} {started}  {took}  {run.job} ({run.started_by})"
        ]
        if run.loaded:
            lines.append("  loaded:    " + "; ".join(_loaded(t, f) for t, f in run.loaded.items()))
        checks = f"{run.checks_passed} passed"
        if run.failed_checks:
            checks += f", failed: {', '.join(run.failed_checks)}"
        lines.append(f"  checks:    {checks}")
        for step, message in run.failed_steps.items():
            lines.append(f"  failed at: {step}: {message}")
        if run.published:
            lines.append(f"  published: {_published(run.published)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) or "No runs recorded yet."


def _summarise(instance: dg.DagsterInstance, record: Any) -> RunSummary:
    run = record.dagster_run
    tags = run.tags
    started_by = (
        f"schedule {tags['dagster/schedule_name']}"
        if "dagster/schedule_name" in tags
        else f"sensor {tags['dagster/sensor_name']}"
        if "dagster/sensor_name" in tags
        else tags.get("empreinte/command", "Dagster UI")
    )
    end = record.end_time
    summary = RunSummary(
        run_id=run.run_id,
        job=run.job_name,
        status=run.status.value,
        started_by=started_by,
        started_at=datetime.fromtimestamp(record.start_time, UTC) if record.start_time else None,
        seconds=(end - record.start_time) if end and record.start_time else None,
    )
    for entry in instance.all_logs(run.run_id, of_type=_EVENTS):
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            metadata = {name: value.value for name, value in materialization.metadata.items()}
            key = materialization.asset_key
            if key == PUBLISHED_ASSET:
                summary.published = metadata
            elif key.path[0] == "servicenow":
                summary.loaded[key.path[-1]] = metadata
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.passed:
                summary.checks_passed += 1
            else:
                summary.failed_checks.append(
                    f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
                )
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            summary.failed_steps[event.step_key or "?"] = failure_message(
                event.event_specific_data.error
            )
    return summary


def failure_message(error: Any, lines: int = 3) -> str:
    """What went wrong, in a few lines: the innermost cause of a step's error (the exception
    the code raised, rather than Dagster's wrapper around it)."""
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    message = (getattr(error, "message", None) or "failed").strip().splitlines()
    return " ".join(line.strip() for line in message[:lines])


def _loaded(table: str, figures: dict[str, Any]) -> str:
    shown = [
        f"{name.removeprefix('rows_').replace('_', ' ')} {figures[name]}"
        for name in LANDING_FIGURES
        if isinstance(figures.get(name), int | float)
    ]
    if not shown and isinstance(figures.get("rows"), int | float):
        shown = [f"{figures['rows']} rows"]
    return f"{table} {', '.join(shown)}" if shown else table


def _published(figures: dict[str, Any]) -> str:
    parts = [str(figures.get("version", ""))]
    for name, value in figures.items():
        if name.startswith("tco2e_") and not name.endswith("_change_percent"):
            change = figures.get(f"{name}_change_percent")
            shown = f"{name.removeprefix('tco2e_').replace('_', ' ')} {value} tCO2e"
            parts.append(f"{shown} ({change:+.1f}%)" if change is not None else shown)
    if "assets" in figures:
        change = figures.get("assets_change_percent")
        assets = f"{figures['assets']} assets"
        parts.append(f"{assets} ({change:+.1f}%)" if change is not None else assets)
    return "; ".join(part for part in parts if part)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"
