"""Each fault kind is produced as the spec says, deterministically when asked."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests

from connectors.servicenow.fake import FakeInstance, Faults
from connectors.servicenow.fake.table_api import CANCELLED
from tests.fake_instance import fake_instance  # noqa: F401 (pytest fixture)

MakeFake = Callable[..., FakeInstance]


def page(fake: FakeInstance, limit: int = 100, timeout: float = 5) -> requests.Response:
    return requests.get(
        f"{fake.url}/api/now/table/alm_hardware",
        timeout=timeout,
        auth=(fake.user, fake.password),
        params={"sysparm_limit": limit},
    )


def test_spec_parsing() -> None:
    faults = Faults("429:0.1,500@3,reset*2,seed=7,slow_seconds=0.5,cancel_above=200")
    assert faults.probabilities == {"429": 0.1}
    assert faults.at == {3: "500"} and list(faults.queue) == ["reset", "reset"]
    assert faults.slow_seconds == 0.5 and faults.cancel_above == 200
    for bad in ("boom:0.1", "500", "colour=red"):
        with pytest.raises(ValueError):
            Faults(bad)


def test_nth_request_gets_the_fault(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="500@2,503@3")
    assert [page(fake).status_code for _ in range(4)] == [200, 500, 503, 200]
    assert fake.faults.injected == [(2, "500"), (3, "503")]


@pytest.mark.parametrize("kind", ["500", "502", "503"])
def test_server_errors_carry_the_envelope(fake_instance: MakeFake, kind: str) -> None:  # noqa: F811
    fake = fake_instance(faults=f"{kind}*1")
    response = page(fake)
    assert response.status_code == int(kind)
    assert response.json()["status"] == "failure" and response.json()["error"]["message"]
    assert page(fake).ok


def test_429_has_retry_after(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="429*2,retry_after=3")
    first, second, third = page(fake), page(fake), page(fake)
    assert first.status_code == second.status_code == 429 and third.ok
    assert first.headers["Retry-After"] == "3"


def test_reset_closes_the_connection(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="reset*1")
    with pytest.raises(requests.exceptions.ConnectionError):
        page(fake)
    assert page(fake).ok


def test_slow_answer_passes_the_client_timeout(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="slow*1,slow_seconds=1")
    with pytest.raises(requests.exceptions.ReadTimeout):
        page(fake, timeout=0.3)
    assert page(fake, timeout=2).ok


def test_truncated_body(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="truncate*1")
    response = page(fake)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_cancel_strikes_big_pages_only(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="cancel:1,cancel_above=400")
    big = page(fake, limit=800)
    assert big.status_code == 500 and big.json()["error"]["message"] == CANCELLED
    assert page(fake, limit=400).ok  # halving the page cures it


def test_cancel_inside_a_200_body(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="cancel_body*1,cancel_above=50")
    assert page(fake, limit=50).ok  # too small: the queued cancel waits
    broken = page(fake, limit=100)
    assert broken.status_code == 200 and CANCELLED in broken.text
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.text)


def test_acl_short_pages_keep_the_total(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="acl_short*1,acl_ratio=0.5")
    short = page(fake, limit=100)
    assert 0 < len(short.json()["result"]) < 100
    assert short.headers["X-Total-Count"] == str(len(fake.store.records("alm_hardware")))
    assert "next" in short.links


def test_hidden_records_make_empty_pages_while_more_follow(
    fake_instance: MakeFake,  # noqa: F811
) -> None:
    fake = fake_instance()
    first_ten = page(fake, limit=10).json()["result"]
    fake.hide(*(r["sys_id"] for r in first_ten))
    empty = page(fake, limit=10)
    assert empty.json()["result"] == [] and "next" in empty.links
    assert empty.headers["X-Total-Count"] == str(len(fake.store.records("alm_hardware")))


def test_random_faults_follow_their_probability(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="500:0.3,seed=1")
    codes = [page(fake, limit=1).status_code for _ in range(60)]
    assert 8 <= codes.count(500) <= 30 and codes.count(200) == 60 - codes.count(500)


def test_faults_spare_single_records_and_stats(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(faults="500:1")
    auth = (fake.user, fake.password)
    stats = requests.get(
        f"{fake.url}/api/now/stats/alm_hardware",
        auth=auth,
        timeout=5,
        params={"sysparm_count": "true"},
    )
    assert stats.ok
