"""The test run is split between two processes (`make test`: pytest-xdist, `--dist loadgroup`).
Each test file stays whole in one process, so its module fixtures (a night each) are built
once; the files that read the shared metropolis night (`pipeline_run`) go together, so that
night is built once too."""

from __future__ import annotations

import pytest

SHARED_NIGHT = ("pipeline_run", "pipeline_environment")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        shares = any(name in getattr(item, "fixturenames", ()) for name in SHARED_NIGHT)
        group = "metropolis" if shares else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
