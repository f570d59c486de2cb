"""The dashboard's tables, read like the report's: the columns of columns.py under their labels
in the dashboard's language, and numbers formatted by kind in the browser (Dash DataTable's
d3-format specifiers, with the language's separators as the table's locale). The cells stay
numbers, so sorting orders by value and the CSV export holds the raw figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
from dash import dash_table
from dash.dash_table.Format import Format, Group, Scheme

from pipelines.reporting.columns import DIGITS, Column
from pipelines.reporting.messages import NUMBER_STYLE

# Every table: sortable, downloadable, text to the left and numbers to the right in tabular
# figures (as the report's).
TABLE_PROPS: dict[str, Any] = {
    "export_format": "csv",
    "page_size": 10,
    "sort_action": "native",
    "style_table": {"overflowX": "auto"},
    "style_cell": {"fontFamily": "system-ui, sans-serif", "textAlign": "left"},
    "style_cell_conditional": [
        {
            "if": {"column_type": "numeric"},
            "textAlign": "right",
            "fontVariantNumeric": "tabular-nums",
        }
    ],
}


def number_format(kind: str) -> dict[str, Any]:
    """The DataTable format of a kind of number (columns.py): grouped thousands, the kind's
    decimals, a percentage for a share; a missing value written —, as in the report."""
    scheme = Scheme.percentage if kind == "percent" else Scheme.fixed
    return (
        Format(group=Group.yes, precision=DIGITS[kind], scheme=scheme).nully("—").to_plotly_json()
    )


def table_columns(columns: Sequence[Column], t: Callable[..., str]) -> list[dict[str, Any]]:
    """The DataTable ``columns`` of a table: each labelled, numbers numeric with their format
    (a link of the report is plain text here)."""
    specs = []
    for column in columns:
        spec: dict[str, Any] = {"name": t(column.label), "id": column.name}
        if column.kind in DIGITS:
            spec |= {"type": "numeric", "format": number_format(column.kind)}
        specs.append(spec)
    return specs


def table_data(frame: pl.DataFrame, columns: Sequence[Column], *extra: str) -> list[dict]:
    """The rows of ``frame`` a table shows (its ``columns`` and the ``extra`` ones the
    callbacks read), values as they are; a true/false as its text."""
    names = [*extra, *(column.name for column in columns)]
    shown = frame.select(
        pl.col(name).cast(pl.String) if frame.schema[name] == pl.Boolean else pl.col(name)
        for name in names
    )
    return shown.to_dicts()


def table(
    frame: pl.DataFrame | None,
    columns: Sequence[Column],
    t: Callable[..., str],
    language: str,
    **props: Any,
) -> dash_table.DataTable:
    """A sortable DataTable of ``frame`` (empty for ``None``: a callback fills it) that
    downloads as CSV."""
    return dash_table.DataTable(
        data=[] if frame is None else table_data(frame, columns),
        columns=table_columns(columns, t),
        locale_format=NUMBER_STYLE[language],
        **{**TABLE_PROPS, **props},
    )
