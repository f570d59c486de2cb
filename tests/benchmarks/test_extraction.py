"""The extraction benchmark's read: every row from the fake's forked copies, and a paced page's
time counted as the server's."""

from __future__ import annotations

from pathlib import Path

from benchmarks.extraction import FakeProcess, measure
from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.tables import TABLES

SCALE = 0.01


def test_a_paced_read_lands_every_row_and_counts_each_pace_as_the_servers(tmp_path: Path) -> None:
    pace = 0.05
    with FakeProcess(SCALE, processes=2, page_seconds=pace) as fake:
        figures = measure(fake, tmp_path)
    with FakeInstance(seed=42, scale=SCALE) as reference:
        expected = sum(len(reference.store.records(spec.name)) for spec in TABLES)
    assert figures["rows"] == expected
    assert figures["fake_processes"] == 2
    # Every answer of the read is a page, each held ``pace`` by the server before it answers.
    assert figures["server_page_s"] >= pace * figures["pages"]
    assert figures["server_page_cpu_s"] < figures["server_page_s"]
