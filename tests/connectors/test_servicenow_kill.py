"""Kill an extraction at a random moment (SIGKILL), rerun it: same data as an unbroken run."""

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
from fake_helpers import fake_client, instance_state, landed_state

from connectors import lake
from connectors.servicenow.extract import extract_table
from connectors.servicenow.fake import DEFAULT_PASSWORD, DEFAULT_USER, FakeInstance
from connectors.servicenow.tables import table_spec

HARDWARE = table_spec("alm_hardware")
REPO = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent("""
    import sys
    from connectors.servicenow.client import ServiceNowClient
    from connectors.servicenow.extract import extract_table
    from connectors.servicenow.settings import ServiceNowSettings
    from connectors.servicenow.tables import table_spec
    url, user, password, lake_dir = sys.argv[1:5]
    settings = ServiceNowSettings(url=url, user=user, password=password, page_size=50,
                                  lookback_minutes=0)
    extract_table(ServiceNowClient(settings), table_spec("alm_hardware"), lake_dir,
                  batch_rows=150, ranges=2)
""")


def kill_then_rerun(fake: FakeInstance, lake_dir: Path, rng: random.Random) -> bool:
    """Run, SIGKILL, rerun in-process; True if the kill struck before the run ended."""
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, fake.url, DEFAULT_USER, DEFAULT_PASSWORD, str(lake_dir)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wanted = rng.randint(1, 6)  # batches landed before the kill, then a random extra delay
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if len(lake.batches(lake_dir, "servicenow", HARDWARE.name)) >= wanted:
            break
        time.sleep(0.005)
    time.sleep(rng.uniform(0, 0.05))
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode in (0, -signal.SIGKILL), process.stderr.read().decode()[-2000:]
    extract_table(fake_client(fake, page_size=50), HARDWARE, lake_dir, batch_rows=150)
    assert not list(lake_dir.rglob("*.tmp"))
    return process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_and_rerun_converges(tmp_path, seed: int) -> None:
    with FakeInstance(seed=21, scale=0.05) as fake:
        extract_table(fake_client(fake), HARDWARE, tmp_path / "unbroken")
        assert kill_then_rerun(fake, tmp_path / "killed", random.Random(seed))
        expected = landed_state(tmp_path / "unbroken", HARDWARE)
        assert landed_state(tmp_path / "killed", HARDWARE) == expected
        assert expected == instance_state(fake, HARDWARE)


@pytest.mark.slow
def test_repeated_kills_at_scale(tmp_path) -> None:
    rng = random.Random()
    with FakeInstance(seed=22, scale=0.3) as fake:
        for _ in range(5):
            kill_then_rerun(fake, tmp_path, rng)
            assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)
            victim = rng.choice(fake.store.records(HARDWARE.name))
            fake.store.update(HARDWARE.name, victim["sys_id"], {"install_status": "7"})
