"""Published versions of the warehouse: publish a checked build, keep the last N, roll back.

Plain Python (no Dagster). Layout under the data folder::

    published/<version>/warehouse.duckdb   the marts (schema ``marts``) and nothing else
    published/<version>/marts/*.parquet    every relation of ``marts``, with its descriptions
    published/<version>/editions/*.parquet the yearly footprint as published per factor set
    warehouse.duckdb -> published/<version>/warehouse.duckdb
    marts            -> published/<version>/marts
    editions         -> published/<version>/editions

A version folder is written under a temporary name, made read-only, renamed, and only then do
the three links swap to it (``os.replace`` of a symbolic link: atomic). A reader that opened
the warehouse, or resolved ``marts`` once and reads its files, sees one version whole; the
version stays on disk for the next N-1 publishes. The newest N versions are kept
(``EMPREINTE_KEEP_PUBLISHED``, default 3); `rollback` points the links at the previous one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.warehouse import (
    EDITION_MART,
    INCREMENTAL_STATE_SCHEMA,
    KEEP_VARIABLE,
    MARTS,
    PUBLISHED_SCHEMA,
    WarehousePaths,
    connect_build,
)

DEFAULT_KEEP = 3
WAREHOUSE_FILE = "warehouse.duckdb"
METADATA_TABLE = "warehouse_metadata"
_QUOTE = "$empreinte$"


class NothingToRollBack(RuntimeError):
    """No earlier published version is kept."""


@dataclass(frozen=True)
class Publication:
    """What one publish did."""

    version: str
    previous_version: str | None
    published_at: datetime
    rows: dict[str, int] = field(default_factory=dict)


def keep_from_env() -> int:
    """How many published versions are kept (``EMPREINTE_KEEP_PUBLISHED``, default 3)."""
    raw = os.environ.get(KEEP_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_KEEP
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{KEEP_VARIABLE}: {raw!r} is not a whole number of versions (1 or more)")
    return int(raw)


def published_versions(paths: WarehousePaths) -> list[str]:
    """The kept versions, oldest first."""
    if not paths.published.is_dir():
        return []
    return sorted(
        entry.name
        for entry in paths.published.iterdir()
        if entry.is_dir() and not entry.name.startswith(".")
    )


def current_version(paths: WarehousePaths) -> str | None:
    """The version the links point at (None before the first publish)."""
    if not paths.marts.is_symlink():
        return None
    return Path(os.readlink(paths.marts)).parent.name


def version_file(paths: WarehousePaths, version: str) -> Path:
    """The DuckDB file of a kept version."""
    return paths.published / version / WAREHOUSE_FILE


def publish(paths: WarehousePaths, *, run_id: str = "", keep: int | None = None) -> Publication:
    """Publish the build as a new version and point the warehouse, marts and editions at it.

    Raises if the build is missing or lacks a mart, or if a published view reads something that
    is not published, leaving the published warehouse untouched.
    """
    if not paths.build.exists():
        raise FileNotFoundError(f"no build to publish at {paths.build}")
    keep = keep_from_env() if keep is None else keep
    _adopt_unversioned(paths)
    previous = current_version(paths)
    published_at = datetime.now(UTC).replace(tzinfo=None)
    version = _new_version(paths, published_at)
    folder = paths.published / f".{version}.tmp"
    remove_folder(folder)
    (folder / "marts").mkdir(parents=True)
    with connect_build(paths) as connection:
        # No mart has a row order: the Parquet copies are written in parallel and streamed (the
        # fact table's copy at L in 0.53 of the time it takes in insertion order).
        connection.execute("set preserve_insertion_order = false")
        rows = {
            mart: connection.execute(f"select count(*) from {PUBLISHED_SCHEMA}.{mart}").fetchall()
            for mart in MARTS
        }
        _record_publication(connection, published_at, version, run_id)
        _drop_internal_schemas(connection)
        for relation in _relations(connection):
            _write_parquet(connection, relation, folder / "marts" / f"{relation}.parquet")
        _write_editions(connection, paths, folder / "editions", published_at)
        connection.execute("checkpoint")
    os.replace(paths.build, folder / WAREHOUSE_FILE)
    _make_read_only(folder)
    os.replace(folder, paths.published / version)
    _point_at(paths, version)
    _keep_newest(paths, keep)
    counts = {mart: found[0][0] for mart, found in rows.items()}
    return Publication(version, previous, published_at, counts)


def rollback(paths: WarehousePaths) -> tuple[str, str]:
    """Point the links at the version published before the current one; return (from, to)."""
    current = current_version(paths)
    versions = published_versions(paths)
    earlier = [version for version in versions if current is None or version < current]
    if current is None or not earlier:
        kept = ", ".join(versions) or "none"
        raise NothingToRollBack(
            f"no published version before {current or 'the current warehouse'} is kept"
            f" (kept: {kept}; {KEEP_VARIABLE} sets how many)"
        )
    _point_at(paths, earlier[-1])
    return current, earlier[-1]


def published_factor_sets(paths: WarehousePaths) -> list[str]:
    """The factor sets whose footprint has been published at least once."""
    if not paths.editions.is_dir():
        return []
    return sorted(
        path.stem for path in paths.editions.glob("*.parquet") if not path.name.startswith("_")
    )


def edition_file_name(factor_set: str) -> str:
    """The archive file of a factor set (its name made safe for a file system)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", factor_set) + ".parquet"


