"""Great Expectations suites on every landed batch: the blocking asset checks of the ingestion.

A table's suite is made from its landing rules (``connectors/servicenow/rules.py``, one rule per
column from its declared type: the same definition of "valid" that checked every row before it
landed; a value's length is checked where no pattern or value list of the rule bounds it
already), plus the key's uniqueness within the batch, plus what only a suite can say of a batch
as a whole: in a batch of 100 assets or more, at least 95% name their model and their town (a
night that blanks them, an import gone wrong, is refused; each row alone would pass).

GX runs on pandas frames of the run's new batches only, in slices of at most 50,000 rows, so
memory stays bounded whatever the table's size (GX cannot run its metrics on DuckDB through
SQLAlchemy), and in the landing step's worker process (``pipelines.memory.own_process``), so
the night's own process never holds GX. Its own HTML rendering of each result is written under
``<data>/quality/<run_id>/landing/<table>/<batch_id>.html``. A batch that fails is quarantined
by the ingestion asset, and the check fails: the run stops before dbt, so the last good
warehouse stays published.
"""

from __future__ import annotations

import re._parser
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from connectors.servicenow.rules import table_rules
from connectors.servicenow.tables import TableSpec
from connectors.validation import Rule
from pipelines.gx_process import gx_context, write_html

# Rows of a batch validated at once.
SLICE_ROWS = 50_000
# Batch-wide expectations: (table, column, least share of rows holding a value).
SHARES: tuple[tuple[str, str, float], ...] = (
    ("alm_hardware", "model", 0.95),
    ("alm_hardware", "company", 0.95),
)
# Shares say nothing on a handful of rows (a quiet night's few changes).
SHARES_MIN_ROWS = 100


def expectations(spec: TableSpec, rows: int) -> list[Any]:
    """The suite of one table for a batch of ``rows`` rows."""
    import great_expectations as gx  # slow to import: only when a check runs

    expect = gx.expectations
    suite: list[Any] = []
    for rule in table_rules(spec):
        column = rule.column
        if rule.required:
            suite.append(expect.ExpectColumnValuesToNotBeNull(column=column))
        if rule.pattern is not None:
            suite.append(expect.ExpectColumnValuesToMatchRegex(column=column, regex=rule.pattern))
        if rule.date_format is not None:
            suite.append(
                expect.ExpectColumnValuesToMatchStrftimeFormat(
                    column=column, strftime_format=rule.date_format
                )
            )
        if rule.values is not None:
            suite.append(expect.ExpectColumnValuesToBeInSet(column=column, value_set=rule.values))
        if not bounds_length(rule):
            suite.append(
                expect.ExpectColumnValueLengthsToBeBetween(column=column, max_value=rule.max_chars)
            )
    suite.append(expect.ExpectCompoundColumnsToBeUnique(column_list=[spec.key, spec.cursor]))
    if rows >= SHARES_MIN_ROWS:
        suite += [
            expect.ExpectColumnValuesToNotBeNull(column=column, mostly=share)
            for table, column, share in SHARES
            if table == spec.name
        ]
    return suite


def bounds_length(rule: Rule) -> bool:
    """Whether the rule's value list or pattern already keeps a value within ``max_chars``
    (a sys_id's 32 characters, a date's 10): a length expectation would say it again, at GX's
    cost of about 10 ms per expectation and batch. Free text, choices without a known list and
    lists of sys_ids (any number of them) keep theirs."""
    if rule.values is not None:
        return max(map(len, rule.values), default=0) <= rule.max_chars
    if rule.pattern is None:
        return False
    longest = re._parser.parse(rule.pattern).getwidth()[1]  # MAXREPEAT when unbounded
    return longest <= rule.max_chars


@dataclass
class BatchCheck:
    """The suite's verdict on one batch."""

    batch: Path
    rows: int = 0
    passed: bool = True
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)
    html: list[str] = field(default_factory=list)

    def samples(self) -> list[dict[str, str]]:
        """Values the failed expectations found, with their expectation."""
        return [
            {"field": label, "value": value}
            for label, outcome in self.failed.items()
            for value in outcome["sample"]
        ]

    def reasons(self) -> list[str]:
        """One line per failed expectation, with what it found."""
        return [
            f"{label}: {outcome['unexpected_count']} unexpected, e.g. {outcome['sample']}"
            for label, outcome in self.failed.items()
        ]


def check_batches(spec: TableSpec, batches: Sequence[Path], html_dir: Path) -> list[BatchCheck]:
    """Run the table's suite on each batch (delete markers left out); write the HTML results."""
    checks = []
    for batch in batches:
        rows = (
            pl.scan_parquet(batch).filter(~pl.col("_is_deleted")).select(pl.len()).collect().item()
        )
        check = BatchCheck(batch, rows)
        for offset in range(0, rows, SLICE_ROWS):
            frame = (
                pl.scan_parquet(batch)
                .filter(~pl.col("_is_deleted"))
                .slice(offset, SLICE_ROWS)
                .select(spec.columns)
                .collect()
            )
            part = f"-{offset // SLICE_ROWS}" if offset else ""
            html = html_dir / f"{batch.stem}{part}.html"
            passed, failed = validate(frame, spec, html)
            check.passed &= passed
            check.failed.update(failed)
            check.html.append(str(html))
        checks.append(check)
    return checks


def warm_up() -> None:
    """Import Great Expectations and make the process's context, ahead of the first batch."""
    gx_context()


def validate(frame: pl.DataFrame, spec: TableSpec, html: Path) -> tuple[bool, dict[str, Any]]:
    """Run the suite on a frame of landed strings (empty = missing); write GX's HTML result;
    return whether it passed and, per failed expectation, what it found."""
    import great_expectations as gx

    context = gx_context()
    pandas = frame.select(pl.when(pl.all() != "").then(pl.all()).name.keep()).to_pandas()
    batch = (
        context.data_sources.add_or_update_pandas(f"lake_{spec.name}")
        .add_dataframe_asset(spec.name)
        .add_batch_definition_whole_dataframe("new_batch")
        .get_batch(batch_parameters={"dataframe": pandas})
    )
    # Validated as it is, never saved to the context: saving compares each expectation with
    # every other (a quarter of a batch's validation on the 55 of alm_hardware).
    suite = gx.ExpectationSuite(name=spec.name, expectations=expectations(spec, frame.height))
    result = batch.validate(suite)
    write_html(result, html)
    failed = {}
    for outcome in result.results:
        if outcome.success:
            continue
        config = outcome.expectation_config
        column = config.kwargs.get("column") or ",".join(config.kwargs.get("column_list", []))
        failed[f"{config.type}({column})"] = {
            "unexpected_count": outcome.result.get("unexpected_count", 0),
            "sample": [str(v) for v in outcome.result.get("partial_unexpected_list", [])][:5],
        }
    return bool(result.success), failed
