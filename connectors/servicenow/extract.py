"""Extraction of ServiceNow tables into the lake, incrementally and restartably.

``extract_table`` reads a table by keyset pages (optionally as several sys_id ranges at once),
lands bounded batches, and advances the table's watermark after each durable batch. A kill at
any moment loses at most the rows of the batch being built; the rerun starts again from the
last stored watermark (minus the lookback) and, because staging deduplicates, converges to the
same current state.

The watermark is a position ``(sys_updated_on, sys_id)`` such that every row at or before it
has been landed. With several ranges it is the smallest position any range has landed (a range
that ended with no row constrains nothing). A row changed during the read gets a
``sys_updated_on`` later than anything read so far, so it lands now or on the next run; the
lookback covers clock skew and transactions committed late.
"""

from __future__ import annotations

import functools
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from connectors import lake, quarantine
from connectors.servicenow.auth import AuthenticationError
from connectors.servicenow.client import (
    Page,
    Position,
    ServiceNowClient,
    ServiceNowError,
    check_position,
    key_ranges,
)
from connectors.servicenow.drift import DriftReport, DriftTracker
from connectors.servicenow.progress import Progress
from connectors.servicenow.rules import SOURCE, land_table_batch
from connectors.servicenow.settings import ServiceNowSettings
from connectors.servicenow.tables import TABLES, TableSpec
from connectors.state import StateStore

log = logging.getLogger("empreinte.connectors.servicenow")

BATCH_ROWS = 50_000
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass
class ExtractionReport:
    """What one extraction of one table did."""

    table: str
    full: bool
    rows: int = 0
    rows_rejected: int = 0
    cells_flagged: int = 0
    pages: int = 0
    batches: int = 0
    seconds: float = 0.0
    watermark_before: Position | None = None
    watermark_after: Position | None = None
    drift: DriftReport = field(default_factory=DriftReport)
    files: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict[str, Any]:
        """Plain data for run metadata and logs (no secrets can be in here)."""
        return {
            "table": self.table,
            "full": self.full,
            "rows": self.rows,
            "rows_rejected": self.rows_rejected,
            "cells_flagged": self.cells_flagged,
            "pages": self.pages,
            "batches": self.batches,
            "seconds": round(self.seconds, 3),
            "watermark_before": list(self.watermark_before) if self.watermark_before else None,
            "watermark_after": list(self.watermark_after) if self.watermark_after else None,
            "drift": self.drift.as_dict(),
        }


def read_watermark(state: StateStore, table: str) -> Position | None:
    """The stored watermark of a table, or None before its first load (or when the stored one
    is not a valid position: then the table is read in full, which is always safe)."""
    saved = state.get("watermarks", table)
    if not saved:
        return None
    position = (str(saved.get("sys_updated_on", "")), str(saved.get("sys_id", "")))
    try:
        return check_position(table, position)
    except ServiceNowError as error:
        log.warning(
            "%s; reading the table in full",
            error,
            extra={"event": "watermark_invalid", "table": table},
        )
        return None


def rewind_watermark(state: StateStore, table: str, position: Position | None) -> None:
    """Put a table's watermark back (its last batches were quarantined: read them again)."""

    def change(current: dict[str, Any]) -> None:
        marks = current.setdefault("watermarks", {})
        if position is None:
            marks.pop(table, None)
        else:
            marks[table] = {"sys_updated_on": position[0], "sys_id": position[1]}

    state.update(change)


def _with_lookback(position: Position, minutes: int) -> Position:
    if minutes <= 0:
        return position
    moment = datetime.strptime(position[0], _TIME_FORMAT)
    return ((moment - timedelta(minutes=minutes)).strftime(_TIME_FORMAT), "")


