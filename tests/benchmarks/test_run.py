"""The benchmark's figures for a night that failed: recorded, never turned into a ratio."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.run import _incremental_night, print_table

PASSED = {"wall_s": 8000.0, "steps_s": {"dbt_build": 6000.0}}
# As the eighth L night left it: the pipeline's disk check refused the incremental night.
REFUSED = {"wall_s": 27.0, "steps_s": {}, "failed": "about 45.8 GB needed"}


def incremental(full: dict[str, Any], night: dict[str, Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {"scale": 100.0, "night": full}
    saved: list[dict[str, Any]] = []
    _incremental_night("L", figures, night, saved.append)
    assert saved == [figures]
    return figures


def table(capsys: pytest.CaptureFixture[str], figures: dict[str, Any]) -> dict[str, str]:
    """The printed table's cells for one scale, by row label."""
    print_table({"L": figures})
    lines = capsys.readouterr().out.splitlines()[2:]
    return {line[:28].strip(): line[28:].strip() for line in lines}


def test_a_refused_incremental_night_is_reported_failed_with_no_ratio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = incremental(PASSED, REFUSED)

    assert figures["incremental_night"] is REFUSED
    assert "incremental_vs_full_night" not in figures
    cells = table(capsys, figures)
    assert cells["incremental night s"] == "failed"
    assert cells["incremental / full"] == "-"
    assert cells["night: wall s"] == "8,000"


def test_no_ratio_after_a_failed_full_night(capsys: pytest.CaptureFixture[str]) -> None:
    failed_full = PASSED | {"failed": "Out of Memory Error"}
    figures = incremental(failed_full, PASSED)

    assert "incremental_vs_full_night" not in figures
    cells = table(capsys, figures)
    assert cells["night: wall s"] == "failed"
    assert cells["incremental / full"] == "-"


def test_two_passed_nights_give_their_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    figures = incremental(PASSED, {"wall_s": 1600.0, "steps_s": {}})

    assert figures["incremental_vs_full_night"] == pytest.approx(0.2)
    cells = table(capsys, figures)
    assert cells["incremental night s"] == "1,600"
    assert cells["incremental / full"] == "0.20"
