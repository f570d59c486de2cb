"""A large metropolis written straight to export files, without the per-record Python cost.

``write_exports(folder, scale=100)`` draws the metropolis once at scale 1 (``generate``), then
writes it ``scale`` times over, in DuckDB's vectorised engine: the organisation (towns, sites,
cost centres, models, contracts) once, and every table that grows with the scale (assets, their
computers and servers, users, requests, services, transfers, expenses) repeated, each copy with
fresh sys_ids (``md5(sys_id#copy)``) and its references into repeated tables pointing at the
same copy. The distributions are the scale-1 metropolis's exactly (dates, statuses, categories,
models, towns); only the counts grow. Files are CSV exports with database values (what
``EMPREINTE_EXPORTS_DIR`` reads), split into numbered parts (``alm_hardware_1.csv``, ...) so no
file nears the exports reader's size limit.

Scale 100 (about 2.5 million assets, 9 million rows) takes about a minute on one core.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.tables import TABLES_BY_NAME

# The tables whose row count grows with the scale (tests check the list against generate()).
REPEATED_TABLES: tuple[str, ...] = (
    "alm_hardware",
    "cmdb_ci_computer",
    "cmdb_ci_server",
    "sys_user",
    "sc_req_item",
    "cmdb_ci_service",
    "cmdb_rel_ci",
    "alm_transfer_order",
    "alm_transfer_order_line",
)
# Not repeated: `fm_expense_line` (since issue 8 mostly the contracts' payments, a fixed set of
# contracts; the share that grows with the fleet is written once, an undercount at large scale).
# Text that names one record, made unique per copy (a copy's suffix "-<copy>").
_NAMING_FIELDS: dict[str, tuple[str, ...]] = {
    "alm_hardware": ("asset_tag",),
    "cmdb_ci_computer": ("name",),
    "cmdb_ci_server": ("name",),
    "sc_req_item": ("number",),
    "cmdb_ci_service": ("name",),
    "alm_transfer_order": ("number",),
    "alm_transfer_order_line": ("number",),
    "fm_expense_line": ("number",),
}
PART_ROWS = 250_000


def write_exports(
    folder: Path | str,
    scale: float = 100.0,
    *,
    seed: int = 42,
    as_of: date = date(2026, 11, 1),
    part_rows: int = PART_ROWS,
    base_scale: float = 1.0,
) -> dict[str, int]:
    """Write every extracted table as CSV export files under ``folder``; rows per table.

    Up to ``base_scale``, the plain generator's metropolis; above, the ``base_scale``
    metropolis repeated ``round(scale / base_scale)`` times.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base_scale = min(scale, base_scale)
    copies = max(1, round(scale / base_scale))
    tables = generate(seed, base_scale, as_of)
    repeated_ids = {
        record["sys_id"] for table in REPEATED_TABLES for record in tables.get(table, ())
    }
    counts: dict[str, int] = {}
    with duckdb.connect() as connection:
        connection.execute("set preserve_insertion_order = false")
        connection.register(
            "repeated_ids", pl.DataFrame({"sys_id": sorted(repeated_ids)}, schema={"sys_id": str})
        )
        connection.execute("create table repeated as select * from repeated_ids")
        for name, spec in TABLES_BY_NAME.items():
            records = tables.get(name, [])
            columns = list(spec.columns)
            frame = pl.DataFrame(
                [[record.get(column, "") for column in columns] for record in records],
                schema={column: pl.String for column in columns},
                orient="row",
            )
            connection.register("base_frame", frame)
            connection.execute("create or replace table base as select * from base_frame")
            connection.unregister("base_frame")
            table_copies = copies if name in REPEATED_TABLES else 1
            counts[name] = _write_table(
                connection, folder, name, columns, frame, repeated_ids, table_copies, part_rows
            )
    return counts


def _write_table(
    connection: duckdb.DuckDBPyConnection,
    folder: Path,
    table: str,
    columns: list[str],
    frame: pl.DataFrame,
    repeated_ids: set[str],
    copies: int,
    part_rows: int,
) -> int:
    """Write ``copies`` copies of the ``base`` table in parts; the rows written."""
    # Columns holding sys_ids of repeated records: remapped in every copy but the first.
    remapped = {
        column
        for column in columns
        if frame.height and not repeated_ids.isdisjoint(frame[column].to_list())
    }
    selected = []
    for column in columns:
        quoted = f'"{column}"'
        if column in remapped:
            value = (
                f"case when copy = 0 or {quoted} not in (select sys_id from repeated)"
                f" then {quoted} else md5({quoted} || '#' || copy) end"
            )
        elif column in _NAMING_FIELDS.get(table, ()):
            value = f"case when copy = 0 then {quoted} else {quoted} || '-' || copy end"
        else:
            value = quoted
        selected.append(f"{value} as {quoted}")
    copies_per_part = max(1, part_rows // max(frame.height, 1))
    parts = math.ceil(copies / copies_per_part)
    for part in range(parts):
        first, last = part * copies_per_part, min(copies, (part + 1) * copies_per_part)
        name = f"{table}.csv" if parts == 1 else f"{table}_{part + 1}.csv"
        connection.execute(
            f"copy (select {', '.join(selected)} from base, range({first}, {last}) as c(copy))"
            f" to '{folder / name}' (format csv, header true)"
        )
    return frame.height * copies