class _Ranges:
    """Where each sys_id range stands: landed position, pending position, whether it ended."""

    def __init__(self, count: int, start: Position | None) -> None:
        self.landed: list[Position | None] = [start] * count
        self.pending: list[Position | None] = [start] * count
        self.ended: list[str | bool | None] = [False] * count  # False = running
        self.ended_pending: list[str | bool | None] = [False] * count

    def commit(self) -> None:
        self.landed = list(self.pending)
        self.ended = list(self.ended_pending)

    def watermark(self) -> Position | None:
        bounds: list[Position] = []
        for landed, ended in zip(self.landed, self.ended, strict=True):
            if landed is None:
                if not ended:
                    return None  # a range still running has landed nothing: no safe position
                continue  # a range that ended empty constrains nothing
            bounds.append(landed)
        return min(bounds) if bounds else None


def extract_table(
    client: ServiceNowClient,
    spec: TableSpec,
    lake_dir: Path | str,
    state: StateStore | None = None,
    *,
    full: bool = False,
    ranges: int | None = None,
    batch_rows: int = BATCH_ROWS,
    lookback_minutes: int | None = None,
    page_size: int | None = None,
    progress: Progress | None = None,
) -> ExtractionReport:
    """Extract one table into ``<lake>/servicenow/<table>/``; return what was done.

    ``full`` (or no stored watermark) reads everything; otherwise rows changed since the
    watermark minus the lookback. ``ranges`` splits the read into sys_id ranges read in parallel
    (default: the client's concurrency for a full read, 1 for an incremental one).
    """
    state = state or StateStore(lake_dir, SOURCE)
    read = _plan_read(client, spec, lake_dir, state, full, ranges, lookback_minutes, page_size)
    return _extract_read(client, spec, lake_dir, state, read, batch_rows, progress or Progress())


@dataclass
class _Read:
    """A table's read as planned before its first request: the stored watermark, whether it
    reads everything, where it starts, its sys_id ranges and their pages (started ahead of
    time when ``pages`` is a ``_ReadAhead``)."""

    before: Position | None
    full: bool
    start: Position | None
    filters: list[str]
    pages: Generator[tuple[int, Page], None, None] | _ReadAhead


def _plan_read(
    client: ServiceNowClient,
    spec: TableSpec,
    lake_dir: Path | str,
    state: StateStore,
    full: bool,
    ranges: int | None = None,
    lookback_minutes: int | None = None,
    page_size: int | None = None,
) -> _Read:
    lake.remove_temporary_files(lake.table_dir(lake_dir, SOURCE, spec.name))
    before = read_watermark(state, spec.name)
    full = full or before is None
    lookback = client.settings.lookback_minutes if lookback_minutes is None else lookback_minutes
    start = None if full else _with_lookback(before, lookback)
    filters = key_ranges(ranges or (client.settings.concurrency if full else 1), spec.key)
    pages = _read_ranges(client, spec, filters, start, page_size)
    return _Read(before, full, start, filters, pages)


class _ReadAhead:
    """A read whose first page is asked for now, in a thread of its own, while the caller does
    something else (``extract_all``: lands the previous table's last batch). Its pages then
    come in the caller's thread, the first one included, and so do its errors."""

    def __init__(self, pages: Generator[tuple[int, Page], None, None]) -> None:
        self._pages = pages
        self._first: list[tuple[int, Page]] = []
        self._error: BaseException | None = None
        self._asking = threading.Thread(target=self._ask, daemon=True, name="read-ahead")
        self._asking.start()

    def _ask(self) -> None:
        try:
            self._first.extend(itertools.islice(self._pages, 1))
        except BaseException as error:  # raised in the caller's thread, in its turn
            self._error = error

    def __iter__(self) -> Iterator[tuple[int, Page]]:
        self._asking.join()
        if self._error is not None:
            raise self._error
        yield from self._first
        yield from self._pages

    def close(self) -> None:
        self._asking.join()
        self._pages.close()


