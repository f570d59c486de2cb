"""The fault matrix: every fault kind of the fake instance x three tables x two seeds (60
trials), half of them with the extraction killed (SIGKILL) at a random moment and run again
(a small table can land whole before the moment drawn: 30 tries give the 20 kills asked for).
Each trial compares what landed with what the instance holds: rows lost 0, rows landed that the
instance does not hold 0, rows whose values differ 0.

ACLs: the fake's `acl_short` kind hides rows of a page for that request only, which no real
instance does (an ACL hides a record from every request); the ACL trials hide every seventh
record for good with ``fake.hide`` and require every visible record to land.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from connectors import lake
from connectors.servicenow.extract import extract_table
from connectors.servicenow.fake import DEFAULT_PASSWORD, DEFAULT_USER, FakeInstance
from connectors.servicenow.fake.faults import KINDS
from connectors.servicenow.tables import table_spec
from tests.connectors.fake_helpers import fake_client, instance_state, landed_state

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
TABLES = ("alm_hardware", "cmdb_ci_computer", "sys_user")
SEEDS = (1, 2)
# Every fault kind, the transient `acl_short` replaced by records hidden for good.
FAULT_KINDS = (*sorted(KINDS - {"acl_short"}), "acl")
TRIALS = [(kind, table, seed) for kind in FAULT_KINDS for table in TABLES for seed in SEEDS]
CLIENT = {"page_size": 100, "max_attempts": 12, "timeout_seconds": 0.6}
WORKER = textwrap.dedent("""
    import sys
    from connectors.servicenow.client import ServiceNowClient
    from connectors.servicenow.extract import extract_table
    from connectors.servicenow.settings import ServiceNowSettings
    from connectors.servicenow.tables import table_spec
    url, user, password, lake_dir, table = sys.argv[1:6]
    settings = ServiceNowSettings(url=url, user=user, password=password, page_size=100,
                                  max_attempts=12, timeout_seconds=0.6, lookback_minutes=0)
    client = ServiceNowClient(settings, backoff_seconds=0.01, backoff_cap_seconds=0.05)
    extract_table(client, table_spec(table), lake_dir, batch_rows=100, ranges=2)
""")


def faults_for(kind: str, seed: int) -> str | None:
    if kind == "acl":
        return None
    # A quarter of the requests fail; `slow` outlasts the client's timeout; cancels strike pages
    # over 60 rows, so the client must halve its pages of 100.
    return f"{kind}:0.25,seed={seed},slow_seconds=0.8,retry_after=0,cancel_above=60"


def killed_run(fake: FakeInstance, lake_dir: Path, table: str, rng: random.Random) -> bool:
    """Start the extraction in a process of its own, SIGKILL it at a random moment once it has
    landed something or soon after; True if the kill struck before it ended."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER,
            fake.url,
            DEFAULT_USER,
            DEFAULT_PASSWORD,
            str(lake_dir),
            table,
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + rng.uniform(1.0, 4.0)
    while time.monotonic() < deadline and process.poll() is None:
        if lake.batches(lake_dir, "servicenow", table) and rng.random() < 0.2:
            break
        time.sleep(0.02)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode in (0, -signal.SIGKILL), process.stderr.read().decode()[-2000:]
    return process.returncode == -signal.SIGKILL


@pytest.mark.parametrize(("kind", "table", "seed"), TRIALS)
def test_fault_trial_loses_nothing(tmp_path: Path, figures, kind: str, table: str, seed: int):
    part = figures("fault_matrix")
    spec = table_spec(table)
    number = TRIALS.index((kind, table, seed))
    killed = number % 2 == 0
    rng = random.Random(number)
    with FakeInstance(seed=100 + seed, scale=0.02, faults=faults_for(kind, seed)) as fake:
        hidden: set[str] = set()
        if kind == "acl":
            hidden = {record["sys_id"] for record in fake.store.records(table)[::7]}
            fake.hide(*hidden)
        if killed and killed_run(fake, tmp_path, table, rng):
            part.add("killed_then_rerun")
        client = fake_client(fake, **CLIENT)
        extract_table(client, spec, tmp_path, batch_rows=100)
        expected = instance_state(fake, spec, hidden)
        injected = len(fake.faults.injected)
    landed = landed_state(tmp_path, spec)
    lost = set(expected) - set(landed)
    unknown = set(landed) - set(expected)
    differing = [key for key in set(expected) & set(landed) if expected[key] != landed[key]]
    versions = lake.read_table(tmp_path, "servicenow", table).height
    part.add("trials")
    part.add(f"trials_{kind}")
    part.add("faults_injected", injected)
    part.add("client_retries", client.retries)
    part.add("rows_expected", len(expected))
    part.add("rows_landed_before_dedupe", versions)
    part.add("rows_lost", len(lost))
    part.add("rows_unknown", len(unknown))
    part.add("rows_differing", len(differing))
    part.set("fault_kinds", list(FAULT_KINDS))
    part.set("tables", list(TABLES))
    assert not lost and not unknown and not differing
    assert not list(tmp_path.rglob("*.tmp")), "a killed load left a temporary file behind"
