"""The fake served from forked copies (``--processes``), as the extraction benchmark runs it:
pages served in parallel, the same rows as one process, writes refused, no copy left behind."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import requests

from benchmarks.extraction import FakeProcess
from benchmarks.measure import tree
from connectors.servicenow.extract import extract_all
from connectors.servicenow.fake import DEFAULT_PASSWORD, DEFAULT_USER, FakeInstance
from connectors.servicenow.tables import TABLES
from tests.connectors.fake_helpers import fake_client, instance_state, landed_state
from tests.processes import pid_alive

SCALE = 0.05


def copies(fake: FakeProcess) -> list[int]:
    assert fake.process is not None
    return [pid for pid in tree(fake.process.pid) if pid != fake.process.pid]


def sockets(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


def wait_until(condition, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def waiting_in_accept(pid: int) -> bool:
    return Path(f"/proc/{pid}/wchan").read_text() == "inet_csk_accept"


def test_the_connectors_read_of_forked_copies_lands_every_row(tmp_path: Path) -> None:
    with FakeProcess(SCALE, processes=2) as fake:
        assert len(copies(fake)) == 2
        reports = extract_all(fake_client(fake, page_size=250, timeout_seconds=10), tmp_path)
    with FakeInstance(seed=42, scale=SCALE) as reference:
        for spec in TABLES:
            if spec.name != "sys_audit_delete":
                assert landed_state(tmp_path, spec) == instance_state(reference, spec), spec.name
                assert reports[spec.name].rows == len(reference.store.records(spec.name))


def test_two_connections_at_once_are_served_by_two_copies() -> None:
    with FakeProcess(SCALE, processes=2) as fake:
        assert fake.process is not None
        served = copies(fake)
        # Both copies waiting in accept() (Linux hands each new connection to the copy that
        # has waited longest), so the test does not race their start.
        wait_until(
            lambda: all(
                Path(f"/proc/{pid}/wchan").read_text() == "inet_csk_accept" for pid in served
            ),
            "the copies never waited for a connection",
        )
        listening = sockets(fake.process.pid)
        before = fake.cpu_s()
        sessions = [requests.Session(), requests.Session()]
        try:
            for session in sessions:  # each keeps its connection open after its answer
                session.auth = (DEFAULT_USER, DEFAULT_PASSWORD)
                answer = session.get(f"{fake.url}/api/now/table/alm_hardware", timeout=10)
                assert answer.ok and answer.json()["result"]
            connections = {pid: sockets(pid) - listening for pid in served}
            assert sorted(len(held) for held in connections.values()) == [1, 1], connections
            assert fake.cpu_s() > before  # the copies' CPU counts as the server's
        finally:
            for session in sessions:
                session.close()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/api/now/table/alm_hardware/0123456789abcdef0123456789abcdef"),
        ("POST", "/api/now/table/alm_hardware"),
        ("DELETE", "/api/now/table/alm_hardware/0123456789abcdef0123456789abcdef"),
        ("POST", "/oauth_token.do"),
    ],
)
def test_copies_refuse_writes_and_tokens(method: str, path: str) -> None:
    # A write or a token would reach one copy only: the others would answer without it.
    with FakeInstance(seed=42, scale=0.01, processes=2) as fake:
        answer = requests.request(
            method, fake.url + path, auth=(DEFAULT_USER, DEFAULT_PASSWORD), json={}, timeout=10
        )
        assert answer.status_code == 405
        assert "reads from 2 processes" in answer.text
        assert requests.get(
            f"{fake.url}/api/now/table/cmn_location", auth=(fake.user, fake.password), timeout=10
        ).ok


def test_the_copies_end_when_their_process_is_killed() -> None:
    fake = FakeProcess(SCALE, processes=3)
    with fake:
        served = copies(fake)
        assert len(served) == 3
    # ``LoopbackServer`` ends with SIGKILL: nothing runs in the killed process to stop its copies.
    wait_until(
        lambda: not any(pid_alive(pid) for pid in served), f"copies {served} outlived their process"
    )