def _extract_read(
    client: ServiceNowClient,
    spec: TableSpec,
    lake_dir: Path | str,
    state: StateStore,
    read: _Read,
    batch_rows: int,
    progress: Progress,
    read_done: Callable[[], None] | None = None,
) -> ExtractionReport:
    """``extract_table`` of a planned read; ``read_done`` is called once every page is read,
    before the last batch lands."""
    started = time.monotonic()
    before, full, start, filters = read.before, read.full, read.start, read.filters
    report = ExtractionReport(spec.name, full, watermark_before=before, watermark_after=before)
    drift = DriftTracker(spec, state.get("columns", spec.name))
    positions = _Ranges(len(filters), start)
    buffer: list[pl.DataFrame] = []
    buffered = 0

    def flush() -> None:
        nonlocal buffered
        if buffer:
            landed = land_table_batch(
                lake.concat_batches(buffer),
                spec,
                lake_dir,
                keep_empty=not lake.batches(lake_dir, SOURCE, spec.name),
            )
            if landed.path is not None:
                report.files.append(str(landed.path))
                report.batches += 1
            report.rows_rejected += landed.rows_rejected
            report.cells_flagged += landed.cells_flagged
            if landed.rows_rejected:
                _log_rejects(spec.name, landed.rejects)
            buffer.clear()
            buffered = 0
        positions.commit()
        new = positions.watermark()
        if new is not None and (report.watermark_after is None or new > report.watermark_after):
            check_position(spec.name, new, spec.cursor, spec.key)  # never store a bad cursor
            report.watermark_after = new
            columns = drift.landed_columns()

            def record(current: dict[str, Any]) -> None:
                current.setdefault("watermarks", {})[spec.name] = {
                    "sys_updated_on": new[0],
                    "sys_id": new[1],
                    "landed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
                current.setdefault("columns", {})[spec.name] = columns

            state.update(record)

    total = client.count(spec.name) if progress.interactive and full else None
    progress.start(spec.name, total, full)
    pages = read.pages
    try:
        for index, page in pages:
            if page.records:
                frame = drift.frame(page.records)
                buffer.append(frame)
                buffered += frame.height
                report.rows += frame.height
                report.pages += 1
                last = frame.row(frame.height - 1, named=True)
                positions.pending[index] = (last[spec.cursor], last[spec.key])
                progress.advance(spec.name, frame.height)
                if buffered >= batch_rows:
                    flush()
            else:
                positions.ended_pending[index] = True
        if report.rows == 0 and not lake.batches(lake_dir, SOURCE, spec.name):
            # First run on an empty table: one empty batch so read_parquet globs find a file.
            buffer.append(pl.DataFrame(schema={name: pl.String for name in spec.columns}))
        if read_done is not None:
            read_done()
        flush()
    except BaseException:
        flush()  # what was read is valid: land it and keep the progress
        raise
    finally:
        pages.close()
        report.drift = drift.report()
        report.seconds = time.monotonic() - started
        progress.finish(spec.name, report.as_metadata())
    quarantine.ensure_schema_files(lake_dir)
    if not report.drift.is_empty:
        log.warning(
            "%s: schema drift %s",
            spec.name,
            report.drift.as_dict(),
            extra={"event": "schema_drift", "table": spec.name, **report.drift.as_dict()},
        )
    return report


def _log_rejects(table: str, rejects: pl.DataFrame) -> None:
    refused = rejects.filter(pl.col("outcome") == "rejected")
    if refused.is_empty():
        return
    first = refused.row(0, named=True)
    log.warning(
        "%s: %d rows rejected (first: sys_id %s, field %s: %s)",
        table,
        refused["row_number"].n_unique(),
        first["sys_id"],
        first["field"],
        first["reason"],
        extra={"event": "rows_rejected", "table": table, "rows": refused["row_number"].n_unique()},
    )


def _read_ranges(
    client: ServiceNowClient,
    spec: TableSpec,
    filters: list[str],
    start: Position | None,
    page_size: int | None,
) -> Generator[tuple[int, Page], None, None]:
    """Pages of every range as they arrive; one thread per range beyond the first."""
    if len(filters) == 1:
        for page in client.iter_pages(
            spec.name,
            spec.columns,
            after=start,
            query=filters[0],
            page_size=page_size,
            cursor=spec.cursor,
            key=spec.key,
        ):
            yield 0, page
        return
    arrivals: queue.Queue = queue.Queue(maxsize=2 * len(filters))
    stop = threading.Event()

    def put(item: tuple) -> None:
        while not stop.is_set():
            try:
                arrivals.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def work(index: int) -> None:
        try:
            for page in client.iter_pages(
                spec.name,
                spec.columns,
                after=start,
                query=filters[index],
                page_size=page_size,
                cursor=spec.cursor,
                key=spec.key,
            ):
                if stop.is_set():
                    return
                put(("page", index, page))
        except BaseException as error:
            put(("error", index, error))
        finally:
            put(("exit", index, None))

    threads = [
        threading.Thread(target=work, args=(index,), daemon=True, name=f"{spec.name}-range-{index}")
        for index in range(len(filters))
    ]
    for thread in threads:
        thread.start()
    running = len(threads)
    try:
        while running:
            kind, index, payload = arrivals.get()
            if kind == "page":
                yield index, payload
            elif kind == "error":
                raise payload
            else:
                running -= 1
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=client.settings.timeout_seconds + 5)


