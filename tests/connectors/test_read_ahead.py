"""extract_all asks for a table's first pages while the table before it lands its last batch;
the rules of a whole extraction hold all the same: refused credentials stop it at the table
that met them, and a failed landing leaves no read running."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_helpers import fake_client, landed_state

from connectors.servicenow import extract as extract_module
from connectors.servicenow.auth import AuthenticationError
from connectors.servicenow.extract import extract_all, read_watermark
from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.tables import TableSpec, table_spec
from connectors.state import StateStore

FIRST, SECOND, THIRD = (
    table_spec(name) for name in ("cmn_location", "cmn_department", "core_company")
)
PATH = "/api/now/v2/table/"


def asked(fake: FakeInstance, spec: TableSpec) -> int:
    """The requests the fake has had for a table."""
    return sum(request["path"] == PATH + spec.name for request in list(fake.requests))


def asked_within(fake: FakeInstance, spec: TableSpec, seconds: float = 5) -> bool:
    """Whether the fake has had a request for the table, waiting up to ``seconds`` for one."""
    deadline = time.monotonic() + seconds
    while not asked(fake, spec) and time.monotonic() < deadline:
        time.sleep(0.01)
    return asked(fake, spec) > 0


def while_landing(
    monkeypatch: pytest.MonkeyPatch, spec: TableSpec, action: Callable[[], Any]
) -> list[Any]:
    """Run ``action`` each time a batch of ``spec`` is about to land; what it returned."""
    land = extract_module.land_table_batch
    returned: list[Any] = []

    def landing(frame: Any, landed: TableSpec, *args: Any, **kwargs: Any) -> Any:
        if landed.name == spec.name:
            returned.append(action())
        return land(frame, landed, *args, **kwargs)

    monkeypatch.setattr(extract_module, "land_table_batch", landing)
    return returned


def test_the_next_tables_first_page_is_asked_for_while_a_table_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeInstance(seed=5, scale=0.01) as fake:
        seen = while_landing(monkeypatch, FIRST, lambda: asked_within(fake, SECOND))
        with fake_client(fake, concurrency=2) as client:
            reports = extract_all(client, tmp_path, [FIRST, SECOND])
        assert seen == [True], "the second table was asked for while the first one landed"
        for spec in (FIRST, SECOND):
            assert reports[spec.name].rows == len(fake.store.records(spec.name))
            assert len(landed_state(tmp_path, spec)) == len(fake.store.records(spec.name))


def test_credentials_refused_to_a_read_ahead_stop_the_extraction_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The password changes as the second table's read is planned, while the first table is
    still to land: the second table's first request is refused; the first table lands whole,
    the third is never asked for, and the refusal is the one error logged."""
    with FakeInstance(seed=5, scale=0.01) as fake:
        plan = extract_module._plan_read

        def password_changed(client: Any, spec: TableSpec, *args: Any, **kwargs: Any) -> Any:
            if spec.name == SECOND.name:
                fake.password = "changed"
            return plan(client, spec, *args, **kwargs)

        monkeypatch.setattr(extract_module, "_plan_read", password_changed)
        with fake_client(fake) as client, pytest.raises(AuthenticationError, match="HTTP 401"):
            extract_all(client, tmp_path, [FIRST, SECOND, THIRD])
        assert len(landed_state(tmp_path, FIRST)) == len(fake.store.records(FIRST.name))
        assert read_watermark(StateStore(tmp_path), FIRST.name) is not None
        assert read_watermark(StateStore(tmp_path), SECOND.name) is None
        assert asked(fake, SECOND) > 0 and asked(fake, THIRD) == 0
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and "401" in errors[0].getMessage()


def test_a_failed_landing_leaves_no_read_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first table's last batch cannot land (the disk, say): the error stops the extraction,
    and the second table's read, started meanwhile, is stopped with it (in pages of 10, its
    ranges have more pages than their queue holds: they would wait to hand them forever)."""

    def disk_full() -> None:
        asked_within(fake, SECOND)
        raise OSError("No space left on device")

    with FakeInstance(seed=5, scale=0.01) as fake:
        while_landing(monkeypatch, FIRST, disk_full)
        client = fake_client(fake, concurrency=2, page_size=10)
        with client, pytest.raises(OSError) as failure:
            extract_all(client, tmp_path, [FIRST, SECOND, THIRD])
        assert asked(fake, SECOND) > 0 and asked(fake, THIRD) == 0
    # Checked while ``failure`` holds the error, as a caller reporting it does: its traceback
    # keeps extract_all's frame, and whatever that did not stop, alive.
    running = [thread.name for thread in threading.enumerate() if SECOND.name in thread.name]
    assert running == [], "the second table's ranges ended with the extraction"
    assert str(failure.value) == "No space left on device", "the landing's own error"
