"""No credential reaches a log line, an exception text or a Dagster event, faults or not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from dagster import DagsterInstance

from connectors.servicenow.fake import FakeInstance
from tests.pipeline.conftest import point_at

PASSWORD = "pw-Sentinel-3f9a1c"
CLIENT_SECRET = "cs-Sentinel-77d2e0"


def run_and_collect(instance: DagsterInstance) -> tuple[bool, str]:
    """Run the nightly job; return its success and the text of every event it logged."""
    from pipelines.definitions import defs

    result = defs.resolve_job_def("nightly").execute_in_process(
        instance=instance, raise_on_error=False
    )
    events = instance.all_logs(result.run_id)
    return result.success, "\n".join(repr(event) for event in events)


def test_credentials_never_appear_in_logs_errors_or_events(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeInstance(
        seed=5,
        scale=0.02,
        password=PASSWORD,
        client_secret=CLIENT_SECRET,
        faults="retry_after=0,500:0.08,429:0.05,reset:0.03,truncate:0.03",
    ) as fake:
        point_at(
            monkeypatch,
            fake,
            tmp_path,
            EMPREINTE_SERVICENOW_AUTH="oauth_password",
            EMPREINTE_SERVICENOW_PASSWORD=PASSWORD,
            EMPREINTE_SERVICENOW_CLIENT_ID=fake.client_id,
            EMPREINTE_SERVICENOW_CLIENT_SECRET=CLIENT_SECRET,
            EMPREINTE_SERVICENOW_MAX_ATTEMPTS="2",
        )
        instance = DagsterInstance.ephemeral()

        fake.faults.next("503", 50)  # more failures than attempts: the night fails
        failed, failed_events = run_and_collect(instance)
        fake.faults.queue.clear()
        monkeypatch.setenv("EMPREINTE_SERVICENOW_MAX_ATTEMPTS", "8")
        succeeded, events = run_and_collect(instance)
        tokens = list(fake._tokens) + list(fake._refresh)

    assert not failed and "503" in failed_events, "the first night failed on the faults"
    assert succeeded, "the rerun got through the random faults"
    captured = capfd.readouterr()
    text = "\n".join(
        [failed_events, events, caplog.text, captured.out, captured.err]
        + [str(record.exc_info) for record in caplog.records if record.exc_info]
    )
    assert len(tokens) >= 2, "OAuth tokens were issued"
    for secret in [PASSWORD, CLIENT_SECRET, *tokens]:
        assert secret not in text
