"""Ingestion assets: one asset per ServiceNow table, landed in the lake by the connector."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.deletes import AUDIT_TABLE, reconcile_keys
from connectors.servicenow.exports import export_table, land_exports
from connectors.servicenow.extract import extract_all
from connectors.servicenow.settings import ServiceNowSettings
from connectors.servicenow.tables import TABLES, TableSpec, table_spec
from pipelines.resources import ServiceNowResource, WarehouseResource


def table_key(table: str) -> dg.AssetKey:
    """The asset key of a landed ServiceNow table (dbt's source ``servicenow.<table>``)."""
    return dg.AssetKey(["servicenow", table])


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
    ],
    can_subset=True,
)
def servicenow_tables(
    context: dg.AssetExecutionContext,
    servicenow: ServiceNowResource,
    warehouse: WarehouseResource,
) -> Iterator[dg.MaterializeResult]:
    """Extract the selected tables incrementally, then land delete markers from
    ``sys_audit_delete`` for them, so every table is current before dbt reads it."""
    selected = [key.path[-1] for key in context.selected_asset_keys]
    specs = [table_spec(name) for name in selected]
    exports_dir = servicenow.exports_dir()
    if exports_dir is not None:
        yield from _land_exports(exports_dir, warehouse, specs)
        return
    if any(name != AUDIT_TABLE for name in selected) and AUDIT_TABLE not in selected:
        specs.append(table_spec(AUDIT_TABLE))
    settings = servicenow.settings()
    reports = extract_all(settings, warehouse.paths.lake, specs)
    reconciled = _reconcile(settings, warehouse, specs) if servicenow.reconcile_keys else {}
    deletes = reports.get("_deletes")
    for name in selected:
        report = reports.get(name)
        metadata = report.as_metadata() if report is not None else {}
        if name == AUDIT_TABLE and deletes is not None:
            metadata = deletes.as_metadata()
        if name in reconciled:
            metadata["reconciled_deletes"] = reconciled[name]
        yield dg.MaterializeResult(asset_key=table_key(name), metadata=metadata)


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


def _land_exports(
    exports_dir: Path, warehouse: WarehouseResource, specs: list[TableSpec]
) -> Iterator[dg.MaterializeResult]:
    """Land the export files not landed yet; a rejected file fails the run after the good ones
    are landed, naming the file and the reason, so the last good warehouse stays published."""
    report = land_exports(exports_dir, warehouse.paths.lake, tables=tuple(specs))
    metadata = report.as_metadata()
    if report.rejected:
        reasons = "; ".join(f"{name}: {reason}" for name, reason in report.rejected.items())
        raise dg.Failure(f"export files rejected: {reasons}", metadata=metadata)
    for spec in specs:
        files = {
            name: rows
            for name, rows in report.landed.items()
            if export_table(Path(name), {spec.name: spec}) is spec
        }
        yield dg.MaterializeResult(
            asset_key=table_key(spec.name),
            metadata={"files": files, "rows": sum(files.values())},
        )
