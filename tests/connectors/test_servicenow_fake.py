"""The connector against the fake instance over real HTTP: faults, concurrency, secrets."""

from __future__ import annotations

import logging
import random

import pytest
from fake_helpers import fake_client, instance_state, landed_state

from connectors.servicenow.client import ServiceNowError
from connectors.servicenow.deletes import land_deletes, reconcile_keys
from connectors.servicenow.extract import extract_all, extract_table
from connectors.servicenow.fake import DEFAULT_PASSWORD, FakeInstance
from connectors.servicenow.tables import TABLES, table_spec
from connectors.state import StateStore

HARDWARE = table_spec("alm_hardware")
SCALE = 0.05


@pytest.fixture(scope="module")
def clean_fake() -> FakeInstance:
    with FakeInstance(seed=42, scale=SCALE) as fake:
        yield fake


def extract_with_one_rerun(client, spec, lake_dir, **options) -> int:
    """Extract; if the faults made it fail, run once more. Returns how many runs failed."""
    try:
        extract_table(client, spec, lake_dir, **options)
        return 0
    except ServiceNowError:
        extract_table(client, spec, lake_dir, **options)
        return 1


def test_every_table_lands_exactly(clean_fake: FakeInstance, tmp_path) -> None:
    client = fake_client(clean_fake, page_size=250)
    reports = extract_all(client, tmp_path)
    for spec in TABLES:
        if spec.name != "sys_audit_delete":
            assert landed_state(tmp_path, spec) == instance_state(clean_fake, spec), spec.name
            assert reports[spec.name].rows == len(clean_fake.store.records(spec.name))
    assert reports["_deletes"].audit_rows == 0


@pytest.mark.parametrize(
    "faults",
    [
        "429:0.3,retry_after=0",
        "500:0.3",
        "502:0.3",
        "503:0.3",
        "reset:0.25",
        "slow:0.2",
        "truncate:0.3",
        "cancel*3,cancel_above=60",
        "cancel_body*3,cancel_above=60",
    ],
)
@pytest.mark.parametrize("ranges", [1, 2])
def test_faults_never_change_the_landed_data(tmp_path, faults: str, ranges: int) -> None:
    with FakeInstance(seed=7, scale=SCALE, faults=faults + ",seed=3,slow_seconds=1") as fake:
        client = fake_client(fake)
        extract_with_one_rerun(client, HARDWARE, tmp_path, ranges=ranges)
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)
        assert fake.faults.injected, "the fault never struck"


def test_rate_limit_headers_are_honoured(tmp_path) -> None:
    with FakeInstance(seed=7, scale=SCALE, rate_limit_per_hour=5, rate_limit_window=0.5) as fake:
        client = fake_client(fake, page_size=300)
        extract_table(client, HARDWARE, tmp_path)
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)
        assert client.retries >= 1


def test_many_rows_sharing_one_timestamp(tmp_path) -> None:
    with FakeInstance(seed=5, scale=SCALE) as fake:
        records = fake.store.records(HARDWARE.name)
        for record in records[:700]:
            fake.store.update(HARDWARE.name, record["sys_id"], {}, updated_on="2026-10-01 08:00:00")
        client = fake_client(fake, page_size=37)
        extract_table(client, HARDWARE, tmp_path, ranges=2)
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)


def test_rows_hidden_by_acls_whole_pages_included(tmp_path) -> None:
    with FakeInstance(seed=6, scale=SCALE) as fake:
        ordered = sorted(
            fake.store.records(HARDWARE.name), key=lambda r: (r["sys_updated_on"], r["sys_id"])
        )
        hidden = {r["sys_id"] for r in ordered[100:420]}  # several whole pages
        hidden |= {r["sys_id"] for r in ordered[600::3]}  # and short pages after
        fake.hide(*hidden)
        client = fake_client(fake, page_size=50)
        extract_table(client, HARDWARE, tmp_path)
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE, hidden)


def test_acl_short_pages_do_not_end_the_read(tmp_path) -> None:
    with FakeInstance(seed=6, scale=SCALE, faults="acl_short:0.3,seed=2") as fake:
        client = fake_client(fake, page_size=50)
        extract_table(client, HARDWARE, tmp_path)
        landed, source = landed_state(tmp_path, HARDWARE), instance_state(fake, HARDWARE)
        assert set(landed) <= set(source)
        newest = max(source.values(), key=lambda r: (r["sys_updated_on"], r["sys_id"]))
        assert newest["sys_id"] in landed  # the read went on to the end
        # A short page drops at most half its rows, and only the pages the fault struck.
        assert len(source) - len(landed) <= 25 * len(fake.faults.injected)


