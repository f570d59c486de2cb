"""The nightly load (every asset, ServiceNow to the published warehouse) and its schedule."""

import dagster as dg

# Runs that build the warehouse never overlap: the instance's run queue allows one at a time
# with this tag (see the dagster.yaml `empreinte run` writes, and the README for deployments).
WAREHOUSE_TAG = {"empreinte/warehouse": "build"}

nightly_job = dg.define_asset_job("nightly", selection=dg.AssetSelection.all(), tags=WAREHOUSE_TAG)

# Instances that do not audit deletes: on Sundays the night also compares every table's keys.
RECONCILIATION_RUN_CONFIG = {"resources": {"servicenow": {"config": {"reconcile_keys": True}}}}


@dg.schedule(job=nightly_job, cron_schedule="0 2 * * *", execution_timezone="Europe/Paris")
def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every night at 02:00; the Sunday run adds the full key reconciliation."""
    sunday = context.scheduled_execution_time.weekday() == 6
    return dg.RunRequest(run_config=RECONCILIATION_RUN_CONFIG if sunday else {})
