"""The reliability and security suite (`make test-reliability`): every test records its figures
here; at the end of the session they are printed and written as JSON under
``benchmarks/results/`` (docs/reliability.md quotes them)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results"
FIGURES: dict[str, dict[str, Any]] = defaultdict(dict)


class Figures:
    """One part's figures (counts add up across tests)."""

    def __init__(self, part: str) -> None:
        self.part = FIGURES[part]

    def add(self, name: str, amount: float = 1) -> None:
        self.part[name] = self.part.get(name, 0) + amount

    def set(self, name: str, value: Any) -> None:
        self.part[name] = value

    def most(self, name: str, value: float) -> None:
        self.part[name] = max(self.part.get(name, value), value)


@pytest.fixture(scope="session")
def figures() -> type[Figures]:
    """``figures("fault_matrix").add("trials")``."""
    return Figures


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for part, values in FIGURES.items():
        for name, value in sorted(values.items()):
            terminalreporter.write_line(f"{part:<14} {name:<44} {value}")
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC)
    path = RESULTS / f"reliability-{stamp:%Y-%m-%dT%H%M}.json"
    path.write_text(
        json.dumps(
            {"run_at": stamp.isoformat(timespec="seconds"), **FIGURES}, indent=1, default=str
        )
    )
    terminalreporter.write_line(f"written {path}")
