"""Table API client against a tiny scripted stub: paging, faults, auth, secrets."""

from __future__ import annotations

import logging
import random

import pytest
from servicenow_stub import Stub, make_client, matches

from connectors.servicenow.auth import AuthenticationError
from connectors.servicenow.client import ServiceNowError, key_ranges, keyset_query
from connectors.servicenow.settings import ServiceNowSettings, SettingsError


def rows(count: int, same_time_every: int = 10, seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "sys_id": f"{rng.getrandbits(128):032x}",
            "sys_updated_on": f"2024-01-01 00:00:{index // same_time_every:02d}",
            "sys_created_on": "2023-01-01 00:00:00",
            "name": f"row {index}",
        }
        for index in range(count)
    ]


def read_all(client, table="cmn_location", **kwargs) -> list[dict[str, str]]:
    fields = ("sys_id", "sys_updated_on", "name")
    return [r for page in client.iter_pages(table, fields, **kwargs) for r in page.records]


def test_keyset_query_means_strictly_after_the_position() -> None:
    query = keyset_query("sys_id<80", ("2024-01-01 00:00:05", "5" * 32))
    assert query == (
        "sys_id<80^sys_updated_on>=2024-01-01 00:00:05^sys_updated_on>"
        "2024-01-01 00:00:05^ORsys_id>" + "5" * 32 + "^ORDERBYsys_updated_on^ORDERBYsys_id"
    )
    position = ("2024-01-01 00:00:05", "5" * 32)
    for moment in ("2024-01-01 00:00:04", "2024-01-01 00:00:05", "2024-01-01 00:00:06"):
        for key in ("0" * 32, "5" * 32, "6" * 32, "9" * 32):
            record = {"sys_updated_on": moment, "sys_id": key}
            expected = (moment, key) > position and key < "80"
            assert matches(record, query) is expected, (moment, key)


def test_key_ranges_cover_every_key_once() -> None:
    ranges = key_ranges(3)
    assert ranges == ["sys_id<55", "sys_id>=55^sys_id<aa", "sys_id>=aa"]
    for key in ("0" * 32, "55" + "0" * 30, "a9" + "f" * 30, "f" * 32, "ZZZ", ""):
        assert sum(matches({"sys_id": key}, part) for part in ranges) == 1


def test_pages_with_many_rows_sharing_one_timestamp(stub: Stub) -> None:
    stub.tables["cmn_location"] = rows(95, same_time_every=40)
    client = make_client(stub.url, page_size=7)
    got = read_all(client)
    assert sorted(r["sys_id"] for r in got) == sorted(
        r["sys_id"] for r in stub.tables["cmn_location"]
    )
    assert len(got) == 95
    params = stub.requests[0]["params"]
    assert params["sysparm_display_value"] == "false"
    assert params["sysparm_exclude_reference_link"] == "true"
    assert params["sysparm_no_count"] == "true"
    assert params["sysparm_fields"] == "sys_id,sys_updated_on,name"


@pytest.mark.parametrize("fault", ["429", "500", "502", "503", "reset", "truncate", "slow"])
def test_retried_faults_lose_nothing(stub: Stub, fault: str) -> None:
    stub.tables["cmn_location"] = rows(30)
    stub.faults = [None, fault, None, fault]
    client = make_client(stub.url, page_size=7, timeout_seconds=0.5)
    assert len(read_all(client)) == 30
    assert client.retries >= 2


def test_cancelled_transaction_halves_the_page(stub: Stub) -> None:
    stub.tables["cmn_location"] = rows(30)
    stub.faults = ["cancel", "cancel"]
    client = make_client(stub.url, page_size=8)
    assert len(read_all(client)) == 30
    limits = [int(r["params"]["sysparm_limit"]) for r in stub.requests]
    assert limits[:3] == [8, 4, 2] and set(limits[3:]) == {2}


def test_bounded_attempts_then_a_clear_error(stub: Stub) -> None:
    stub.tables["cmn_location"] = rows(5)
    stub.faults = ["503"] * 10
    client = make_client(stub.url, max_attempts=3)
    with pytest.raises(ServiceNowError) as error:
        read_all(client)
    assert "cmn_location" in str(error.value) and "/api/now/v2/table/cmn_location" in str(
        error.value
    )
    assert "HTTP 503" in str(error.value) and "3 attempts" in str(error.value)


@pytest.mark.parametrize("link", [False, True])
def test_pages_hidden_by_acls_do_not_end_the_read(stub: Stub, link: bool) -> None:
    data = rows(60, same_time_every=1)
    stub.tables["cmn_location"] = data
    # Rows 10..29 (three whole pages and more) are hidden from the integration user.
    hidden = {r["sys_id"] for r in data[10:30]}
    stub.hidden = lambda record: record["sys_id"] in hidden
    stub.link_next = link
    client = make_client(stub.url, page_size=5)
    got = {r["sys_id"] for r in read_all(client)}
    assert got == {r["sys_id"] for r in data} - hidden


