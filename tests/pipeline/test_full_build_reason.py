"""Whether a night builds from a copy of the published warehouse (incremental) or from an empty
file, and why (pipelines/incremental.py): no record to start from, other models, asked for, or
too much of the published file holding no live row after the rows computed again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.incremental import (
    COMPACT_AT_VARIABLE,
    FULL_REBUILD_VARIABLE,
    full_build_reason,
    published_unused_share,
)
from pipelines.published import publish
from pipelines.warehouse import WarehousePaths, connect_build
from tests.pipeline.publish_helpers import build_with

VERSION = "models-v1"


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WarehousePaths:
    for variable in (FULL_REBUILD_VARIABLE, COMPACT_AT_VARIABLE):
        monkeypatch.delenv(variable, raising=False)
    return WarehousePaths(data_dir=tmp_path, warehouse=tmp_path / "warehouse.duckdb")


def publish_footprint(paths: WarehousePaths, *, replaced: int = 0, record: bool = True) -> None:
    """Publish a fct_footprint of 10,000 rows (one row group) after ``replaced`` of them, every
    fourth, were deleted and appended again, as an incremental night does."""
    build_with(paths, 1, rows=10_000)
    with connect_build(paths) as connection:
        if replaced:
            kept = "marts.fct_footprint"
            connection.execute(f"create temp table again as select * from {kept} limit {replaced}")
            connection.execute(f"delete from {kept} where rowid % 4 = 0 and rowid < 4 * {replaced}")
            connection.execute(f"insert into {kept} select * from again")
        if record:
            connection.execute("create schema incremental_state")
            connection.execute(
                "create table incremental_state.fct_footprint_built_from as"
                f" select 'asset' as asset_id, 2026 as reporting_year, 0 as fingerprint,"
                f" '{VERSION}' as code_version"
            )
    publish(paths)


def test_a_first_night_builds_from_an_empty_file(paths: WarehousePaths) -> None:
    assert full_build_reason(paths, VERSION) == (
        "no published build with an incremental record to start from"
    )
    publish_footprint(paths, record=False)
    assert full_build_reason(paths, VERSION) == (
        "no published build with an incremental record to start from"
    )


def test_a_night_after_a_compact_build_of_the_same_models_is_incremental(
    paths: WarehousePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_footprint(paths)
    assert published_unused_share(paths) == 0
    assert full_build_reason(paths, VERSION) is None
    assert full_build_reason(paths, "models-v2") == (
        "the models or their configuration changed since the published build"
    )
    monkeypatch.setenv(FULL_REBUILD_VARIABLE, "1")
    assert full_build_reason(paths, VERSION) == "EMPREINTE_FULL_REBUILD asks for it"


def test_rows_computed_again_past_the_limit_make_the_night_write_the_file_compact(
    paths: WarehousePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2,500 of 10,000 rows deleted and appended: 12,500 rows stored for 10,000, a fifth of the
    # room without a live row (the file has no free block).
    publish_footprint(paths, replaced=2_500)
    assert published_unused_share(paths) == 0.2
    assert full_build_reason(paths, VERSION) is None, "under the default 0.25"
    monkeypatch.setenv(COMPACT_AT_VARIABLE, "0.2")
    assert full_build_reason(paths, VERSION) == (
        "20% of the published file holds no live row (free blocks, fct_footprint's"
        " deleted rows; EMPREINTE_COMPACT_AT 0.2): written compact again"
    )
