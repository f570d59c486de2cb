"""ServiceNow connection settings, read from the environment only.

Secrets (password, client secret) never appear in ``repr``, logs or exception texts: the
``__repr__`` below redacts them, and nothing else in the connector formats them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

AUTH_MODES: tuple[str, ...] = ("basic", "oauth_password", "oauth_client_credentials")
_SECRET_FIELDS = frozenset({"password", "client_secret"})
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class SettingsError(ValueError):
    """A missing or invalid setting, named by its environment variable."""


@dataclass(frozen=True, repr=False)
class ServiceNowSettings:
    """Everything the client needs to reach one instance."""

    url: str
    auth: str = "basic"
    user: str | None = None
    password: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    page_size: int = 1000
    concurrency: int = 2
    lookback_minutes: int = 60
    timeout_seconds: float = 60.0
    max_attempts: int = 6
    ca_bundle: str | None = None
    exports_dir: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", self.url.rstrip("/"))
        parts = urlsplit(self.url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise SettingsError(
                f"EMPREINTE_SERVICENOW_URL must be an https:// URL, got {self.url!r}"
            )
        if parts.scheme == "http" and parts.hostname not in _LOCAL_HOSTS:
            # Credentials must never travel in clear text; plain HTTP is for a local fake only.
            raise SettingsError(
                "EMPREINTE_SERVICENOW_URL must use https:// (http only for localhost)"
            )
        if self.auth not in AUTH_MODES:
            raise SettingsError(f"EMPREINTE_SERVICENOW_AUTH must be one of {', '.join(AUTH_MODES)}")
        needed = {
            "basic": ("user", "password"),
            "oauth_password": ("user", "password", "client_id", "client_secret"),
            "oauth_client_credentials": ("client_id", "client_secret"),
        }[self.auth]
        missing = [
            f"EMPREINTE_SERVICENOW_{name.upper()}" for name in needed if not getattr(self, name)
        ]
        if missing:
            raise SettingsError(f"auth {self.auth} needs {', '.join(missing)}")
        for name, low in (("page_size", 1), ("concurrency", 1), ("max_attempts", 1)):
            if getattr(self, name) < low:
                raise SettingsError(f"EMPREINTE_SERVICENOW_{name.upper()} must be >= {low}")
        if self.lookback_minutes < 0 or self.timeout_seconds <= 0:
            raise SettingsError("lookback must be >= 0 and timeout > 0")
        if self.ca_bundle is not None and not Path(self.ca_bundle).exists():
            raise SettingsError(f"EMPREINTE_SERVICENOW_CA_BUNDLE: no file at {self.ca_bundle}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceNowSettings:
        """Build settings from ``EMPREINTE_SERVICENOW_*`` and ``EMPREINTE_EXPORTS_DIR``."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"EMPREINTE_SERVICENOW_{name}", "").strip()
            return value or None

        def number(name: str, default: float, kind: type = int) -> float:
            raw = get(name)
            if raw is None:
                return default
            try:
                return kind(raw)
            except ValueError:
                raise SettingsError(f"EMPREINTE_SERVICENOW_{name} must be a number") from None

        url = get("URL")
        if url is None:
            raise SettingsError("EMPREINTE_SERVICENOW_URL is not set")
        exports = env.get("EMPREINTE_EXPORTS_DIR", "").strip()
        return cls(
            url=url,
            auth=(get("AUTH") or "basic").lower(),
            user=get("USER"),
            password=get("PASSWORD"),
            client_id=get("CLIENT_ID"),
            client_secret=get("CLIENT_SECRET"),
            page_size=int(number("PAGE_SIZE", 1000)),
            concurrency=int(number("CONCURRENCY", 2)),
            lookback_minutes=int(number("LOOKBACK_MINUTES", 60)),
            timeout_seconds=float(number("TIMEOUT_SECONDS", 60.0, float)),
            max_attempts=int(number("MAX_ATTEMPTS", 6)),
            ca_bundle=get("CA_BUNDLE"),
            exports_dir=Path(exports) if exports else None,
        )

    @property
    def verify(self) -> str | bool:
        """What ``requests`` verifies TLS with: the CA bundle if set, else the system store."""
        return self.ca_bundle or True

    def __repr__(self) -> str:
        shown = []
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in _SECRET_FIELDS and value is not None:
                value = "***"
            shown.append(f"{item.name}={value!r}")
        return f"ServiceNowSettings({', '.join(shown)})"

    __str__ = __repr__
