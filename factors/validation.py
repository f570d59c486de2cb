"""Validation of factor and parameter rows: every error names the file, the row and the reason.

Checked per row: required fields, known scope / stage / criterion / parameter / category /
quality / flag, finite numbers, ``value_min <= value <= value_max``, a value on every row but a
``not_covered`` one, a negative figure only when flagged ``negative_in_source``, the unit
expected for the criterion and scope, a source and a source year, valid dates (``valid_from <=
valid_to``), ISO 3166 alpha-2 country codes known to boaviztapi's electricity mixes. Across
rows: unique ids, and no overlapping validity for one (data set, scope, key, stage, criterion)
or (data set, scope, key, parameter).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

from factors.schema import (
    CRITERION_UNITS,
    DEVICE_CATEGORIES,
    FACTOR_MATCH_LEVELS,
    FACTOR_SCOPES,
    FLAGS,
    NEGATIVE_IN_SOURCE,
    NOT_COVERED,
    PARAMETER_SCOPES,
    PARAMETER_UNITS,
    QUALITIES,
    STAGES,
    factor_unit,
)

DATA_DIR = Path(__file__).parent / "data"
OPEN_END = date(9999, 12, 31)


class FactorValidationError(ValueError):
    """Raised with every problem found, one ``file:row: field: reason`` line each."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = [str(error) for error in errors]
        super().__init__("invalid factor data:\n" + "\n".join(self.errors))

    def __reduce__(self) -> tuple[type[FactorValidationError], tuple[list[str]]]:
        # Raised again from its lines, not its message, where it crosses processes.
        return type(self), (self.errors,)


@dataclass(frozen=True)
class SourceRow:
    """One data row as read, with where it came from (its first physical line in the file)."""

    path: Path
    line: int
    values: dict[str, str]

    def where(self, field: str) -> str:
        return f"{self.path}:{self.line}: {field}"

    def problem(self, field: str, reason: str) -> Problem:
        """The ``file:row: field: reason`` message for this row."""
        return Problem(self, field, reason)


class Problem(str):
    """One ``file:row: field: reason`` message that knows its row (to reject just that row)."""

    row: SourceRow
    field: str
    reason: str

    def __new__(cls, row: SourceRow, field: str, reason: str) -> Problem:
        problem = super().__new__(cls, f"{row.where(field)}: {reason}")
        problem.row, problem.field, problem.reason = row, field, reason
        return problem


@cache
def known_countries() -> frozenset[str]:
    """ISO 3166 alpha-2 codes (plus WORLD and EUROPE) of boaviztapi's electricity mixes."""
    with open(DATA_DIR / "countries.csv", newline="", encoding="utf-8") as handle:
        return frozenset(row["country"] for row in csv.DictReader(handle))


def validate_factor_rows(rows: list[SourceRow]) -> list[Problem]:
    """Problems in emission-factor rows (empty list when valid)."""
    errors: list[Problem] = []
    for row in rows:
        errors += _common(row, "factor_id")
        values = row.values
        scope, criterion, stage = (
            values.get("scope", ""),
            values.get("criterion", ""),
            values.get("stage", ""),
        )
        if scope not in FACTOR_SCOPES:
            errors.append(row.problem("scope", f"unknown scope {scope!r}"))
        if stage not in STAGES:
            errors.append(row.problem("stage", f"unknown stage {stage!r}"))
        if criterion not in CRITERION_UNITS:
            errors.append(row.problem("criterion", f"unknown criterion {criterion!r}"))
        elif scope in FACTOR_SCOPES and values.get("unit") != factor_unit(criterion, scope):
            errors.append(
                row.problem(
                    "unit",
                    f"{values.get('unit')!r} is not the unit of {criterion} for scope {scope} "
                    f"({factor_unit(criterion, scope)!r})",
                )
            )
        errors += _key(row, scope)
        if values.get("is_last_resort", "").strip().lower() not in ("", "true", "false"):
            errors.append(row.problem("is_last_resort", "expected true or false"))
        errors += _sign(row)
    errors += _unique(rows, "factor_id")
    errors += _no_overlap(rows, ("data_set", "scope", "key", "stage", "criterion"))
    return errors


