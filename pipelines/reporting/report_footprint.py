"""The report's sections on the footprint itself: the headline, the breakdowns (towns, stages,
sources, categories, services, transport and end of life), data quality and the embedded
explanations. Each is a function of the `ReportWriter`."""

from __future__ import annotations

import html

import polars as pl

from pipelines.reporting import figures
from pipelines.reporting.columns import (
    BREAKDOWN,
    DATA_QUALITY,
    END_OF_LIFE,
    HEADLINE,
    MATCH_LEVELS,
    RANKING,
    SERVICES,
    TRANSPORT,
    Column,
)
from pipelines.reporting.explain import explain
from pipelines.reporting.messages import percent
from pipelines.reporting.report_writer import ReportWriter

# The heaviest assets whose explanation the report embeds.
EXPLAINED_ASSETS = 3


def headline(writer: ReportWriter) -> str:
    """The main criteria as cards, and every criterion with its range."""
    frame = figures.headline(writer.connection, writer.year)
    cards = []
    for row in frame.filter(pl.col("criterion").is_in(figures.MAIN_CRITERIA)).iter_rows(named=True):
        cards.append(
            f'<div class="figure"><div>{html.escape(row["criterion"])}</div>'
            f'<div class="value" id="headline-{html.escape(row["criterion"])}"'
            f' data-value="{row["value"]!r}">{writer.n(row["value"])}</div>'
            f"<div>{html.escape(row['unit'])} · {writer.t('col_range')} "
            f"{writer.n(row['value_min'])} – {writer.n(row['value_max'])}</div></div>"
        )
    return writer.section(
        "headline",
        writer.t("section_headline"),
        f'<div class="headline">{"".join(cards)}</div>',
        writer.table(frame, HEADLINE, "headline-table"),
    )


def _largest_share(writer: ReportWriter, frame: pl.DataFrame, reading: str, bars: int) -> list[str]:
    """The reading of a breakdown's first row (its share of the year) and the bars of its
    first rows; nothing when the breakdown is empty."""
    if not frame.height:
        return []
    top = frame.row(0, named=True)
    share = percent(top["share"], writer.language)
    return [
        writer.reading(reading, name=top["name"], share=share, year=writer.year),
        writer.bar_chart(frame.head(bars), "name", "tco2e", "tCO2e"),
    ]


def _breakdown(writer: ReportWriter, key: str, dimension: str, reading: str) -> str:
    frame = figures.breakdown(writer.connection, writer.year, dimension)
    parts = _largest_share(writer, frame, reading, 12)
    parts.append(writer.table(frame, BREAKDOWN, f"{key}-table"))
    return writer.section(key, writer.t(f"section_{key}"), *parts)


def towns(writer: ReportWriter) -> str:
    """The footprint per town."""
    return _breakdown(writer, "towns", "town", "reading_towns")


def stages(writer: ReportWriter) -> str:
    """The footprint per life-cycle stage."""
    return _breakdown(writer, "stages", "stage", "reading_stages")


def sources(writer: ReportWriter) -> str:
    """The footprint per source of emissions."""
    return _breakdown(writer, "sources", "source_kind", "reading_sources")


def categories(writer: ReportWriter) -> str:
    """The heaviest device categories, models and assets (the assets explained)."""
    frame = figures.breakdown(writer.connection, writer.year, "device_category")
    models = figures.breakdown(writer.connection, writer.year, "model").head(10)
    assets = figures.breakdown(writer.connection, writer.year, "asset").head(EXPLAINED_ASSETS)
    writer.explained_assets = [key for key in assets["key"] if key]
    parts = _largest_share(writer, frame, "reading_categories", 10)
    parts.append(writer.table(frame.head(10), RANKING, "categories-table"))
    parts.append(writer.table(models, RANKING, "models-table"))
    explained = [Column("name", "col_explain", "link", target="key"), *RANKING[1:]]
    parts.append(writer.table(assets, explained, "assets-table"))
    return writer.section("categories", writer.t("section_categories"), *parts)


def services(writer: ReportWriter) -> str:
    """The heaviest services and their impact per user."""
    frame = figures.services(writer.connection, writer.year)
    if frame is None:
        return writer.unavailable("services", "mart_footprint_by_service")
    parts = []
    if frame.height:
        parts += writer.heaviest(frame, "service_name", "kgco2e", "reading_services")
    parts.append(writer.table(frame, SERVICES, "services-table"))
    return writer.section("services", writer.t("section_services"), *parts)


def transport(writer: ReportWriter) -> str:
    """Transport, trips and contracts; the collected devices and their second life."""
    frame = figures.transport(writer.connection, writer.year)
    parts = []
    if frame.height:
        parts.append(
            writer.reading(
                "reading_transport",
                name=frame["source_kind"][0],
                value=writer.n(frame["tco2e"][0]),
            )
        )
    parts.append(writer.table(frame, TRANSPORT, "transport-table"))
    collected = figures.end_of_life(writer.connection, writer.year)
    if collected is None:
        parts.append(writer.missing("mart_end_of_life"))
    else:
        second_life = collected.filter(pl.col("is_second_life"))["items"].sum()
        parts.append(
            writer.reading("reading_end_of_life", value=writer.n(second_life, 0), year=writer.year)
        )
        parts.append(writer.table(collected, END_OF_LIFE, "end-of-life-table"))
    return writer.section("transport", writer.t("section_transport"), *parts)


def quality(writer: ReportWriter) -> str:
    """How the assets found their factor, and the measures of data quality."""
    levels = figures.match_levels(writer.connection)
    parts = []
    if levels.height:
        parts.append(
            writer.reading(
                "reading_quality",
                name=levels["match_level"][0],
                share=percent(levels["share"][0], writer.language),
            )
        )
        parts.append(writer.bar_chart(levels, "match_level", "assets", writer.t("col_assets")))
    parts.append(writer.table(levels, MATCH_LEVELS, "match-levels-table"))
    frame = figures.data_quality(writer.connection, writer.year)
    if frame is None:
        parts.append(writer.missing("mart_data_quality"))
    else:
        parts.append(writer.table(frame, DATA_QUALITY, "quality-table"))
    return writer.section("quality", writer.t("section_quality"), *parts)


def explanations(writer: ReportWriter) -> str:
    """How the explained assets and catalogue items are calculated."""
    parts = []
    for key in [*writer.explained_assets, *writer.explained_items]:
        text = explain(writer.connection, key, year=writer.year, language=writer.language)
        parts.append(f'<pre id="explain-{html.escape(key)}">{html.escape(text)}</pre>')
    return writer.section("explanations", writer.t("section_explanations"), *parts)
