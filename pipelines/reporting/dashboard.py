"""`empreinte dashboard`: an interactive dashboard (Dash) over the published warehouse, opened
read-only (a new publish is seen at the next click). Dash serves its scripts
and Plotly from the installed packages: it runs offline, with no CDN.

Filters (year, method, town, department, cost centre, category, source) apply to every view;
the drill-down goes town → site → asset and shows the selected asset's explanation; every
table reads like the report's (dashboard_tables.py) and downloads as CSV.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl
from dash import Dash, Input, Output, State, dcc, html
from werkzeug.serving import make_server

from pipelines.reporting import columns, figures
from pipelines.reporting.charts import PALETTE
from pipelines.reporting.dashboard_tables import table, table_data
from pipelines.reporting.explain import explain
from pipelines.reporting.messages import number, translator
from pipelines.warehouse import WarehousePaths, connect_read_only

FILTERS = ("town", "department", "cost_center", "category", "source")
DRILL_LEVELS = ("town", "location", "asset")


def create_app(paths: WarehousePaths, language: str = "fr") -> Dash:
    """The Dash application over the warehouse at ``paths``."""
    t = translator(language)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    reader = _Reader(paths)

    @contextmanager
    def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
        with reader.cursor() as cursor:
            yield cursor

    with warehouse() as connection:
        years = figures.reporting_years(connection)
        default_year = figures.latest_complete_year(connection)
        options = figures.choices(connection)

    app = Dash(__name__, title=t("dashboard_title"), serve_locally=True)
    app.server.config["EMPREINTE_READER"] = reader
    app.layout = html.Div(
        style={"fontFamily": "system-ui, sans-serif", "margin": "1rem 2rem"},
        children=[
            html.H1(t("dashboard_title"), style={"fontSize": "1.5rem"}),
            html.Div(
                style={"display": "flex", "flexWrap": "wrap", "gap": "0.8rem"},
                children=[
                    _labelled(
                        t("filter_year"),
                        dcc.Dropdown(
                            id="filter-year",
                            options=[
                                {"label": f"{year} ({t(f'status_{status}')})", "value": year}
                                for year, status in zip(
                                    years["reporting_year"], years["year_status"], strict=True
                                )
                            ],
                            value=default_year,
                            clearable=False,
                        ),
                    ),
                    _labelled(
                        t("filter_method"),
                        dcc.RadioItems(
                            id="filter-method",
                            options=[
                                {"label": t(f"method_{method}"), "value": method}
                                for method in ("amortised", "acquisition")
                            ],
                            value=figures.DEFAULT_METHOD,
                        ),
                    ),
                    *[
                        _labelled(
                            t(f"filter_{key}"),
                            dcc.Dropdown(
                                id=f"filter-{key}",
                                options=[
                                    {"label": label or value, "value": value}
                                    for value, label in options[key]
                                ],
                                multi=True,
                                placeholder="—",
                            ),
                        )
                        for key in FILTERS
                    ],
                ],
            ),
            html.Div(
                style={"margin": "1rem 0"},
                children=[
                    html.Span(t("total") + " : " if language == "fr" else t("total") + ": "),
                    html.Strong(id="total", style={"fontSize": "1.6rem"}),
                ],
            ),
            dcc.Tabs(
                children=[
                    dcc.Tab(label=t("tab_overview"), children=_overview()),
                    dcc.Tab(label=t("tab_drill"), children=_drill(t, language)),
                    dcc.Tab(label=t("tab_decisions"), children=[html.Div(id="decisions")]),
                    dcc.Tab(label=t("tab_quality"), children=[html.Div(id="quality")]),
                ]
            ),
            dcc.Store(id="drill-path", data={}),
        ],
    )
    inputs = [
        Input("filter-year", "value"),
        Input("filter-method", "value"),
        *[Input(f"filter-{key}", "value") for key in FILTERS],
    ]

    def selected(values: tuple[Any, ...]) -> tuple[int, str, figures.Filters]:
        year, method, *chosen = values
        towns, departments, cost_centers, categories, sources = (tuple(v or ()) for v in chosen)
        return (
            int(year),
            method,
            figures.Filters(towns, departments, cost_centers, categories, sources),
        )

    @app.callback(
        Output("total", "children"),
        *[Output(f"chart-{key}", "figure") for key in _CHARTS],
        inputs,
    )
    def overview(*values: Any) -> tuple:
        year, method, chosen = selected(values)
        with warehouse() as connection:
            figure = figures.total(connection, year, method=method, filters=chosen)
            charts = [
                _bar(
                    figures.breakdown(connection, year, dimension, method=method, filters=chosen),
                    t(title),
                )
                for dimension, title in _CHARTS.values()
            ]
        return (number(figure, language), *charts)

    # The clicked cell is cleared at once, so the same position at the next level clicks anew.
    @app.callback(
        Output("drill-path", "data"),
        Output("drill-table", "active_cell"),
        Input("drill-table", "active_cell"),
        Input("drill-back", "n_clicks"),
        State("drill-path", "data"),
        State("drill-table", "data"),
        prevent_initial_call=True,
    )
    def drill(
        cell: dict | None, _back: int | None, path: dict, rows: list[dict]
    ) -> tuple[dict, None]:
        from dash import ctx

        if ctx.triggered_id == "drill-back":
            return {}, None
        row = next((row for row in rows or [] if cell and row["id"] == cell.get("row_id")), None)
        if row is None:
            return path, None
        level = DRILL_LEVELS[min(len(path), len(DRILL_LEVELS) - 1)]
        return {**path, level: {"key": row["key"], "name": row["name"]}}, None

    @app.callback(
        Output("drill-title", "children"),
        Output("drill-table", "data"),
        Output("explanation", "children"),
        Input("drill-path", "data"),
        *inputs,
    )
    def drill_view(path: dict, *values: Any) -> tuple:
        year, method, chosen = selected(values)
        explanation = ""
        if "asset" in path:
            with warehouse() as connection:
                explanation = explain(
                    connection, path["asset"]["key"], year=year, language=language
                )
            path = {key: path[key] for key in ("town", "location")}
        if "location" in path:
            chosen = figures.Filters(**{**chosen.__dict__, "locations": (path["location"]["key"],)})
            dimension, title = "asset", t("drill_assets", name=path["location"]["name"])
        elif "town" in path:
            chosen = figures.Filters(**{**chosen.__dict__, "towns": (path["town"]["key"],)})
            dimension, title = "location", t("drill_sites", name=path["town"]["name"])
        else:
            dimension, title = "town", t("drill_towns")
        with warehouse() as connection:
            frame = figures.breakdown(connection, year, dimension, method=method, filters=chosen)
        # `id` makes the clicked cell name its row, whatever the level.
        shown = frame.with_columns(pl.col("key").alias("id"))
        return title, table_data(shown, columns.DRILL, "id"), explanation

    @app.callback(Output("decisions", "children"), Output("quality", "children"), inputs)
    def tables(*values: Any) -> tuple[list, list]:
        year, _method, _chosen = selected(values)
        with warehouse() as connection:
            # (title, table id as in the report, figure, columns)
            decisions = [
                (
                    "section_catalogue",
                    "catalogue-table",
                    figures.catalogue_items(connection),
                    columns.CATALOGUE,
                ),
                (
                    "section_budgets",
                    "budgets-table",
                    figures.budgets(connection, year),
                    columns.BUDGETS,
                ),
                (
                    "section_keep",
                    "keep-table",
                    figures.keep_or_replace(connection, limit=1000),
                    columns.KEEP,
                ),
                (
                    "section_trend",
                    "trajectory-table",
                    figures.trajectory(connection),
                    columns.TRAJECTORY,
                ),
                (
                    "section_services",
                    "services-table",
                    figures.services(connection, year, limit=1000),
                    columns.SERVICES,
                ),
            ]
            quality = [
                (
                    "col_match_level",
                    "match-levels-table",
                    figures.match_levels(connection),
                    columns.MATCH_LEVELS,
                ),
                (
                    "section_quality",
                    "quality-table",
                    figures.data_quality(connection, year),
                    columns.DATA_QUALITY,
                ),
                (
                    "section_transport",
                    "transport-table",
                    figures.transport(connection, year),
                    columns.TRANSPORT,
                ),
                (
                    "section_transport",
                    "end-of-life-table",
                    figures.end_of_life(connection, year),
                    columns.END_OF_LIFE,
                ),
            ]
        return _tables(decisions, t, language), _tables(quality, t, language)

    return app


class _Reader:
    """One read-only connection to the published warehouse, one request at a time (a DuckDB
    connection serves one thread at a time); reopened when a new version is published (the
    warehouse link points elsewhere)."""

    def __init__(self, paths: WarehousePaths) -> None:
        self.paths = paths
        self._lock = threading.Lock()
        self._target: Path | None = None
        self._connection: duckdb.DuckDBPyConnection | None = None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            target = self.paths.warehouse.resolve()
            if self._connection is None or target != self._target:
                self.close()
                self._connection = connect_read_only(self.paths)
                self._target = target
            yield self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# chart id → (fct_footprint dimension, title message)
_CHARTS = {
    "towns": ("town", "section_towns"),
    "stages": ("stage", "section_stages"),
    "sources": ("source_kind", "section_sources"),
    "categories": ("device_category", "section_categories"),
}


def _labelled(label: str, control: Any) -> html.Div:
    return html.Div([html.Label(label), control], style={"minWidth": "14rem"})


def _overview() -> list:
    return [
        html.Div(
            style={"display": "grid", "gridTemplateColumns": "1fr 1fr", "gap": "1rem"},
            children=[
                dcc.Graph(id=f"chart-{key}", config={"displaylogo": False}) for key in _CHARTS
            ],
        )
    ]


def _drill(t: Any, language: str) -> list:
    return [
        html.P(t("drill_hint")),
        html.Button("↑ " + t("drill_towns"), id="drill-back"),
        html.H3(id="drill-title"),
        table(None, columns.DRILL, t, language, id="drill-table", page_size=15),
        html.Pre(id="explanation", style={"whiteSpace": "pre-wrap", "fontSize": "0.8rem"}),
    ]


def _bar(frame: pl.DataFrame, title: str) -> go.Figure:
    frame = frame.head(15)
    figure = go.Figure(
        go.Bar(
            x=list(frame["tco2e"]),
            y=[str(name) for name in frame["name"]],
            orientation="h",
            marker_color=PALETTE[0],
        )
    )
    figure.update_layout(
        title=title,
        xaxis_title="tCO2e",
        yaxis={"autorange": "reversed"},
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        height=380,
    )
    return figure


def _tables(
    shown: list[tuple[str, str, pl.DataFrame | None, tuple[columns.Column, ...]]],
    t: Any,
    language: str,
) -> list:
    children = []
    for title, table_id, frame, listed in shown:
        children.append(html.H3(t(title)))
        if frame is None:
            children.append(html.P(t("missing_mart", mart=t(title))))
            continue
        children.append(table(frame, listed, t, language, id=table_id))
    return children


def serve(
    paths: WarehousePaths, *, port: int = 8050, language: str = "fr", host: str = "127.0.0.1"
) -> None:
    """Serve the dashboard on ``host:port`` (localhost only) until interrupted."""
    server = make_server(host, port, create_app(paths, language).server, threaded=True)
    print(f"Dashboard at http://{host}:{server.server_port}/ (Ctrl-C to stop)", flush=True)
    with suppress(KeyboardInterrupt):
        server.serve_forever()


@contextmanager
def running(paths: WarehousePaths, language: str = "fr") -> Iterator[str]:
    """Serve the dashboard on a free loopback port in a thread; yield its URL (for tests and
    the screenshots)."""
    app = create_app(paths, language)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.server.config["EMPREINTE_READER"].close()