@pytest.mark.parametrize(
    ("count", "counted"),
    [
        (12, ["true", "true", "true", "false"]),  # 5, 5, 2: the page after the short one counted
        (10, ["true", "true", "true", "false"]),  # 5, 5, empty: then the counted probe
    ],
)
def test_a_read_ends_with_one_request_after_a_short_page(
    stub: Stub, count: int, counted: list[str]
) -> None:
    stub.tables["cmn_location"] = rows(count, same_time_every=1)
    client = make_client(stub.url, page_size=5)
    assert len(read_all(client)) == count
    pages = [r for r in stub.requests if r["path"].endswith("/cmn_location")]
    assert [page["params"]["sysparm_no_count"] for page in pages] == counted


def test_an_ignored_query_fails_instead_of_looping(stub: Stub) -> None:
    stub.tables["cmn_location"] = rows(20)
    stub.ignore_queries = True  # as an instance does with a query part it cannot parse
    client = make_client(stub.url, page_size=5)
    with pytest.raises(ServiceNowError, match="did not advance"):
        read_all(client)


def test_oauth_token_refreshed_on_401_and_secrets_never_shown(
    stub: Stub, caplog: pytest.LogCaptureFixture
) -> None:
    stub.tables["cmn_location"] = rows(20)
    client = make_client(
        stub.url, auth="oauth_password", client_id="client-id", client_secret="cl1ent-s3cret"
    )
    caplog.set_level(logging.DEBUG)
    first = read_all(client)
    stub.tokens.clear()  # the instance forgets every token: next request gets a 401
    stub.faults = [None, "503", "reset"]
    second = read_all(client)
    assert len(first) == len(second) == 20
    bad = make_client(
        stub.url,
        auth="oauth_client_credentials",
        client_id="client-id",
        client_secret="wrong-s3cret-value",
    )
    with pytest.raises(Exception) as error:
        read_all(bad)
    texts = [
        caplog.text,
        repr(client),
        repr(client.settings),
        str(client.settings),
        str(error.value),
        repr(error.value),
        repr(bad.settings),
    ]
    for secret in ("s3cret-pass", "cl1ent-s3cret", "wrong-s3cret-value", "tok-", "refresh-abc"):
        assert not any(secret in text for text in texts), secret


def test_basic_auth_refused_is_final(stub: Stub) -> None:
    client = make_client(stub.url, password="not-the-password")
    with pytest.raises(AuthenticationError, match="401") as error:
        read_all(client)
    assert "not-the-password" not in str(error.value)


def test_pages_share_one_connection(stub: Stub) -> None:
    """Each body is read whole and the connection goes back to the pool: one connection
    serves every page of a read (keep-alive)."""
    stub.tables["cmn_location"] = rows(30)
    client = make_client(stub.url, page_size=7)
    assert len(read_all(client)) == 30
    assert len(stub.requests) >= 5
    pools = client._session().get_adapter(stub.url).poolmanager.pools
    keys = pools.keys()  # urllib3's container of pools refuses to be iterated itself
    assert [pools[key].num_connections for key in keys] == [1]


def test_environment_proxies_and_ca_bundle_are_read_once(monkeypatch, tmp_path) -> None:
    """The environment (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE) is read when a worker's
    session is made, not at every request; the connector's own CA bundle wins."""
    bundle = tmp_path / "corporate.pem"
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    session = make_client("https://acme.service-now.com")._session()
    assert session.trust_env is False
    assert session.proxies["https"] == "http://proxy.corp.example:3128"
    assert session.verify == str(bundle)
    own_bundle = tmp_path / "instance.pem"
    own_bundle.write_text("")
    own = make_client("https://acme.service-now.com", ca_bundle=str(own_bundle))
    assert own._session().verify == str(own_bundle)
    assert "https" not in make_client("https://localhost:8443")._session().proxies


def test_settings_from_env_and_redacted() -> None:
    settings = ServiceNowSettings.from_env(
        {
            "EMPREINTE_SERVICENOW_URL": "https://acme.service-now.com/",
            "EMPREINTE_SERVICENOW_AUTH": "oauth_client_credentials",
            "EMPREINTE_SERVICENOW_CLIENT_ID": "abc",
            "EMPREINTE_SERVICENOW_CLIENT_SECRET": "very-secret",
            "EMPREINTE_SERVICENOW_PAGE_SIZE": "500",
            "EMPREINTE_EXPORTS_DIR": "/data/exports",
        }
    )
    assert settings.url == "https://acme.service-now.com"
    assert settings.page_size == 500 and settings.concurrency == 2 and settings.verify is True
    assert "very-secret" not in repr(settings) and "client_secret='***'" in repr(settings)
    with pytest.raises(SettingsError, match="https"):
        ServiceNowSettings(url="http://acme.service-now.com", user="a", password="b")
    with pytest.raises(SettingsError, match="EMPREINTE_SERVICENOW_PASSWORD"):
        ServiceNowSettings.from_env(
            {"EMPREINTE_SERVICENOW_URL": "https://x.example", "EMPREINTE_SERVICENOW_USER": "a"}
        )
