"""Ingestion assets: one asset per ServiceNow table, landed in the lake by the connector, each
with its blocking Great Expectations check (``<table>_expectations``) on the batches it landed.

Every row was validated before landing (rejects kept, see ``connectors/landing.py``). Then the
table's suite runs on each new batch; a batch that fails is moved to the quarantine (and read
again on the next night: the API watermark is put back, an export file is remembered as
quarantined, so its corrected version lands). A quarantined batch, or an export file that could
not be read, fails the table's check: the run stops before dbt and the last good warehouse
stays published.

Each table's materialisation carries ``rows_landed``, ``rows_new``, ``rows_changed``,
``rows_deleted``, ``rows_rejected``, ``batches_quarantined`` and ``quarantined`` (a list of
``{file, reasons}``), which ``empreinte status`` reads.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from connectors import lake, quarantine
from connectors.landing import landing_counts
from connectors.servicenow.auth import AuthenticationError
from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.deletes import AUDIT_TABLE, reconcile_keys
from connectors.servicenow.exports import land_exports
from connectors.servicenow.exports.landing import quarantine_landed
from connectors.servicenow.extract import SOURCE, extract_all, rewind_watermark
from connectors.servicenow.settings import ServiceNowSettings
from connectors.servicenow.tables import TABLES, TableSpec, table_spec
from connectors.state import StateStore
from pipelines.memory import own_process
from pipelines.quality import BatchCheck, check_batches, warm_up
from pipelines.resources import ServiceNowResource, WarehouseResource


def table_key(table: str) -> dg.AssetKey:
    """The asset key of a landed ServiceNow table (dbt's source ``servicenow.<table>``)."""
    return dg.AssetKey(["servicenow", table])


# What landing refused, read by dbt's `landing` source (stg_landing__*).
REJECTS_KEY = dg.AssetKey(["landing", "rejects"])
QUARANTINE_KEY = dg.AssetKey(["landing", "quarantined_batches"])


def check_name(table: str) -> str:
    """The name of a table's blocking Great Expectations check."""
    return f"{table}_expectations"


@dataclass
class _Landing:
    """What the connector did for one table this run (beside the new batch files)."""

    metadata: dict[str, Any] = field(default_factory=dict)
    rows_rejected: int = 0
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    # How to read a quarantined batch again: the watermark before the run (API) or the
    # export file's state entry.
    exports: bool = False
    watermark_before: tuple[str, str] | None = None


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            table_key(spec.name),
            description=spec.description,
            group_name="servicenow",
            kinds={"servicenow", "parquet"},
            metadata={"fields": ", ".join(spec.columns)},
        )
        for spec in TABLES
    ]
    + [
        dg.AssetSpec(
            REJECTS_KEY,
            description="Rows landing refused, with file, row, field and reason "
            "(<lake>/_rejects/<source>/<table>/<batch_id>.parquet).",
            group_name="servicenow",
            kinds={"parquet"},
        ),
        dg.AssetSpec(
            QUARANTINE_KEY,
            description="Batches and files kept out of the lake whole, with their reasons "
            "(<lake>/_quarantine/<source>/<table>/<batch_id>.json).",
            group_name="servicenow",
            kinds={"json"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            check_name(spec.name),
            asset=table_key(spec.name),
            blocking=True,
            description="Great Expectations suite of the batches landed by this run (types, "
            "required fields, unique versions, shares); a failed batch is quarantined.",
        )
        for spec in TABLES
    ],
    can_subset=True,
)
def servicenow_tables(
    context: dg.AssetExecutionContext,
    servicenow: ServiceNowResource,
    warehouse: WarehouseResource,
) -> Iterator[dg.MaterializeResult]:
    """Extract the selected tables incrementally (or land the exports folder), then land delete
    markers from ``sys_audit_delete`` for them, so every table is current before dbt reads it;
    check every new batch with the table's suite."""
    keys = context.selected_asset_keys
    selected = [key.path[-1] for key in keys if key.path[0] == "servicenow"]
    specs = [table_spec(name) for name in selected]
    lake_dir = warehouse.paths.lake
    quarantine.ensure_schema_files(lake_dir)
    before = {spec.name: set(lake.batches(lake_dir, SOURCE, spec.name)) for spec in TABLES}
    with own_process() as worker:
        # The suites' process imports Great Expectations while the tables land.
        worker.submit(warm_up)
        exports_dir = servicenow.exports_dir()
        if exports_dir is not None:
            landings = _land_exports(exports_dir, lake_dir, specs)
        else:
            landings = _extract(servicenow, warehouse, specs, selected)
        html_dir = warehouse.paths.quality / context.run_id / "landing"
        new_batches = {
            name: sorted(set(lake.batches(lake_dir, SOURCE, name)) - before[name])
            for name in selected
        }
        checking = {
            name: worker.submit(check_batches, table_spec(name), new, html_dir / name)
            for name, new in new_batches.items()
            if new
        }
        checks = {name: future.result() for name, future in checking.items()}
    checked = {key.asset_key for key in context.selected_asset_check_keys}
    totals = {"rows_rejected": 0, "batches_quarantined": 0}
    for name in selected:
        spec = table_spec(name)
        landing = landings.get(name, _Landing())
        new = new_batches[name]
        verdicts = checks.get(name, [])
        failed = [verdict for verdict in verdicts if not verdict.passed]
        if failed:
            landing.quarantined += _quarantine(lake_dir, spec, failed, landing)
        visible = [path for path in new if path.exists()]
        metadata = {
            **landing.metadata,
            **landing_counts(lake_dir, SOURCE, name, visible, spec.key, spec.cursor),
            "rows_rejected": landing.rows_rejected,
            "batches_quarantined": len(landing.quarantined),
            "quarantined": landing.quarantined,
            "batches": [path.stem for path in visible],
        }
        totals["rows_rejected"] += landing.rows_rejected
        totals["batches_quarantined"] += len(landing.quarantined)
        results = []
        if table_key(name) in checked:
            results.append(
                dg.AssetCheckResult(
                    asset_key=table_key(name),
                    check_name=check_name(name),
                    passed=not landing.quarantined,
                    metadata={
                        "batches_checked": len(verdicts),
                        "rows_checked": sum(verdict.rows for verdict in verdicts),
                        "failed": {v.batch.stem: v.reasons() for v in failed},
                        "quarantined": landing.quarantined,
                        "results": [html for verdict in verdicts for html in verdict.html],
                    },
                )
            )
        yield dg.MaterializeResult(
            asset_key=table_key(name), metadata=metadata, check_results=results
        )
    for key in (REJECTS_KEY, QUARANTINE_KEY):
        if key in keys:
            yield dg.MaterializeResult(asset_key=key, metadata=totals)


