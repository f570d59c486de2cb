"""Row validation before a batch lands: one rule per column, checked vectorised in Polars.

A ``Rule`` says what a valid value of one column is (a pattern the whole value matches, a date
format it must parse with, a list of known values, required or not). ``validate`` checks every
row of a batch against its rules in a few Polars expressions (no Python per row) and splits the
batch into the rows that land and the rejects: one line per (row, field, reason), with the raw
value. The same ``Rule`` objects build the Great Expectations suites (``pipelines/quality.py``),
so "valid" is written once.

Duplicated versions: two rows of one batch with the same key and the same cursor (``sys_id``
and ``sys_updated_on``) cannot both be the record's state at that moment. The last row of the
batch (the file's order, or the order the instance returned them) is kept; the earlier ones
are rejected, naming the row kept. So the latest-version choice never depends on chance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

# The longest value landed: longer ones are rejected (reason and the first characters kept).
MAX_VALUE_CHARS = 4000
# How much of a rejected value is kept in the rejects.
RAW_VALUE_CHARS = 200
ROW_NUMBER = "_row_number"
# Text a spreadsheet would run as a formula (=, +, -, @ then not a number; tab or CR first).
FORMULA = r"^(?:[=@\t\r]|[+-][^0-9.\s])"

REJECTED = "rejected"
FLAGGED = "flagged"
REJECT_SCHEMA: dict[str, pl.DataType] = {
    "row_number": pl.Int64(),
    "field": pl.String(),
    "reason": pl.String(),
    "raw_value": pl.String(),
    "sys_id": pl.String(),
    "outcome": pl.String(),
}


@dataclass(frozen=True)
class Rule:
    """What a valid value of one column is. An empty value ("" or null) is valid unless the
    column is required."""

    column: str
    # What the value is, in words, for messages: "a sys_id (32 lowercase hex characters)".
    expected: str = "text"
    # A regular expression the whole value matches (anchored with ^...$); [0-9], not \\d, so
    # Polars and Python agree.
    pattern: str | None = None
    # A strptime format the value must parse with (a real date: no 2023-02-30).
    date_format: str | None = None
    # The values allowed (a choice list).
    values: tuple[str, ...] | None = None
    required: bool = False
    # Free text: a value that a spreadsheet would run as a formula is landed as text, flagged.
    flag_formulas: bool = False
    max_chars: int = MAX_VALUE_CHARS


@dataclass
class Validation:
    """A batch split: the rows that land, and the rejects (and flags) with their reasons."""

    good: pl.DataFrame
    rejects: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REJECT_SCHEMA))

    @property
    def rows_rejected(self) -> int:
        """How many rows were refused (a row may have several reasons)."""
        refused = self.rejects.filter(pl.col("outcome") == REJECTED)
        return refused["row_number"].n_unique() if refused.height else 0

    @property
    def cells_flagged(self) -> int:
        """Cells landed but flagged (formula-like text)."""
        return self.rejects.filter(pl.col("outcome") == FLAGGED).height


def numbered(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with ``_row_number`` (1 = its first row), unless it has one already."""
    if ROW_NUMBER in frame.columns:
        return frame
    return frame.with_row_index(ROW_NUMBER, offset=1).with_columns(
        pl.col(ROW_NUMBER).cast(pl.Int64)
    )


def _checks(rule: Rule) -> list[tuple[str, pl.Expr]]:
    """(reason, expression true where the value breaks the rule) for one column."""
    value = pl.col(rule.column)
    present = value.is_not_null() & (value != "")
    checks: list[tuple[str, pl.Expr]] = []
    if rule.required:
        checks.append(("required value missing", ~present))
    checks.append(
        (
            f"longer than {rule.max_chars} characters",
            present & (value.str.len_chars() > rule.max_chars),
        )
    )
    if rule.pattern is not None:
        checks.append((f"not {rule.expected}", present & ~value.str.contains(rule.pattern)))
    if rule.date_format is not None:
        dtype = pl.Datetime("us") if "%H" in rule.date_format else pl.Date()
        parsed = value.str.strptime(dtype, rule.date_format, strict=False)
        well_formed = value.str.contains(rule.pattern) if rule.pattern else present
        checks.append(("not a real date", present & well_formed & parsed.is_null()))
    if rule.values is not None:
        known = ", ".join(rule.values[:20])
        checks.append(
            (f"not a known value of {rule.column} ({known})", present & ~value.is_in(rule.values))
        )
    return checks


