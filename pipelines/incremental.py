"""Whether tonight's build starts from the published warehouse, so fct_footprint computes only
the rows whose inputs changed (dbt_project/macros/incremental_footprint.sql), or from an empty
file, and why.

An incremental night deletes the rows it computes again and appends them at the table's end.
DuckDB gives back the room of deleted rows only where most of a row group is gone, and the
blocks it frees stay in the file: night after night the file grows (at S, from 329 to 406 MB
in six nights), every copy of it too, and scans read the deleted rows still stored. So when the
published file's room without a live row reaches ``EMPREINTE_COMPACT_AT``, the night builds
everything from an empty file, which writes it compact again (docs/performance-log.md,
"Incremental nights over weeks").
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pipelines.warehouse import (
    INCREMENTAL_STATE_SCHEMA,
    PUBLISHED_SCHEMA,
    WarehousePaths,
    connect_read_only,
)

FULL_REBUILD_VARIABLE = "EMPREINTE_FULL_REBUILD"
COMPACT_AT_VARIABLE = "EMPREINTE_COMPACT_AT"
DEFAULT_COMPACT_AT = 0.25


def full_rebuild_asked() -> bool:
    """True when ``EMPREINTE_FULL_REBUILD`` asks every night to rebuild every row."""
    return os.environ.get(FULL_REBUILD_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def compact_at_from_env() -> float:
    """The share of the published file holding no live row at which a night rebuilds
    everything (``EMPREINTE_COMPACT_AT``, default 0.25)."""
    raw = os.environ.get(COMPACT_AT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_COMPACT_AT
    try:
        share = float(raw)
    except ValueError:
        share = -1.0
    if not 0 < share <= 1:
        raise ValueError(
            f"{COMPACT_AT_VARIABLE}: {raw!r} is not a share above 0 and at most 1 (e.g. 0.25)"
        )
    return share


def published_code_version(paths: WarehousePaths) -> str | None:
    """The version of the models the published fct_footprint was built with (None without a
    published warehouse, or one published before incremental builds)."""
    if not paths.warehouse.exists():
        return None
    with connect_read_only(paths) as connection:
        found = connection.execute(
            "select count(*) from duckdb_tables() where schema_name = ?"
            " and table_name = 'fct_footprint_built_from'",
            [INCREMENTAL_STATE_SCHEMA],
        ).fetchall()[0][0]
        if not found:
            return None
        return connection.execute(
            f"select max(code_version) from {INCREMENTAL_STATE_SCHEMA}.fct_footprint_built_from"
        ).fetchall()[0][0]


@dataclass(frozen=True)
class PublishedRoom:
    """What the published file holds: fct_footprint's live rows and the rows it stores (the
    deleted ones DuckDB keeps included: ``estimated_size``), and the file's used blocks."""

    rows: int
    stored: int
    used_blocks: int
    blocks: int

    @property
    def unused_share(self) -> float:
        """The share of the file that holds no live row: free blocks and deleted rows."""
        if not self.blocks or not self.stored:
            return 0.0
        return round(1 - (self.used_blocks / self.blocks) * (self.rows / self.stored), 6)


def published_room(paths: WarehousePaths) -> PublishedRoom:
    """The published file's room, as DuckDB reports it."""
    with connect_read_only(paths) as connection:
        used_blocks, blocks = connection.execute(
            "select used_blocks, total_blocks from pragma_database_size()"
            " where database_name = current_database()"
        ).fetchall()[0]
        rows, stored = connection.execute(
            f"select count(*), (select estimated_size from duckdb_tables() where schema_name = ?"
            f" and table_name = 'fct_footprint') from {PUBLISHED_SCHEMA}.fct_footprint",
            [PUBLISHED_SCHEMA],
        ).fetchall()[0]
    return PublishedRoom(rows, stored, used_blocks, blocks)


def published_unused_share(paths: WarehousePaths) -> float:
    """The share of the published file that holds no live row: its free blocks, and the rows
    deleted from fct_footprint that DuckDB still stores."""
    return published_room(paths).unused_share


def full_build_reason(paths: WarehousePaths, code_version: str) -> str | None:
    """Why tonight's build starts from an empty file; None when it starts from a copy of the
    published warehouse (an incremental night)."""
    if full_rebuild_asked():
        return f"{FULL_REBUILD_VARIABLE} asks for it"
    published = published_code_version(paths)
    if published is None:
        return "no published build with an incremental record to start from"
    if published != code_version:
        return "the models or their configuration changed since the published build"
    unused, limit = published_unused_share(paths), compact_at_from_env()
    if unused >= limit:
        return (
            f"{unused:.0%} of the published file holds no live row (free blocks, fct_footprint's"
            f" deleted rows; {COMPACT_AT_VARIABLE} {limit:g}): written compact again"
        )
    return None
