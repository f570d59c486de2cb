"""Great Expectations suites, run as blocking asset checks on landed tables.

GX 1.x runs here on a pandas frame of the table's current state in the lake (GX cannot run its
metrics on DuckDB through SQLAlchemy). A failed check stops the run before dbt, so the last good
warehouse stays published.
"""

from typing import Any

import dagster as dg
import polars as pl

from connectors import lake
from pipelines.ingestion import table_key
from pipelines.resources import WarehouseResource

DATE = r"^(?:\d{4}-\d{2}-\d{2})?$"
# Purchases before 1950 are typing errors, and would fall outside the reporting years.
PURCHASE_DATE = r"^(?:(?:19[5-9]\d|2\d{3})-\d{2}-\d{2})?$"
DATE_TIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
# alm_hardware.install_date is a date-time field (tables.py): "2021-03-03 23:00:00".
OPTIONAL_DATE_TIME = r"^(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})?$"
SYS_ID = r"^[0-9a-f]{32}$"
AMOUNT = r"^(?:-?\d+(?:\.\d+)?)?$"
INSTALL_STATUSES = ["1", "2", "3", "6", "7", "8", "9", "10", "11"]


def hardware_asset_expectations() -> list[Any]:
    """What a landed ``alm_hardware`` must satisfy before the footprint is computed from it."""
    import great_expectations as gx  # slow to import: only when a check runs

    expect = gx.expectations
    return [
        expect.ExpectColumnValuesToNotBeNull(column="sys_id"),
        expect.ExpectColumnValuesToBeUnique(column="sys_id"),
        expect.ExpectColumnValuesToMatchRegex(column="sys_id", regex=SYS_ID),
        expect.ExpectColumnValuesToMatchRegex(column="sys_updated_on", regex=DATE_TIME),
        expect.ExpectColumnValuesToBeInSet(column="install_status", value_set=INSTALL_STATUSES),
        expect.ExpectColumnValuesToMatchRegex(column="purchase_date", regex=PURCHASE_DATE),
        expect.ExpectColumnValuesToMatchRegex(column="install_date", regex=OPTIONAL_DATE_TIME),
        expect.ExpectColumnValuesToMatchRegex(column="retired", regex=DATE),
        expect.ExpectColumnValuesToMatchRegex(column="cost", regex=AMOUNT),
        # An asset without a model or a town can still be counted, but not many of them.
        expect.ExpectColumnValuesToNotBeInSet(column="model", value_set=[""], mostly=0.99),
        expect.ExpectColumnValuesToNotBeInSet(column="company", value_set=[""], mostly=0.99),
    ]


def validate(frame: pl.DataFrame, name: str, expectations: list[Any]) -> tuple[bool, dict]:
    """Run a suite on a frame; return whether it passed and a summary per expectation."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas(f"lake_{name}")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("current_state")
        .get_batch(batch_parameters={"dataframe": frame.fill_null("").to_pandas()})
    )
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    result = batch.validate(suite)
    summary = {}
    for outcome in result.results:
        config = outcome.expectation_config
        label = f"{config.type}({config.kwargs.get('column', '')})"
        summary[label] = {
            "success": outcome.success,
            "unexpected_count": outcome.result.get("unexpected_count", 0),
            "unexpected_sample": [
                str(v) for v in outcome.result.get("partial_unexpected_list", [])
            ][:5],
        }
    return bool(result.success), summary


@dg.asset_check(asset=table_key("alm_hardware"), blocking=True)
def alm_hardware_expectations(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """The Great Expectations suite of hardware assets, on their current state in the lake."""
    frame = lake.latest_rows(lake.read_table(warehouse.paths.lake, "servicenow", "alm_hardware"))
    passed, summary = validate(frame, "alm_hardware", hardware_asset_expectations())
    failed = {label: outcome for label, outcome in summary.items() if not outcome["success"]}
    return dg.AssetCheckResult(
        passed=passed,
        metadata={"rows": frame.height, "failed": failed, "expectations": len(summary)},
    )
