"""The nightly load (every asset, ServiceNow to the published warehouse) and its schedule.

The schedule is on by default, at 02:00 Europe/Paris: ``EMPREINTE_SCHEDULE_CRON`` (a cron
expression, or ``off``) and ``EMPREINTE_SCHEDULE_TIMEZONE`` change it. A schedule turned on or
off in the Dagster UI keeps that state in the instance, whatever the default.
"""

import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dagster as dg

CRON_VARIABLE = "EMPREINTE_SCHEDULE_CRON"
TIMEZONE_VARIABLE = "EMPREINTE_SCHEDULE_TIMEZONE"
DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Europe/Paris"

# Runs that build the warehouse never overlap: the instance's run queue allows one at a time
# with this tag (see the dagster.yaml `empreinte run` writes, and the README for deployments).
WAREHOUSE_TAG = {"empreinte/warehouse": "build"}

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    tags=WAREHOUSE_TAG,
    # One process for the whole run: the data folder's lock is held from the first step to the
    # last, and the steps run one after the other anyway (each reads the previous one's files).
    executor_def=dg.in_process_executor,
    description=(
        "Extract the ServiceNow tables (or land the exports folder), match the factors, build"
        " and test the dbt models, pass the quality gates, publish the warehouse."
    ),
)

# Instances that do not audit deletes: on Sundays the night also compares every table's keys.
RECONCILIATION_RUN_CONFIG = {"resources": {"servicenow": {"config": {"reconcile_keys": True}}}}


def schedule_settings() -> tuple[str, str, bool]:
    """The cron expression, the time zone and whether the schedule is on by default."""
    cron = os.environ.get(CRON_VARIABLE, "").strip() or DEFAULT_CRON
    timezone = os.environ.get(TIMEZONE_VARIABLE, "").strip() or DEFAULT_TIMEZONE
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{TIMEZONE_VARIABLE}: {timezone!r} is not a time zone (e.g. Europe/Paris)"
        ) from None
    if cron.lower() == "off":
        return DEFAULT_CRON, timezone, False
    try:
        dg.ScheduleDefinition(name="probe", cron_schedule=cron, job_name="probe")
    except dg.DagsterInvalidDefinitionError:
        raise ValueError(
            f"{CRON_VARIABLE}: {cron!r} is not a cron expression (e.g. '0 2 * * *') nor 'off'"
        ) from None
    return cron, timezone, True


_CRON, _TIMEZONE, _ON = schedule_settings()


@dg.schedule(
    job=nightly_job,
    cron_schedule=_CRON,
    execution_timezone=_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING if _ON else dg.DefaultScheduleStatus.STOPPED,
    description=(
        f"The nightly load ({_CRON}, {_TIMEZONE}; {CRON_VARIABLE} and {TIMEZONE_VARIABLE});"
        " the Sunday run adds the full key reconciliation."
    ),
)
def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every night; the Sunday run adds the full key reconciliation."""
    sunday = context.scheduled_execution_time.weekday() == 6
    return dg.RunRequest(run_config=RECONCILIATION_RUN_CONFIG if sunday else {})