def validate(
    frame: pl.DataFrame,
    rules: Sequence[Rule],
    *,
    key: str | None = "sys_id",
    cursor: str | None = "sys_updated_on",
    raw: pl.DataFrame | None = None,
) -> Validation:
    """Check every row of a batch; return the rows that land and the rejects.

    ``frame`` holds the values as they will land (strings); ``_row_number`` is added if absent.
    ``raw`` (same rows, same order) holds the values as the file gave them, for the rejects'
    ``raw_value``. A row breaking any rule is rejected whole; formula-like text is only flagged.
    Rows sharing ``key`` and ``cursor`` keep the last one (see the module docstring).
    """
    frame = numbered(frame)
    if raw is not None:
        raw = raw.with_columns(frame[ROW_NUMBER])
    source = raw if raw is not None else frame
    present_rules = [rule for rule in rules if rule.column in frame.columns]
    checks: list[tuple[str, str, pl.Expr, str]] = []  # field, reason, broken, outcome
    for rule in present_rules:
        checks += [(rule.column, reason, broken, REJECTED) for reason, broken in _checks(rule)]
        if rule.flag_formulas:
            formula = pl.col(rule.column).str.contains(FORMULA).fill_null(False)
            checks.append(
                (rule.column, "formula-like text (landed as text, never run)", formula, FLAGGED)
            )
    broken = frame.select(
        pl.col(ROW_NUMBER),
        *[
            expr.fill_null(False).alias(f"_check_{index}")
            for index, (*_, expr, _o) in enumerate(checks)
        ],
    )
    counts = (
        broken.select(pl.col(f"_check_{i}").sum() for i in range(len(checks))).row(0)
        if checks
        else ()
    )
    pieces: list[pl.DataFrame] = []
    key_values = frame.select(
        pl.col(ROW_NUMBER),
        (
            pl.col(key) if key == "sys_id" and key in frame.columns else pl.lit(None, pl.String)
        ).alias("sys_id"),
    )
    for index, ((name, reason, _expr, outcome), count) in enumerate(
        zip(checks, counts, strict=True)
    ):
        if not count:
            continue
        rows = broken.filter(pl.col(f"_check_{index}")).select(ROW_NUMBER)
        pieces.append(
            rows.join(
                (source if name in source.columns else frame).select(
                    ROW_NUMBER, pl.col(name).alias("raw_value")
                ),
                on=ROW_NUMBER,
            )
            .join(key_values, on=ROW_NUMBER)
            .select(
                pl.col(ROW_NUMBER).alias("row_number"),
                pl.lit(name).alias("field"),
                pl.lit(reason).alias("reason"),
                pl.col("raw_value").cast(pl.String).str.slice(0, RAW_VALUE_CHARS),
                pl.col("sys_id").str.slice(0, RAW_VALUE_CHARS),
                pl.lit(outcome).alias("outcome"),
            )
        )
    if key and cursor and key in frame.columns and cursor in frame.columns:
        pieces.append(_superseded(frame, key, cursor))
    rejects = pl.concat(
        [piece.cast(REJECT_SCHEMA) for piece in pieces if piece.height]
        or [pl.DataFrame(schema=REJECT_SCHEMA)]
    ).sort("row_number", "field")
    refused = rejects.filter(pl.col("outcome") == REJECTED)["row_number"].unique()
    good = frame.filter(~pl.col(ROW_NUMBER).is_in(refused.implode()))
    return Validation(good=good, rejects=rejects)


def _superseded(frame: pl.DataFrame, key: str, cursor: str) -> pl.DataFrame:
    """Rows whose key and cursor repeat later in the batch: rejected, naming the row kept."""
    versioned = frame.select(ROW_NUMBER, key, cursor).filter(
        pl.col(key).is_not_null() & (pl.col(key) != "") & pl.col(cursor).is_not_null()
    )
    # Most batches repeat no (key, cursor): only the repeated ones are grouped.
    versioned = versioned.filter(pl.struct(key, cursor).is_duplicated())
    versioned = versioned.with_columns(pl.col(ROW_NUMBER).max().over([key, cursor]).alias("_kept"))
    return versioned.filter(pl.col(ROW_NUMBER) != pl.col("_kept")).select(
        pl.col(ROW_NUMBER).alias("row_number"),
        pl.lit(key).alias("field"),
        pl.format(
            "same {} and {} as row {}, the last of the batch, which is kept",
            pl.lit(key),
            pl.lit(cursor),
            pl.col("_kept"),
        ).alias("reason"),
        pl.col(key).str.slice(0, RAW_VALUE_CHARS).alias("raw_value"),
        (pl.col(key) if key == "sys_id" else pl.lit(None, pl.String)).alias("sys_id"),
        pl.lit(REJECTED).alias("outcome"),
    )
