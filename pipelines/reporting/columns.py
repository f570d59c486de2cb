"""The columns of every table the report and the dashboard show: for each figure (figures.py),
which of its frame's columns are shown, under which label (a key of messages.py) and how their
numbers read. One list per table, imported by both: the report writes the cells as text, the
dashboard keeps them numeric and lets the browser format them (dashboard_tables.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A column of a table: the frame's column, its label key and how to print it."""

    name: str
    label: str
    kind: str = "text"  # text, number (1 decimal), precise (2), integer, percent, link
    target: str | None = None  # for links: the frame column holding the anchor's key


# The decimals of each kind of number (a percent has none).
DIGITS = {"number": 1, "precise": 2, "integer": 0, "percent": 0}

# figures.headline
HEADLINE = (
    Column("criterion", "col_criterion"),
    Column("value", "col_value", "number"),
    Column("value_min", "col_low", "number"),
    Column("value_max", "col_high", "number"),
    Column("acquisition_value", "method_acquisition", "number"),
    Column("unit", "col_unit"),
)
# figures.breakdown by town, stage or source
BREAKDOWN = (
    Column("name", "col_name"),
    Column("items", "col_items", "integer"),
    Column("tco2e", "col_tco2e", "number"),
    Column("tco2e_min", "col_low", "number"),
    Column("tco2e_max", "col_high", "number"),
    Column("share", "col_share", "percent"),
)
# figures.breakdown by device category, model or asset
RANKING = (
    Column("name", "col_name"),
    Column("items", "col_items", "integer"),
    Column("tco2e", "col_tco2e", "number"),
    Column("share", "col_share", "percent"),
)
# the dashboard's drill-down (figures.breakdown by town, site or asset): the key names the
# asset whose explanation a click shows
DRILL = (Column("key", "col_key"), *RANKING)
# figures.trend
TREND = (
    Column("reporting_year", "col_year"),
    Column("method", "col_method"),
    Column("year_status", "col_status"),
    Column("tco2e", "col_tco2e", "number"),
    Column("change_since_baseline", "col_change", "percent"),
)
# figures.trajectory
TRAJECTORY = (
    Column("reporting_year", "col_year"),
    Column("year_status", "col_status"),
    Column("tco2e", "col_tco2e", "number"),
    Column("target_tco2e", "col_target", "number"),
    Column("gap_tco2e", "col_gap", "number"),
)
# figures.budgets
BUDGETS = (
    Column("cost_center_name", "col_cost_center"),
    Column("status", "col_status"),
    Column("budget_line", "col_budget_line"),
    Column("spend", "col_spend", "number"),
    Column("kgco2e", "col_kgco2e", "number"),
    Column("kgco2e_per_euro", "col_per_euro", "precise"),
    Column("colour", "col_colour"),
)
# figures.services
SERVICES = (
    Column("service_name", "col_service"),
    Column("users", "col_users", "integer"),
    Column("kgco2e", "col_kgco2e", "number"),
    Column("kgco2e_per_user", "col_per_user", "precise"),
)
# figures.catalogue_items (the name links to the item's explanation in the report)
CATALOGUE = (
    Column("catalogue_item_name", "col_item", "link", target="catalogue_item_id"),
    Column("device_category", "col_category"),
    Column("impact_per_year", "col_per_year", "number"),
    Column("life_impact", "col_life_impact", "number"),
    Column("life_impact_min", "col_low", "number"),
    Column("life_impact_max", "col_high", "number"),
)
# figures.keep_or_replace
KEEP = (
    Column("model_name", "col_model"),
    Column("acquired_year", "col_acquired"),
    Column("assets", "col_assets", "integer"),
    Column("net_saving_of_keeping", "col_net_keeping", "precise"),
    Column("break_even_years", "col_break_even", "number"),
    Column("decision", "col_decision"),
)
# figures.scenario
SCENARIO = (
    Column("reporting_year", "col_year"),
    Column("year_status", "col_status"),
    Column("baseline_tco2e", "col_baseline", "number"),
    Column("scenario_tco2e", "col_scenario", "number"),
    Column("difference_tco2e", "col_difference", "number"),
    Column("difference_ratio", "col_share", "percent"),
)
# figures.transport
TRANSPORT = (
    Column("source_kind", "col_source"),
    Column("items", "col_items", "integer"),
    Column("tco2e", "col_tco2e", "number"),
)
# figures.end_of_life
END_OF_LIFE = (
    Column("origin", "col_origin"),
    Column("outcome", "col_outcome"),
    Column("is_second_life", "col_second_life"),
    Column("items", "col_items", "integer"),
    Column("end_of_life_kgco2e", "col_kgco2e", "number"),
)
# figures.match_levels
MATCH_LEVELS = (
    Column("match_level", "col_match_level"),
    Column("assets", "col_assets", "integer"),
    Column("share", "col_share", "percent"),
)
# figures.data_quality
DATA_QUALITY = (
    Column("measure", "col_measure"),
    Column("table_name", "col_source"),
    Column("detail", "col_detail"),
    Column("value", "col_value", "number"),
    Column("unit", "col_unit"),
    Column("share_of_footprint", "col_share", "percent"),
)
