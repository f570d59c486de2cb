"""From exported values to database values, the shape the Table API gives.

Display values become database values where the mapping is certain: currency and thousands
separators (``"$1,599.99"`` -> ``"1599.99"``, ``"1,217"`` -> ``"1217"``), choice labels
(``"In use"`` -> ``"1"``), class labels, reference objects (their ``value``, or the sys_id at the
end of their ``link``), typed JSON values (``1.0`` -> ``"1"``, ``true`` -> ``"true"``), and
user-format dates (``06/02/2020 14:19:51``) when the file shows which part is the day. What cannot
be mapped with certainty is rejected with the file, row and field, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from connectors.servicenow.exports.labels import CLASS_LABELS, COLUMN_LABELS, choices
from connectors.servicenow.exports.readers import ExportError
from connectors.servicenow.tables import TableSpec

_SYS_ID = re.compile(r"^[0-9a-f]{32}$")
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MONEY = re.compile(
    r"^(?P<sign>-)?(?:[A-Z]{3}\s?|[$€£¥]\s?)?(?P<neg>-)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?[$€£¥]|\s[A-Z]{3})?$"
)
_HAS_UNIT = re.compile(r"[$€£¥,]|^[A-Z]{3}\s?\d|\d\s[A-Z]{3}$")
_USER_DATE = re.compile(
    r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4})"
    r"(?: (?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?: ?(?P<ampm>[AaPp][Mm]))?)?$"
)
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
REQUIRED = ("sys_id", "sys_updated_on")


@dataclass
class ReadNotes:
    """What a file needed: display values mapped, references that stayed unresolved."""

    mapped: Counter = field(default_factory=Counter)
    unresolved: Counter = field(default_factory=Counter)


def column_map(headers: Sequence[str], spec: TableSpec) -> dict[str, str]:
    """Header (field name or label) -> spec column; headers of other fields are left out."""
    wanted = set(spec.columns)
    mapping: dict[str, str] = {}
    for header in headers:
        if header in wanted:
            mapping[header] = header
    for header in headers:
        if header in mapping or header.startswith("dv_"):
            continue
        label = header.strip().lower()
        for name in (re.sub(r"[^a-z0-9]+", "_", label).strip("_"), COLUMN_LABELS.get(label)):
            if name in wanted and name not in mapping.values():
                mapping[header] = name
                break
    return mapping


class Normaliser:
    """Database values for one file's records."""

    def __init__(
        self,
        spec: TableSpec,
        file_name: str,
        *,
        timezone: str | None = None,
        unresolved: str = "reject",
    ) -> None:
        if unresolved not in ("reject", "null"):
            raise ValueError("unresolved must be 'reject' or 'null'")
        self.spec = spec
        self.file_name = file_name
        self.zone = ZoneInfo(timezone) if timezone and timezone != "UTC" else None
        self.unresolved = unresolved
        self.notes = ReadNotes()
        self.day_first: bool | None = None

    def frame(self, records: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
        """The records as the spec's columns, every value a database-value string."""
        headers = list(dict.fromkeys(name for record in records for name in record))
        mapping = column_map(headers, self.spec)
        missing = [name for name in REQUIRED if name not in mapping.values()]
        if records and missing:
            raise ExportError(
                f"{self.file_name}: no {' / '.join(missing)} column; export with "
                "sysparm_default_export_fields=all (or add those columns to the list view)"
            )
        self.day_first = self._date_order(records, mapping)
        columns: dict[str, list[str | None]] = {name: [] for name in self.spec.columns}
        for row, record in enumerate(records, start=1):
            values = {
                name: self.value(name, record.get(header), row) for header, name in mapping.items()
            }
            if not values.get(self.spec.key):
                raise ExportError(f"{self.file_name}: row {row}: empty {self.spec.key}")
            for name in self.spec.columns:
                columns[name].append(values.get(name))
        return pl.DataFrame(columns, schema={name: pl.String for name in self.spec.columns})

    def value(self, name: str, raw: Any, row: int) -> str | None:
        """The database value of one field."""
        if isinstance(raw, Mapping):
            if "value" in raw:
                return _typed(raw["value"])
            link = str(raw.get("link") or "")
            if link:
                return link.rstrip("/").rsplit("/", 1)[-1]
            raw = raw.get("display_value")
        if raw is None:
            return ""
        if not isinstance(raw, str):
            return _typed(raw)
        text = raw.strip()
        if text == "":
            return ""
        if name in self.spec.references:
            return self._reference(name, text, row)
        options = choices(self.spec.name, name)
        if options is not None:
            return self._choice(name, text, options, row)
        if name == "sys_class_name":
            return self._class(text, row)
        return self._scalar(name, text, row)

    def _reference(self, name: str, text: str, row: int) -> str | None:
        if _SYS_ID.match(text) or (_TABLE_NAME.match(text) and "_" not in text and len(text) < 16):
            return text  # a sys_id (or a named one such as "global")
        if self.unresolved == "null":
            self.notes.unresolved[name] += 1
            return None
        raise ExportError(
            f"{self.file_name}: row {row}: field {name} holds a display value ({text[:40]!r}), "
            "not a sys_id; export database values (CSV/Excel: sysparm_display_value=false, "
            "or JSON/XML)"
        )

    def _choice(self, name: str, text: str, options: dict[str, str], row: int) -> str:
        if text in options.values():
            return text
        value = options.get(text.lower())
        if value is None:
            raise ExportError(
                f"{self.file_name}: row {row}: field {name}: unknown choice {text!r} "
                f"(known: {', '.join(sorted(options))})"
            )
        self.notes.mapped[name] += 1
        return value

    def _class(self, text: str, row: int) -> str:
        if _TABLE_NAME.match(text):
            return text
        value = CLASS_LABELS.get(text.lower())
        if value is None:
            raise ExportError(
                f"{self.file_name}: row {row}: field sys_class_name: unknown class label {text!r}"
            )
        self.notes.mapped["sys_class_name"] += 1
        return value

    def _scalar(self, name: str, text: str, row: int) -> str:
        money = _MONEY.match(text)
        if money and _HAS_UNIT.search(text):
            self.notes.mapped[name] += 1
            sign = "-" if money["sign"] or money["neg"] else ""
            return sign + money["number"].replace(",", "")
        date = _USER_DATE.match(text)
        if date:
            self.notes.mapped[name] += 1
            return self._user_date(name, date, row)
        if self.zone is not None and _ISO_DATETIME.match(text):
            return self._to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M:%S"))
        return text

    def _user_date(self, name: str, match: re.Match, row: int) -> str:
        if self.day_first is None:
            raise ExportError(
                f"{self.file_name}: row {row}: field {name}: date {match.group(0)!r} is ambiguous "
                "(day and month both <= 12 everywhere in the file); export with the "
                "yyyy-MM-dd format"
            )
        day, month = (match["a"], match["b"]) if self.day_first else (match["b"], match["a"])
        try:
            moment = datetime(int(match["year"]), int(month), int(day))
        except ValueError:
            raise ExportError(
                f"{self.file_name}: row {row}: field {name}: invalid date {match.group(0)!r}"
            ) from None
        if match["h"] is None:
            return moment.strftime("%Y-%m-%d")
        hour = int(match["h"])
        if match["ampm"]:
            hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
        moment = moment.replace(hour=hour, minute=int(match["m"]), second=int(match["s"] or 0))
        return self._to_utc(moment)

    def _to_utc(self, moment: datetime) -> str:
        if self.zone is not None:
            moment = moment.replace(tzinfo=self.zone).astimezone(ZoneInfo("UTC"))
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    def _date_order(
        self, records: Sequence[Mapping[str, Any]], mapping: dict[str, str]
    ) -> bool | None:
        """True if user dates in this file are day-first, False if month-first, None if unknown."""
        day_first = month_first = False
        for record in records:
            for header in mapping:
                raw = record.get(header)
                if isinstance(raw, Mapping) and "value" in raw:
                    continue
                if isinstance(raw, Mapping):
                    raw = raw.get("display_value")
                match = _USER_DATE.match(raw.strip()) if isinstance(raw, str) else None
                if match:
                    day_first |= int(match["a"]) > 12
                    month_first |= int(match["b"]) > 12
        if day_first and month_first:
            raise ExportError(f"{self.file_name}: dates mix day-first and month-first formats")
        return True if day_first else False if month_first else None


def _typed(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
