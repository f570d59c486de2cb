"""`empreinte report`: one self-contained HTML file (no script, no external asset; charts are
inline SVG; print CSS for a clean PDF). Every figure comes from a mart (see figures.py); every
number cell carries its raw value in `data-value`, so a test or a reader can check it."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from pipelines.reporting import charts, figures
from pipelines.reporting.explain import explain
from pipelines.reporting.messages import number, percent, translator

# Sections in order; each id is an anchor of the contents.
SECTIONS = (
    "headline",
    "towns",
    "stages",
    "sources",
    "trend",
    "categories",
    "budgets",
    "services",
    "catalogue",
    "transport",
    "keep",
    "quality",
)
# The heaviest assets and catalogue items whose explanation the report embeds.
EXPLAINED_ASSETS = 3
EXPLAINED_ITEMS = 3
# The heaviest budget rows the report lists (the dashboard lists them all).
BUDGET_ROWS = 30

STYLE = """
body { font-family: system-ui, sans-serif; color: #111; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid #0072B2;
       padding-bottom: .2rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .85rem; }
th, td { border-bottom: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.reading { font-weight: 600; margin: .3rem 0; }
.note { color: #555; font-style: italic; }
.headline { display: flex; flex-wrap: wrap; gap: 1rem; }
.figure { border: 1px solid #ccc; border-radius: .4rem; padding: .6rem 1rem; min-width: 12rem; }
.figure .value { font-size: 1.6rem; font-weight: 700; }
pre { white-space: pre-wrap; font-size: .8rem; background: #f6f6f6; padding: .6rem; }
svg { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; }
  section { break-inside: avoid-page; }
  h2 { break-before: page; break-after: avoid-page; }
  #headline h2 { break-before: avoid-page; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""


@dataclass(frozen=True)
class Column:
    """A column of a table: the frame's column, its label key and how to print it."""

    name: str
    label: str
    kind: str = "text"  # text, number (1 decimal), precise (2), integer, percent, link
    target: str | None = None  # for links: the frame column holding the anchor's key


def build_report(
    connection: duckdb.DuckDBPyConnection,
    *,
    year: int | None = None,
    baseline: int | None = None,
    scenario: str | None = None,
    language: str = "fr",
) -> str:
    """The whole report as an HTML document."""
    t = translator(language)
    year = year or figures.latest_complete_year(connection)
    writer = _Writer(connection, year, language, t)
    body = [writer.headline(), writer.towns(), writer.stages(), writer.sources()]
    body += [writer.trend(baseline), writer.categories(), writer.budgets(), writer.services()]
    body += [writer.catalogue(), writer.transport(), writer.keep(), writer.quality()]
    sections = list(SECTIONS)
    if scenario:
        body.append(writer.scenario(scenario))
        sections.append("scenario")
    body.append(writer.explanations())
    sections.append("explanations")
    contents = "".join(
        f'<li><a href="#{key}">{html.escape(writer.titles[key])}</a></li>' for key in sections
    )
    title = t("report_title", year=year)
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(writer.generated())}</p>"
        f"<nav><h2>{t('contents')}</h2><ol>{contents}</ol></nav>{''.join(body)}</body></html>"
    )


class _Writer:
    """Writes each section from its figures."""

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

    # -- helpers -------------------------------------------------------------------------------

    def section(self, key: str, title: str, *parts: str) -> str:
        self.titles[key] = title
        return f'<section id="{key}"><h2>{html.escape(title)}</h2>{"".join(parts)}</section>'

    def reading(self, key: str, **values: Any) -> str:
        return f'<p class="reading">{html.escape(self.t(key, **values))}</p>'

    def note(self, text: str) -> str:
        return f'<p class="note">{html.escape(text)}</p>'

    def missing(self, mart: str) -> str:
        return self.note(self.t("missing_mart", mart=mart))

    def n(self, value: float | None, digits: int = 1) -> str:
        return number(value, self.language, digits)

    def table(self, frame: pl.DataFrame, columns: Sequence[Column], table_id: str) -> str:
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
                    text = {
                        "number": lambda v: self.n(v),
                        "precise": lambda v: self.n(v, 2),
                        "integer": lambda v: self.n(v, 0),
                        "percent": lambda v: percent(v, self.language),
                    }[column.kind](value)
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
        frame = frame.filter(pl.col(value).is_not_null())
        return charts.bars(
            [str(name) for name in frame[label]],
            list(frame[value]),
            unit,
            [self.n(figure) for figure in frame[value]],
        )

    def generated(self) -> str:
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

    # -- sections ------------------------------------------------------------------------------

    def headline(self) -> str:
        frame = figures.headline(self.connection, self.year)
        cards = []
        for row in frame.filter(pl.col("criterion").is_in(figures.MAIN_CRITERIA)).iter_rows(
            named=True
        ):
            cards.append(
                f'<div class="figure"><div>{html.escape(row["criterion"])}</div>'
                f'<div class="value" id="headline-{html.escape(row["criterion"])}"'
                f' data-value="{row["value"]!r}">{self.n(row["value"])}</div>'
                f"<div>{html.escape(row['unit'])} · {self.t('col_range')} "
                f"{self.n(row['value_min'])} – {self.n(row['value_max'])}</div></div>"
            )
        columns = [
            Column("criterion", "col_criterion"),
            Column("value", "col_value", "number"),
            Column("value_min", "col_range", "number"),
            Column("value_max", "col_range", "number"),
            Column("acquisition_value", "method_acquisition", "number"),
            Column("unit", "col_unit"),
        ]
        return self.section(
            "headline",
            self.t("section_headline"),
            f'<div class="headline">{"".join(cards)}</div>',
            self.table(frame, columns, "headline-table"),
        )

    def _breakdown(self, key: str, dimension: str, reading: str) -> str:
        frame = figures.breakdown(self.connection, self.year, dimension)
        parts = []
        if frame.height:
            top = frame.row(0, named=True)
            parts.append(
                self.reading(
                    reading,
                    name=top["name"],
                    share=percent(top["share"], self.language),
                    year=self.year,
                )
            )
            parts.append(self.bar_chart(frame.head(12), "name", "tco2e", "tCO2e"))
        columns = [
            Column("name", "col_name"),
            Column("items", "col_items", "integer"),
            Column("tco2e", "col_tco2e", "number"),
            Column("tco2e_min", "col_range", "number"),
            Column("tco2e_max", "col_range", "number"),
            Column("share", "col_share", "percent"),
        ]
        parts.append(self.table(frame, columns, f"{key}-table"))
        return self.section(key, self.t(f"section_{key}"), *parts)

    def towns(self) -> str:
        return self._breakdown("towns", "town", "reading_towns")

    def stages(self) -> str:
        return self._breakdown("stages", "stage", "reading_stages")

    def sources(self) -> str:
        return self._breakdown("sources", "source_kind", "reading_sources")

    def trend(self, baseline: int | None) -> str:
        path = figures.trajectory(self.connection)
        if baseline is None and path is not None and path.height:
            baseline = int(path["baseline_year"][0])
        if baseline is None:
            baseline = int(figures.reporting_years(self.connection)["reporting_year"].min())
        frame = figures.trend(self.connection, baseline, self.year)
        amortised = frame.filter(pl.col("method") == figures.DEFAULT_METHOD)
        parts = []
        if amortised.height:
            parts.append(
                self.reading(
                    "reading_trend",
                    baseline=baseline,
                    year=self.year,
                    change=percent(amortised["change_since_baseline"][-1], self.language),
                )
            )
        columns = [
            Column("reporting_year", "col_year"),
            Column("method", "col_method"),
            Column("year_status", "col_status"),
            Column("tco2e", "col_tco2e", "number"),
            Column("change_since_baseline", "col_change", "percent"),
        ]
        parts.append(self.table(frame, columns, "trend-table"))
        if path is None:
            parts.append(self.missing("mart_trajectory"))
        elif path.height:
            current = path.filter(pl.col("reporting_year") == self.year)
            if current.height and current["gap_tco2e"][0] is not None:
                parts.append(
                    self.reading(
                        "reading_trajectory", year=self.year, gap=self.n(current["gap_tco2e"][0])
                    )
                )
            parts.append(
                charts.lines(
                    list(path["reporting_year"]),
                    {
                        # Future years hold only committed amortisation: not an actual.
                        self.t("actual"): [
                            None if status == "future" else value
                            for status, value in zip(
                                path["year_status"], path["tco2e"], strict=True
                            )
                        ],
                        self.t("target"): list(path["target_tco2e"]),
                    },
                    "tCO2e",
                    dashed=[self.t("target")],
                )
            )
            columns = [
                Column("reporting_year", "col_year"),
                Column("year_status", "col_status"),
                Column("tco2e", "col_tco2e", "number"),
                Column("target_tco2e", "col_target", "number"),
                Column("gap_tco2e", "col_gap", "number"),
            ]
            parts.append(self.table(path, columns, "trajectory-table"))
            sources = path.filter(pl.col("target_source").is_not_null())
            if sources.height:
                parts.append(
                    self.note(
                        self.t(
                            "target_source",
                            source=sources["target_source"][0],
                            year=sources["target_source_year"][0],
                        )
                    )
                )
        return self.section("trend", self.t("section_trend"), *parts)

    def categories(self) -> str:
        frame = figures.breakdown(self.connection, self.year, "device_category")
        models = figures.breakdown(self.connection, self.year, "model").head(10)
        assets = figures.breakdown(self.connection, self.year, "asset").head(EXPLAINED_ASSETS)
        self.explained_assets = [key for key in assets["key"] if key]
        parts = []
        if frame.height:
            top = frame.row(0, named=True)
            parts.append(
                self.reading(
                    "reading_categories",
                    name=top["name"],
                    share=percent(top["share"], self.language),
                    year=self.year,
                )
            )
            parts.append(self.bar_chart(frame.head(10), "name", "tco2e", "tCO2e"))
        columns = [
            Column("name", "col_name"),
            Column("items", "col_items", "integer"),
            Column("tco2e", "col_tco2e", "number"),
            Column("share", "col_share", "percent"),
        ]
        parts.append(self.table(frame.head(10), columns, "categories-table"))
        parts.append(self.table(models, columns, "models-table"))
        explained = [Column("name", "col_explain", "link", target="key"), *columns[1:]]
        parts.append(self.table(assets, explained, "assets-table"))
        return self.section("categories", self.t("section_categories"), *parts)

    def budgets(self) -> str:
        frame = figures.budgets(self.connection, self.year)
        if frame is None:
            return self.section(
                "budgets", self.t("section_budgets"), self.missing("mart_budget_colour")
            )
        parts = []
        per_centre = (
            frame.group_by("cost_center_name")
            .agg(pl.col("kgco2e").sum())
            .sort("kgco2e", descending=True, nulls_last=True)
        )
        if per_centre.height and per_centre["kgco2e"][0]:
            parts.append(
                self.reading(
                    "reading_budgets",
                    name=per_centre["cost_center_name"][0],
                    value=self.n(per_centre["kgco2e"][0]),
                )
            )
            parts.append(
                self.bar_chart(per_centre.head(10), "cost_center_name", "kgco2e", "kgCO2e")
            )
        columns = [
            Column("cost_center_name", "col_cost_center"),
            Column("status", "col_status"),
            Column("budget_line", "col_budget_line"),
            Column("spend", "col_spend", "number"),
            Column("kgco2e", "col_kgco2e", "number"),
            Column("kgco2e_per_euro", "col_per_euro", "precise"),
            Column("colour", "col_colour"),
        ]
        parts.append(self.table(frame.head(BUDGET_ROWS), columns, "budgets-table"))
        return self.section("budgets", self.t("section_budgets"), *parts)

    def services(self) -> str:
        frame = figures.services(self.connection, self.year)
        if frame is None:
            return self.section(
                "services", self.t("section_services"), self.missing("mart_footprint_by_service")
            )
        parts = []
        if frame.height:
            parts.append(
                self.reading(
                    "reading_services",
                    name=frame["service_name"][0],
                    value=self.n(frame["kgco2e"][0]),
                )
            )
            parts.append(self.bar_chart(frame.head(10), "service_name", "kgco2e", "kgCO2e"))
        columns = [
            Column("service_name", "col_service"),
            Column("users", "col_users", "integer"),
            Column("kgco2e", "col_kgco2e", "number"),
            Column("kgco2e_per_user", "col_per_user", "precise"),
        ]
        parts.append(self.table(frame, columns, "services-table"))
        return self.section("services", self.t("section_services"), *parts)

    def catalogue(self) -> str:
        frame = figures.catalogue_items(self.connection)
        if frame is None:
            return self.section(
                "catalogue", self.t("section_catalogue"), self.missing("mart_catalogue_item_impact")
            )
        self.explained_items = list(frame["catalogue_item_id"].head(EXPLAINED_ITEMS))
        parts = []
        if frame.height:
            parts.append(
                self.reading(
                    "reading_catalogue",
                    name=frame["catalogue_item_name"][0],
                    value=self.n(frame["life_impact"][0], 0),
                )
            )
            parts.append(
                self.bar_chart(frame.head(12), "catalogue_item_name", "life_impact", "kgCO2e")
            )
        columns = [
            Column("catalogue_item_name", "col_item", "link", target="catalogue_item_id"),
            Column("device_category", "col_category"),
            Column("impact_per_year", "col_per_year", "number"),
            Column("life_impact", "col_life_impact", "number"),
            Column("life_impact_min", "col_range", "number"),
            Column("life_impact_max", "col_range", "number"),
        ]
        parts.append(self.table(frame, columns, "catalogue-table"))
        return self.section("catalogue", self.t("section_catalogue"), *parts)

    def transport(self) -> str:
        frame = figures.transport(self.connection, self.year)
        parts = []
        if frame.height:
            parts.append(
                self.reading(
                    "reading_transport",
                    name=frame["source_kind"][0],
                    value=self.n(frame["tco2e"][0]),
                )
            )
        columns = [
            Column("source_kind", "col_source"),
            Column("items", "col_items", "integer"),
            Column("tco2e", "col_tco2e", "number"),
        ]
        parts.append(self.table(frame, columns, "transport-table"))
        collected = figures.end_of_life(self.connection, self.year)
        if collected is None:
            parts.append(self.missing("mart_end_of_life"))
        else:
            second_life = collected.filter(pl.col("is_second_life"))["items"].sum()
            parts.append(
                self.reading("reading_end_of_life", value=self.n(second_life, 0), year=self.year)
            )
            columns = [
                Column("origin", "col_origin"),
                Column("outcome", "col_outcome"),
                Column("is_second_life", "col_second_life"),
                Column("items", "col_items", "integer"),
                Column("end_of_life_kgco2e", "col_kgco2e", "number"),
            ]
            parts.append(self.table(collected, columns, "end-of-life-table"))
        return self.section("transport", self.t("section_transport"), *parts)

    def keep(self) -> str:
        frame = figures.keep_or_replace(self.connection)
        if frame is None:
            return self.section(
                "keep", self.t("section_keep"), self.missing("mart_keep_or_replace")
            )
        parts = []
        if frame.height:
            kept = frame.filter(pl.col("decision") == "keep").height
            parts.append(self.reading("reading_keep", value=f"{kept}/{frame.height}"))
        columns = [
            Column("model_name", "col_model"),
            Column("acquired_year", "col_acquired"),
            Column("assets", "col_assets", "integer"),
            Column("net_saving_of_keeping", "col_net_keeping", "precise"),
            Column("break_even_years", "col_break_even", "number"),
            Column("decision", "col_decision"),
        ]
        parts.append(self.table(frame, columns, "keep-table"))
        return self.section("keep", self.t("section_keep"), *parts)

    def quality(self) -> str:
        levels = figures.match_levels(self.connection)
        parts = []
        if levels.height:
            parts.append(
                self.reading(
                    "reading_quality",
                    name=levels["match_level"][0],
                    share=percent(levels["share"][0], self.language),
                )
            )
            parts.append(self.bar_chart(levels, "match_level", "assets", self.t("col_assets")))
        columns = [
            Column("match_level", "col_match_level"),
            Column("assets", "col_assets", "integer"),
            Column("share", "col_share", "percent"),
        ]
        parts.append(self.table(levels, columns, "match-levels-table"))
        frame = figures.data_quality(self.connection, self.year)
        if frame is None:
            parts.append(self.missing("mart_data_quality"))
        else:
            columns = [
                Column("measure", "col_measure"),
                Column("table_name", "col_source"),
                Column("detail", "col_detail"),
                Column("value", "col_value", "number"),
                Column("unit", "col_unit"),
                Column("share_of_footprint", "col_share", "percent"),
            ]
            parts.append(self.table(frame, columns, "quality-table"))
        return self.section("quality", self.t("section_quality"), *parts)

    def scenario(self, name: str) -> str:
        frame = figures.scenario(self.connection, name)
        title = self.t("section_scenario", name=name)
        if frame is None:
            return self.section("scenario", title, self.missing("mart_scenario_comparison"))
        parts = []
        if frame.height:
            parts.append(self.note(frame["scenario_title"][0]))
        columns = [
            Column("reporting_year", "col_year"),
            Column("year_status", "col_status"),
            Column("baseline_tco2e", "col_baseline", "number"),
            Column("scenario_tco2e", "col_scenario", "number"),
            Column("difference_tco2e", "col_difference", "number"),
            Column("difference_ratio", "col_share", "percent"),
        ]
        parts.append(self.table(frame, columns, "scenario-table"))
        return self.section("scenario", title, *parts)

    def explanations(self) -> str:
        parts = []
        for key in [*self.explained_assets, *self.explained_items]:
            text = explain(self.connection, key, year=self.year, language=self.language)
            parts.append(f'<pre id="explain-{html.escape(key)}">{html.escape(text)}</pre>')
        return self.section("explanations", self.t("section_explanations"), *parts)
