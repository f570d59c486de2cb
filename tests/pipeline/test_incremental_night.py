"""A night after a day of changes builds fct_footprint incrementally: the published warehouse
is copied, and only the device rows of the asset-years whose inputs changed (a site move, a
retirement, a deletion, the as-of date moving into the year) are computed again, with every
row of the other sources. Its rows must be the rows a full rebuild of the same lake gives, which
the next night makes once too much of the published file holds no live row."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from connectors.servicenow.fake import FakeInstance
from connectors.servicenow.fake.logs import write_logs
from pipelines.incremental import COMPACT_AT_VARIABLE, published_unused_share
from pipelines.warehouse import WarehousePaths
from tests.pipeline.conftest import point_at, run_nightly
from tests.pipeline.dbt_logs import dbt_runs, keep_sql_statements, statements

SEED, SCALE = 23, 0.02
DELETE_SLICE_VARIABLE, SLICE_ROWS = "EMPREINTE_DELETE_SLICE_ROWS", 16_384


def fct_footprint_file(paths: WarehousePaths) -> Path:
    """The published version's own file (the link moves at the next publish)."""
    return paths.warehouse.resolve()


def computed_only_changes(paths: WarehousePaths) -> bool:
    """Whether the last build's fct_footprint computed only the asset-years that changed
    (its SQL as dbt ran it, from run_results.json)."""
    results = json.loads((paths.dbt_target / "run_results.json").read_text())
    (node,) = [r for r in results["results"] if r["unique_id"] == "model.empreinte.fct_footprint"]
    return "fct_footprint_rebuilt" in node["compiled_code"]


def asset_years_changed(before: Path, after: Path) -> tuple[int, int]:
    """Asset-years whose recorded fingerprint differs between two versions (new and gone
    included), and the asset-years of the second."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{before}' as before_night (read_only)")
        connection.execute(f"attach '{after}' as after_night (read_only)")
        state = "incremental_state.fct_footprint_built_from"
        changed = connection.execute(
            f"select count(*) from before_night.{state} as b full join after_night.{state} as a"
            " on a.asset_id = b.asset_id and a.reporting_year = b.reporting_year"
            " where a.fingerprint is distinct from b.fingerprint"
        ).fetchall()[0][0]
        total = connection.execute(f"select count(*) from after_night.{state}").fetchall()[0][0]
    return changed, total


def rows_differing(first: Path, second: Path) -> tuple[int, int]:
    """Rows of the first fct_footprint missing from the second, and the reverse."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{first}' as first_build (read_only)")
        connection.execute(f"attach '{second}' as second_build (read_only)")
        a, b = "first_build.marts.fct_footprint", "second_build.marts.fct_footprint"
        return tuple(
            connection.execute(
                f"select count(*) from (select * from {x} except all select * from {y})"
            ).fetchall()[0][0]
            for x, y in ((a, b), (b, a))
        )


def rows_in(version: Path) -> int:
    with duckdb.connect(str(version), read_only=True) as connection:
        return connection.execute("select count(*) from marts.fct_footprint").fetchall()[0][0]


def rows_stored(version: Path) -> int:
    """fct_footprint's rows in the file, the deleted ones DuckDB still stores included."""
    with duckdb.connect(str(version), read_only=True) as connection:
        return connection.execute(
            "select estimated_size from duckdb_tables() where table_name = 'fct_footprint'"
        ).fetchall()[0][0]


def rows_of(version: Path, item_id: str) -> int:
    with duckdb.connect(str(version), read_only=True) as connection:
        return connection.execute(
            "select count(*) from marts.fct_footprint where item_id = ?", [item_id]
        ).fetchall()[0][0]


def test_an_incremental_night_gives_the_rows_of_a_full_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_logs(tmp_path / "logs", seed=SEED, scale=SCALE, as_of=date(2026, 11, 1))
    with FakeInstance(seed=SEED, scale=SCALE) as fake:
        paths = point_at(monkeypatch, fake, tmp_path)
        keep_sql_statements(monkeypatch)  # the incremental night's deletes, read below
        assert run_nightly()
        first = fct_footprint_file(paths)
        assert not computed_only_changes(paths), "the first night builds every row"

        # A day of work on the instance: a move, a retirement, a deletion; and two weeks on.
        assets = [row for row in fake.store.records("alm_hardware") if row["install_status"] == "1"]
        sites = sorted({row["location"] for row in assets if row["location"]})
        moved, retired, deleted = assets[:3]
        elsewhere = next(site for site in sites if site != moved["location"])
        fake.store.update("alm_hardware", moved["sys_id"], {"location": elsewhere})
        fake.store.update(
            "alm_hardware",
            retired["sys_id"],
            {"install_status": "7", "substatus": "disposed", "retired": "2026-11-10"},
        )
        fake.store.delete("alm_hardware", deleted["sys_id"])
        monkeypatch.setenv("EMPREINTE_AS_OF", "2026-11-15")
        # Slices of 16,384 rows, so the deletes go in several (macros/incremental_footprint.sql).
        monkeypatch.setenv(DELETE_SLICE_VARIABLE, str(SLICE_ROWS))
        assert run_nightly()
        incremental = fct_footprint_file(paths)
        assert computed_only_changes(paths)
        # Once committed, the changes are checkpointed before the tests read the table
        # (macros/incremental_footprint.sql: footprint_checkpointed).
        fct_footprint = statements(dbt_runs(paths)[-1], "fct_footprint")
        assert fct_footprint[-2:] == ["COMMIT", "checkpoint"]
        # The rows left in slices of rowids, each committed and checkpointed before the next,
        # outside the model's transaction (the queries before them committed).
        (deletes,) = [sql for sql in fct_footprint if "delete from" in sql]
        slices = re.findall(r"delete from [^;]*;\s*checkpoint;", deletes)
        assert len(slices) == (rows_in(first) - 1) // SLICE_ROWS + 1 > 2, len(slices)
        assert fct_footprint[fct_footprint.index(deletes) - 1] == "COMMIT"

        # The rows deleted are still stored; once the file's room without a live row passes
        # EMPREINTE_COMPACT_AT, the next night builds everything from an empty file
        # (pipelines/incremental.py).
        assert rows_stored(incremental) > rows_in(incremental)
        assert published_unused_share(paths) > 0.01
        monkeypatch.setenv(COMPACT_AT_VARIABLE, "0.01")
        assert run_nightly()
        rebuilt = fct_footprint_file(paths)
        assert not computed_only_changes(paths)
        assert rows_stored(rebuilt) == rows_in(rebuilt), "written compact"

    assert len({first, incremental, rebuilt}) == 3, "each night published a version of its own"
    assert rows_differing(incremental, rebuilt) == (0, 0)
    # What the incremental night computed again: the current year of the assets in use (the
    # as-of date moved) and the changed assets, not the history of the whole fleet.
    changed, asset_years = asset_years_changed(first, incremental)
    assert 3 <= changed < asset_years / 2, (changed, asset_years)
    assert rows_of(first, deleted["sys_id"]) > 0
    assert rows_of(incremental, deleted["sys_id"]) == 0, "the deleted asset's rows left"
