"""The HTTP server itself: concurrency, quietness, the command line, speed at scale 1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from connectors.servicenow.fake import DEFAULT_PASSWORD, DEFAULT_USER, FakeInstance
from connectors.servicenow.tables import TABLES_BY_NAME
from tests.fake_instance import fake_instance, fake_session  # noqa: F401 (pytest fixtures)

MakeFake = Callable[..., FakeInstance]
ORDER = "ORDERBYsys_updated_on^ORDERBYsys_id"


def keyset_read(
    session: requests.Session, fake: FakeInstance, table: str, limit: int, fields: str
) -> list[dict[str, str]]:
    """Read a whole table the way the connector does: keyset pages on (sys_updated_on, sys_id)."""
    out: list[dict[str, str]] = []
    last = None
    while True:
        where = (
            f"sys_updated_on>{last[0]}^NQsys_updated_on={last[0]}^sys_id>{last[1]}^"
            if (last)
            else ""
        )
        response = session.get(
            f"{fake.url}/api/now/table/{table}",
            timeout=30,
            params={
                "sysparm_query": where + ORDER,
                "sysparm_limit": limit,
                "sysparm_fields": fields,
                "sysparm_exclude_reference_link": "true",
            },
        )
        page = response.json()["result"]
        if not page:
            return out
        out += page
        last = (page[-1]["sys_updated_on"], page[-1]["sys_id"])


def test_parallel_readers_while_rows_change(
    fake_instance: MakeFake,  # noqa: F811
    fake_session: Callable[[FakeInstance], requests.Session],  # noqa: F811
) -> None:
    fake = fake_instance()
    errors: list[BaseException] = []
    results: list[int] = []

    def read() -> None:
        try:
            session = fake_session(fake)
            results.append(
                len(keyset_read(session, fake, "alm_hardware", 97, "sys_id,sys_updated_on,cost"))
            )
        except BaseException as error:  # collected, re-raised by the assertion below
            errors.append(error)

    def write() -> None:
        # A bounded burst: unbounded writes would keep moving rows past the readers' watermark.
        assets = fake.store.records("alm_hardware")
        for index in range(300):
            fake.store.update("alm_hardware", assets[index * 3]["sys_id"], {"cost": "1.00"})
            time.sleep(0.001)

    writer = threading.Thread(target=write)
    readers = [threading.Thread(target=read) for _ in range(6)]
    writer.start()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(30)
    writer.join(5)
    assert not errors
    # Rows moved past the watermark are read again: never fewer rows than the table holds.
    assert len(results) == 6 and min(results) >= len(fake.store.records("alm_hardware"))


def test_quiet_by_default(fake_instance: MakeFake, capfd: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    fake = fake_instance()
    requests.get(f"{fake.url}/api/now/table/cmdb_model", auth=(fake.user, fake.password), timeout=5)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def server_side_sockets(port: int) -> list[socket.socket]:
    """This process's connected sockets whose own end is ``port``: a server's accepted
    connections (each a duplicate of the descriptor, to be closed by the caller)."""
    found = []
    for descriptor in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{descriptor}").startswith("socket:"):
                continue
            candidate = socket.fromfd(int(descriptor), socket.AF_INET, socket.SOCK_STREAM)
        except OSError:  # closed meanwhile, or not an internet socket
            continue
        try:
            if candidate.getsockname()[1] == port and candidate.getpeername():
                found.append(candidate)
                continue
        except OSError:  # not connected: the listening socket, or another family
            pass
        candidate.close()
    return found


def test_answers_go_out_without_waiting_for_the_clients_acknowledgement(
    fake_instance: MakeFake,  # noqa: F811
    fake_session: Callable[[FakeInstance], requests.Session],  # noqa: F811
) -> None:
    # With Nagle's algorithm on the server's end, the last partial segment of a page waits
    # for the client's delayed acknowledgement: up to 40 ms a page, about 30% of a full read
    # of the demo's instance.
    fake = fake_instance()
    session = fake_session(fake)
    assert session.get(f"{fake.url}/api/now/table/alm_hardware", timeout=10).ok
    port = int(fake.url.rsplit(":", 1)[1])
    connections = server_side_sockets(port)
    try:
        assert connections, "no connection accepted by the fake is open"
        for connection in connections:
            assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        for connection in connections:
            connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_command_line_serves_with_the_password_from_the_environment() -> None:
    port = free_port()
    environment = {**os.environ, "EMPREINTE_SERVICENOW_PASSWORD": "from-env"}
    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "connectors.servicenow.fake",
            "--port",
            str(port),
            "--scale",
            "0.01",
            "--faults",
            "500@1",
        ],
        cwd=root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Started by a process that ignores SIGTERM (the disposition is inherited): it must
        # still stop when terminated.
        preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN),
    )
    try:
        url = f"http://127.0.0.1:{port}/api/now/table/cmn_location"
        deadline = time.monotonic() + 20
        while True:
            try:
                first = requests.get(url, auth=(DEFAULT_USER, "from-env"), timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the fake never started"
                time.sleep(0.1)
        assert first.status_code == 500  # the fault spec reached the server
        assert requests.get(url, auth=(DEFAULT_USER, "from-env"), timeout=2).ok
        assert (
            requests.get(url, auth=(DEFAULT_USER, DEFAULT_PASSWORD), timeout=2).status_code == 401
        )
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.slow
def test_full_keyset_read_at_scale_one_is_fast() -> None:
    fields = ",".join(TABLES_BY_NAME["alm_hardware"].columns)
    with FakeInstance(seed=42, scale=1.0) as fake, requests.Session() as session:
        session.auth = (fake.user, fake.password)
        started = time.perf_counter()
        rows = keyset_read(session, fake, "alm_hardware", 1000, fields)
        elapsed = time.perf_counter() - started
    assert len(rows) == 25_000 and len({r["sys_id"] for r in rows}) == 25_000
    assert elapsed < 5, f"keyset read took {elapsed:.1f} s"
