"""Progress of an extraction: a live line on a terminal, JSON log lines for scheduled runs.

``Progress`` draws rows, pages, rate and ETA per table on stderr when stderr is a terminal;
every run also emits structured log records (``logging``, logger
``empreinte.connectors.servicenow``) that :class:`JsonLinesFormatter` renders one JSON object
per line for schedulers and log collectors.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO

log = logging.getLogger("empreinte.connectors.servicenow")

# Attributes every LogRecord has; anything else was passed through ``extra=`` and is data.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            payload["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(payload, default=str, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Send the connector's logs as JSON lines to ``stream`` (stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("empreinte")
    logger.handlers = [handler]
    logger.setLevel(level)
    logger.propagate = False


class Progress:
    """Per-table counters, drawn on one terminal line and logged as events."""

    def __init__(self, stream: TextIO | None = None, interactive: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self._tables: dict[str, dict[str, float]] = {}
        self._drawn = 0.0

    def start(self, table: str, total: int | None = None, full: bool = False) -> None:
        """A table's read begins; ``total`` (if known) gives the ETA."""
        self._tables[table] = {
            "rows": 0,
            "pages": 0,
            "total": total or 0,
            "start": time.monotonic(),
        }
        log.info(
            "%s: extraction started",
            table,
            extra={"event": "extract_started", "table": table, "full": full, "total": total},
        )

    def advance(self, table: str, rows: int, pages: int = 1) -> None:
        """More rows read."""
        counters = self._tables.setdefault(
            table, {"rows": 0, "pages": 0, "total": 0, "start": time.monotonic()}
        )
        counters["rows"] += rows
        counters["pages"] += pages
        now = time.monotonic()
        if self.interactive and now - self._drawn > 0.2:
            self._drawn = now
            self.stream.write("\r\x1b[2K" + self.line(table))
            self.stream.flush()

    def line(self, table: str) -> str:
        """The human line for a table: rows, pages, rate, ETA."""
        counters = self._tables[table]
        elapsed = max(time.monotonic() - counters["start"], 1e-6)
        rate = counters["rows"] / elapsed
        rows, pages = int(counters["rows"]), int(counters["pages"])
        text = f"{table}: {rows:,} rows, {pages} pages, {rate:,.0f} rows/s"
        total = counters["total"]
        if total and rate > 0:
            remaining = max(total - counters["rows"], 0) / rate
            text += (
                f", {counters['rows'] / total:.0%} of ~{int(total):,}, ETA {_duration(remaining)}"
            )
        return text

    def finish(self, table: str, summary: dict[str, Any]) -> None:
        """A table is done (or failed): final line and a log event with the summary."""
        if self.interactive and table in self._tables:
            self.stream.write("\r\x1b[2K" + self.line(table) + "\n")
            self.stream.flush()
        log.info(
            "%s: extraction finished",
            table,
            extra={"event": "extract_finished", "table": table, **summary},
        )


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s"