def _new_version(paths: WarehousePaths, when: datetime) -> str:
    """The version's name: its UTC time to the microsecond, so names sort in time order."""
    while (paths.published / when.strftime("%Y%m%dT%H%M%S%fZ")).exists():
        when += timedelta(microseconds=1)  # two publishes in one microsecond
    return when.strftime("%Y%m%dT%H%M%S%fZ")


def _record_publication(
    connection: duckdb.DuckDBPyConnection, published_at: datetime, version: str, run_id: str
) -> None:
    """Fill in the publish time of ``marts.warehouse_metadata`` (dbt built it without one)."""
    found = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [PUBLISHED_SCHEMA, METADATA_TABLE],
    ).fetchall()[0][0]
    if found:
        connection.execute(
            f"update {PUBLISHED_SCHEMA}.{METADATA_TABLE}"
            " set published_at = ?, published_version = ?, run_id = coalesce(run_id, ?)",
            [published_at, version, run_id or None],
        )


def _drop_internal_schemas(connection: duckdb.DuckDBPyConnection) -> None:
    """Keep only the marts (and the record the next incremental build starts from): staging
    views read the lake by absolute path, and the rest is working material. A published view
    that reads something dropped stops the publish."""
    for (schema,) in connection.execute(
        "select schema_name from duckdb_schemas() where not internal"
        " and database_name = current_database() and schema_name not in (?, ?, 'main')",
        [PUBLISHED_SCHEMA, INCREMENTAL_STATE_SCHEMA],
    ).fetchall():
        connection.execute(f'drop schema "{schema}" cascade')
    for kind, name in connection.execute(
        "select 'table', table_name from duckdb_tables() where schema_name = 'main'"
        " and database_name = current_database()"
        " union all select 'view', view_name from duckdb_views() where schema_name = 'main'"
        " and database_name = current_database() and not internal"
    ).fetchall():
        connection.execute(f'drop {kind} main."{name}"')
    for (view,) in connection.execute(
        "select view_name from duckdb_views() where schema_name = ?", [PUBLISHED_SCHEMA]
    ).fetchall():
        try:
            connection.execute(f'select * from {PUBLISHED_SCHEMA}."{view}" limit 0')
        except duckdb.Error as error:
            raise RuntimeError(
                f"the view {PUBLISHED_SCHEMA}.{view} reads something that is not published: {error}"
            ) from error


def _relations(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "select table_name from duckdb_tables() where schema_name = ?"
            " union all select view_name from duckdb_views() where schema_name = ?"
            " order by 1",
            [PUBLISHED_SCHEMA, PUBLISHED_SCHEMA],
        ).fetchall()
    ]


def _write_parquet(connection: duckdb.DuckDBPyConnection, relation: str, target: Path) -> None:
    """The relation as Parquet, its description and its columns' in the key-value metadata."""
    description = connection.execute(
        "select comment from duckdb_tables() where schema_name = ? and table_name = ?"
        " union all select comment from duckdb_views() where schema_name = ? and view_name = ?",
        [PUBLISHED_SCHEMA, relation, PUBLISHED_SCHEMA, relation],
    ).fetchall()
    columns = {
        name: comment
        for name, comment in connection.execute(
            "select column_name, comment from duckdb_columns() where schema_name = ?"
            " and table_name = ? and comment is not null order by column_index",
            [PUBLISHED_SCHEMA, relation],
        ).fetchall()
    }
    metadata = {
        "description": (description[0][0] if description else None) or "",
        "column_descriptions": json.dumps(columns, ensure_ascii=False),
    }
    for value in metadata.values():
        if _QUOTE in value:
            raise ValueError(f"{relation}: a description holds {_QUOTE}")
    pairs = ", ".join(f"{key}: {_QUOTE}{value}{_QUOTE}" for key, value in metadata.items())
    connection.execute(
        f"copy (select * from {PUBLISHED_SCHEMA}.\"{relation}\") to '{target}'"
        f" (format parquet, compression zstd, kv_metadata {{{pairs}}})"
    )


