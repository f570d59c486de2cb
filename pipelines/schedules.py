"""The nightly load (every asset, ServiceNow to the published warehouse) and its schedules."""

from __future__ import annotations

import dagster as dg

nightly_job = dg.define_asset_job("nightly", selection=dg.AssetSelection.all())

nightly_schedule = dg.ScheduleDefinition(
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
)

# Instances that do not audit deletes: once a week, also compare every table's keys.
RECONCILIATION_RUN_CONFIG = {"resources": {"servicenow": {"config": {"reconcile_keys": True}}}}

weekly_reconciliation_schedule = dg.ScheduleDefinition(
    name="weekly_key_reconciliation",
    job=nightly_job,
    cron_schedule="0 3 * * 0",
    execution_timezone="Europe/Paris",
    run_config=RECONCILIATION_RUN_CONFIG,
)
