"""Publishing: a checked build becomes a read-only version the links swap to atomically; the
last versions are kept and can be rolled back to; a bad night changes nothing."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines import warehouse
from pipelines.published import (
    NothingToRollBack,
    current_version,
    publish,
    published_factor_sets,
    published_versions,
    rollback,
)
from pipelines.variant_builds import nightly_dbt_environment
from pipelines.warehouse import (
    MARTS,
    DiskSpaceError,
    WarehousePaths,
    connect_build,
    connect_read_only,
    prepare_build,
)
from tests.pipeline.publish_helpers import as_a_reader, build_with, checksum

DBT = str(Path(sys.executable).with_name("dbt"))
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    return WarehousePaths(data_dir=tmp_path, warehouse=tmp_path / "warehouse.duckdb")


def published_value(paths: WarehousePaths) -> int:
    with connect_read_only(paths) as connection:
        return connection.execute("select value from fct_footprint").fetchall()[0][0]


def parquet_value(paths: WarehousePaths, mart: str = "fct_footprint") -> int:
    return duckdb.sql(f"select value from '{paths.marts / mart}.parquet'").fetchall()[0][0]


def test_readers_keep_their_view_while_a_new_build_is_published(paths: WarehousePaths) -> None:
    build_with(paths, 1)
    assert publish(paths).rows == {mart: 1 for mart in MARTS}
    reader = connect_read_only(paths)
    build_with(paths, 2)
    publish(paths)  # the open reader does not block the writer
    assert reader.execute("select value from fct_footprint").fetchall() == [(1,)]
    reader.close()
    assert published_value(paths) == 2
    assert parquet_value(paths) == 2


def test_each_factor_set_keeps_its_published_edition(paths: WarehousePaths) -> None:
    build_with(paths, 1)
    publish(paths)
    build_with(paths, 2)
    publish(paths)
    build_with(paths, 2)
    publish(paths)  # the same factor set again replaces its own edition only
    assert published_factor_sets(paths) == ["set-1", "set-2"]
    editions = duckdb.sql(
        f"select factor_set, value from read_parquet('{paths.editions}/*.parquet') order by 1"
    )
    assert editions.fetchall() == [("set-1", 1), ("set-2", 2)]


def test_a_build_without_its_marts_is_not_published(paths: WarehousePaths) -> None:
    build_with(paths, 1)
    publish(paths)
    before = checksum(paths.warehouse)
    build_with(paths, 3, marts=tuple(mart for mart in MARTS if mart != "dim_hardware_assets"))
    with pytest.raises(duckdb.CatalogException, match="dim_hardware_assets"):
        publish(paths)
    assert checksum(paths.warehouse) == before
    assert published_value(paths) == 1
    assert len(published_versions(paths)) == 1


def test_the_published_file_holds_the_marts_and_nothing_that_reads_the_lake(
    paths: WarehousePaths, tmp_path: Path
) -> None:
    lake = tmp_path / "lake.parquet"
    duckdb.sql(f"copy (select 7 as value) to '{lake}'")
    build_with(paths, 1)
    with connect_build(paths) as connection:
        # What must not be published: a view reading the lake, a working table in main.
        connection.execute("create schema staging")
        connection.execute(f"create view staging.stg_things as select * from '{lake}'")
        connection.execute("create table main.scratch as select 1 as one")
        connection.execute(
            "create view marts.fct_footprint_total as select sum(value) as total"
            " from marts.fct_footprint"
        )
    publish(paths)
    lake.unlink()
    copied = tmp_path / "elsewhere" / "copy.duckdb"
    copied.parent.mkdir()
    shutil.copyfile(paths.warehouse, copied)
    for opened in (paths, WarehousePaths(data_dir=copied.parent, warehouse=copied)):
        with connect_read_only(opened) as connection:
            relations = connection.execute(
                "select schema_name, table_name from duckdb_tables()"
                " union all select schema_name, view_name from duckdb_views() where not internal"
                " order by all"
            ).fetchall()
            assert relations == sorted(
                [("marts", mart) for mart in MARTS] + [("marts", "fct_footprint_total")]
            )
            assert connection.execute("select total from fct_footprint_total").fetchall() == [(1,)]


def test_a_published_view_that_reads_a_dropped_relation_stops_the_publish(
    paths: WarehousePaths,
) -> None:
    build_with(paths, 1)
    with connect_build(paths) as connection:
        connection.execute("create schema intermediate")
        connection.execute("create table intermediate.int_things as select 1 as thing")
        connection.execute("create view marts.broken as select * from intermediate.int_things")
    with pytest.raises(RuntimeError, match=r"marts\.broken reads something that is not published"):
        publish(paths)
    assert not paths.warehouse.exists()


def test_parquet_marts_carry_the_descriptions(paths: WarehousePaths) -> None:
    build_with(paths, 1)
    with connect_build(paths) as connection:
        connection.execute("comment on table marts.fct_footprint is 'The footprint, per year.'")
        connection.execute("comment on column marts.fct_footprint.value is 'In kgCO2e.'")
    publish(paths)
    metadata = pq.read_schema(paths.marts / "fct_footprint.parquet").metadata
    assert metadata[b"description"] == b"The footprint, per year."
    assert json.loads(metadata[b"column_descriptions"]) == {"value": "In kgCO2e."}
    with connect_read_only(paths) as connection:  # the DuckDB comments are published too
        assert connection.execute(
            "select comment from duckdb_tables() where table_name = 'fct_footprint'"
        ).fetchall() == [("The footprint, per year.",)]


def test_rollback_restores_the_previous_version_whole(paths: WarehousePaths) -> None:
    for value in (1, 2, 3):
        build_with(paths, value)
        publish(paths, keep=3)
    first, second, third = published_versions(paths)
    assert current_version(paths) == third

    assert rollback(paths) == (third, second)
    assert (published_value(paths), parquet_value(paths)) == (2, 2)
    assert published_factor_sets(paths) == ["set-1", "set-2"], "editions as published then"
    assert rollback(paths) == (second, first)
    assert (published_value(paths), parquet_value(paths)) == (1, 1)
    with pytest.raises(NothingToRollBack, match="no published version before"):
        rollback(paths)

    build_with(paths, 4)
    publish(paths, keep=3)
    assert published_value(paths) == 4
    assert published_versions(paths)[-1] == current_version(paths)


def test_the_last_n_versions_are_kept(paths: WarehousePaths, monkeypatch) -> None:
    monkeypatch.setenv("EMPREINTE_KEEP_PUBLISHED", "2")
    versions = []
    for value in range(1, 6):
        build_with(paths, value)
        versions.append(publish(paths).version)
    assert published_versions(paths) == versions[-2:]
    assert sorted(path.name for path in paths.published.iterdir()) == versions[-2:]


def test_a_warehouse_published_before_versions_is_kept_as_one(paths: WarehousePaths) -> None:
    # The layout of earlier releases: a plain file and a plain marts folder.
    with duckdb.connect(str(paths.warehouse)) as connection:
        connection.execute("create table fct_footprint as select 0 as value")
    paths.marts.mkdir()
    duckdb.sql(f"copy (select 0 as value) to '{paths.marts / 'fct_footprint.parquet'}'")
    build_with(paths, 1)
    publish(paths)
    assert paths.warehouse.is_symlink() and paths.marts.is_symlink()
    assert len(published_versions(paths)) == 2
    rollback(paths)
    assert (published_value(paths), parquet_value(paths)) == (0, 0)


def test_a_reader_cannot_change_what_is_published(paths: WarehousePaths) -> None:
    build_with(paths, 1)
    publish(paths)
    attempt = f"""