def _extract(
    servicenow: ServiceNowResource,
    warehouse: WarehouseResource,
    specs: list[TableSpec],
    selected: list[str],
) -> dict[str, _Landing]:
    """Table API: extraction, delete markers, the weekly key reconciliation."""
    if any(name != AUDIT_TABLE for name in selected) and AUDIT_TABLE not in selected:
        specs = [*specs, table_spec(AUDIT_TABLE)]
    settings = servicenow.settings()
    try:
        reports = extract_all(settings, warehouse.paths.lake, specs)
        reconciled = _reconcile(settings, warehouse, specs) if servicenow.reconcile_keys else {}
    except AuthenticationError as error:
        raise dg.Failure(description=str(error)) from None
    deletes = reports.get("_deletes")
    landings = {}
    for name in selected:
        report = reports.get(name)
        landing = _Landing()
        if report is not None:
            landing.metadata = report.as_metadata()
            landing.rows_rejected = report.rows_rejected
            landing.watermark_before = report.watermark_before
        if name == AUDIT_TABLE and deletes is not None:
            landing.metadata = deletes.as_metadata()
        if name in reconciled:
            landing.metadata["reconciled_deletes"] = reconciled[name]
        landings[name] = landing
    return landings


def _reconcile(
    settings: ServiceNowSettings, warehouse: WarehouseResource, specs: list[TableSpec]
) -> dict[str, int]:
    """Full key reconciliation: keys in the lake but no longer in the source get a marker."""
    with ServiceNowClient(settings) as client:
        return {
            spec.name: reconcile_keys(client, spec, warehouse.paths.lake)
            for spec in specs
            if spec.name != AUDIT_TABLE
        }


def _land_exports(exports_dir: Path, lake_dir: Path, specs: list[TableSpec]) -> dict[str, _Landing]:
    """Land the export files not landed yet: good files land, bad rows go to the rejects,
    unreadable files are quarantined (and fail their table's check)."""
    report = land_exports(exports_dir, lake_dir, tables=tuple(specs))
    landings = {}
    for spec in specs:
        figures = report.for_table(spec.name)
        landings[spec.name] = _Landing(
            metadata={
                "files": figures["files"],
                "cells_flagged": figures["cells_flagged"],
                "delete_markers": figures["delete_markers"],
                "skipped": report.skipped,
                "skipped_quarantined": report.skipped_quarantined,
            },
            rows_rejected=figures["rows_rejected"],
            quarantined=figures["quarantined"],
            exports=True,
        )
    return landings


def _quarantine(
    lake_dir: Path, spec: TableSpec, failed: list[BatchCheck], landing: _Landing
) -> list[dict[str, Any]]:
    """Move the batches that failed their suite to the quarantine, and make sure their rows are
    read again: the export file is remembered as quarantined, the API watermark is put back."""
    state = StateStore(lake_dir, SOURCE)
    files: dict[str, str] = {}
    if landing.exports:
        for verdict in failed:
            files.update(quarantine_landed(state, [verdict.batch.stem], verdict.reasons()))
    else:
        rewind_watermark(state, spec.name, landing.watermark_before)
    described = []
    for verdict in failed:
        file = files.get(verdict.batch.stem)
        quarantine.quarantine_batch(
            verdict.batch,
            lake_dir,
            SOURCE,
            spec.name,
            reasons=verdict.reasons(),
            file=file,
            samples=verdict.samples(),
        )
        described.append({"file": file or verdict.batch.name, "reasons": verdict.reasons()})
    return described
