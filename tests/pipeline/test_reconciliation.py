"""Deletes the audit cannot show are found by the weekly key reconciliation: the nightly job
with the schedule's Sunday run configuration, on the fleet table, read back from the lake (the
lake's current state is what staging publishes: `connectors.lake.latest_rows`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance

from connectors import lake
from connectors.servicenow.fake import FakeInstance
from pipelines.schedules import RECONCILIATION_RUN_CONFIG
from tests.pipeline.conftest import point_at

FLEET = AssetKey(["servicenow", "alm_hardware"])


def land_the_fleet(run_config: dict | None = None) -> bool:
    from pipelines.definitions import defs

    return (
        defs.resolve_job_def("nightly")
        .execute_in_process(
            run_config=run_config,
            instance=DagsterInstance.ephemeral(),
            raise_on_error=False,
            asset_selection=[FLEET],
        )
        .success
    )


def current_assets(lake_dir: Path) -> set[str]:
    landed = lake.read_table(lake_dir, "servicenow", "alm_hardware")
    return set(lake.latest_rows(landed)["sys_id"])


def test_the_weekly_run_marks_unaudited_deletes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeInstance(seed=11, scale=0.02) as fake:
        paths = point_at(monkeypatch, fake, tmp_path, EMPREINTE_SERVICENOW_LOOKBACK_MINUTES="0")
        assert land_the_fleet()
        gone = fake.store.records("alm_hardware")[0]["sys_id"]
        assert gone in current_assets(paths.lake)

        fake.store.delete("alm_hardware", gone)
        # The integration user cannot read the audit of this delete (no ACL on sys_audit_delete).
        fake.hide(*(row["sys_id"] for row in fake.store.records("sys_audit_delete")))
        assert land_the_fleet()
        assert gone in current_assets(paths.lake), "invisible to the nightly incremental load"

        assert land_the_fleet(RECONCILIATION_RUN_CONFIG)
        remaining = current_assets(paths.lake)
        assert gone not in remaining
        assert remaining == {row["sys_id"] for row in fake.store.records("alm_hardware")}
