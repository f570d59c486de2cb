"""Helpers comparing what the connector landed with what the fake instance holds."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from connectors import lake
from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.fake import DEFAULT_PASSWORD, DEFAULT_USER, FakeInstance
from connectors.servicenow.tables import TableSpec
from tests.connectors.servicenow_stub import make_client


def fake_client(fake: FakeInstance, **overrides: object) -> ServiceNowClient:
    """A client on the fake: its credentials, pages of 100 rows, a 0.6 s timeout."""
    settings = {
        "user": DEFAULT_USER,
        "password": DEFAULT_PASSWORD,
        "page_size": 100,
        "timeout_seconds": 0.6,
    }
    return make_client(fake.url, **(settings | overrides))


def landed_state(lake_dir: Path, spec: TableSpec) -> dict[str, dict[str, str | None]]:
    """The deduplicated current rows of a table in the lake, on the spec's columns."""
    frame = lake.latest_rows(lake.read_table(lake_dir, "servicenow", spec.name))
    if frame.is_empty():
        return {}
    return {row[spec.key]: {c: row.get(c) for c in spec.columns} for row in frame.to_dicts()}


def instance_state(
    fake: FakeInstance, spec: TableSpec, hidden: set[str] | frozenset = frozenset()
) -> dict[str, dict[str, str | None]]:
    """The instance's rows as the integration user may see them, on the spec's columns."""
    return {
        record[spec.key]: {c: record.get(c) for c in spec.columns}
        for record in fake.store.records(spec.name)
        if record[spec.key] not in hidden
    }


def frame_state(frame: pl.DataFrame, spec: TableSpec) -> dict[str, dict[str, str | None]]:
    """A staged frame keyed like ``landed_state``."""
    return {row[spec.key]: {c: row.get(c) for c in spec.columns} for row in frame.to_dicts()}
