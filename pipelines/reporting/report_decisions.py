"""The report's sections on decisions: the trend and the trajectory to the targets, the
budgets' colours, the catalogue items' impact, keep or replace, and a scenario. Each is a
function of the `ReportWriter`; a section whose mart the published warehouse lacks says so."""

from __future__ import annotations

import polars as pl

from pipelines.reporting import charts, figures
from pipelines.reporting.messages import percent
from pipelines.reporting.report_writer import Column, ReportWriter

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
    columns = [
        Column("reporting_year", "col_year"),
        Column("method", "col_method"),
        Column("year_status", "col_status"),
        Column("tco2e", "col_tco2e", "number"),
        Column("change_since_baseline", "col_change", "percent"),
    ]
    parts.append(writer.table(frame, columns, "trend-table"))
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
        columns = [
            Column("reporting_year", "col_year"),
            Column("year_status", "col_status"),
            Column("tco2e", "col_tco2e", "number"),
            Column("target_tco2e", "col_target", "number"),
            Column("gap_tco2e", "col_gap", "number"),
        ]
        parts.append(writer.table(path, columns, "trajectory-table"))
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
    columns = [
        Column("cost_center_name", "col_cost_center"),
        Column("status", "col_status"),
        Column("budget_line", "col_budget_line"),
        Column("spend", "col_spend", "number"),
        Column("kgco2e", "col_kgco2e", "number"),
        Column("kgco2e_per_euro", "col_per_euro", "precise"),
        Column("colour", "col_colour"),
    ]
    parts.append(writer.table(frame.head(BUDGET_ROWS), columns, "budgets-table"))
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
    columns = [
        Column("catalogue_item_name", "col_item", "link", target="catalogue_item_id"),
        Column("device_category", "col_category"),
        Column("impact_per_year", "col_per_year", "number"),
        Column("life_impact", "col_life_impact", "number"),
        Column("life_impact_min", "col_range", "number"),
        Column("life_impact_max", "col_range", "number"),
    ]
    parts.append(writer.table(frame, columns, "catalogue-table"))
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
    columns = [
        Column("model_name", "col_model"),
        Column("acquired_year", "col_acquired"),
        Column("assets", "col_assets", "integer"),
        Column("net_saving_of_keeping", "col_net_keeping", "precise"),
        Column("break_even_years", "col_break_even", "number"),
        Column("decision", "col_decision"),
    ]
    parts.append(writer.table(frame, columns, "keep-table"))
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
    columns = [
        Column("reporting_year", "col_year"),
        Column("year_status", "col_status"),
        Column("baseline_tco2e", "col_baseline", "number"),
        Column("scenario_tco2e", "col_scenario", "number"),
        Column("difference_tco2e", "col_difference", "number"),
        Column("difference_ratio", "col_share", "percent"),
    ]
    parts.append(writer.table(frame, columns, "scenario-table"))
    return writer.section("scenario", title, *parts)
