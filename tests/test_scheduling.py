"""The sharing of test files between `make test`'s two processes (``tests/conftest.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import LONGEST_FILES, SHARED_NIGHT, SHARED_NIGHT_FILES, work_unit

ROOT = Path(__file__).parents[1]


def test_the_shared_night_files_are_every_file_that_reads_it() -> None:
    """A file added with a test on the shared night (``pipeline_run``, or ``restated_run``
    built from it) must join the list, or the night is built again in the other process."""
    readers = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if path != Path(__file__) and re.search(r"\b(pipeline|restated)_run\b", path.read_text())
    }
    assert readers == SHARED_NIGHT_FILES


def test_the_shared_night_is_one_unit_and_the_longest_units_go_first() -> None:
    units = {work_unit(f"{path}::test_x") for path in SHARED_NIGHT_FILES}
    assert units == {SHARED_NIGHT}
    assert work_unit("tests/pipeline/test_cli.py::test_x[a::b]") == "tests/pipeline/test_cli.py"
    assert max(LONGEST_FILES, key=LONGEST_FILES.get) == SHARED_NIGHT
    assert all((ROOT / path).is_file() for path in LONGEST_FILES if path != SHARED_NIGHT)
