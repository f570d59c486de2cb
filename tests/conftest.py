"""How `make test` shares the files between its two processes (pytest-xdist, ``--dist
loadfile``: each file whole in one process, so its module fixtures are built once).

- The files that read the shared night of the metropolis (``pipeline_run``, a session fixture
  in ``pipeline/conftest.py``) go to one process together: that night is built once, not once
  in each process.
- The longest files are handed out first: a long file started last would leave the other
  process idle until it ends.
"""

from __future__ import annotations

from typing import Any

import pytest

# The files whose tests use the session's metropolis night; `test_scheduling.py` checks the
# list against the files' source.
SHARED_NIGHT_FILES = frozenset(
    f"tests/pipeline/{name}.py"
    for name in (
        "test_benchmark_builds",
        "test_benchmark_reference",
        "test_bi_views",
        "test_dashboard",
        "test_dbt_unit_tests",
        "test_decision_marts",
        "test_editions",
        "test_end_to_end",
        "test_exports_pipeline",
        "test_factor_lineage",
        "test_report",
        "test_sources",
    )
)
SHARED_NIGHT = "the metropolis night"

# Seconds each of the longest files took in one `make test` (`--durations`, summed per file;
# a fresh clone on 2026-12-04: only their order matters here). Any other file comes after
# them, in collection order.
LONGEST_FILES = {
    SHARED_NIGHT: 367,
    "tests/pipeline/test_incremental_night.py": 217,
    "tests/pipeline/test_decisions_cli.py": 174,
    "tests/pipeline/test_landing_checks.py": 128,
    "tests/pipeline/test_cli.py": 122,
    "tests/pipeline/test_hand_worked_fleet.py": 119,
    "tests/pipeline/test_mart_checks.py": 94,
    "tests/pipeline/test_secrets.py": 78,
    "tests/pipeline/test_publish.py": 38,
    "tests/pipeline/test_definitions.py": 36,
    "tests/pipeline/test_readers.py": 32,
}


def work_unit(nodeid: str) -> str:
    """The unit one process runs whole: the test's file, or the shared night's files."""
    path = nodeid.split("::", 1)[0]
    return SHARED_NIGHT if path in SHARED_NIGHT_FILES else path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest units first; the order inside a unit is kept (a stable sort)."""
    items.sort(key=lambda item: -LONGEST_FILES.get(work_unit(item.nodeid), 0))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile`` with the shared night's files as one unit, in the order above."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedNightScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # xdist would order units by their count of tests
    return SharedNightScheduling(config, log)
