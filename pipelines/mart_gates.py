"""Quality gates on the built marts, before they are published: Great Expectations on small
aggregates of the build (never a whole mart in memory), compared with the published warehouse.
Plain Python; ``pipelines.mart_checks`` runs them as blocking Dagster asset checks, in a worker
process of their own.

- no unexplained negative value: a negative impact is allowed only on a row whose
  ``factor_flag`` says the source publishes it negative (a fact table without that column
  cannot explain any: its negatives fail the gate as a warning, not blocking);
- every footprint row carries the id of its factor;
- row counts and climate totals within a band of the last published warehouse
  (``EMPREINTE_VOLUME_BAND``, default 0.5: from half to one and a half times), so a night that
  loses most of the fleet cannot publish; the first publish has nothing to compare with.

GX's own HTML rendering of each validation is written to ``<data>/quality/<run_id>/marts/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from pipelines.gx_process import gx_context, write_html
from pipelines.warehouse import (
    PUBLISHED_SCHEMA,
    WarehousePaths,
    connect_read_only,
    connect_within_limit,
)

if TYPE_CHECKING:
    import pandas as pd

BAND_VARIABLE = "EMPREINTE_VOLUME_BAND"
DEFAULT_BAND = 0.5
# The fact row's copy of its factor's flag, and the value that explains a negative impact.
FLAG_COLUMN = "factor_flag"
NEGATIVE_IN_SOURCE = "negative_in_source"
FOOTPRINT = "fct_footprint"
FLEET = "dim_hardware_assets"


@dataclass(frozen=True)
class GateResult:
    """One gate's verdict, the aggregate it judged and where GX's rendering is."""

    name: str
    passed: bool
    observed: list[dict[str, Any]] = field(default_factory=list)
    report: Path | None = None
    # False when the gate cannot judge for want of a column: it fails as a warning.
    blocking: bool = True


def band_from_env() -> float:
    """The allowed relative change of volumes from one publish to the next."""
    raw = os.environ.get(BAND_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_BAND
    try:
        band = float(raw)
    except ValueError:
        band = -1.0
    if not 0 < band < 100:
        raise ValueError(
            f"{BAND_VARIABLE}: {raw!r} is not a fraction between 0 and 100 (0.5 = ±50%)"
        )
    return band


def volumes(connection: duckdb.DuckDBPyConnection, schema: str | None = None) -> dict[str, float]:
    """Row counts of the fact and fleet, and the climate total per method (kgCO2e)."""
    prefix = f"{schema}." if schema else ""

    def rows(relation: str) -> int:
        return connection.execute(f"select count(*) from {prefix}{relation}").fetchall()[0][0]

    figures: dict[str, float] = {f"{FOOTPRINT} rows": rows(FOOTPRINT), f"{FLEET} rows": rows(FLEET)}
    for method, total in connection.execute(
        f"select method, sum(value)::double from {prefix}{FOOTPRINT}"
        " where criterion = 'climate_change' group by method order by method"
    ).fetchall():
        figures[f"climate_change {method} kgCO2e"] = total
    return figures


def evaluate(
    paths: WarehousePaths, report_dir: Path, band: float | None = None
) -> list[GateResult]:
    """Judge the build at ``paths.build`` against the published warehouse."""
    import pandas as pd

    band = band_from_env() if band is None else band
    with connect_within_limit(paths.build) as build:
        flagged = has_flag_column(build)
        negatives = _negatives(build, flagged)
        missing_factors = build.execute(
            "select stage, criterion, count(*) as rows_without_factor"
            f" from {PUBLISHED_SCHEMA}.{FOOTPRINT} where factor_id is null"
            " group by all order by all"
        ).df()
        current = volumes(build, PUBLISHED_SCHEMA)
    previous: dict[str, float] = {}
    if paths.warehouse.exists():
        with connect_read_only(paths) as published:
            previous = volumes(published)
    compared = pd.DataFrame(
        [
            {"measure": name, "previous": previous[name], "current": value}
            for name, value in current.items()
            if previous.get(name)
        ],
        columns=["measure", "previous", "current"],
    )
    compared["ratio"] = compared["current"] / compared["previous"]
    import great_expectations as gx  # slow to import: only when the gates run

    expect = gx.expectations
    suites = {
        "no_unexplained_negative_values": (
            negatives,
            [expect.ExpectColumnValuesToBeBetween(column="unexplained_negatives", max_value=0)],
        ),
        "every_row_has_a_factor": (
            missing_factors,
            [expect.ExpectColumnValuesToBeBetween(column="rows_without_factor", max_value=0)],
        ),
        "volumes_within_band_of_last_publish": (
            compared,
            [
                expect.ExpectColumnValuesToBeBetween(
                    column="ratio", min_value=1 - band, max_value=1 + band
                )
            ],
        ),
    }
    results = [
        _validate(name, frame, expectations, report_dir)
        for name, (frame, expectations) in suites.items()
    ]
    if not flagged:
        results[0] = replace(results[0], blocking=False)
    return results


def has_flag_column(build: duckdb.DuckDBPyConnection) -> bool:
    """Whether the fact rows carry their factor's flag (without it no negative is explained)."""
    return bool(
        build.execute(
            "select count(*) from duckdb_columns() where schema_name = ? and table_name = ?"
            " and column_name = ?",
            [PUBLISHED_SCHEMA, FOOTPRINT, FLAG_COLUMN],
        ).fetchall()[0][0]
    )


def _negatives(build: duckdb.DuckDBPyConnection, flagged: bool) -> pd.DataFrame:
    explained = f"coalesce({FLAG_COLUMN} = '{NEGATIVE_IN_SOURCE}', false)" if flagged else "false"
    return build.execute(
        f"""
        select
            stage,
            criterion,
            count(*) filter (
                where least(value, value_min, value_max) < 0 and not {explained}
            ) as unexplained_negatives,
            count(*) filter (where least(value, value_min, value_max) < 0 and {explained})
                as flagged_negatives,
            min(least(value, value_min, value_max)) as lowest_value
        from {PUBLISHED_SCHEMA}.{FOOTPRINT}
        group by all
        having lowest_value < 0
        order by all
        """
    ).df()


def _validate(
    name: str, frame: pd.DataFrame, expectations: list[Any], report_dir: Path
) -> GateResult:
    """Run one suite on an aggregate frame, write GX's HTML rendering of the result."""
    import great_expectations as gx

    batch = (
        gx_context()
        .data_sources.add_or_update_pandas(f"build_{name}")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("build")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(gx.ExpectationSuite(name=name, expectations=expectations))
    report = report_dir / f"{name}.html"
    write_html(result, report)
    observed = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return GateResult(name, bool(result.success), observed, report)
