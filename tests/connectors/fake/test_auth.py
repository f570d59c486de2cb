"""Authentication (basic, OAuth) and per-user rate limits."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from connectors.servicenow.fake import FakeInstance
from tests.fake_instance import fake_instance  # noqa: F401 (pytest fixture)

MakeFake = Callable[..., FakeInstance]


def table_url(fake: FakeInstance) -> str:
    return f"{fake.url}/api/now/table/cmdb_model_category"


def token(fake: FakeInstance, **form: str) -> requests.Response:
    form = {"client_id": fake.client_id, "client_secret": fake.client_secret, **form}
    return requests.post(f"{fake.url}/oauth_token.do", data=form, timeout=5)


def test_basic_auth_failures(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(password="s3cret")
    for auth in (None, ("empreinte", "wrong"), ("someone", "s3cret")):
        response = requests.get(table_url(fake), auth=auth, timeout=5)
        assert response.status_code == 401
        assert response.json() == {
            "error": {
                "message": "User Not Authenticated",
                "detail": "Required to provide Auth information",
            },
            "status": "failure",
        }
    assert requests.get(table_url(fake), auth=("empreinte", "s3cret"), timeout=5).ok


def test_oauth_password_grant_and_refresh(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    granted = token(fake, grant_type="password", username=fake.user, password=fake.password)
    body = granted.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 1799
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert requests.get(table_url(fake), headers=bearer, timeout=5).ok
    refreshed = token(fake, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.ok and refreshed.json()["access_token"] != body["access_token"]
    assert token(fake, grant_type="client_credentials").ok


def test_oauth_refusals(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance()
    assert (
        token(fake, grant_type="password", username=fake.user, password="wrong").status_code == 401
    )
    assert token(fake, grant_type="refresh_token", refresh_token="nope").status_code == 401
    wrong_client = requests.post(
        f"{fake.url}/oauth_token.do",
        timeout=5,
        data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
    )
    assert wrong_client.status_code == 401
    bogus = {"Authorization": "Bearer not-a-token"}
    assert requests.get(table_url(fake), headers=bogus, timeout=5).status_code == 401


def test_expired_token_is_refused(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(token_ttl=0.3)
    bearer = {"Authorization": f"Bearer {fake.issue_token()}"}
    assert requests.get(table_url(fake), headers=bearer, timeout=5).ok
    time.sleep(0.4)
    expired = requests.get(table_url(fake), headers=bearer, timeout=5)
    assert expired.status_code == 401
    assert expired.json()["error"]["message"] == "User Not Authenticated"


def test_rate_limit_per_user(fake_instance: MakeFake) -> None:  # noqa: F811
    fake = fake_instance(rate_limit_per_hour=3, rate_limit_window=1.0)
    auth = (fake.user, fake.password)
    answers = [requests.get(table_url(fake), auth=auth, timeout=5) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0].headers["X-RateLimit-Limit"] == "3"
    assert int(answers[0].headers["X-RateLimit-Reset"]) >= int(time.time())
    assert answers[0].headers["X-RateLimit-Rule"]
    assert int(answers[3].headers["Retry-After"]) >= 1
    assert answers[3].json()["status"] == "failure"
    time.sleep(1.05)
    assert requests.get(table_url(fake), auth=auth, timeout=5).ok
