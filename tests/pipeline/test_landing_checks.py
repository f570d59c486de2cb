"""The landing gates through real nights: rows the rules refuse go to the rejects and the night
publishes; a batch only the Great Expectations suite can judge is quarantined and blocks the
night; the first refusal of the credentials stops the run before dbt, in one message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from connectors import quarantine
from connectors.servicenow.fake import FakeInstance
from tests.pipeline.conftest import point_at
from tests.pipeline.landing_runs import (
    check_metadata,
    check_verdicts,
    run_night,
    steps_run,
    table_metadata,
)

BLANKED = 120  # assets of ~750 losing their town in one night: over the suite's 5%


def test_the_suite_blocks_a_night_only_it_can_judge_and_rows_go_to_the_rejects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeInstance(seed=3, scale=0.03) as fake:
        paths = point_at(monkeypatch, fake, tmp_path)
        first = run_night()
        assert first.success
        landed = table_metadata(first, "alm_hardware")
        assets = fake.store.records("alm_hardware")
        assert (landed["rows_landed"], landed["rows_new"]) == (len(assets), len(assets))
        assert (landed["rows_changed"], landed["rows_deleted"], landed["rows_rejected"]) == (
            0,
            0,
            0,
        )
        assert (landed["batches_quarantined"], landed["quarantined"]) == (0, [])
        published = hashlib.sha256(paths.warehouse.read_bytes()).hexdigest()

        # Every row is valid alone; together, 120 assets lose their town in one night. And one
        # asset gets a status no choice list knows: that row alone is rejected.
        blanked = assets[:BLANKED]
        for asset in blanked:
            fake.store.update("alm_hardware", asset["sys_id"], {"company": ""})
        fake.store.update("alm_hardware", assets[-1]["sys_id"], {"install_status": "99"})
        bad = run_night()
        assert not bad.success
        verdicts = check_verdicts(bad)
        assert verdicts["alm_hardware_expectations"] is False
        assert all(passed for name, passed in verdicts.items() if name.startswith("cmn_"))
        failed = check_metadata(bad, "alm_hardware_expectations")["failed"]
        ((batch, reasons),) = failed.items()
        assert reasons == [
            f"expect_column_values_to_not_be_null(company): {BLANKED} unexpected, "
            "e.g. ['None', 'None', 'None', 'None', 'None']"
        ]
        assert "dbt_models" not in steps_run(bad), "the run stopped before dbt"
        assert hashlib.sha256(paths.warehouse.read_bytes()).hexdigest() == published
        night = table_metadata(bad, "alm_hardware")
        assert night["batches_quarantined"] == 1 and night["rows_rejected"] == 1
        assert night["rows_landed"] == 0, "the quarantined batch is out of the lake"
        (kept,) = quarantine.quarantined(paths.lake)
        assert kept["batch_id"] == batch and kept["stage"] == "check"
        assert (
            paths.lake / "_quarantine" / "servicenow" / "alm_hardware" / f"{batch}.parquet"
        ).exists()
        (reject,) = quarantine.read_rejects(paths.lake).to_dicts()
        assert (reject["field"], reject["raw_value"]) == ("install_status", "99")
        assert reject["sys_id"] == assets[-1]["sys_id"] and reject["source_file"] is None
        html = list(
            (paths.data_dir / "quality" / bad.run_id / "landing" / "alm_hardware").glob("*.html")
        )
        assert [path.stem for path in html] == [batch]
        assert f"{BLANKED} unexpected values found" in html[0].read_text()

        # The instance is put right: the rows are read again (the watermark was put back).
        for asset in blanked:
            fake.store.update("alm_hardware", asset["sys_id"], {"company": asset["company"]})
        fixed = run_night()
        assert fixed.success
        night = table_metadata(fixed, "alm_hardware")
        assert night["rows_changed"] == BLANKED and night["rows_rejected"] == 1


def test_refused_credentials_stop_the_run_before_dbt_in_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeInstance(seed=3, scale=0.01) as fake:
        paths = point_at(monkeypatch, fake, tmp_path, EMPREINTE_SERVICENOW_PASSWORD="wrong")
        result = run_night()
        assert not result.success
        (failure,) = result.get_step_failure_events()
        assert failure.step_key == "servicenow_tables"
        described = failure.step_failure_data.user_failure_data.description
        assert described.count("HTTP 401") == 1 and "wrong" not in described
        # Only the landing steps ran (the logs land on their own): nothing reached dbt.
        assert steps_run(result) <= {"servicenow_tables", "activity_logs"}
        assert len({request["path"] for request in fake.requests}) == 1, "one table tried"
        assert not paths.warehouse.exists()
