"""Ingestion assets: one asset per ServiceNow table, landed in the lake by the connector."""


from collections.abc import Iterator

import dagster as dg

from connectors.servicenow.extract import extract_all
from connectors.servicenow.tables import TABLES, table_spec
from pipelines.resources import ServiceNowResource, WarehouseResource

AUDIT_TABLE = "sys_audit_delete"


def table_key(table: str) -> dg.AssetKey:
    """The asset key of a landed ServiceNow table; dbt's source ``servicenow.<table>`` maps to it."""
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
    if any(name != AUDIT_TABLE for name in selected) and AUDIT_TABLE not in selected:
        specs.append(table_spec(AUDIT_TABLE))
    reports = extract_all(servicenow.settings(), warehouse.paths.lake, specs)
    deletes = reports.get("_deletes")
    for name in selected:
        report = reports.get(name)
        metadata = report.as_metadata() if report is not None else {}
        if name == AUDIT_TABLE and deletes is not None:
            metadata = deletes.as_metadata()
        yield dg.MaterializeResult(asset_key=table_key(name), metadata=metadata)
