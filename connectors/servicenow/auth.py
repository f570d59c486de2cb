"""Authentication: HTTP basic, or OAuth 2 tokens from ``/oauth_token.do``.

An authenticator hands out the ``Authorization`` header value for each request. OAuth tokens are
fetched lazily, refreshed shortly before they expire, and refreshed once more when the instance
answers 401. It is shared by all worker threads (one token for the whole client), guarded by a
lock. No secret or token is ever put in a log record or an exception message.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from typing import Protocol

import requests

from connectors.servicenow.settings import ServiceNowSettings

# Refresh this many seconds before the instance says the token expires.
_EXPIRY_MARGIN_SECONDS = 60.0


class AuthenticationError(RuntimeError):
    """The instance refused the credentials (the message never carries them)."""


class Authenticator(Protocol):
    """Gives the Authorization header; can be told a header was refused."""

    def header(self) -> str: ...

    def refused(self, header: str) -> bool:
        """Called on a 401; True if a new attempt with a fresh header is worth making."""
        ...


class BasicAuthenticator:
    """HTTP basic: nothing to refresh, a 401 is final."""

    def __init__(self, user: str, password: str) -> None:
        self._value = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def header(self) -> str:
        return self._value

    def refused(self, header: str) -> bool:
        return False

    def __repr__(self) -> str:
        return "BasicAuthenticator(***)"


class OAuthAuthenticator:
    """OAuth 2 password or client-credentials grant, with refresh tokens when given."""

    def __init__(
        self,
        settings: ServiceNowSettings,
        session_factory: type[requests.Session] = requests.Session,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._session = session_factory()
        self._clock = clock
        self._lock = threading.Lock()
        self._access: str | None = None
        self._refresh: str | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"OAuthAuthenticator(grant={self._settings.auth!r}, token=***)"

    def header(self) -> str:
        with self._lock:
            if self._access is None or self._clock() >= self._expires_at:
                self._renew()
            return f"Bearer {self._access}"

    def refused(self, header: str) -> bool:
        with self._lock:
            if header == f"Bearer {self._access}":
                # Only the first thread to see the refusal renews; the others reuse its token.
                self._access = None
                self._renew()
            return True

    def _renew(self) -> None:
        if self._refresh:
            try:
                self._fetch({"grant_type": "refresh_token", "refresh_token": self._refresh})
                return
            except AuthenticationError:
                self._refresh = None  # expired refresh token: fall back to the main grant
        settings = self._settings
        form = {"grant_type": "client_credentials"}
        if settings.auth == "oauth_password":
            form = {
                "grant_type": "password",
                "username": settings.user,
                "password": settings.password,
            }
        self._fetch(form)

    def _fetch(self, form: dict[str, str | None]) -> None:
        settings = self._settings
        form = {**form, "client_id": settings.client_id, "client_secret": settings.client_secret}
        grant = form["grant_type"]
        last = "no answer"
        for attempt in range(1, settings.max_attempts + 1):
            try:
                response = self._session.post(
                    f"{settings.url}/oauth_token.do",
                    data=form,
                    headers={"Accept": "application/json"},
                    timeout=settings.timeout_seconds,
                    verify=settings.verify,
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                last = type(error).__name__
            else:
                if response.status_code == 200:
                    try:
                        body = response.json()
                        self._access = str(body["access_token"])
                    except (ValueError, KeyError, TypeError):
                        last = "unreadable token answer"
                    else:
                        self._refresh = body.get("refresh_token") or self._refresh
                        lifetime = float(body.get("expires_in") or 1800)
                        margin = min(_EXPIRY_MARGIN_SECONDS, lifetime / 2)
                        self._expires_at = self._clock() + lifetime - margin
                        return
                elif response.status_code in (400, 401, 403):
                    raise AuthenticationError(
                        f"OAuth {grant} grant refused by /oauth_token.do "
                        f"(HTTP {response.status_code}): check the client id/secret and user"
                    )
                else:
                    last = f"HTTP {response.status_code}"
            time.sleep(min(2 ** (attempt - 1) * 0.2, 5.0))
        raise AuthenticationError(f"OAuth {grant} grant failed on /oauth_token.do: {last}")


def make_authenticator(settings: ServiceNowSettings) -> Authenticator:
    """The authenticator for ``settings.auth``."""
    if settings.auth == "basic":
        return BasicAuthenticator(settings.user or "", settings.password or "")
    return OAuthAuthenticator(settings)
