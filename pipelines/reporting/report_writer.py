"""How the report's sections are written: `ReportWriter` holds what every section needs (the
connection, the year, the language, the titles so far, the explained assets and items) and
writes its parts (readings, notes, tables whose number cells carry their raw value in
`data-value`, bar charts)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import polars as pl

from pipelines.reporting import charts
from pipelines.reporting.columns import DIGITS, Column
from pipelines.reporting.messages import number, percent


class ReportWriter:
    """Writes the parts of each section; the sections (report_footprint.py,
    report_decisions.py) are functions of it, called in the report's order."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        year: int,
        language: str,
        t: Callable[..., str],
    ) -> None:
        self.connection = connection
        self.year = year
        self.language = language
        self.t = t
        self.titles: dict[str, str] = {}
        self.explained_assets: list[str] = []
        self.explained_items: list[str] = []

    @property
    def explained(self) -> set[str]:
        """The assets and items whose explanation the report embeds."""
        return {*self.explained_assets, *self.explained_items}

    def section(self, key: str, title: str, *parts: str) -> str:
        """A section, its title recorded for the contents."""
        self.titles[key] = title
        return f'<section id="{key}"><h2>{html.escape(title)}</h2>{"".join(parts)}</section>'

    def reading(self, key: str, **values: Any) -> str:
        """A section's reading: its main figure in a sentence."""
        return f'<p class="reading">{html.escape(self.t(key, **values))}</p>'

    def note(self, text: str) -> str:
        """A note in italics."""
        return f'<p class="note">{html.escape(text)}</p>'

    def missing(self, mart: str) -> str:
        """The note of a section whose mart the published warehouse lacks."""
        return self.note(self.t("missing_mart", mart=mart))

    def unavailable(self, key: str, mart: str) -> str:
        """Section ``key`` as a note that the published warehouse lacks its mart."""
        return self.section(key, self.t(f"section_{key}"), self.missing(mart))

    def n(self, value: float | None, digits: int = 1) -> str:
        """A number in the report's language."""
        return number(value, self.language, digits)

    def table(self, frame: pl.DataFrame, columns: Sequence[Column], table_id: str) -> str:
        """The frame as a table (a note when it has no row); number cells carry their raw
        value in ``data-value``, links point to the embedded explanations."""
        head = "".join(f"<th>{html.escape(self.t(column.label))}</th>" for column in columns)
        rows = []
        for row in frame.iter_rows(named=True):
            cells = []
            for column in columns:
                value = row[column.name]
                is_explained = column.kind == "link" and row[column.target] in self.explained
                if column.kind == "text" or (column.kind == "link" and not is_explained):
                    cells.append(f"<td>{html.escape('—' if value is None else str(value))}</td>")
                elif column.kind == "link":
                    anchor = html.escape(f"explain-{row[column.target]}")
                    cells.append(f'<td><a href="#{anchor}">{html.escape(str(value))}</a></td>')
                else:
                    if column.kind == "percent":
                        text = percent(value, self.language)
                    else:
                        text = self.n(value, DIGITS[column.kind])
                    raw = "" if value is None else repr(float(value))
                    cells.append(f'<td class="n" data-value="{raw}">{html.escape(text)}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        if not rows:
            return self.note(self.t("no_rows"))
        return (
            f'<table id="{table_id}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def bar_chart(self, frame: pl.DataFrame, label: str, value: str, unit: str) -> str:
        """Horizontal bars of ``value`` per ``label`` (rows without a value left out)."""
        frame = frame.filter(pl.col(value).is_not_null())
        return charts.bars(
            [str(name) for name in frame[label]],
            list(frame[value]),
            unit,
            [self.n(figure) for figure in frame[value]],
        )

    def heaviest(self, frame: pl.DataFrame, label: str, value: str, reading: str) -> list[str]:
        """The reading of the frame's first row (its ``label`` and ``value``, in kgCO2e) and the
        bars of its first ten rows."""
        return [
            self.reading(reading, name=frame[label][0], value=self.n(frame[value][0])),
            self.bar_chart(frame.head(10), label, value, "kgCO2e"),
        ]

    def generated(self) -> str:
        """The line under the title: the as-of date, the year's status, the factor set."""
        status, as_of = self.connection.execute(
            "select year_status, as_of_date from dim_reporting_years where reporting_year = ?",
            [self.year],
        ).fetchall()[0]
        factor_set = self.connection.execute(
            "select string_agg(distinct factor_set, ', ') from fct_footprint_yearly"
            " where reporting_year = ?",
            [self.year],
        ).fetchall()[0][0]
        return self.t(
            "generated", as_of=as_of, status=self.t(f"status_{status}"), factor_set=factor_set
        )