def _write_editions(
    connection: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    folder: Path,
    published_at: datetime,
) -> None:
    """The archive of earlier editions, with this build's factor sets replaced by its own."""
    folder.mkdir()
    if paths.editions.is_dir():
        for earlier in paths.editions.glob("*.parquet"):
            shutil.copyfile(earlier, folder / earlier.name)
    for (factor_set,) in connection.execute(
        f"select distinct factor_set from {PUBLISHED_SCHEMA}.{EDITION_MART}"
    ).fetchall():
        connection.execute(
            f"copy (select *, ?::timestamp as published_at from {PUBLISHED_SCHEMA}.{EDITION_MART}"
            f" where factor_set = ?) to '{folder / edition_file_name(factor_set)}'"
            " (format parquet)",
            [published_at, factor_set],
        )


def _point_at(paths: WarehousePaths, version: str) -> None:
    """Swap the three links to ``version``, each with one atomic rename."""
    target = paths.published / version
    for link, inside in (
        (paths.marts, target / "marts"),
        (paths.editions, target / "editions"),
        (paths.warehouse, target / WAREHOUSE_FILE),
    ):
        replace_link(link, os.path.relpath(inside, link.parent))


def replace_link(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target`` with one atomic rename: a reader finds the
    old target or the new one, never no link. A folder in its place (from before versions) is
    put aside and removed."""
    link.parent.mkdir(parents=True, exist_ok=True)
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    if link.is_dir() and not link.is_symlink():
        aside = link.with_name(f".{link.name}.{os.getpid()}.old")
        os.replace(link, aside)
        os.replace(temporary, link)
        remove_folder(aside)
    else:
        os.replace(temporary, link)


def _adopt_unversioned(paths: WarehousePaths) -> None:
    """A warehouse published before versions becomes the first kept version (so it can be
    rolled back to), with its Parquet marts."""
    if not paths.warehouse.is_file() or paths.warehouse.is_symlink():
        return
    published_at = datetime.fromtimestamp(paths.warehouse.stat().st_mtime, UTC)
    version = _new_version(paths, published_at.replace(tzinfo=None))
    folder = paths.published / f".{version}.tmp"
    remove_folder(folder)
    (folder / "editions").mkdir(parents=True)
    if paths.marts.is_dir() and not paths.marts.is_symlink():
        shutil.copytree(paths.marts, folder / "marts", ignore=shutil.ignore_patterns(".*"))
    else:
        (folder / "marts").mkdir()
    if paths.editions.is_dir():
        for earlier in paths.editions.glob("*.parquet"):
            shutil.copyfile(earlier, folder / "editions" / earlier.name)
    shutil.move(paths.warehouse, folder / WAREHOUSE_FILE)
    _make_read_only(folder)
    os.replace(folder, paths.published / version)
    _point_at(paths, version)


def _keep_newest(paths: WarehousePaths, keep: int) -> None:
    """Remove versions beyond the newest ``keep`` (never the current one) and leftovers of
    interrupted publishes."""
    current = current_version(paths)
    versions = published_versions(paths)
    for version in versions[: max(len(versions) - keep, 0)]:
        if version != current:
            remove_folder(paths.published / version)
    for leftover in paths.published.glob(".*.tmp"):
        remove_folder(leftover)


def _make_read_only(folder: Path) -> None:
    """Published files cannot be changed by the accounts that read them."""
    for root, folders, files in os.walk(folder):
        for name in files:
            os.chmod(Path(root) / name, 0o444)
        for name in folders:
            os.chmod(Path(root) / name, 0o555)
    os.chmod(folder, 0o555)


def remove_folder(path: Path) -> None:
    """Remove a folder the pipeline wrote, published versions (read-only) included."""
    if not path.exists():
        return
    for root, folders, _ in os.walk(path):
        os.chmod(root, stat.S_IRWXU)
        for name in folders:
            os.chmod(Path(root) / name, stat.S_IRWXU)
    shutil.rmtree(path)
