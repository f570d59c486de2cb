"""The report's sections on decisions: the trend and the trajectory to the targets, the
budgets' colours, the catalogue items' impact, keep or replace, and a scenario. Each is a
function of the `ReportWriter`; a section whose mart the published warehouse lacks says so."""

from __future__ import annotations

import polars as pl

from pipelines.reporting import charts, figures
from pipelines.reporting.columns import BUDGETS, CATALOGUE, KEEP, SCENARIO, TRAJECTORY, TREND
from pipelines.reporting.messages import percent
from pipelines.reporting.report_writer import ReportWriter

# The heaviest catalogue items whose explanation the report embeds.
EXPLAINED_ITEMS = 3
# The heaviest budget rows the report lists (the dashboard lists them all).
BUDGET_ROWS = 30


def trend(writer: ReportWriter, baseline: int | None) -> str:
    """The footprint since the baseline year, and the trajectory to its targets."""
    path = figures.trajectory(writer.connection)
    if baseline is None and path is not None and path.height:
        baseline = int(path["baseline_year"][0])
    if baseline is None:
        baseline = int(figures.reporting_years(writer.connection)["reporting_year"].min())
    frame = figures.trend(writer.connection, baseline, writer.year)
    amortised = frame.filter(pl.col("method") == figures.DEFAULT_METHOD)
    parts = []
    if amortised.height:
        parts.append(
            writer.reading(
                "reading_trend",
                baseline=baseline,
                year=writer.year,
                change=percent(amortised["change_since_baseline"][-1], writer.language),
            )
        )
    parts.append(writer.table(frame, TREND, "trend-table"))
    if path is None:
        parts.append(writer.missing("mart_trajectory"))
    elif path.height:
        current = path.filter(pl.col("reporting_year") == writer.year)
        if current.height and current["gap_tco2e"][0] is not None:
            parts.append(
                writer.reading(
                    "reading_trajectory", year=writer.year, gap=writer.n(current["gap_tco2e"][0])
                )
            )
        parts.append(
            charts.lines(
                list(path["reporting_year"]),
                {
                    # Future years hold only committed amortisation: not an actual.
                    writer.t("actual"): [
                        None if status == "future" else value
                        for status, value in zip(path["year_status"], path["tco2e"], strict=True)
                    ],
                    writer.t("target"): list(path["target_tco2e"]),
                },
                "tCO2e",
                dashed=[writer.t("target")],
            )
        )
        parts.append(writer.table(path, TRAJECTORY, "trajectory-table"))
        sources = path.filter(pl.col("target_source").is_not_null())
        if sources.height:
            parts.append(
                writer.note(
                    writer.t(
                        "target_source",
                        source=sources["target_source"][0],
                        year=sources["target_source_year"][0],
                    )
                )
            )
    return writer.section("trend", writer.t("section_trend"), *parts)


def budgets(writer: ReportWriter) -> str:
    """The colour of each budget line (kgCO2e per euro)."""
    frame = figures.budgets(writer.connection, writer.year)
    if frame is None:
        return writer.unavailable("budgets", "mart_budget_colour")
    parts = []
    per_centre = (
        frame.group_by("cost_center_name")
        .agg(pl.col("kgco2e").sum())
        .sort("kgco2e", descending=True, nulls_last=True)
    )
    if per_centre.height and per_centre["kgco2e"][0]:
        parts += writer.heaviest(per_centre, "cost_center_name", "kgco2e", "reading_budgets")
    parts.append(writer.table(frame.head(BUDGET_ROWS), BUDGETS, "budgets-table"))
    return writer.section("budgets", writer.t("section_budgets"), *parts)


def catalogue(writer: ReportWriter) -> str:
    """The catalogue items ranked by life impact (the heaviest explained)."""
    frame = figures.catalogue_items(writer.connection)
    if frame is None:
        return writer.unavailable("catalogue", "mart_catalogue_item_impact")
    writer.explained_items = list(frame["catalogue_item_id"].head(EXPLAINED_ITEMS))
    parts = []
    if frame.height:
        parts.append(
            writer.reading(
                "reading_catalogue",
                name=frame["catalogue_item_name"][0],
                value=writer.n(frame["life_impact"][0], 0),
            )
        )
        parts.append(
            writer.bar_chart(frame.head(12), "catalogue_item_name", "life_impact", "kgCO2e")
        )
    parts.append(writer.table(frame, CATALOGUE, "catalogue-table"))
    return writer.section("catalogue", writer.t("section_catalogue"), *parts)


def keep(writer: ReportWriter) -> str:
    """Keep or replace: the saving of keeping each cohort one more year."""
    frame = figures.keep_or_replace(writer.connection)
    if frame is None:
        return writer.unavailable("keep", "mart_keep_or_replace")
    parts = []
    if frame.height:
        kept = frame.filter(pl.col("decision") == "keep").height
        parts.append(writer.reading("reading_keep", value=f"{kept}/{frame.height}"))
    parts.append(writer.table(frame, KEEP, "keep-table"))
    return writer.section("keep", writer.t("section_keep"), *parts)


def scenario(writer: ReportWriter, name: str) -> str:
    """A scenario against the baseline, year by year."""
    frame = figures.scenario(writer.connection, name)
    title = writer.t("section_scenario", name=name)
    if frame is None:
        return writer.section("scenario", title, writer.missing("mart_scenario_comparison"))
    parts = []
    if frame.height:
        parts.append(writer.note(frame["scenario_title"][0]))
    parts.append(writer.table(frame, SCENARIO, "scenario-table"))
    return writer.section("scenario", title, *parts)
