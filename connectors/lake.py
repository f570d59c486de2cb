"""The lake: immutable Parquet batches, one folder per source table.

Layout: ``<lake>/<source>/<table>/<batch_id>.parquet``. A batch is written to a hidden temporary
name in the same folder, flushed to disk, then renamed, so a reader (dbt's ``read_parquet`` glob)
never sees a half-written file and a killed load leaves only a temporary file that the next run
removes. Batches are never rewritten: every version of a record stays, and staging deduplicates.

Every batch carries, besides the source columns (all strings, as ServiceNow sends them):
``_batch_id``, ``_extracted_at`` (UTC), ``_is_deleted`` (a delete marker row holds only the
key, the deletion time as cursor, and ``_is_deleted = true``) and ``_row_number`` (the row's
place in what was read: the record number in an export file, 1 = the first record; the order
the instance returned the rows in). The latest version of a record is the one with the latest
cursor, then the latest extraction, then the latest batch, then the latest row: no tie is left
to chance.

Nothing reaches a table's folder without being validated (``connectors/landing.py``); what
was refused is kept beside the lake, out of what dbt reads: ``<lake>/_rejects/`` (rows) and
``<lake>/_quarantine/`` (whole batches and files), see ``connectors/quarantine.py``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

BATCH_COLUMNS: tuple[str, ...] = ("_batch_id", "_extracted_at", "_is_deleted", "_row_number")
ROW_NUMBER = "_row_number"
# The order that decides the latest version of a record, after its cursor (the dbt macro
# latest_versions uses the same).
TIE_BREAKERS: tuple[str, ...] = ("_extracted_at", "_batch_id", ROW_NUMBER)
# Temporary files end in ".tmp", so no "*.parquet" glob (dbt's, DuckDB's, a BI tool's) reads one.
_TEMPORARY_SUFFIX = ".tmp"


def table_dir(lake_dir: Path | str, source: str, table: str) -> Path:
    """The folder holding every batch of one table."""
    return Path(lake_dir) / source / table


def new_batch_id(now: datetime | None = None) -> str:
    """A sortable, unique batch id: UTC time to the microsecond, then a random suffix."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"


def as_batch(
    frame: pl.DataFrame,
    columns: Sequence[str],
    batch_id: str,
    extracted_at: datetime,
    is_deleted: bool = False,
) -> pl.DataFrame:
    """Shape rows for landing: the table's columns as strings (missing ones null), in order,
    extra source columns kept after them, then the batch columns. ``_row_number`` is kept if
    the frame has it (rows numbered before validation), else numbered from 1."""
    extra = [name for name in frame.columns if name not in columns and name not in BATCH_COLUMNS]
    numbers = (
        frame[ROW_NUMBER].cast(pl.Int64)
        if ROW_NUMBER in frame.columns
        else pl.int_range(1, frame.height + 1, dtype=pl.Int64, eager=True)
    )
    shaped = frame.with_columns(
        [pl.lit(None, dtype=pl.String).alias(name) for name in columns if name not in frame.columns]
    ).select(
        [pl.col(name).cast(pl.String) for name in (*columns, *extra)],
    )
    return shaped.with_columns(
        pl.lit(batch_id).alias("_batch_id"),
        pl.lit(extracted_at.astimezone(UTC)).cast(pl.Datetime("us", "UTC")).alias("_extracted_at"),
        pl.lit(is_deleted).alias("_is_deleted"),
        numbers.alias(ROW_NUMBER),
    )


def write_batch(frame: pl.DataFrame, lake_dir: Path | str, source: str, table: str) -> Path:
    """Land one batch durably: temporary file, fsync, atomic rename, fsync of the folder.

    The frame must already carry ``_batch_id`` (see :func:`as_batch`); it names the file.
    """
    if "_batch_id" not in frame.columns or (frame.height and frame["_batch_id"].n_unique() != 1):
        raise ValueError(f"{source}/{table}: a batch needs exactly one _batch_id column value")
    batch_id = frame["_batch_id"][0] if frame.height else new_batch_id()
    folder = table_dir(lake_dir, source, table)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{batch_id}.parquet"
    temporary = folder / f".{batch_id}.parquet{_TEMPORARY_SUFFIX}"
    frame.write_parquet(temporary, compression="zstd", statistics=True)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _fsync_dir(folder)
    return final


def remove_temporary_files(lake_dir: Path | str) -> list[Path]:
    """Delete what an interrupted load left behind; return what was removed."""
    removed = []
    for path in Path(lake_dir).rglob(f"*{_TEMPORARY_SUFFIX}"):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def batches(lake_dir: Path | str, source: str, table: str) -> list[Path]:
    """The table's landed batches, oldest first."""
    folder = table_dir(lake_dir, source, table)
    return sorted(folder.glob("*.parquet")) if folder.exists() else []


def read_table(
    lake_dir: Path | str, source: str, table: str, columns: Sequence[str] | None = None
) -> pl.DataFrame:
    """Every landed row of a table (all versions, delete markers included); with ``columns``,
    only those of them each batch holds (a table of millions of rows read for a few fields)."""

    def read(path: Path) -> pl.DataFrame:
        if columns is None:
            return pl.read_parquet(path)
        held = pl.read_parquet_schema(path)
        return pl.read_parquet(path, columns=[name for name in columns if name in held])

    return concat_batches(read(path) for path in batches(lake_dir, source, table))


def versioning_columns(key: str = "sys_id", cursor: str = "sys_updated_on") -> list[str]:
    """What ``latest_rows`` reads of each row besides the fields a reader wants."""
    return [key, cursor, "_is_deleted", *TIE_BREAKERS]


def latest_rows(
    frame: pl.DataFrame, key: str = "sys_id", cursor: str = "sys_updated_on"
) -> pl.DataFrame:
    """The current state: the latest version of each key, deleted keys dropped.

    The same rule staging applies in SQL; here for tests and checks that read the lake.
    """
    if frame.is_empty():
        return frame
    order = [cursor, *(name for name in TIE_BREAKERS if name in frame.columns)]
    latest = frame.sort(order, nulls_last=False).unique(subset=[key], keep="last")
    return latest.filter(~pl.col("_is_deleted")).sort(key)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def concat_batches(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Stack frames whose columns may differ (schema drift), filling gaps with nulls."""
    frames = [frame for frame in frames if frame.width]
    return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
