"""Publishing swaps a checked build over the warehouse atomically; a bad night changes nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import (
    MARTS,
    WarehousePaths,
    prepare_build,
    publish,
    published_factor_sets,
)


def build_with(paths: WarehousePaths, value: int, marts: tuple[str, ...] = MARTS) -> None:
    """A build holding the marts, each one row ``value`` of factor set ``set-<value>``."""
    prepare_build(paths, from_published=False)
    with duckdb.connect(str(paths.build)) as connection:
        for mart in marts:
            connection.execute(
                f"create table {mart} as select {value} as value, 'set-{value}' as factor_set"
            )


def test_readers_keep_their_view_while_a_new_build_is_published(tmp_path: Path) -> None:
    paths = WarehousePaths(data_dir=tmp_path, warehouse=tmp_path / "warehouse.duckdb")
    build_with(paths, 1)
    assert publish(paths) == {mart: 1 for mart in MARTS}
    reader = duckdb.connect(str(paths.warehouse), read_only=True)
    build_with(paths, 2)
    publish(paths)  # the open reader does not block the writer
    assert reader.execute("select value from fct_footprint").fetchall() == [(1,)]
    reader.close()
    with duckdb.connect(str(paths.warehouse), read_only=True) as fresh:
        assert fresh.execute("select value from fct_footprint").fetchall() == [(2,)]
    parquet = duckdb.sql(f"select value from '{paths.marts / 'fct_footprint.parquet'}'")
    assert parquet.fetchall() == [(2,)]


def test_each_factor_set_keeps_its_published_edition(tmp_path: Path) -> None:
    paths = WarehousePaths(data_dir=tmp_path, warehouse=tmp_path / "warehouse.duckdb")
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


def test_a_build_without_its_marts_is_not_published(tmp_path: Path) -> None:
    paths = WarehousePaths(data_dir=tmp_path, warehouse=tmp_path / "warehouse.duckdb")
    build_with(paths, 1)
    publish(paths)
    build_with(paths, 3, marts=tuple(mart for mart in MARTS if mart != "dim_hardware_assets"))
    with pytest.raises(duckdb.CatalogException, match="dim_hardware_assets"):
        publish(paths)
    with duckdb.connect(str(paths.warehouse), read_only=True) as connection:
        assert connection.execute("select value from fct_footprint").fetchall() == [(1,)]
