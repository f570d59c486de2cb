"""Deletes the audit cannot show are found by the weekly key reconciliation."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import DagsterInstance

from connectors.servicenow.fake import FakeInstance
from pipelines.schedules import RECONCILIATION_RUN_CONFIG
from pipelines.warehouse import WarehousePaths, connect_read_only
from tests.pipeline.conftest import point_at


def run(run_config: dict | None = None) -> bool:
    from pipelines.definitions import defs

    return (
        defs.resolve_job_def("nightly")
        .execute_in_process(
            run_config=run_config, instance=DagsterInstance.ephemeral(), raise_on_error=False
        )
        .success
    )


def published_assets(paths: WarehousePaths) -> set[str]:
    with connect_read_only(paths) as connection:
        rows = connection.execute("select asset_id from dim_hardware_assets").fetchall()
    return {row[0] for row in rows}


def test_the_weekly_run_marks_unaudited_deletes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeInstance(seed=11, scale=0.02) as fake:
        paths = point_at(monkeypatch, fake, tmp_path, EMPREINTE_SERVICENOW_LOOKBACK_MINUTES="0")
        assert run()
        gone = fake.store.records("alm_hardware")[0]["sys_id"]
        assert gone in published_assets(paths)

        fake.store.delete("alm_hardware", gone)
        # The integration user cannot read the audit of this delete (no ACL on sys_audit_delete).
        fake.hide(*(row["sys_id"] for row in fake.store.records("sys_audit_delete")))
        assert run()
        assert gone in published_assets(paths), "invisible to the nightly incremental load"

        assert run(RECONCILIATION_RUN_CONFIG)
        remaining = published_assets(paths)
        assert gone not in remaining
        assert len(remaining) == len(fake.store.records("alm_hardware"))
