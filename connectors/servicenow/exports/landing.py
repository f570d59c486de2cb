"""Exported files -> lake batches, the same shape as an API extraction, validated first.

The exports folder holds one file per table, named after it, or numbered parts
(``alm_hardware.csv``, ``alm_hardware_1.csv``, ``alm_hardware.2.xlsx``...), in CSV, XLSX, JSON
(Table API or JSONv2) or XML unload. Each file is read, mapped to database values and validated
against the table's rules; its good rows land as one batch under ``<lake>/servicenow/<table>/``,
its bad rows go to ``<lake>/_rejects/``. A file that cannot be read at all (encoding, structure,
truncation, a hostile XML document...) is quarantined whole with its reasons, and the other
files still land: no error of one file stops the folder. The rows of a ``sys_audit_delete``
file also land as delete markers in the tables they name, as the Table API path's deletes.

The state remembers each file by its SHA-256: landed files under ``exports`` (landed once,
whatever they are renamed to), quarantined ones under ``exports_quarantined``, apart, so a
corrected file (a new hash) lands on the next run while the bad one stays refused.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from connectors import lake, quarantine
from connectors.files import FileError
from connectors.servicenow.deletes import AUDIT_TABLE, land_audited_markers
from connectors.servicenow.exports.normalise import Normaliser
from connectors.servicenow.exports.readers import (
    RawTable,
    read_csv_table,
    read_json_table,
    read_xlsx_table,
    read_xml_table,
)
from connectors.servicenow.rules import SOURCE, land_table_batch
from connectors.servicenow.tables import TABLES, TableSpec
from connectors.state import StateStore
from connectors.validation import ROW_NUMBER

log = logging.getLogger("empreinte.connectors.servicenow")

FORMATS = ("csv", "xlsx", "json", "xml")
LANDED = "exports"
QUARANTINED = "exports_quarantined"
_PART = re.compile(r"^(?P<table>.+?)[._-](?P<part>\d+)$")


def _read_table(path: Path, spec: TableSpec) -> RawTable:
    kind = path.suffix.lower().lstrip(".")
    if kind == "csv":
        return read_csv_table(path)
    if kind == "xlsx":
        return read_xlsx_table(path)
    if kind == "json":
        return read_json_table(path, spec.name)
    if kind == "xml":
        return read_xml_table(path, spec.name)
    raise FileError(f"{path.name}: unsupported format (expected {', '.join(FORMATS)})")


def read_file(
    path: Path, spec: TableSpec, *, timezone: str | None = None, unresolved: str = "reject"
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(database values, values as in the file, rows of the wrong shape) of one file; the first
    two on the spec's columns plus ``_row_number``. Raises ``FileError``."""
    table = _read_table(path, spec)
    normaliser = Normaliser(spec, path.name, timezone=timezone, unresolved=unresolved)
    values, as_read = normaliser.frames(table)
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
    return values, as_read, table.ragged


