"""Shared fixtures for the connector tests (the fake instance's own tests live in fake/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from servicenow_stub import Stub

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "servicenow"


@pytest.fixture
def stub() -> Stub:
    with Stub() as server:
        yield server


@pytest.fixture
def fixtures_dir() -> Path:
    if not FIXTURES.exists():
        pytest.skip(f"shared fixtures not found at {FIXTURES} (CI keeps shared/ beside the clone)")
    return FIXTURES
