"""Trip logs: vehicle trips (equipment transfers, interventions) and agent trips; and the log
of devices handed in at collection points, read by the same rules.

CSV, UTF-8 (BOM allowed), comma-separated, one header row with the column names documented in
``connectors/README.md``. Every row is validated; valid rows land in
``<lake>/logs/<log>/<batch>.parquet`` (values as normalised strings, like every lake batch) and
rejected rows in ``<lake>/_rejects/logs/<log>/`` (file, row, field, reason, raw value: the
layout of ``connectors/quarantine.py``), so nothing is silently lost. A file that cannot be read
(not UTF-8, NUL bytes, broken CSV, a missing column...) is quarantined whole under
``<lake>/_quarantine/logs/<log>/`` and the other files still land. A file is landed once (its
SHA-256 is kept in ``<lake>/_state/logs.json``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from connectors import lake, quarantine
from connectors.files import FileError, read_text
from connectors.state import StateStore
from connectors.validation import REJECT_SCHEMA, REJECTED

SOURCE = "logs"
VEHICLE_TYPES = (
    "van_diesel",
    "van_electric",
    "car_petrol",
    "car_diesel",
    "car_electric",
    "cargo_bike",
)
VEHICLE_PURPOSES = ("transfer", "intervention", "collection", "other")
# Who drives: the organisation's own vehicle (GHG scope 1) or a carrier's (scope 3); empty = own.
VEHICLE_OPERATORS = ("own", "carrier")
COLLECTION_OUTCOMES = ("reuse", "refurbishment", "recycling", "disposal")
AGENT_MODES = (
    "walk",
    "bike",
    "cargo_bike",
    "bus",
    "tram",
    "metro",
    "train",
    "car_petrol",
    "car_diesel",
    "car_electric",
    "car_hybrid",
    "motorbike",
    "plane",
)
MAX_DISTANCE_KM = 5000.0
_DATE_FR = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


@dataclass(frozen=True)
class TripLog:
    """One kind of log: its columns (required first) and its row rules."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    allowed: dict[str, tuple[str, ...]]
    row_rule: Callable[[dict[str, str]], str | None] | None = None
    # The row's key (unique in a file), its date, its decimals (with their maximum) and its
    # whole numbers.
    key: str = "trip_id"
    date_column: str = "trip_date"
    decimals: dict[str, float] = field(default_factory=lambda: {"distance_km": MAX_DISTANCE_KM})
    whole_numbers: tuple[str, ...] = ("asset_count", "passengers")

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, in the documented order."""
        return self.required + self.optional


def _vehicle_rule(row: dict[str, str]) -> str | None:
    # Without logged kilometres the distance comes from the two sites' coordinates.
    if not row.get("distance_km") and not (
        row.get("from_location_id") and row.get("to_location_id")
    ):
        return "distance_km is empty and from_location_id/to_location_id are not both given"
    return None


VEHICLE_TRIPS = TripLog(
    "vehicle_trips",
    required=("trip_id", "trip_date", "vehicle_type", "purpose"),
    optional=(
        "distance_km",
        "from_location_id",
        "to_location_id",
        "transfer_order_number",
        "contract_number",
        "asset_count",
        "comment",
        "operator",
    ),
    allowed={
        "vehicle_type": VEHICLE_TYPES,
        "purpose": VEHICLE_PURPOSES,
        "operator": VEHICLE_OPERATORS,
    },
    row_rule=_vehicle_rule,
)
AGENT_TRIPS = TripLog(
    "agent_trips",
    required=("trip_id", "trip_date", "mode", "distance_km"),
    optional=("cost_center_code", "purpose", "passengers", "comment"),
    allowed={"mode": AGENT_MODES},
)
COLLECTION_EVENTS = TripLog(
    "collection_events",
    required=(
        "event_id",
        "event_date",
        "collection_point_id",
        "device_category",
        "item_count",
        "outcome",
    ),
    optional=("campaign", "asset_tag", "weight_kg", "comment"),
    allowed={"outcome": COLLECTION_OUTCOMES},
    key="event_id",
    date_column="event_date",
    decimals={"weight_kg": 100_000.0},
    whole_numbers=("item_count",),
)
LOGS = {log.name: log for log in (VEHICLE_TRIPS, AGENT_TRIPS, COLLECTION_EVENTS)}


def _check(log: TripLog, name: str, value: str) -> tuple[str, str | None]:
    """(normalised value, reason or None) for one cell."""
    if value == "":
        return "", f"{name} is required" if name in log.required else None
    if name in log.allowed:
        lowered = value.lower()
        if lowered not in log.allowed[name]:
            return value, f"{name} {value!r} is not one of {', '.join(log.allowed[name])}"
        return lowered, None
    if name == log.date_column:
        french = _DATE_FR.match(value)
        text = f"{french[3]}-{french[2]}-{french[1]}" if french else value
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return value, f"{name} {value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
    if name in log.decimals or name in log.whole_numbers:
        text = value.replace(",", ".") if value.count(",") == 1 and "." not in value else value
        try:
            number = float(text)
        except ValueError:
            return value, f"{name} {value!r} is not a number"
        if name in log.decimals and not 0 <= number <= log.decimals[name]:
            return value, f"{name} {value!r} is outside 0..{log.decimals[name]:g}"
        if name in log.whole_numbers and (number < 0 or not number.is_integer()):
            return value, f"{name} {value!r} is not a whole number >= 0"
        return (f"{number:g}" if name in log.decimals else str(int(number))), None
    return value, None


def read_trip_log(path: Path | str, log: TripLog) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid rows, rejected rows with ``_reason`` and ``_row``) of one CSV file.

    A file without a required column raises ``ValueError`` naming the file and the columns.
    """
    path = Path(path)
    with io.StringIO(read_text(path), newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in log.required if name not in header]
        if missing:
            raise ValueError(
                f"{path.name}: missing column(s) {', '.join(missing)} for {log.name}"
                f" (expected: {', '.join(log.columns)})"
            )
        valid: list[dict[str, str]] = []
        rejected: list[dict[str, Any]] = []
        seen: set[str] = set()
        for number, raw in enumerate(reader, start=2):  # row 1 is the header
            cells = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
            row: dict[str, str] = {}
            reasons = []
            for name in log.columns:
                row[name], reason = _check(log, name, cells.get(name, ""))
                if reason:
                    reasons.append(reason)
            if not reasons and log.row_rule and (reason := log.row_rule(row)):
                reasons.append(reason)
            key = row[log.key]
            if key and key in seen:
                reasons.append(f"{log.key} {key!r} repeated in the file")
            if reasons:
                rejected.append({**row, "_reason": "; ".join(reasons), "_row": str(number)})
            else:
                seen.add(key)
                valid.append(row)
    schema = {name: pl.String for name in log.columns}
    return (
        pl.DataFrame(valid, schema=schema),
        pl.DataFrame(rejected, schema={**schema, "_reason": pl.String, "_row": pl.String}),
    )


