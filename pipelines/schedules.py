"""The nightly load: every asset, from ServiceNow to the published warehouse."""

from __future__ import annotations

import dagster as dg

nightly_job = dg.define_asset_job("nightly", selection=dg.AssetSelection.all())

nightly_schedule = dg.ScheduleDefinition(
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
)
