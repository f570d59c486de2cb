"""The fake instance's in-memory tables: thread-safe, sorted views cached, mutations audited."""

from __future__ import annotations

import calendar
import random
import threading
import time
from functools import cache

from connectors.servicenow.fake.generator import EXTRA_FIELDS, UNEXTRACTED
from connectors.servicenow.tables import TABLES_BY_NAME, tables_holding

Record = dict[str, str]

# References the fake resolves beyond TableSpec.references (fields Empreinte does not read).
EXTRA_REFERENCES: dict[str, dict[str, str]] = {
    "alm_hardware": {"assigned_to": "sys_user"},
    "cmdb_rel_ci": {"parent": "cmdb_ci_service", "child": "cmdb_ci_server"},
    "fm_expense_line": {"source_id": "alm_hardware"},
}


@cache
def references(table: str) -> dict[str, str]:
    """Reference fields of ``table`` and the table holding their records (do not mutate): a
    reference to a parent table (``cmdb_ci``) resolves in the first served table extending it,
    one to a table extending a served one (a contract model) in that table; one to a table the
    fake does not hold is left a plain field."""
    served = {}
    for name, target in TABLES_BY_NAME[table].references.items():
        held = target in TABLES_BY_NAME or target in UNEXTRACTED
        holders = (target,) if held else tables_holding(target)
        if holders:
            served[name] = holders[0]
    return {**served, **EXTRA_REFERENCES.get(table, {})}


class Store:
    """Tables of string records keyed by sys_id, safe to read and mutate from many threads.

    Records are never mutated in place: an update replaces the dict, so a page being
    serialised by another thread keeps a consistent view of each row.
    """

    def __init__(self, tables: dict[str, list[Record]], seed: int = 42) -> None:
        self._lock = threading.RLock()
        self._rng = random.Random(seed ^ 0x5EED)
        self._tables: dict[str, dict[str, Record]] = {
            name: {r["sys_id"]: r for r in rows} for name, rows in tables.items()
        }
        self._where: dict[str, str] = {}  # sys_id -> table, for dot-walking and display values
        for name, rows in self._tables.items():
            for sys_id in rows:
                self._where[sys_id] = name
        self._versions: dict[str, int] = dict.fromkeys(self._tables, 0)
        self._sorted: dict[
            tuple[str, tuple[tuple[str, bool], ...]], tuple[int, list[Record], list[str]]
        ] = {}
        latest = max((r["sys_updated_on"] for rows in tables.values() for r in rows), default="")
        self._clock = _parse_ts(latest) if latest else int(time.time())

    # ---- reads ------------------------------------------------------------------------
    def tables(self) -> list[str]:
        """Names of the tables held."""
        return list(self._tables)

    def records(self, table: str) -> list[Record]:
        """Copies of every record of ``table``, in insertion order."""
        with self._lock:
            return [dict(r) for r in self._tables[table].values()]

    def get(self, table: str, sys_id: str) -> Record | None:
        """The record (not a copy: do not mutate it) or None."""
        with self._lock:
            return self._tables[table].get(sys_id)

    def lookup(self, sys_id: str) -> tuple[str, Record] | None:
        """The table and record holding ``sys_id``, whatever the table (sys_ids are unique)."""
        # No lock: two dict reads are atomic under the GIL, and this runs per field per row.
        table = self._where.get(sys_id)
        if table is None:
            return None
        record = self._tables[table].get(sys_id)
        return (table, record) if record is not None else None

    def sorted_rows(
        self, table: str, order: tuple[tuple[str, bool], ...]
    ) -> tuple[list[Record], list[str]]:
        """All rows of ``table`` in ``order``, and their values of the first order field.

        Both lists are cached until the table changes: treat them as read-only.
        """
        with self._lock:
            version = self._versions[table]
            cached = self._sorted.get((table, order))
            if cached and cached[0] == version:
                return cached[1], cached[2]
            rows = list(self._tables[table].values())
        # Stable sorts from the last key to the first give a multi-key, mixed-direction order.
        for name, descending in reversed(order):
            rows.sort(key=lambda r, n=name: r.get(n, ""), reverse=descending)
        first = order[0][0]
        keys = [r.get(first, "") for r in rows]
        with self._lock:
            if self._versions[table] == version:
                self._sorted[(table, order)] = (version, rows, keys)
        return rows, keys

    # ---- writes -----------------------------------------------------------------------
    def now(self) -> str:
        """Advance the fake clock one second past every timestamp held, and return it."""
        with self._lock:
            self._clock += 1
            return _format_ts(self._clock)

    def _catch_up(self, stamp: str) -> None:
        # A caller-chosen timestamp may lie ahead: "now" must stay after every value held.
        self._clock = max(self._clock, _parse_ts(stamp))

    def insert(self, table: str, record: Record) -> Record:
        """Add a record (sys_id and timestamps filled in when missing); return a copy."""
        with self._lock:
            stamp = self.now()
            row = {column: "" for column in TABLES_BY_NAME[table].columns}
            for column in EXTRA_FIELDS.get(table, ()):
                row[column] = ""
            row.update({k: str(v) for k, v in record.items()})
            row["sys_id"] = row["sys_id"] or f"{self._rng.getrandbits(128):032x}"
            row["sys_created_on"] = row["sys_created_on"] or stamp
            row["sys_updated_on"] = row["sys_updated_on"] or stamp
            self._catch_up(row["sys_updated_on"])
            self._tables[table][row["sys_id"]] = row
            self._where[row["sys_id"]] = table
            self._versions[table] += 1
            return dict(row)

    def update(
        self, table: str, sys_id: str, changes: dict[str, str], updated_on: str | None = None
    ) -> Record:
        """Change fields of a record and bump its sys_updated_on (to ``updated_on`` if given)."""
        with self._lock:
            current = self._tables[table][sys_id]
            row = {**current, **{k: str(v) for k, v in changes.items()}}
            row["sys_id"] = sys_id
            row["sys_updated_on"] = updated_on or self.now()
            self._catch_up(row["sys_updated_on"])
            self._tables[table][sys_id] = row
            self._versions[table] += 1
            return dict(row)

    def delete(self, table: str, sys_id: str) -> None:
        """Remove a record and audit it in sys_audit_delete, as the real instance does."""
        with self._lock:
            del self._tables[table][sys_id]
            self._where.pop(sys_id, None)
            self._versions[table] += 1
            stamp = self.now()
            self.insert(
                "sys_audit_delete",
                {
                    "tablename": table,
                    "documentkey": sys_id,
                    "sys_created_on": stamp,
                    "sys_updated_on": stamp,
                },
            )


def _parse_ts(text: str) -> int:
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


def _format_ts(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))