def validate_parameter_rows(rows: list[SourceRow]) -> list[Problem]:
    """Problems in parameter rows (lifetimes, annual energy, PUE, relative uncertainty)."""
    errors: list[Problem] = []
    for row in rows:
        errors += _common(row, "parameter_id")
        values = row.values
        scope, parameter = values.get("scope", ""), values.get("parameter", "")
        if scope not in PARAMETER_SCOPES:
            errors.append(row.problem("scope", f"unknown scope {scope!r}"))
        if parameter not in PARAMETER_UNITS:
            errors.append(row.problem("parameter", f"unknown parameter {parameter!r}"))
        elif values.get("unit") != PARAMETER_UNITS[parameter]:
            errors.append(
                row.problem(
                    "unit",
                    f"{values.get('unit')!r} is not the unit of {parameter} "
                    f"({PARAMETER_UNITS[parameter]!r})",
                )
            )
        if scope == "category" and values.get("key") not in DEVICE_CATEGORIES:
            errors.append(row.problem("key", f"unknown device category {values.get('key')!r}"))
        if scope == "match_level":
            errors += _match_level_key(row)
        number = _float(values.get("value"))
        if number is not None and number <= 0:
            errors.append(row.problem("value", f"a {parameter} must be positive"))
        if parameter == "relative_uncertainty" and number is not None and number >= 1:
            errors.append(row.problem("value", "a relative half-width must be below 1"))
        if values.get("flag"):
            errors.append(row.problem("flag", "parameters carry no flag"))
    errors += _unique(rows, "parameter_id")
    errors += _no_overlap(rows, ("data_set", "scope", "key", "parameter"))
    return errors


def _common(row: SourceRow, id_field: str) -> list[Problem]:
    values, errors = row.values, []
    flag = values.get("flag", "")
    required = (id_field, "data_set", "scope", "key", "unit", "source", "source_year", "quality")
    errors += [row.problem(field, "missing") for field in required if not values.get(field)]
    if flag == NOT_COVERED:
        errors += [
            row.problem(field, f"must be empty on a '{NOT_COVERED}' row")
            for field in ("value", "value_min", "value_max")
            if values.get(field)
        ]
    elif not values.get("value"):
        errors.append(row.problem("value", f"missing (only a '{NOT_COVERED}' row has no value)"))
    if values.get("quality") and values["quality"] not in QUALITIES:
        errors.append(
            row.problem(
                "quality",
                f"unknown quality {values['quality']!r} (one of {', '.join(QUALITIES)})",
            )
        )
    if flag and flag not in FLAGS:
        errors.append(row.problem("flag", f"unknown flag {flag!r} (one of {', '.join(FLAGS)})"))
    if values.get("data_set") and values["data_set"] != row.path.stem and not _is_override(row):
        errors.append(
            row.problem(
                "data_set",
                f"{values['data_set']!r} differs from the file name {row.path.stem!r}",
            )
        )
    number = _float(values.get("value"))
    if values.get("value") and number is None:
        errors.append(row.problem("value", f"not a number: {values['value']!r}"))
    low, high = _float(values.get("value_min")), _float(values.get("value_max"))
    for field, bound in (("value_min", low), ("value_max", high)):
        if values.get(field) and bound is None:
            errors.append(row.problem(field, f"not a number: {values[field]!r}"))
    if number is not None:
        low = number if low is None else low
        high = number if high is None else high
        if not low <= number <= high:
            errors.append(
                row.problem(
                    "value",
                    f"expected value_min <= value <= value_max, got {low} <= {number} <= {high}",
                )
            )
    year = values.get("source_year", "")
    if year and (not year.isdigit() or not 1900 <= int(year) <= 2100):
        errors.append(row.problem("source_year", f"not a year: {year!r}"))
    start, end = _date(values.get("valid_from")), _date(values.get("valid_to"))
    if start is None:
        errors.append(row.problem("valid_from", "expected a date YYYY-MM-DD"))
    if values.get("valid_to") and end is None:
        errors.append(row.problem("valid_to", "expected a date YYYY-MM-DD or empty"))
    if start and end and end < start:
        errors.append(row.problem("valid_to", "before valid_from"))
    region = values.get("region", "")
    if region and region not in known_countries():
        errors.append(row.problem("region", f"unknown country code {region!r} (ISO alpha-2)"))
    return errors


