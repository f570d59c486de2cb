"""Shared fixtures for the connector tests (the fake instance's own tests live in fake/)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from servicenow_stub import Stub

from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.settings import ServiceNowSettings

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "servicenow"


@pytest.fixture
def stub() -> Stub:
    with Stub() as server:
        yield server


def make_client(url: str, **overrides: object) -> ServiceNowClient:
    """A client with test-friendly timeouts and no real backoff sleeps."""
    values = {
        "url": url,
        "user": "reader",
        "password": "s3cret-pass",
        "page_size": 7,
        "timeout_seconds": 5.0,
        "max_attempts": 4,
        "lookback_minutes": 0,
    }
    values.update(overrides)
    return ServiceNowClient(
        ServiceNowSettings(**values), backoff_seconds=0.01, backoff_cap_seconds=0.05
    )


@pytest.fixture
def fixtures_dir() -> Path:
    if not FIXTURES.exists():
        pytest.skip(f"shared fixtures not found at {FIXTURES} (CI keeps shared/ beside the clone)")
    return FIXTURES
