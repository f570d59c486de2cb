"""What a valid landed value is, per ServiceNow field type: the rules built from ``tables.py``.

Every column of a table gets one ``Rule`` from its declared ``FieldType`` (and, for choice
fields, the known choice list in ``exports/labels.py``). These rules check every batch before
it lands (``connectors/validation.py``, in Polars) and make the Great Expectations suite of each
landed table (``pipelines/quality.py``): one definition of "valid" for both.

| type | valid value |
|---|---|
| ``sys_id``, ``reference`` | 32 lowercase hex characters |
| ``list`` | sys_ids separated by commas |
| ``date`` | ``YYYY-MM-DD``, a real date, year 1900-2199 |
| ``date_time`` | ``YYYY-MM-DD HH:MM:SS`` (UTC), a real date and time, year 1900-2199 |
| ``integer`` | an optional minus and up to 18 digits |
| ``decimal`` | a finite decimal number with a point (no NaN, no inf, no exponent) |
| ``currency`` | a finite amount >= 0 with a point (a cost is never negative) |
| ``boolean`` | ``true`` or ``false`` |
| ``choice`` | one of the known values where the list is known (install_status, substatus) |
| ``table_name`` | a table name (lowercase letters, digits, underscores) |
| ``string`` | any text up to 4,000 characters; formula-like text is flagged, landed as text |

The key and the cursor (``sys_id``, ``sys_updated_on``) are required. The dates of hardware
assets (which open and close amortisation windows) must fall in the reporting years the
warehouse computes, 1950-2149.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from connectors.landing import Landed, land_batch
from connectors.servicenow.tables import FieldType, TableSpec
from connectors.validation import Rule

SOURCE = "servicenow"

HEX32 = "[0-9a-f]{32}"
_MONTH_DAY = "-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = " (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
ANY_YEAR = "(?:19|20|21)[0-9]{2}"
# A ServiceNow date-time value (UTC), and a sys_id: the only values ever put in a keyset query.
DATE_TIME_VALUE = f"^{ANY_YEAR}{_MONTH_DAY}{_TIME}$"
SYS_ID_VALUE = f"^{HEX32}$"
# The reporting years of the warehouse (dbt's year spine).
FLEET_YEAR = "(?:19[5-9][0-9]|20[0-9]{2}|21[0-4][0-9])"
FLEET_TABLES = frozenset({"alm_hardware"})
DATE_FORMAT = "%Y-%m-%d"
DATE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

_TYPES: dict[FieldType, Rule] = {
    FieldType.SYS_ID: Rule("", "a sys_id (32 lowercase hex characters)", f"^{HEX32}$"),
    FieldType.REFERENCE: Rule("", "a sys_id (32 lowercase hex characters)", f"^{HEX32}$"),
    FieldType.LIST: Rule("", "sys_ids separated by commas", f"^{HEX32}(?:,{HEX32})*$"),
    FieldType.INTEGER: Rule("", "a whole number", "^-?[0-9]{1,18}$"),
    FieldType.DECIMAL: Rule("", "a decimal number", r"^-?[0-9]{1,15}(?:\.[0-9]{1,12})?$"),
    FieldType.CURRENCY: Rule("", "an amount >= 0", r"^[0-9]{1,15}(?:\.[0-9]{1,12})?$"),
    FieldType.BOOLEAN: Rule("", "true or false", values=("false", "true")),
    FieldType.TABLE_NAME: Rule("", "a table name", "^[a-z][a-z0-9_]{0,79}$"),
    FieldType.CHOICE: Rule("", "a choice value"),
    FieldType.STRING: Rule("", "text", flag_formulas=True),
}


def _dated(kind: FieldType, year: str) -> Rule:
    if kind is FieldType.DATE:
        return Rule("", f"a date YYYY-MM-DD ({_years(year)})", f"^{year}{_MONTH_DAY}$", DATE_FORMAT)
    return Rule(
        "",
        f"a date-time YYYY-MM-DD HH:MM:SS ({_years(year)})",
        f"^{year}{_MONTH_DAY}{_TIME}$",
        DATE_TIME_FORMAT,
    )


def _years(year: str) -> str:
    return "years 1950-2149" if year == FLEET_YEAR else "years 1900-2199"


@cache
def table_rules(spec: TableSpec) -> tuple[Rule, ...]:
    """One rule per column of the table, from its declared types."""
    # Imported here: the exports package imports this module when it loads.
    from connectors.servicenow.exports.labels import choices

    rules = []
    for field in spec.typed_fields:
        if field.type in (FieldType.DATE, FieldType.DATE_TIME):
            template = _dated(field.type, FLEET_YEAR if spec.name in FLEET_TABLES else ANY_YEAR)
        else:
            template = _TYPES[field.type]
        values = template.values
        if field.type is FieldType.CHOICE:
            known = choices(spec.name, field.name)
            values = tuple(sorted(set(known.values()), key=_choice_order)) if known else None
        rules.append(
            Rule(
                field.name,
                template.expected,
                template.pattern,
                template.date_format,
                values,
                required=field.name in (spec.key, spec.cursor),
                flag_formulas=template.flag_formulas,
            )
        )
    return tuple(rules)


def _choice_order(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (1 << 30, value)


def land_table_batch(
    frame: pl.DataFrame,
    spec: TableSpec,
    lake_dir: Path | str,
    *,
    columns: tuple[str, ...] | None = None,
    **options: Any,
) -> Landed:
    """Validate a batch of one ServiceNow table against its rules (or those of ``columns``
    only) and land what passes (see ``connectors.landing.land_batch`` for ``options``)."""
    rules = [rule for rule in table_rules(spec) if columns is None or rule.column in columns]
    return land_batch(
        frame,
        rules,
        lake_dir,
        SOURCE,
        spec.name,
        spec.columns,
        key=spec.key,
        cursor=spec.cursor,
        **options,
    )
