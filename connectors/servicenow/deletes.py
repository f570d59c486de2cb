"""Deletes: ServiceNow rows that disappeared become delete markers in the lake.

Two sources, both landing marker rows (key, deletion time as ``sys_updated_on``,
``_is_deleted = true``) into the table's own folder; nothing landed is ever erased:

* ``land_deletes`` reads ``sys_audit_delete`` (``tablenameIN<our tables>``) since its own
  watermark. It needs delete auditing on the tables (the default for most of them).
* ``reconcile_keys`` lists every key still in the source (``sysparm_fields=sys_id``) and marks
  the keys the lake still holds as current but the source no longer has. Run it periodically
  (weekly), and always where auditing is off.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from connectors import lake
from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.extract import SOURCE, _with_lookback, read_watermark
from connectors.servicenow.rules import land_table_batch
from connectors.servicenow.tables import TABLES, TableSpec, table_spec
from connectors.state import StateStore

log = logging.getLogger("empreinte.connectors.servicenow")

AUDIT_TABLE = "sys_audit_delete"


@dataclass
class DeletesReport:
    """Delete markers landed, per table."""

    markers: dict[str, int] = field(default_factory=dict)
    audit_rows: int = 0
    watermark_after: tuple[str, str] | None = None

    def as_metadata(self) -> dict[str, Any]:
        """Plain data for run metadata."""
        return {
            "markers": self.markers,
            "audit_rows": self.audit_rows,
            "watermark_after": list(self.watermark_after) if self.watermark_after else None,
        }


def land_markers(
    spec: TableSpec, keys: list[str], deleted_on: list[str], lake_dir: Path | str
) -> int:
    """Land delete marker rows for ``keys`` of one table (validated like any batch: a key that
    is not a sys_id is rejected, not landed); return how many landed."""
    frame = pl.DataFrame(
        {spec.key: keys, spec.cursor: deleted_on},
        schema={spec.key: pl.String, spec.cursor: pl.String},
    )
    landed = land_table_batch(
        frame, spec, lake_dir, columns=(spec.key, spec.cursor), is_deleted=True
    )
    return landed.rows_landed


def land_audited_markers(
    audit_rows: pl.DataFrame, targets: Mapping[str, TableSpec], lake_dir: Path | str
) -> dict[str, int]:
    """Land a delete marker for each ``sys_audit_delete`` row (``tablename``, ``documentkey``,
    deleted at ``sys_created_on``, else ``sys_updated_on``) whose table is in ``targets``;
    return the markers landed per table. Rows for other tables are left out."""
    markers: dict[str, int] = {}
    for (table,), group in audit_rows.group_by("tablename"):
        spec = targets.get(table)
        if spec is None:
            continue
        deleted_on = (
            group.select(
                pl.coalesce(pl.col("sys_created_on").replace("", None), pl.col("sys_updated_on"))
            )
            .to_series()
            .to_list()
        )
        markers[table] = land_markers(spec, group["documentkey"].to_list(), deleted_on, lake_dir)
    return markers


def land_deletes(
    client: ServiceNowClient,
    lake_dir: Path | str,
    state: StateStore | None = None,
    tables: Iterable[TableSpec] = TABLES,
    *,
    lookback_minutes: int | None = None,
) -> DeletesReport:
    """Land markers for the deletions ``sys_audit_delete`` recorded since its watermark."""
    state = state or StateStore(lake_dir, SOURCE)
    audit = table_spec(AUDIT_TABLE)
    targets = {spec.name: spec for spec in tables if spec.name != AUDIT_TABLE}
    report = DeletesReport()
    if not targets:
        return report
    before = read_watermark(state, AUDIT_TABLE)
    lookback = client.settings.lookback_minutes if lookback_minutes is None else lookback_minutes
    start = None if before is None else _with_lookback(before, lookback)
    query = "tablenameIN" + ",".join(sorted(targets))
    lake.remove_temporary_files(lake.table_dir(lake_dir, SOURCE, AUDIT_TABLE))
    position = before
    for page in client.iter_pages(AUDIT_TABLE, audit.columns, after=start, query=query):
        if not page.records:
            break
        rows = pl.DataFrame(
            [{name: _text(record.get(name)) for name in audit.columns} for record in page.records],
            schema={name: pl.String for name in audit.columns},
        )
        # The instance may ignore the IN filter: rows for other tables are left out.
        for table, landed in land_audited_markers(rows, targets, lake_dir).items():
            report.markers[table] = report.markers.get(table, 0) + landed
        land_table_batch(rows, audit, lake_dir)
        report.audit_rows += rows.height
        last = (rows["sys_updated_on"][-1], rows["sys_id"][-1])
        if position is None or last > position:
            position = last
            state.set("watermarks", AUDIT_TABLE, {"sys_updated_on": last[0], "sys_id": last[1]})
    if not lake.batches(lake_dir, SOURCE, AUDIT_TABLE):
        # First run with nothing deleted: an empty batch so read_parquet globs find a file.
        now = datetime.now(UTC)
        empty = pl.DataFrame(schema={name: pl.String for name in audit.columns})
        lake.write_batch(
            lake.as_batch(empty, audit.columns, lake.new_batch_id(now), now),
            lake_dir,
            SOURCE,
            AUDIT_TABLE,
        )
    report.watermark_after = position
    log.info("delete markers landed", extra={"event": "deletes_landed", **report.as_metadata()})
    return report


def reconcile_keys(
    client: ServiceNowClient,
    spec: TableSpec,
    lake_dir: Path | str,
    *,
    page_size: int | None = None,
) -> int:
    """Mark as deleted the keys current in the lake but absent from the source; return how many.

    The lake's keys are taken before the source is listed, so a row landed meanwhile by another
    load can never be marked by mistake.
    """
    fields = lake.versioning_columns(spec.key, spec.cursor)  # not the whole rows
    current = lake.latest_rows(
        lake.read_table(lake_dir, SOURCE, spec.name, fields), spec.key, spec.cursor
    )
    if current.is_empty():
        return 0
    landed = dict(zip(current[spec.key].to_list(), current[spec.cursor].to_list(), strict=True))
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    size = page_size or min(10_000, client.settings.page_size * 10)
    source: set[str] = set()
    server_time = None
    for page in client.iter_pages(
        spec.name, (spec.key,), page_size=size, cursor=spec.key, key=spec.key
    ):
        server_time = server_time or page.server_time
        source.update(str(record.get(spec.key)) for record in page.records)
    gone = sorted(set(landed) - source)
    if gone:
        now = server_time or started
        # The marker must sort after the row's last version, whatever the clocks say.
        deleted_on = [max(now, landed[key] or "") for key in gone]
        land_markers(spec, gone, deleted_on, lake_dir)
    log.info(
        "%s: key reconciliation marked %d deleted",
        spec.name,
        len(gone),
        extra={
            "event": "keys_reconciled",
            "table": spec.name,
            "markers": len(gone),
            "source_keys": len(source),
        },
    )
    return len(gone)


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("value")
    return None if value is None else str(value)
