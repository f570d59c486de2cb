"""The events the nightly dbt run logged (``dbt.log`` in ``WarehousePaths.dbt_target``, as JSON
lines; dbt rotates the file at 10 MB into ``dbt.log.1``, ``dbt.log.2``...).

The builds write that file at info (``pipelines/variant_builds.py``); the tests that read the
SQL statements a night sent ask for dbt's debug level with ``keep_sql_statements``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipelines.variant_builds import DBT_FILE_LOG_LEVEL_VARIABLE
from pipelines.warehouse import WarehousePaths

_COMMENT = re.compile(r"^/\*.*?\*/\s*", re.DOTALL)  # dbt's query comment before each statement


def keep_sql_statements(patch: pytest.MonkeyPatch) -> None:
    """Have the nights run under ``patch`` log every SQL statement and parse event (dbt's
    debug level)."""
    patch.setenv(DBT_FILE_LOG_LEVEL_VARIABLE, "debug")


def _rotation(path: Path) -> int:
    """How many rotations ago a log file was written: 0 for dbt.log, 1 for dbt.log.1..."""
    return int(path.name.removeprefix("dbt.log").removeprefix(".") or 0)


def dbt_runs(paths: WarehousePaths) -> list[list[dict[str, Any]]]:
    """Every dbt run logged in the data folder, oldest first; each run's events in order."""
    logs = paths.dbt_target.glob("dbt.log*")
    oldest_first = sorted(logs, key=_rotation, reverse=True)
    events = [
        json.loads(line)
        for path in oldest_first
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    runs: list[list[dict[str, Any]]] = []
    for event in events:
        if event["info"]["name"] == "MainReportVersion" or not runs:
            runs.append([])
        runs[-1].append(event)
    return runs


def statements(run: list[dict[str, Any]], node: str) -> list[str]:
    """The SQL statements a run sent for one node, in order, without dbt's query comment;
    its commits included, as ``COMMIT``."""
    return [
        _COMMENT.sub("", event["data"]["sql"]).strip()
        for event in run
        if event["info"]["name"] == "SQLQuery"
        and event["data"].get("node_info", {}).get("node_name") == node
    ]