@dataclass
class TripLogsReport:
    """Rows landed and rejected per file; files refused whole; files already landed."""

    landed: dict[str, int] = field(default_factory=dict)
    rejected_rows: dict[str, int] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def land_trip_logs(
    logs_dir: Path | str, lake_dir: Path | str, state: StateStore | None = None
) -> TripLogsReport:
    """Land every ``vehicle_trips*.csv`` / ``agent_trips*.csv`` / ``collection_events*.csv``
    not landed before."""
    state = state or StateStore(lake_dir, SOURCE)
    report = TripLogsReport()
    stored = state.read()
    done = {**stored.get("files", {}), **stored.get("quarantined", {})}
    for path in sorted(Path(logs_dir).glob("*.csv")):
        log = next((log for name, log in LOGS.items() if path.stem.startswith(name)), None)
        if log is None:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in done:
            report.skipped.append(path.name)
            continue
        now = datetime.now(UTC)
        batch_id = lake.new_batch_id(now)
        try:
            valid, rejected = read_trip_log(path, log)
        except Exception as error:  # any failure refuses this file only, named
            reason = (
                str(error)
                if isinstance(error, FileError | ValueError)
                else f"{path.name}: not readable as CSV ({type(error).__name__}: {error})"
            )
            quarantine.quarantine_file(path, lake_dir, SOURCE, log.name, batch_id, reasons=[reason])
            state.set("quarantined", digest, {"file": path.name, "log": log.name, "reason": reason})
            report.refused[path.name] = reason
            continue
        lake.write_batch(
            lake.as_batch(
                valid.with_columns(pl.lit(path.name).alias("_file")), log.columns, batch_id, now
            ),
            lake_dir,
            SOURCE,
            log.name,
        )
        quarantine.write_rejects(
            _reject_lines(rejected, log), lake_dir, SOURCE, log.name, batch_id, path.name
        )
        state.set(
            "files",
            digest,
            {
                "file": path.name,
                "log": log.name,
                "rows": valid.height,
                "rejected": rejected.height,
                "landed_at": now.isoformat(timespec="seconds"),
            },
        )
        report.landed[path.name] = valid.height
        report.rejected_rows[path.name] = rejected.height
    quarantine.ensure_schema_files(lake_dir)
    return report


def _reject_lines(rejected: pl.DataFrame, log: TripLog) -> pl.DataFrame:
    """Rejected rows as reject lines: one per (row, field, reason), with the raw value."""
    if rejected.is_empty():
        return pl.DataFrame(schema=REJECT_SCHEMA)
    numbered = rejected.with_columns(pl.col("_row").cast(pl.Int64).alias("row_number"))
    lines = (
        numbered.select("row_number", pl.col("_reason").str.split("; ").alias("reason"))
        .explode("reason")
        .with_columns(pl.col("reason").str.extract(r"^(\w+)", 1).alias("field"))
    )
    values = numbered.select("row_number", *log.columns).unpivot(
        index="row_number", variable_name="field", value_name="raw_value"
    )
    return lines.join(values, on=["row_number", "field"], how="left").select(
        "row_number",
        "field",
        "reason",
        pl.col("raw_value").str.slice(0, 200),
        pl.lit(None, pl.String).alias("sys_id"),
        pl.lit(REJECTED).alias("outcome"),
    )
