"""Landing one batch: validate, keep the rejects, then write what passed into the lake.

Every batch of every source goes through ``land_batch`` (the Table API's, each export file's,
delete markers), so nothing reaches a table's folder, where dbt reads, unchecked. Rows that
break a rule go to ``<lake>/_rejects/`` with their reason; the rows that pass land in one
immutable batch; what it did is counted in ``Landed``. The counts a night reports per table
(new, changed, deleted records) come from ``landing_counts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from connectors import lake, quarantine
from connectors.validation import Rule, validate


@dataclass
class Landed:
    """What landing one batch did."""

    batch_id: str
    rows_read: int
    rows_landed: int
    rows_rejected: int
    cells_flagged: int
    path: Path | None
    rejects: pl.DataFrame


def land_batch(
    frame: pl.DataFrame,
    rules: Sequence[Rule],
    lake_dir: Path | str,
    source: str,
    table: str,
    columns: Sequence[str],
    *,
    key: str | None = "sys_id",
    cursor: str | None = "sys_updated_on",
    raw: pl.DataFrame | None = None,
    source_file: str | None = None,
    extracted_at: datetime | None = None,
    is_deleted: bool = False,
    keep_empty: bool = False,
    shape_rejects: pl.DataFrame | None = None,
) -> Landed:
    """Validate ``frame`` and land the rows that pass as one batch (none when every row was
    rejected, unless ``keep_empty``); the rejects (with ``shape_rejects``, rows the reader set
    apart) are kept beside the lake under the same batch id."""
    extracted_at = extracted_at or datetime.now(UTC)
    batch_id = lake.new_batch_id(extracted_at)
    checked = validate(frame, rules, key=key, cursor=cursor, raw=raw)
    if shape_rejects is not None and shape_rejects.height:
        checked.rejects = pl.concat([shape_rejects, checked.rejects]).sort("row_number")
    quarantine.write_rejects(checked.rejects, lake_dir, source, table, batch_id, source_file)
    path = None
    if checked.good.height or keep_empty:
        batch = lake.as_batch(checked.good, columns, batch_id, extracted_at, is_deleted)
        path = lake.write_batch(batch, lake_dir, source, table)
    return Landed(
        batch_id=batch_id,
        rows_read=frame.height,
        rows_landed=checked.good.height,
        rows_rejected=checked.rows_rejected,
        cells_flagged=checked.cells_flagged,
        path=path,
        rejects=checked.rejects,
    )


def landing_counts(
    lake_dir: Path | str,
    source: str,
    table: str,
    new_batches: Iterable[Path],
    key: str = "sys_id",
    cursor: str = "sys_updated_on",
) -> dict[str, int]:
    """What the ``new_batches`` of a table brought, against the lake before them:
    ``rows_landed`` (every row, versions and delete markers), ``rows_new`` (records the lake
    did not hold), ``rows_changed`` (records given a later version), ``rows_deleted`` (records
    held as current and now marked deleted). Reads only the key, cursor and flag columns."""
    new = {path.name for path in new_batches}
    counts = {"rows_landed": 0, "rows_new": 0, "rows_changed": 0, "rows_deleted": 0}
    if not new:
        return counts
    columns = [key, cursor, "_is_deleted"]
    all_batches = lake.batches(lake_dir, source, table)
    frames = [
        pl.scan_parquet(path)
        .select(columns)
        .with_columns(pl.lit(path.name in new).alias("_is_new"))
        for path in all_batches
    ]
    rows = pl.concat(frames, how="diagonal_relaxed").collect()
    arrived = rows.filter(pl.col("_is_new"))
    counts["rows_landed"] = arrived.height
    before = (
        rows.filter(~pl.col("_is_new"))
        .sort(cursor)
        .unique(subset=[key], keep="last")
        .select(key, pl.col(cursor).alias("_before"), pl.col("_is_deleted").alias("_was_deleted"))
    )
    latest_new = (
        arrived.sort(cursor).unique(subset=[key], keep="last").join(before, on=key, how="left")
    )
    current_before = pl.col("_before").is_not_null() & ~pl.col("_was_deleted")
    versions = latest_new.filter(~pl.col("_is_deleted"))
    counts["rows_new"] = versions.filter(~current_before).height
    counts["rows_changed"] = versions.filter(
        current_before & (pl.col(cursor) > pl.col("_before"))
    ).height
    counts["rows_deleted"] = latest_new.filter(pl.col("_is_deleted") & current_before).height
    return counts
