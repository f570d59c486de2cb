"""How the report and the dashboard write figures: each language's separators, and a figure that
rounds to zero written 0, never "-0"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.reporting.messages import number, percent


@pytest.mark.parametrize(
    ("value", "language", "digits", "written"),
    [
        (12345.64, "fr", 1, "12\u202f345,6"),
        (12345.64, "en", 1, "12,345.6"),
        (-0.04, "fr", 1, "0,0"),
        (-0.04, "en", 1, "0.0"),
        (-0.06, "en", 1, "-0.1"),
        # DuckDB gives DECIMAL columns as Decimals.
        (Decimal("-0.04"), "fr", 1, "0,0"),
        (Decimal("1234.56"), "en", 1, "1,234.6"),
        (None, "en", 1, "—"),
    ],
)
def test_number(value: float | None, language: str, digits: int, written: str) -> None:
    assert number(value, language, digits) == written


@pytest.mark.parametrize(
    ("share", "language", "written"),
    [
        (0.38, "fr", "38\u202f%"),
        (0.38, "en", "38%"),
        # A change of -0.3 % (the trend table's acquisition row) is 0 %.
        (-0.003, "fr", "0\u202f%"),
        (-0.003, "en", "0%"),
        (-0.126, "en", "-13%"),
        (None, "fr", "—"),
    ],
)
def test_percent(share: float | None, language: str, written: str) -> None:
    assert percent(share, language) == written