def read_export(
    path: Path | str,
    spec: TableSpec,
    *,
    timezone: str | None = None,
    unresolved: str = "reject",
) -> pl.DataFrame:
    """Read one exported file into the spec's columns, as database-value strings (not yet
    validated: ``land_exports`` does that).

    ``timezone``: the exporting user's time zone, for display date-times (default: taken as
    UTC, as database values are). ``unresolved``: what to do with a reference field holding a
    display value instead of a sys_id: ``"reject"`` the file (default) or ``"null"``. Fields
    outside the spec (names, e-mails...) are dropped on read. Raises ``FileError`` naming file,
    row, field.
    """
    values, _, _ = read_file(Path(path), spec, timezone=timezone, unresolved=unresolved)
    return values.drop(ROW_NUMBER)


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
    """What landing an exports folder did, per file."""

    landed: dict[str, int] = field(default_factory=dict)
    rows_rejected: dict[str, int] = field(default_factory=dict)
    cells_flagged: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    skipped_quarantined: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # Delete markers landed per table, from the rows of sys_audit_delete files.
    markers: dict[str, int] = field(default_factory=dict)
    # File -> table, for every file landed or quarantined.
    tables: dict[str, str] = field(default_factory=dict)

    def for_table(self, table: str) -> dict[str, Any]:
        """The figures of one table's files."""
        files = [name for name, owner in self.tables.items() if owner == table]
        return {
            "files": {name: self.landed[name] for name in files if name in self.landed},
            "rows_rejected": sum(self.rows_rejected.get(name, 0) for name in files),
            "cells_flagged": sum(self.cells_flagged.get(name, 0) for name in files),
            "quarantined": [
                {"file": name, "reasons": self.quarantined[name]}
                for name in files
                if name in self.quarantined
            ],
            "delete_markers": self.markers.get(table, 0),
        }

    def as_metadata(self) -> dict[str, Any]:
        """Plain data for run metadata."""
        return {
            "landed": self.landed,
            "rows_rejected": self.rows_rejected,
            "cells_flagged": self.cells_flagged,
            "quarantined": self.quarantined,
            "skipped": self.skipped,
            "skipped_quarantined": self.skipped_quarantined,
            "ignored": self.ignored,
            "markers": self.markers,
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
    """Land every export file not landed (nor quarantined) before; see the module docstring.

    Tables without any batch yet get one empty batch, so ``read_parquet`` globs find a file.
    """
    state = state or StateStore(lake_dir, SOURCE)
    known = {spec.name: spec for spec in tables}
    # The tables an exported sys_audit_delete may land delete markers in: those being loaded.
    delete_targets = {name: spec for name, spec in known.items() if name != AUDIT_TABLE}
    report = ExportsReport()
    seen = state.read()
    landed_hashes, refused_hashes = seen.get(LANDED, {}), seen.get(QUARANTINED, {})
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
        if digest in refused_hashes:
            report.skipped_quarantined.append(path.name)
            continue
        report.tables[path.name] = spec.name
        entry = _land_file(path, spec, lake_dir, report, timezone, unresolved, delete_targets)
        section = QUARANTINED if path.name in report.quarantined else LANDED
        state.set(section, digest, entry)
        (refused_hashes if section == QUARANTINED else landed_hashes)[digest] = entry
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
    quarantine.ensure_schema_files(lake_dir)
    log.info("exports landed", extra={"event": "exports_landed", **report.as_metadata()})
    return report


def _land_file(
    path: Path,
    spec: TableSpec,
    lake_dir: Path | str,
    report: ExportsReport,
    timezone: str | None,
    unresolved: str,
    delete_targets: dict[str, TableSpec],
) -> dict[str, Any]:
    """Land (or quarantine) one file; return its state entry. The landed rows of a
    ``sys_audit_delete`` file become delete markers in the ``delete_targets`` they name, as
    the Table API path's deletes do."""
    now = datetime.now(UTC)
    try:
        values, as_read, ragged = read_file(path, spec, timezone=timezone, unresolved=unresolved)
    except Exception as error:  # any reader failure refuses this file only, named
        reason = str(error) if isinstance(error, FileError) else _unexpected(path, error)
        described = quarantine.quarantine_file(
            path, lake_dir, SOURCE, spec.name, lake.new_batch_id(now), reasons=[reason]
        )
        report.quarantined[path.name] = described["reasons"]
        log.error(
            "%s", reason, extra={"event": "export_quarantined", "file": path.name, "reason": reason}
        )
        return {
            "file": path.name,
            "table": spec.name,
            "batch_id": described["batch_id"],
            "reasons": described["reasons"],
            "quarantined_at": now.isoformat(timespec="seconds"),
        }
    landed = land_table_batch(
        values,
        spec,
        lake_dir,
        raw=as_read,
        source_file=path.name,
        extracted_at=now,
        shape_rejects=ragged,
    )
    report.landed[path.name] = landed.rows_landed
    if spec.name == AUDIT_TABLE and landed.path is not None:
        audited = pl.read_parquet(
            landed.path, columns=["tablename", "documentkey", "sys_created_on", "sys_updated_on"]
        )
        for table, markers in land_audited_markers(audited, delete_targets, lake_dir).items():
            report.markers[table] = report.markers.get(table, 0) + markers
    if landed.rows_rejected:
        report.rows_rejected[path.name] = landed.rows_rejected
        first = landed.rejects.filter(landed.rejects["outcome"] == "rejected").row(0, named=True)
        log.warning(
            "%s: %d rows rejected (first: row %s, field %s: %s)",
            path.name,
            landed.rows_rejected,
            first["row_number"],
            first["field"],
            first["reason"],
            extra={"event": "rows_rejected", "file": path.name, "rows": landed.rows_rejected},
        )
    if landed.cells_flagged:
        report.cells_flagged[path.name] = landed.cells_flagged
    return {
        "file": path.name,
        "table": spec.name,
        "batch_id": landed.batch_id,
        "rows": landed.rows_landed,
        "rejected": landed.rows_rejected,
        "landed_at": now.isoformat(timespec="seconds"),
    }


def quarantine_landed(
    state: StateStore, batch_ids: Iterable[str], reasons: list[str]
) -> dict[str, str]:
    """Move the state entries of files whose landed batches were quarantined afterwards (a
    blocking check failed) from landed to quarantined; return ``{batch_id: file}``."""
    wanted = set(batch_ids)
    moved: dict[str, str] = {}

    def change(current: dict[str, Any]) -> None:
        landed = current.setdefault(LANDED, {})
        for digest, entry in list(landed.items()):
            if entry.get("batch_id") in wanted:
                moved[entry["batch_id"]] = entry["file"]
                current.setdefault(QUARANTINED, {})[digest] = {**entry, "reasons": reasons}
                del landed[digest]

    state.update(change)
    return moved


def _unexpected(path: Path, error: Exception) -> str:
    text = str(error).splitlines()[0][:300] if str(error) else ""
    return f"{path.name}: could not be read ({type(error).__name__}: {text})"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