def extract_all(
    settings_or_client: ServiceNowSettings | ServiceNowClient,
    lake_dir: Path | str,
    tables: Iterable[TableSpec] = TABLES,
    *,
    full: bool = False,
    deletes: bool = True,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Extract every table (then delete markers from ``sys_audit_delete`` if listed).

    Returns ``{table: ExtractionReport}`` plus ``"_deletes"`` (a ``DeletesReport``) when deletes
    ran. A table that fails does not stop the others; the first failure is raised at the end.
    A refusal of the credentials or of access (``AuthenticationError``) stops everything at
    once: every other table would be refused the same way.

    Tables are read one after another; each table's first pages are asked for while the one
    before lands its last batch, so the request slots are not idle meanwhile.
    """
    from connectors.servicenow.deletes import land_deletes  # deletes imports this module

    owned = isinstance(settings_or_client, ServiceNowSettings)
    client = ServiceNowClient(settings_or_client) if owned else settings_or_client
    state = StateStore(lake_dir, SOURCE)
    progress = progress or Progress()
    specs = list(tables)
    reports: dict[str, Any] = {}
    failures: list[BaseException] = []
    read_tables = [spec for spec in specs if spec.name != "sys_audit_delete"]
    ahead: _Read | None = None  # the next table's read, asked for while this one lands

    def read_next(following: TableSpec) -> None:
        nonlocal ahead
        ahead = _plan_read(client, following, lake_dir, state, full)
        ahead.pages = _ReadAhead(ahead.pages)

    try:
        for spec, following in itertools.zip_longest(read_tables, read_tables[1:]):
            read = ahead or _plan_read(client, spec, lake_dir, state, full)
            ahead = None
            try:
                reports[spec.name] = _extract_read(
                    client,
                    spec,
                    lake_dir,
                    state,
                    read,
                    batch_rows,
                    progress,
                    read_done=functools.partial(read_next, following) if following else None,
                )
            except AuthenticationError as error:
                log.error("%s", error, extra={"event": "authentication_failed"})
                raise
            except ServiceNowError as error:
                log.error("%s", error, extra={"event": "extract_failed", "table": spec.name})
                failures.append(error)
        if deletes and any(spec.name == "sys_audit_delete" for spec in specs):
            reports["_deletes"] = land_deletes(client, lake_dir, state, read_tables)
    finally:
        if ahead is not None:  # the table after one that ended the extraction
            ahead.pages.close()
        if owned:
            client.close()
    if failures:
        raise failures[0]
    return reports
