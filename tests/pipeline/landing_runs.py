"""Helpers for pipeline tests of landing: a night's full result, and what it said per table."""

from __future__ import annotations

from typing import Any

import dagster as dg


def run_night() -> dg.ExecuteInProcessResult:
    """Materialise every asset through Dagster, as `empreinte run` does; the whole result."""
    from pipelines.definitions import defs

    return defs.resolve_job_def("nightly").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )


def table_metadata(result: dg.ExecuteInProcessResult, table: str) -> dict[str, Any]:
    """The materialisation metadata of a landed table, as plain values."""
    key = dg.AssetKey(["servicenow", table])
    (event,) = [
        event for event in result.get_asset_materialization_events() if event.asset_key == key
    ]
    metadata = event.materialization.metadata
    return {name: getattr(value, "value", value) for name, value in metadata.items()}


def check_verdicts(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    """Check name -> passed, for every asset check the night evaluated."""
    return {
        evaluation.check_name: evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    }


def check_metadata(result: dg.ExecuteInProcessResult, name: str) -> dict[str, Any]:
    """The metadata of one check evaluation, as plain values."""
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == name]
    return {key: getattr(value, "value", value) for key, value in evaluation.metadata.items()}


def steps_run(result: dg.ExecuteInProcessResult) -> set[str]:
    """The steps that started."""
    return {event.step_key for event in result.all_events if event.event_type_value == "STEP_START"}
