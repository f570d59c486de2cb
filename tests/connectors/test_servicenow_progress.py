"""Progress line and JSON-lines logs."""

from __future__ import annotations

import io
import json
import logging

from connectors.servicenow.progress import JsonLinesFormatter, Progress


def test_progress_line_and_json_events() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(log_stream := io.StringIO())
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("empreinte.connectors.servicenow")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        progress = Progress(stream, interactive=True)
        progress.start("alm_hardware", total=1000, full=True)
        progress.advance("alm_hardware", 250)
        assert "250 rows, 1 pages" in progress.line("alm_hardware")
        assert "25% of ~1,000, ETA" in progress.line("alm_hardware")
        progress.finish("alm_hardware", {"rows": 250})
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().endswith("\n")
    events = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    assert [e["event"] for e in events] == ["extract_started", "extract_finished"]
    assert events[1]["rows"] == 250 and events[1]["table"] == "alm_hardware"
