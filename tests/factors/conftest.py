"""Fixtures for the factor library tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from factor_lake import build_lake


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a test that takes more than a second or two")


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    """A small lake holding the fake instance's model names, one asset per model."""
    return build_lake(tmp_path)
