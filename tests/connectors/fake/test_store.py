"""Mutations through the store and the API, the delete audit, and mid-extraction hooks."""

from __future__ import annotations

from collections.abc import Callable

import requests

from connectors.servicenow.fake import FakeInstance
from tests.fake_instance import fake_instance  # noqa: F401 (pytest fixture)

MakeFake = Callable[..., FakeInstance]


def latest(fake: FakeInstance) -> str:
    return max(r["sys_updated_on"] for t in fake.store.tables() for r in fake.store.records(t))


def test_update_bumps_sys_updated_on_past_everything(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    before = latest(fake)
    asset = fake.store.records("alm_hardware")[0]
    updated = fake.store.update("alm_hardware", asset["sys_id"], {"install_status": "7"})
    assert updated["sys_updated_on"] > before and updated["install_status"] == "7"
    again = fake.store.update("alm_hardware", asset["sys_id"], {"substatus": "sold"})
    assert again["sys_updated_on"] > updated["sys_updated_on"]
    assert fake.store.get("alm_hardware", asset["sys_id"])["substatus"] == "sold"


def test_insert_fills_every_column(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    record = fake.store.insert("cmdb_model_category", {"name": "Smartwatch"})
    assert len(record["sys_id"]) == 32 and record["sys_created_on"] == record["sys_updated_on"]
    assert record["asset_class"] == ""
    assert record in fake.store.records("cmdb_model_category")


def test_delete_is_audited(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    asset = fake.store.records("alm_hardware")[5]
    fake.store.delete("alm_hardware", asset["sys_id"])
    assert fake.store.get("alm_hardware", asset["sys_id"]) is None
    (audit,) = fake.store.records("sys_audit_delete")
    assert audit["tablename"] == "alm_hardware" and audit["documentkey"] == asset["sys_id"]
    assert audit["sys_created_on"] > asset["sys_updated_on"]


def test_patch_and_delete_through_the_api(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    auth = (fake.user, fake.password)
    asset = fake.store.records("alm_hardware")[1]
    url = f"{fake.url}/api/now/table/alm_hardware/{asset['sys_id']}"
    patched = requests.patch(url, json={"cost": "99.00", "bogus": "x"}, auth=auth, timeout=5)
    assert patched.ok and patched.json()["result"]["cost"] == "99.00"
    assert "bogus" not in fake.store.get("alm_hardware", asset["sys_id"])
    assert requests.delete(url, auth=auth, timeout=5).status_code == 204
    assert requests.get(url, auth=auth, timeout=5).status_code == 404
    assert fake.store.records("sys_audit_delete")[0]["documentkey"] == asset["sys_id"]


def test_mutation_during_an_extraction(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    target = fake.store.records("alm_hardware")[0]["sys_id"]

    def after_page_two(number: int) -> None:
        if number == 3:
            fake.store.update("alm_hardware", target, {"install_status": "8"})

    fake.on_request(after_page_two)
    seen: dict[str, dict[str, str]] = {}
    last = None
    auth = (fake.user, fake.password)
    while True:
        where = (
            f"sys_updated_on>{last[0]}^NQsys_updated_on={last[0]}^sys_id>{last[1]}^"
            if (last)
            else ""
        )
        page = requests.get(
            f"{fake.url}/api/now/table/alm_hardware",
            auth=auth,
            timeout=5,
            params={
                "sysparm_limit": 200,
                "sysparm_fields": "sys_id,sys_updated_on,install_status",
                "sysparm_query": where + "ORDERBYsys_updated_on^ORDERBYsys_id",
            },
        ).json()["result"]
        if not page:
            break
        seen.update({r["sys_id"]: r for r in page})
        last = (page[-1]["sys_updated_on"], page[-1]["sys_id"])
    assert fake.list_requests > 3
    # The updated row moved past the watermark, so the keyset read picks it up again.
    assert seen[target]["install_status"] == "8"
    assert len(seen) == len(fake.store.records("alm_hardware"))


def test_requests_are_recorded(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    requests.get(
        f"{fake.url}/api/now/table/sys_user",
        auth=(fake.user, fake.password),
        params={"sysparm_fields": "sys_id,department"},
        timeout=5,
    )
    (request,) = list(fake.requests)
    assert request["path"] == "/api/now/table/sys_user"
    assert request["params"]["sysparm_fields"] == "sys_id,department"
