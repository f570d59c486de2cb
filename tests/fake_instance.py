"""Reusable fixtures for tests that need a fake ServiceNow instance over real HTTP.

Import the fixtures into a test module or a conftest.py::

    from tests.fake_instance import fake_instance, fake_session  # noqa: F401

``fake_instance`` is a factory: ``fake = fake_instance(scale=0.05, faults="500@2")`` starts an
instance (stopped at the end of the test); any ``FakeInstance`` keyword is accepted.
``fake_session(fake)`` is a ``requests.Session`` authenticated against it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from connectors.servicenow.fake import DEFAULT_PASSWORD, DEFAULT_USER, FakeInstance

# Small enough to start in well under a second, big enough for several pages of every table.
TEST_SCALE = 0.05


@pytest.fixture
def fake_instance() -> Iterator[Callable[..., FakeInstance]]:
    """A factory starting fake instances (default scale 0.05), all stopped after the test."""
    started: list[FakeInstance] = []

    def start(**options: Any) -> FakeInstance:
        options.setdefault("scale", TEST_SCALE)
        instance = FakeInstance(**options).start()
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.stop()


@pytest.fixture
def fake_session() -> Iterator[Callable[[FakeInstance], requests.Session]]:
    """A factory of requests sessions using basic auth on a fake instance."""
    sessions: list[requests.Session] = []

    def session(instance: FakeInstance) -> requests.Session:
        client = requests.Session()
        client.auth = (instance.user, instance.password)
        sessions.append(client)
        return client

    yield session
    for client in sessions:
        client.close()


__all__ = ["DEFAULT_PASSWORD", "DEFAULT_USER", "TEST_SCALE", "fake_instance", "fake_session"]
