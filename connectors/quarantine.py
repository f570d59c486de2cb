"""What landing refused, kept beside the lake and out of what dbt reads.

* **Rejects** (rows refused one by one, and cells flagged but landed):
  ``<lake>/_rejects/<source>/<table>/<batch_id>.parquet``, one line per (row, field, reason):
  ``source``, ``table_name``, ``source_file`` (null for the Table API), ``batch_id``,
  ``row_number`` (the record's number in the file or the batch, 1 = the first),
  ``field``, ``reason``, ``raw_value`` (its first 200 characters), ``sys_id`` (when known),
  ``outcome`` (``rejected``: the row did not land; ``flagged``: it landed, the cell is
  suspicious) and ``rejected_at``.
* **Quarantine** (a batch that cannot be trusted as a whole: a file that cannot be read, or a
  batch whose blocking checks failed): ``<lake>/_quarantine/<source>/<table>/<batch_id>.parquet``
  (the rows), or the original file copied as ``<batch_id>.<file name>.quarantined`` when it
  could not be parsed (a name no ``*.json`` or ``*.parquet`` glob reads), plus
  ``<batch_id>.json``: ``batch_id``, ``source``, ``table_name``, ``file``, ``stage`` (``read``:
  the file could not be read, or ``check``: a blocking check failed), ``reasons``, ``samples``
  (row, field, value), ``rows``, ``quarantined_at``.

An empty ``_schema.parquet`` / ``_schema.json`` at the top of each folder gives readers (dbt's
staging views) the columns even before anything was refused.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from connectors.validation import REJECT_SCHEMA

REJECTS_DIR = "_rejects"
QUARANTINE_DIR = "_quarantine"
REJECTS_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "table_name": pl.String(),
    "source_file": pl.String(),
    "batch_id": pl.String(),
    **REJECT_SCHEMA,
    "rejected_at": pl.Datetime("us", "UTC"),
}
QUARANTINE_FIELDS = (
    "batch_id",
    "source",
    "table_name",
    "file",
    "stage",
    "reasons",
    "samples",
    "rows",
    "quarantined_at",
)
# Reasons and samples kept per quarantined batch (the rest is counted, not listed).
MAX_SAMPLES = 20


def rejects_dir(lake_dir: Path | str, source: str, table: str) -> Path:
    """The folder of a table's rejects."""
    return Path(lake_dir) / REJECTS_DIR / source / table


def quarantine_dir(lake_dir: Path | str, source: str, table: str) -> Path:
    """The folder of a table's quarantined batches."""
    return Path(lake_dir) / QUARANTINE_DIR / source / table


def write_rejects(
    rejects: pl.DataFrame,
    lake_dir: Path | str,
    source: str,
    table: str,
    batch_id: str,
    source_file: str | None = None,
) -> Path | None:
    """Keep the rejects of one batch (the frame ``validation.validate`` returns); None if none."""
    if rejects.is_empty():
        return None
    frame = rejects.select(
        pl.lit(source).alias("source"),
        pl.lit(table).alias("table_name"),
        pl.lit(source_file, pl.String).alias("source_file"),
        pl.lit(batch_id).alias("batch_id"),
        *REJECT_SCHEMA,
        pl.lit(datetime.now(UTC)).alias("rejected_at"),
    ).cast(REJECTS_SCHEMA)
    return _write_parquet(frame, rejects_dir(lake_dir, source, table) / f"{batch_id}.parquet")


def quarantine_file(
    path: Path,
    lake_dir: Path | str,
    source: str,
    table: str,
    batch_id: str,
    *,
    reasons: Sequence[str],
    samples: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Quarantine a file that could not be read: a copy of it, and its description."""
    folder = quarantine_dir(lake_dir, source, table)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{batch_id}.{path.name}.quarantined"
    temporary = folder / f".{final.name}.tmp"
    shutil.copyfile(path, temporary)
    os.replace(temporary, final)
    return _describe(folder, batch_id, source, table, path.name, "read", reasons, samples, None)


def quarantine_batch(
    batch: Path,
    lake_dir: Path | str,
    source: str,
    table: str,
    *,
    reasons: Sequence[str],
    file: str | None = None,
    samples: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Move a landed batch out of the table's folder into the quarantine (a blocking check
    failed on it), so dbt never reads it; return its description."""
    folder = quarantine_dir(lake_dir, source, table)
    folder.mkdir(parents=True, exist_ok=True)
    rows = pl.scan_parquet(batch).select(pl.len()).collect().item()
    os.replace(batch, folder / batch.name)
    return _describe(folder, batch.stem, source, table, file, "check", reasons, samples, rows)


def read_rejects(
    lake_dir: Path | str, source: str | None = None, table: str | None = None
) -> pl.DataFrame:
    """Every reject kept (of one source, or one table), oldest batch first."""
    top = Path(lake_dir) / REJECTS_DIR
    pattern = f"{source or '*'}/{table or '*'}/*.parquet"
    paths = sorted(top.glob(pattern), key=lambda path: path.name)
    if not paths:
        return pl.DataFrame(schema=REJECTS_SCHEMA)
    return pl.concat([pl.read_parquet(path) for path in paths])


def quarantined(lake_dir: Path | str, source: str | None = None) -> list[dict[str, Any]]:
    """Every quarantine description (of one source, or all), oldest batch first."""
    top = Path(lake_dir) / QUARANTINE_DIR
    pattern = f"{source}/*/*.json" if source else "*/*/*.json"
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(top.glob(pattern), key=lambda path: path.name)
    ]


def ensure_schema_files(lake_dir: Path | str) -> None:
    """Empty files giving the rejects' and quarantine's columns, so readers that glob the
    folders (dbt's staging) find a file even before anything was refused."""
    rejects = Path(lake_dir) / REJECTS_DIR / "_schema.parquet"
    if not rejects.exists():
        _write_parquet(pl.DataFrame(schema=REJECTS_SCHEMA), rejects)
    description = Path(lake_dir) / QUARANTINE_DIR / "_schema.json"
    if not description.exists():
        description.parent.mkdir(parents=True, exist_ok=True)
        _write_text(description, "[]")


def _describe(
    folder: Path,
    batch_id: str,
    source: str,
    table: str,
    file: str | None,
    stage: str,
    reasons: Sequence[str],
    samples: Sequence[dict[str, Any]],
    rows: int | None,
) -> dict[str, Any]:
    description = {
        "batch_id": batch_id,
        "source": source,
        "table_name": table,
        "file": file,
        "stage": stage,
        "reasons": [str(reason) for reason in reasons][:MAX_SAMPLES],
        "samples": [
            {key: None if value is None else str(value)[:200] for key, value in sample.items()}
            for sample in samples
        ][:MAX_SAMPLES],
        "rows": rows,
        "quarantined_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _write_text(folder / f"{batch_id}.json", json.dumps(description, indent=2, ensure_ascii=False))
    return description


def _write_parquet(frame: pl.DataFrame, final: Path) -> Path:
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.parent / f".{final.name}.tmp"
    frame.write_parquet(temporary, compression="zstd")
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    return final


def _write_text(final: Path, text: str) -> None:
    temporary = final.parent / f".{final.name}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
