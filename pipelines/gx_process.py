"""What a process running Great Expectations suites makes once and keeps: the in-memory context,
and the page view that writes each result as HTML.

The landing checks and the mart gates each run their suites in a worker process of their own
(``pipelines.memory.own_process``); GX is imported there, never in the night's own process. A
page view compiles GX's Jinja templates the first time it renders them and keeps them: a view
made for each result compiled them again every time (the 21 tables of a fleet at scale 0.01
were checked in 7.9 s with a view each, 6.3 to 6.8 s with one).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any


@cache
def gx_context() -> Any:
    """One in-memory GX context per process (each one makes a temporary folder)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@cache
def _page_view() -> Any:
    from great_expectations.render.view import DefaultJinjaPageView

    return DefaultJinjaPageView()


def write_html(result: Any, html: Path) -> None:
    """Write GX's own HTML rendering of a validation result to ``html``."""
    from great_expectations.render.renderer import ValidationResultsPageRenderer

    html.parent.mkdir(parents=True, exist_ok=True)
    page = _page_view().render(ValidationResultsPageRenderer().render(result))
    html.write_text(page, encoding="utf-8")