import duckdb, pathlib
marts = pathlib.Path({str(paths.marts)!r})
outcomes = []
for attempt in (
    lambda: duckdb.connect({str(paths.warehouse)!r}).execute("drop table marts.fct_footprint"),
    lambda: open(marts / "fct_footprint.parquet", "ab").write(b"x"),
    lambda: (marts / "fct_footprint.parquet").unlink(),
    lambda: (marts / "new.parquet").write_bytes(b"x"),
):
    try:
        attempt()
        outcomes.append("written")
    except Exception as error:
        outcomes.append(type(error).__name__)
print(outcomes)
"""
    result = as_a_reader(attempt)
    assert result.returncode == 0, result.stderr
    outcomes = ast.literal_eval(result.stdout)
    assert "written" not in outcomes, outcomes
    assert published_value(paths) == 1


def test_duckdb_memory_and_spill_settings_reach_the_build_dbt_and_readers(
    paths: WarehousePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMPREINTE_DUCKDB_MEMORY_LIMIT", "512MB")
    settings = "select current_setting('memory_limit') as m, current_setting('temp_directory') as t"
    build_with(paths, 1)
    with connect_build(paths) as connection:
        assert connection.execute(settings).fetchall() == [
            ("488.2 MiB", str(paths.temp_directory))  # 512 × 10^6 bytes in MiB
        ]
    publish(paths)
    with connect_read_only(paths) as connection:
        assert connection.execute(settings).fetchall()[0][0] == "488.2 MiB"
    show = [DBT, "show", "--inline", settings, "--output", "json", "--log-format", "json"]
    shown = subprocess.run(
        [*show, "--target-path", str(paths.data_dir / "dbt_target")],
        cwd=REPO / "dbt_project",
        env={**os.environ, **nightly_dbt_environment(paths)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stdout[-2000:]
    assert f'"m": "488.2 MiB", "t": "{paths.temp_directory}"' in shown.stdout.replace("\\", "")


def test_a_build_that_spills_to_disk_goes_on_to_the_next_model(
    paths: WarehousePaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first scale that spills (M) failed here: the profile gave temp_directory as a
    setting, SET again on each model's cursor, which DuckDB refuses once a spill used it."""
    monkeypatch.setenv("EMPREINTE_DUCKDB_MEMORY_LIMIT", "64MB")
    project = tmp_path / "spill_project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: spill\nversion: '1.0'\nprofile: empreinte\nconfig-version: 2\n"
        "models:\n  spill:\n    +materialized: table\n"
    )
    # Sorting 8 million rows does not fit in 64 MB: the first model spills.
    (project / "models" / "sorted.sql").write_text(
        "select range as n from range(8000000) order by hash(range)"
    )
    (project / "models" / "after.sql").write_text("select count(*) as n from {{ ref('sorted') }}")
    paths.temp_directory.mkdir(parents=True, exist_ok=True)
    ran = subprocess.run(
        [DBT, "run", "--project-dir", str(project), "--profiles-dir", str(REPO / "dbt_project")],
        env={**os.environ, **nightly_dbt_environment(paths)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-3000:]
    with connect_build(paths) as connection:
        assert connection.execute("select n from main.after").fetchall() == [(8_000_000,)]


def test_a_night_without_disk_for_its_build_stops_before_writing_it(
    paths: WarehousePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_with(paths, 1)
    publish(paths)
    published = checksum(paths.warehouse)
    needed = paths.warehouse.stat().st_size + sum(
        path.stat().st_size for path in paths.marts.glob("*.parquet")
    )
    free = shutil.disk_usage(paths.data_dir)
    monkeypatch.setattr(warehouse.shutil, "disk_usage", lambda _: free._replace(free=needed - 1))
    with pytest.raises(DiskSpaceError) as refused:
        prepare_build(paths, from_published=True)
    message = str(refused.value)
    assert str(paths.build.parent) in message and "EMPREINTE_KEEP_PUBLISHED" in message
    assert f"about {needed / 1e9:,.1f} GB needed" in message
    assert not paths.build.exists()
    assert checksum(paths.warehouse) == published and published_value(paths) == 1
    # With just enough room the build starts from its copy.
    monkeypatch.setattr(warehouse.shutil, "disk_usage", lambda _: free._replace(free=needed))
    prepare_build(paths, from_published=True)
    assert checksum(paths.build) == published
