"""The `pipelines` code location: ServiceNow tables -> factors -> dbt -> published warehouse."""

import dagster as dg

from pipelines.activity_logs import activity_logs
from pipelines.emission_factors import factor_tables
from pipelines.ingestion import servicenow_tables
from pipelines.mart_checks import mart_gates
from pipelines.publishing import published_editions, published_warehouse
from pipelines.resources import ServiceNowResource, WarehouseResource
from pipelines.schedules import nightly_job, nightly_schedule
from pipelines.sensors import exports_sensor
from pipelines.transformation import DbtCli, dbt_models, dbt_project
from pipelines.variant_builds import DBT_EXECUTABLE

defs = dg.Definitions(
    assets=[
        servicenow_tables,
        activity_logs,
        factor_tables,
        dbt_models,
        published_warehouse,
        published_editions,
    ],
    asset_checks=[mart_gates],
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[exports_sensor],
    resources={
        "servicenow": ServiceNowResource(),
        "warehouse": WarehouseResource(),
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
    # Materialisations started from the UI run in one process too (see the nightly job).
    executor=dg.in_process_executor,
)
