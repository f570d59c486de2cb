"""The configuration: environment variables, a `.env` file, and the checks run before Dagster.

Precedence: a variable set in the real environment wins over the same one in `.env` (the file in
the working folder), which wins over the defaults. Every value is checked before a run starts,
so a missing or invalid setting stops the command in one line naming the variable. Secrets are
only ever shown masked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
from dotenv import dotenv_values

from connectors.servicenow.settings import ServiceNowSettings, SettingsError
from pipelines.config_file import load_config
from pipelines.incremental import compact_at_from_env
from pipelines.lock import wait_seconds_from_env
from pipelines.mart_gates import band_from_env
from pipelines.published import keep_from_env
from pipelines.variant_builds import DBT_FILE_LOG_LEVEL_VARIABLE, dbt_file_log_level_from_env
from pipelines.warehouse import MEMORY_LIMIT_VARIABLE, memory_limit

ENV_FILE = ".env"
SECRET = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.IGNORECASE)
# What `empreinte config` lists, in the README's order.
VARIABLES: tuple[str, ...] = (
    "EMPREINTE_SERVICENOW_URL",
    "EMPREINTE_SERVICENOW_AUTH",
    "EMPREINTE_SERVICENOW_USER",
    "EMPREINTE_SERVICENOW_PASSWORD",
    "EMPREINTE_SERVICENOW_CLIENT_ID",
    "EMPREINTE_SERVICENOW_CLIENT_SECRET",
    "EMPREINTE_SERVICENOW_PAGE_SIZE",
    "EMPREINTE_SERVICENOW_CONCURRENCY",
    "EMPREINTE_SERVICENOW_LOOKBACK_MINUTES",
    "EMPREINTE_SERVICENOW_TIMEOUT_SECONDS",
    "EMPREINTE_SERVICENOW_MAX_ATTEMPTS",
    "EMPREINTE_SERVICENOW_CA_BUNDLE",
    "EMPREINTE_EXPORTS_DIR",
    "EMPREINTE_LOGS_DIR",
    "EMPREINTE_DATA_DIR",
    "EMPREINTE_WAREHOUSE",
    "EMPREINTE_AS_OF",
    "EMPREINTE_TIME_ZONE",
    "EMPREINTE_FACTOR_SET",
    "EMPREINTE_FACTOR_OVERRIDES",
    "EMPREINTE_CONFIG",
    "EMPREINTE_SCHEDULE_CRON",
    "EMPREINTE_SCHEDULE_TIMEZONE",
    "EMPREINTE_LOCK_WAIT_SECONDS",
    "EMPREINTE_KEEP_PUBLISHED",
    "EMPREINTE_FULL_REBUILD",
    "EMPREINTE_COMPACT_AT",
    "EMPREINTE_VOLUME_BAND",
    MEMORY_LIMIT_VARIABLE,
    DBT_FILE_LOG_LEVEL_VARIABLE,
    "DAGSTER_HOME",
)


def load_env_file(folder: Path | None = None) -> dict[str, str]:
    """Set the variables of ``<folder>/.env`` (default: the working folder) that the real
    environment does not set; return where each variable of the file came from."""
    path = (folder or Path.cwd()) / ENV_FILE
    if not path.is_file():
        return {}
    origins = {}
    for name, value in dotenv_values(path).items():
        if value is None:
            continue
        if name in os.environ:
            origins[name] = "environment (overrides .env)"
        else:
            os.environ[name] = value
            origins[name] = ".env"
    return origins


def check_settings(*, needs_instance: bool) -> None:
    """Raise `SettingsError` naming the first missing or invalid setting.

    ``needs_instance``: a run needs a ServiceNow instance or an exports folder.
    """
    checks: list[Callable[[], object]] = [
        _check_as_of,
        _check_time_zone,
        _check_folders,
        _check_factor_set,
        wait_seconds_from_env,
        keep_from_env,
        compact_at_from_env,
        band_from_env,
        _check_memory_limit,
        dbt_file_log_level_from_env,
        _check_schedule,
        load_config,  # the decisions' file (EMPREINTE_CONFIG), when there is one
    ]
    if needs_instance and not os.environ.get("EMPREINTE_EXPORTS_DIR", "").strip():
        checks.append(_check_instance)
    for check in checks:
        try:
            check()
        except SettingsError:
            raise
        except (ValueError, OSError) as error:
            raise SettingsError(str(error)) from None


def describe(origins: dict[str, str]) -> str:
    """The effective configuration, one variable a line, secrets masked."""
    lines = []
    for name in VARIABLES:
        value = os.environ.get(name)
        if value is None:
            lines.append(f"{name} = (default)")
            continue
        shown = "********" if SECRET.search(name) and value else value
        lines.append(f"{name} = {shown}    [{origins.get(name, 'environment')}]")
    return "\n".join(lines)


def _check_schedule() -> None:
    # The schedule reads its settings when its module is imported (by Dagster, too).
    from pipelines.schedules import schedule_settings

    schedule_settings()


def _check_instance() -> None:
    if not os.environ.get("EMPREINTE_SERVICENOW_URL", "").strip():
        raise SettingsError(
            "EMPREINTE_SERVICENOW_URL is not set, nor EMPREINTE_EXPORTS_DIR: one of them says"
            " where the ServiceNow data comes from"
        )
    ServiceNowSettings.from_env()


def _check_as_of() -> None:
    raw = os.environ.get("EMPREINTE_AS_OF", "").strip()
    if not raw:
        return
    try:
        date.fromisoformat(raw)
    except ValueError:
        raise SettingsError(f"EMPREINTE_AS_OF: {raw!r} is not a date (YYYY-MM-DD)") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise SettingsError(f"EMPREINTE_AS_OF: {raw!r} is not a date (YYYY-MM-DD)")


def _check_time_zone() -> None:
    name = os.environ.get("EMPREINTE_TIME_ZONE", "").strip()
    if not name:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"EMPREINTE_TIME_ZONE: {name!r} is not a time zone (e.g. Europe/Paris)"
        ) from None


def _check_folders() -> None:
    data_dir = os.environ.get("EMPREINTE_DATA_DIR", "").strip()
    if data_dir and Path(data_dir).exists() and not Path(data_dir).is_dir():
        raise SettingsError(f"EMPREINTE_DATA_DIR: {data_dir} is a file, not a folder")
    for name in ("EMPREINTE_EXPORTS_DIR", "EMPREINTE_LOGS_DIR", "EMPREINTE_FACTOR_OVERRIDES"):
        folder = os.environ.get(name, "").strip()
        if folder and not Path(folder).is_dir():
            raise SettingsError(f"{name}: no folder at {folder}")


def _check_factor_set() -> None:
    name = os.environ.get("EMPREINTE_FACTOR_SET", "").strip()
    if not name:
        return
    from factors.loading import factor_sets

    known = factor_sets()
    if name not in known:
        listed = ", ".join(sorted(known))
        raise SettingsError(f"EMPREINTE_FACTOR_SET: {name!r} is not a factor set (known: {listed})")


def _check_memory_limit() -> None:
    try:
        duckdb.connect(":memory:", config={"memory_limit": memory_limit()}).close()
    except duckdb.Error:
        raise SettingsError(
            f"{MEMORY_LIMIT_VARIABLE}: {memory_limit()!r} is not a size DuckDB understands"
            " (e.g. 4GB, 512MB)"
        ) from None
