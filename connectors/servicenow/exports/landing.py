"""Exported files -> lake batches, the same shape as an API extraction.

The exports folder holds one file per table, named after it, or numbered parts
(``alm_hardware.csv``, ``alm_hardware_1.csv``, ``alm_hardware.2.xlsx``...), in CSV, XLSX, JSON
(Table API or JSONv2) or XML unload. Each file lands as one batch under
``<lake>/servicenow/<table>/``; its SHA-256 is remembered in the state so a file is landed once,
whatever it is renamed to.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from connectors import lake
from connectors.servicenow.exports.normalise import Normaliser
from connectors.servicenow.exports.readers import (
    ExportError,
    read_csv_records,
    read_json_records,
    read_xlsx_records,
    read_xml_records,
)
from connectors.servicenow.tables import TABLES, TableSpec
from connectors.state import StateStore

log = logging.getLogger("empreinte.connectors.servicenow")

SOURCE = "servicenow"
FORMATS = ("csv", "xlsx", "json", "xml")
_PART = re.compile(r"^(?P<table>.+?)[._-](?P<part>\d+)$")


def read_export(
    path: Path | str,
    spec: TableSpec,
    *,
    timezone: str | None = None,
    unresolved: str = "reject",
) -> pl.DataFrame:
    """Read one exported file into the spec's columns, as database-value strings.

    ``timezone``: the exporting user's time zone, for display date-times (default: taken as
    UTC, as database values are). ``unresolved``: what to do with a reference field holding a
    display value instead of a sys_id: ``"reject"`` (default) or ``"null"``. Fields outside the
    spec (names, e-mails...) are dropped on read. Raises ``ExportError`` naming file, row, field.
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind == "csv":
        records = read_csv_records(path)
    elif kind == "xlsx":
        records = read_xlsx_records(path)
    elif kind == "json":
        records = read_json_records(path, spec.name)
    elif kind == "xml":
        records = read_xml_records(path, spec.name)
    else:
        raise ExportError(f"{path.name}: unsupported format (expected {', '.join(FORMATS)})")
    normaliser = Normaliser(spec, path.name, timezone=timezone, unresolved=unresolved)
    frame = normaliser.frame(records)
    if normaliser.notes.unresolved:
        log.warning(
            "%s: reference display values left null: %s",
            path.name,
            dict(normaliser.notes.unresolved),
            extra={
                "event": "export_unresolved",
                "file": path.name,
                "fields": dict(normaliser.notes.unresolved),
            },
        )
    return frame


def export_table(path: Path, known: dict[str, TableSpec]) -> TableSpec | None:
    """The table a file is for, from its name (``<table>[<sep><part>].<format>``)."""
    if path.suffix.lower().lstrip(".") not in FORMATS:
        return None
    stem = path.stem
    if stem in known:
        return known[stem]
    part = _PART.match(stem)
    return known.get(part["table"]) if part else None


@dataclass
class ExportsReport:
    """Files landed, skipped (already landed) and rejected, with the reason."""

    landed: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict[str, Any]:
        """Plain data for run metadata."""
        return {
            "landed": self.landed,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "ignored": self.ignored,
        }


def land_exports(
    exports_dir: Path | str,
    lake_dir: Path | str,
    state: StateStore | None = None,
    *,
    tables: tuple[TableSpec, ...] = TABLES,
    timezone: str | None = None,
    unresolved: str = "reject",
) -> ExportsReport:
    """Land every export file not landed before; a rejected file is reported, not landed.

    Tables without any batch yet get one empty batch, so ``read_parquet`` globs find a file.
    """
    state = state or StateStore(lake_dir, SOURCE)
    known = {spec.name: spec for spec in tables}
    report = ExportsReport()
    landed_hashes = state.read().get("exports", {})
    for path in sorted(Path(exports_dir).iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        spec = export_table(path, known)
        if spec is None:
            report.ignored.append(path.name)
            continue
        digest = _sha256(path)
        if digest in landed_hashes:
            report.skipped.append(path.name)
            continue
        try:
            frame = read_export(path, spec, timezone=timezone, unresolved=unresolved)
        except ExportError as error:
            report.rejected[path.name] = str(error)
            log.error("%s", error, extra={"event": "export_rejected", "file": path.name})
            continue
        extracted_at = datetime.now(UTC)
        batch = lake.as_batch(frame, spec.columns, lake.new_batch_id(extracted_at), extracted_at)
        lake.write_batch(batch, lake_dir, SOURCE, spec.name)
        entry = {
            "file": path.name,
            "table": spec.name,
            "rows": frame.height,
            "landed_at": extracted_at.isoformat(timespec="seconds"),
        }
        state.set("exports", digest, entry)
        landed_hashes[digest] = entry
        report.landed[path.name] = frame.height
    for spec in tables:
        if spec.name != "sys_audit_delete" and not lake.batches(lake_dir, SOURCE, spec.name):
            empty = pl.DataFrame(schema={name: pl.String for name in spec.columns})
            now = datetime.now(UTC)
            lake.write_batch(
                lake.as_batch(empty, spec.columns, lake.new_batch_id(now), now),
                lake_dir,
                SOURCE,
                spec.name,
            )
    log.info("exports landed", extra={"event": "exports_landed", **report.as_metadata()})
    return report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
