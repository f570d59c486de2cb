"""From exported values to database values, the shape the Table API gives, column by column.

Display values become database values where the mapping is certain, by the field's declared
type (``tables.py``): amounts with a currency or thousands separators (``"$1,599.99"`` ->
``"1599.99"``, ``"1,217"`` -> ``"1217"``) in currency, decimal and integer fields; choice labels
(``"In use"`` -> ``"1"``) where the choice list is known; class labels in table-name fields;
user-format dates (``06/02/2020 14:19:51``) in date and date-time fields, when the file shows
which part is the day. Everything runs as Polars expressions on whole columns.

What cannot be mapped is left as it is, and the row is then rejected by the landing rules
(``rules.py``), with file, row and field: an unknown choice label, an impossible date. Two things
refuse the whole file instead, because they say the file was exported the wrong way: dates whose
day cannot be told from their month anywhere in the file, and references given by display name
instead of sys_id (unless ``unresolved="null"``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from connectors.files import FileError
from connectors.servicenow.exports.labels import CLASS_LABELS, COLUMN_LABELS, choices
from connectors.servicenow.exports.readers import RawTable
from connectors.servicenow.tables import FieldType, TableSpec
from connectors.validation import ROW_NUMBER

_SYS_ID = r"^[0-9a-f]{32}$"
_MONEY = (
    r"^(?P<sign>-)?(?:[A-Z]{3}\s?|[$€£¥]\s?)?(?P<neg>-)?"
    r"(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?:\s?[$€£¥]|\s[A-Z]{3})?$"
)
_HAS_UNIT = r"[$€£¥,]|^-?[A-Z]{3}\s?-?[0-9]|[0-9]\s[A-Z]{3}$"
_USER_DATE = (
    r"^(?P<a>[0-9]{1,2})[/.-](?P<b>[0-9]{1,2})[/.-](?P<year>[0-9]{4})"
    r"(?: (?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?: ?(?P<ampm>[AaPp][Mm]))?)?$"
)
_TABLE_NAME = r"^[a-z][a-z0-9_]*$"
_ISO_DATE_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
REQUIRED = ("sys_id", "sys_updated_on")
_AMOUNTS = (FieldType.CURRENCY, FieldType.DECIMAL, FieldType.INTEGER)
_DATES = (FieldType.DATE, FieldType.DATE_TIME)


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
        self.zone = timezone if timezone and timezone != "UTC" else None
        self.unresolved = unresolved
        self.notes = ReadNotes()
        self.types = spec.types

    def frames(self, table: RawTable) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(database values, values as in the file), both on the spec's columns plus
        ``_row_number``, every value a string."""
        raw = table.frame
        headers = [name for name in raw.columns if name != ROW_NUMBER]
        mapping = column_map(headers, self.spec)
        missing = [name for name in REQUIRED if name not in mapping.values()]
        if missing and (raw.height or table.ragged.height):
            raise FileError(
                f"{self.file_name}: no {' / '.join(missing)} column; export with "
                "sysparm_default_export_fields=all (or add those columns to the list view)"
            )
        as_read = raw.select(
            pl.col(ROW_NUMBER),
            *[pl.col(header).alias(name) for header, name in mapping.items()],
        )
        as_read = as_read.with_columns(
            pl.lit(None, pl.String).alias(name)
            for name in self.spec.columns
            if name not in as_read.columns
        ).select(ROW_NUMBER, *self.spec.columns)
        stripped = as_read.with_columns(pl.col(c).str.strip_chars() for c in self.spec.columns)
        certain = {mapping[h]: mask for h, mask in table.certain.items() if h in mapping}
        shown = self._display_columns(stripped)
        day_first = self._date_order(stripped, [name for name in shown if name in self._dated])
        values = stripped.with_columns(
            self._column(name, certain.get(name), day_first).alias(name) for name in shown
        )
        self._check_references(values, stripped)
        return values, as_read

    @property
    def _dated(self) -> list[str]:
        return [name for name in self.spec.columns if self.types.get(name) in _DATES]

    def _display_columns(self, frame: pl.DataFrame) -> list[str]:
        """The columns holding at least one value that is not yet a database value (one pass
        of cheap tests, so a file of database values is not mapped at all)."""
        tests: dict[str, pl.Expr] = {}
        for name in self.spec.columns:
            kind = self.types.get(name, FieldType.STRING)
            value = pl.col(name)
            present = value.is_not_null() & (value != "")
            if kind is FieldType.REFERENCE and self.unresolved == "null":
                tests[name] = present & ~value.str.contains(_SYS_ID)
            elif kind is FieldType.CHOICE and choices(self.spec.name, name):
                known = sorted(set((choices(self.spec.name, name) or {}).values()))
                tests[name] = present & ~value.is_in(known)
            elif kind is FieldType.TABLE_NAME:
                tests[name] = present & ~value.str.contains(_TABLE_NAME)
            elif kind in _AMOUNTS:
                tests[name] = value.str.contains(_HAS_UNIT)
            elif kind in _DATES:
                tests[name] = value.str.contains(_USER_DATE)
                if kind is FieldType.DATE_TIME and self.zone is not None:
                    tests[name] = present
        if not tests or frame.is_empty():
            return []
        found = frame.select(
            test.fill_null(False).any().alias(name) for name, test in tests.items()
        )
        return [name for name, shown in found.row(0, named=True).items() if shown]

    # -- one column ------------------------------------------------------------------------------

    def _column(self, name: str, certain: pl.Series | None, day_first: bool | None) -> pl.Expr:
        kind = self.types.get(name, FieldType.STRING)
        value = pl.col(name)
        if kind is FieldType.REFERENCE and self.unresolved == "null":
            mapped = pl.when((value == "") | value.str.contains(_SYS_ID)).then(value)
        elif kind is FieldType.CHOICE and choices(self.spec.name, name):
            options = choices(self.spec.name, name) or {}
            known = sorted(set(options.values()))
            mapped = (
                pl.when(value.is_in(known))
                .then(value)
                .otherwise(value.str.to_lowercase().replace(options))
            )
        elif kind is FieldType.TABLE_NAME:
            mapped = (
                pl.when(value.str.contains(_TABLE_NAME))
                .then(value)
                .otherwise(value.str.to_lowercase().replace(CLASS_LABELS))
            )
        elif kind in _AMOUNTS:
            mapped = _amount(value)
        elif kind in _DATES:
            mapped = self._date(value, kind, day_first)
        else:
            return value
        if certain is not None:  # a JSON {"value": ...} is a database value: never mapped
            mapped = pl.when(pl.lit(certain)).then(value).otherwise(mapped)
        return mapped

    def _date(self, value: pl.Expr, kind: FieldType, day_first: bool | None) -> pl.Expr:
        user = value.str.extract_groups(_USER_DATE)
        first, second = user.struct.field("a"), user.struct.field("b")
        day, month = (first, second) if day_first else (second, first)
        hour = user.struct.field("h").cast(pl.Int32)
        meridiem = user.struct.field("ampm").str.to_lowercase()
        hour = (
            pl.when(meridiem.is_null())
            .then(hour)
            .otherwise(hour % 12 + pl.when(meridiem == "pm").then(12).otherwise(0))
        )
        date = pl.format(
            "{}-{}-{}", user.struct.field("year"), month.str.zfill(2), day.str.zfill(2)
        )
        moment = pl.format(
            "{} {}:{}:{}",
            date,
            hour.cast(pl.String).str.zfill(2),
            user.struct.field("m"),
            user.struct.field("s").fill_null("00"),
        )
        local = pl.when(user.struct.field("h").is_null()).then(date).otherwise(self._utc(moment))
        converted = pl.when(value.str.contains(_USER_DATE)).then(local)
        if kind is FieldType.DATE_TIME and self.zone is not None:
            converted = converted.when(value.str.contains(_ISO_DATE_TIME)).then(self._utc(value))
        return converted.otherwise(value)

    def _utc(self, moment: pl.Expr) -> pl.Expr:
        """A local date-time string as UTC (unchanged when the file's zone is UTC, or when it
        is not a real moment: the landing rules reject it then)."""
        if self.zone is None:
            return moment
        parsed = moment.str.strptime(pl.Datetime("us"), _TIME_FORMAT, strict=False)
        utc = (
            parsed.dt.replace_time_zone(self.zone, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC")
            .dt.strftime(_TIME_FORMAT)
        )
        return pl.coalesce(utc, moment)

    # -- whole-file decisions ----------------------------------------------------------------------

    def _date_order(self, frame: pl.DataFrame, dated: Sequence[str]) -> bool | None:
        """True if user dates in the ``dated`` columns are day-first, False if month-first, None
        if none tells; refuses a file mixing both, or holding only ambiguous ones."""
        if not dated or frame.is_empty():
            return None
        parts = frame.select(
            pl.concat_list([pl.col(name).str.extract(_USER_DATE, index) for name in dated]).alias(
                f"part_{index}"
            )
            for index in (1, 2)
        )
        firsts = parts["part_1"].explode().drop_nulls().cast(pl.Int32)
        seconds = parts["part_2"].explode().drop_nulls().cast(pl.Int32)
        day_first, month_first = bool((firsts > 12).any()), bool((seconds > 12).any())
        if day_first and month_first:
            raise FileError(f"{self.file_name}: dates mix day-first and month-first formats")
        if day_first or month_first:
            return day_first
        if firsts.len():
            name, row, text = self._first_match(frame, dated, _USER_DATE)
            raise FileError(
                f"{self.file_name}: row {row}: field {name}: date {text!r} is ambiguous "
                "(day and month both <= 12 everywhere in the file); export with the "
                "yyyy-MM-dd format"
            )
        return None

    def _check_references(self, values: pl.DataFrame, stripped: pl.DataFrame) -> None:
        """Count references left null, or refuse a file giving display names for them."""
        references = [name for name, kind in self.types.items() if kind is FieldType.REFERENCE]
        for name in references:
            display = stripped.filter(
                (pl.col(name) != "") & ~pl.col(name).str.contains(_SYS_ID)
            ).height
            if not display:
                continue
            if self.unresolved == "null":
                self.notes.unresolved[name] += display
                continue
            row, text = (
                stripped.filter((pl.col(name) != "") & ~pl.col(name).str.contains(_SYS_ID))
                .select(ROW_NUMBER, name)
                .row(0)
            )
            raise FileError(
                f"{self.file_name}: row {row}: field {name} holds a display value "
                f"({text[:40]!r}), not a sys_id; export database values (CSV/Excel: "
                "sysparm_display_value=false, or JSON/XML)"
            )

    def _first_match(
        self, frame: pl.DataFrame, names: Sequence[str], pattern: str
    ) -> tuple[str, int, str]:
        for name in names:
            hits = frame.filter(pl.col(name).str.contains(pattern)).select(ROW_NUMBER, name)
            if hits.height:
                row, text = hits.row(0)
                return name, row, text
        raise AssertionError("no match")  # only called when one exists


def _amount(value: pl.Expr) -> pl.Expr:
    """``"$1,599.99"`` -> ``"1599.99"`` when the value shows a unit or separators."""
    money = value.str.extract_groups(_MONEY)
    sign = (
        pl.when(money.struct.field("sign").is_not_null() | money.struct.field("neg").is_not_null())
        .then(pl.lit("-"))
        .otherwise(pl.lit(""))
    )
    plain = pl.concat_str(sign, money.struct.field("number").str.replace_all(",", ""))
    return (
        pl.when(value.str.contains(_MONEY) & value.str.contains(_HAS_UNIT))
        .then(plain)
        .otherwise(value)
    )
