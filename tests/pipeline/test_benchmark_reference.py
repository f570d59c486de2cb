"""The transformation benchmark's reference script (benchmarks/reference_footprint.sql) gives
the night's fct_footprint: the same device rows, in every column, from the same lake. The
benchmark's ratios mean something only while it does."""

from __future__ import annotations

from pathlib import Path

from benchmarks.transformation import REFERENCE_COLUMNS, compare, run_reference
from pipelines.warehouse import connect_read_only
from tests.pipeline.conftest import AS_OF, PipelineRun


def test_the_reference_script_gives_the_nights_device_rows(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    assert pipeline_run.success
    reference = tmp_path / "reference.duckdb"
    run_reference(pipeline_run.paths.lake, reference, AS_OF.isoformat())
    with connect_read_only(pipeline_run.paths) as connection:
        columns = tuple(row[0] for row in connection.execute("describe fct_footprint").fetchall())
        (device_rows,) = connection.execute(
            "select count(*) from fct_footprint where source_kind = 'hardware_asset'"
        ).fetchone()
    assert columns == REFERENCE_COLUMNS, "the reference writes every column of fct_footprint"
    checked = compare(reference, pipeline_run.paths.warehouse)
    assert checked["reference_rows"] == checked["dbt_hardware_rows"] == device_rows > 10_000
    assert checked["only_in_reference"] == checked["only_in_dbt"] == 0
    assert checked["rows_with_other_columns_differing"] == 0
    assert checked["largest_relative_difference"] <= 1e-9
    assert checked["identical"]
