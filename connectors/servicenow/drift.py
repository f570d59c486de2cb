"""Schema drift: what changed in the columns and value shapes a table arrives with.

Everything lands as strings, so drift never breaks a load; it is measured and reported. A new
column is landed (except on ``sys_user``, where only the spec's columns may ever pass); a column
that disappeared lands as null; a value that changed shape (a reference object, a number, a
boolean where the Table API gives strings) is turned into a string and counted.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from connectors.servicenow.tables import TableSpec

# Tables whose rows carry personal data: nothing beyond the spec's columns is ever landed.
PERSONAL_DATA_TABLES = frozenset({"sys_user"})


@dataclass
class DriftReport:
    """Columns and shapes that differ from the spec or from earlier batches."""

    new_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    changed_shapes: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when nothing drifted."""
        return not (
            self.new_columns or self.missing_columns or self.dropped_columns or self.changed_shapes
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for logs and run metadata."""
        return {
            "new_columns": self.new_columns,
            "missing_columns": self.missing_columns,
            "dropped_columns": self.dropped_columns,
            "changed_shapes": self.changed_shapes,
        }


class DriftTracker:
    """Turns records into string frames and accumulates what drifted over one extraction."""

    def __init__(self, spec: TableSpec, previous_columns: Sequence[str] | None = None) -> None:
        self.spec = spec
        self.spec_columns = frozenset(spec.columns)
        self.previous = list(previous_columns or [])
        self.allow_extra = spec.name not in PERSONAL_DATA_TABLES
        self.seen: set[str] = set()
        self.dropped: set[str] = set()
        self.shapes: dict[str, Counter] = {}
        self.rows = 0

    def frame(self, records: Iterable[dict[str, Any]]) -> pl.DataFrame:
        """A frame of strings: the spec's columns first, then any extra (allowed) ones in the
        order they first appear. Built a column at a time: a column of strings and nulls goes
        to Polars whole; only a column holding another shape is converted value by value."""
        records = records if isinstance(records, list) else list(records)
        names = dict.fromkeys(itertools.chain.from_iterable(records))  # first-seen order
        self.seen.update(names)
        columns = list(self.spec.columns)
        for name in names:
            if name not in self.spec_columns:
                if self.allow_extra:
                    columns.append(name)
                else:
                    self.dropped.add(name)
        self.rows += len(records)
        return pl.DataFrame(
            [self._column(name, [record.get(name) for record in records]) for name in columns]
        )

    def _column(self, name: str, values: list[Any]) -> pl.Series:
        try:
            return pl.Series(name, values, dtype=pl.String, strict=True)
        except TypeError:  # a value that is not a string: converted and counted, one by one
            return pl.Series(name, [self._string(name, value) for value in values], pl.String)

    def _string(self, name: str, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, dict) and "value" in value:
            kind, text = "reference object", value.get("value")
            text = None if text is None else str(text)
        elif isinstance(value, bool):
            kind, text = "boolean", "true" if value else "false"
        elif isinstance(value, int | float):
            kind, text = "number", _number(value)
        else:
            kind, text = type(value).__name__, json.dumps(value, ensure_ascii=False)
        self.shapes.setdefault(name, Counter())[kind] += 1
        return text

    def report(self) -> DriftReport:
        """What drifted, against the spec and against the previously landed columns."""
        spec_columns = set(self.spec.columns)
        report = DriftReport(
            new_columns=sorted(self.seen - spec_columns - self.dropped),
            dropped_columns=sorted(self.dropped),
            changed_shapes={name: dict(kinds) for name, kinds in sorted(self.shapes.items())},
        )
        if self.rows:
            # A field asked for but absent from every row: removed, renamed, or hidden by ACLs.
            report.missing_columns = sorted(spec_columns - self.seen)
            report.missing_columns += sorted(
                name for name in self.previous if name not in spec_columns and name not in self.seen
            )
        return report

    def landed_columns(self) -> list[str]:
        """The columns to remember for the next comparison."""
        return sorted(self.seen - self.dropped) if self.rows else self.previous


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