@pytest.mark.parametrize("ranges", [1, 3])
def test_concurrent_inserts_updates_deletes(tmp_path, ranges: int) -> None:
    with FakeInstance(seed=11, scale=SCALE) as fake:
        rng = random.Random(ranges)
        records = fake.store.records(HARDWARE.name)

        def mutate(number: int) -> None:
            if number > 25:
                return  # the instance settles; the read must then converge
            victim = rng.choice(records)
            if fake.store.get(HARDWARE.name, victim["sys_id"]) is None:
                return
            choice = rng.random()
            if choice < 0.4:
                fake.store.update(HARDWARE.name, victim["sys_id"], {"install_status": "7"})
            elif choice < 0.7:
                fake.store.delete(HARDWARE.name, victim["sys_id"])
            else:
                fake.store.insert(
                    HARDWARE.name,
                    {**victim, "sys_id": "", "sys_updated_on": "", "sys_created_on": ""},
                )

        fake.on_request(mutate)
        client = fake_client(fake, page_size=60)
        state = StateStore(tmp_path)
        extract_table(client, HARDWARE, tmp_path, state, ranges=ranges)
        land_deletes(client, tmp_path, state, [HARDWARE])
        extract_table(client, HARDWARE, tmp_path, state)  # the nightly rerun
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)


def test_deletes_from_audit_and_from_key_reconciliation(tmp_path) -> None:
    with FakeInstance(seed=12, scale=SCALE) as fake:
        client = fake_client(fake, page_size=200)
        state = StateStore(tmp_path)
        extract_table(client, HARDWARE, tmp_path, state)
        ids = [r["sys_id"] for r in fake.store.records(HARDWARE.name)]
        for sys_id in ids[:5]:
            fake.store.delete(HARDWARE.name, sys_id)
        report = land_deletes(client, tmp_path, state, [HARDWARE])
        assert report.markers == {"alm_hardware": 5}
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)
        assert land_deletes(client, tmp_path, state, [HARDWARE]).markers == {}
        # Deleted with auditing off: only the key reconciliation can see it.
        with fake.store._lock:
            fake.store._tables[HARDWARE.name].pop(ids[10])
            fake.store._versions[HARDWARE.name] += 1
        assert reconcile_keys(client, HARDWARE, tmp_path) == 1
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)
        assert reconcile_keys(client, HARDWARE, tmp_path) == 0


def test_no_secret_in_logs_or_errors(tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeInstance(
        seed=3, scale=SCALE, faults="503:0.3,reset:0.1,truncate:0.1,seed=4", token_ttl=1.0
    ) as fake:
        texts = []
        client = fake_client(
            fake,
            auth="oauth_password",
            client_id=fake.client_id,
            client_secret=fake.client_secret,
            max_attempts=2,
        )
        for _ in range(3):
            try:
                extract_table(client, HARDWARE, tmp_path)
            except ServiceNowError as error:
                texts += [str(error), repr(error)]
        wrong = fake_client(
            fake,
            auth="oauth_client_credentials",
            client_id=fake.client_id,
            client_secret="wrong-secret-4321",
        )
        with pytest.raises(Exception) as refused:
            extract_table(wrong, HARDWARE, tmp_path)
        texts += [str(refused.value), repr(refused.value), repr(client), repr(client.settings)]
        texts += [record.getMessage() + repr(record.__dict__) for record in caplog.records]
        secrets = [
            DEFAULT_PASSWORD,
            fake.client_secret,
            "wrong-secret-4321",
            *fake._tokens,
            *fake._refresh,
        ]
        assert len(secrets) > 4
        for secret in secrets:
            assert not any(secret in text for text in texts)


@pytest.mark.parametrize("kind", ["500", "reset", "truncate", "slow"])
def test_a_run_the_faults_broke_is_finished_by_the_rerun(tmp_path, kind: str) -> None:
    struck = ",".join(f"{kind}@{n}" for n in range(6, 10))  # four in a row: attempts run out
    with FakeInstance(seed=8, scale=SCALE, faults=struck + ",slow_seconds=1") as fake:
        client = fake_client(fake, page_size=100)
        state = StateStore(tmp_path)
        with pytest.raises(
            ServiceNowError, match="alm_hardware: GET /api/now/v2/table/alm_hardware"
        ):
            extract_table(client, HARDWARE, tmp_path, state, batch_rows=200, ranges=1)
        assert state.get("watermarks", HARDWARE.name)  # the pages read before landed
        assert extract_with_one_rerun(client, HARDWARE, tmp_path, state=state) == 0
        assert landed_state(tmp_path, HARDWARE) == instance_state(fake, HARDWARE)