def _key(row: SourceRow, scope: str) -> list[Problem]:
    key = row.values.get("key", "")
    if scope == "category" and key not in DEVICE_CATEGORIES:
        return [row.problem("key", f"unknown device category {key!r}")]
    if scope == "grid" and key not in known_countries():
        # boaviztapi silently falls back to Europe on an unknown code: refuse it here.
        return [row.problem("key", f"unknown country code {key!r} (ISO 3166 alpha-2)")]
    if scope == "manufacturer_category":
        category = key.rpartition("|")[2]
        if "|" not in key or category not in DEVICE_CATEGORIES:
            return [row.problem("key", f"expected 'manufacturer|category', got {key!r}")]
    if scope == "model" and "|" not in key:
        return [row.problem("key", f"expected a model key 'manufacturer|model', got {key!r}")]
    return []


def _sign(row: SourceRow) -> list[Problem]:
    """A negative figure only where the source publishes one, and flagged so."""
    values = row.values
    numbers = [_float(values.get(field)) for field in ("value", "value_min", "value_max")]
    negative = any(number is not None and number < 0 for number in numbers)
    flagged = values.get("flag") == NEGATIVE_IN_SOURCE
    if negative and not flagged:
        return [row.problem("value", f"negative value without flag '{NEGATIVE_IN_SOURCE}'")]
    if flagged and not negative:
        return [row.problem("flag", f"'{NEGATIVE_IN_SOURCE}' on a value that is not negative")]
    return []


def _match_level_key(row: SourceRow) -> list[Problem]:
    level, _, quality = row.values.get("key", "").partition("|")
    if level in FACTOR_MATCH_LEVELS and quality in QUALITIES:
        return []
    return [
        row.problem(
            "key",
            "expected '<match level>|<quality>' (e.g. 'category|secondary'), "
            f"got {row.values.get('key')!r}",
        )
    ]


def _unique(rows: list[SourceRow], field: str) -> list[Problem]:
    seen: dict[str, SourceRow] = {}
    errors = []
    for row in rows:
        value = row.values.get(field)
        if not value:
            continue
        if value in seen:
            first = seen[value]
            errors.append(
                row.problem(field, f"duplicate id {value!r} (first at {first.path}:{first.line})")
            )
        else:
            seen[value] = row
    return errors


def _no_overlap(rows: list[SourceRow], fields: tuple[str, ...]) -> list[Problem]:
    groups: dict[tuple, list[SourceRow]] = defaultdict(list)
    for row in rows:
        groups[tuple(row.values.get(field, "") for field in fields)].append(row)
    errors = []
    for group in groups.values():
        dated = [r for r in group if _date(r.values.get("valid_from"))] if len(group) > 1 else []
        periods = sorted(
            (
                (_date(r.values["valid_from"]), _date(r.values.get("valid_to")) or OPEN_END, r)
                for r in dated
            ),
            key=lambda period: (period[0], period[1]),
        )
        for (_, end, first), (start, _, second) in pairwise(periods):
            if start <= end:
                errors.append(
                    second.problem(
                        "valid_from",
                        f"validity overlaps {first.path}:{first.line} for the same "
                        f"{', '.join(fields)}",
                    )
                )
    return errors


def _is_override(row: SourceRow) -> bool:
    return row.values.get("_override") == "true"


def _float(text: str | None) -> float | None:
    if text is None or not str(text).strip():
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _date(text: str | None) -> date | None:
    if not text or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        return None
