"""A new factor set restates earlier years without erasing what was published before."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.published import published_factor_sets
from pipelines.summary import footprint_summary
from pipelines.warehouse import connect_read_only
from tests.pipeline.conftest import SECOND_FACTOR_SET, PipelineRun

DEFAULT_SET = "empreinte-2026"


def test_a_new_factor_set_restates_and_keeps_the_published_edition(
    pipeline_run: PipelineRun, restated_run: PipelineRun
) -> None:
    """The shared night's lake and published edition, built again with another factor set."""
    first = pipeline_run.paths
    assert published_factor_sets(first) == [DEFAULT_SET]
    assert restated_run.success
    paths = restated_run.paths
    assert published_factor_sets(paths) == sorted([SECOND_FACTOR_SET, DEFAULT_SET])
    edition = f"{DEFAULT_SET}.parquet"
    assert (paths.editions / edition).read_bytes() == (first.editions / edition).read_bytes()
    with connect_read_only(paths) as connection:
        restated = connection.execute(
            """
            select reporting_year, value, published_value, change_since_published
            from fct_footprint_restatements
            where criterion = 'climate_change' and method = 'acquisition'
                and published_factor_set = ? and factor_set = ?
            order by reporting_year
            """,
            [DEFAULT_SET, SECOND_FACTOR_SET],
        ).fetchall()
        published = dict(
            duckdb.execute(
                f"""
                select reporting_year, sum(value) from '{first.editions}/{DEFAULT_SET}.parquet'
                where criterion = 'climate_change' and method = 'acquisition' group by all
                """
            ).fetchall()
        )
        summary = footprint_summary(connection)
    assert len(restated) > 5
    for year, value, published_value, change_since_published in restated:
        assert published_value == pytest.approx(published[year], rel=1e-12)
        assert change_since_published == pytest.approx(value - published_value)
    # Base IMPACTS / NegaOctet's desktops and printers weigh more than the default set's (the
    # printers about 25 times): the years go up.
    assert sum(row[3] for row in restated) > 0
    assert "Restated" in summary and DEFAULT_SET in summary
