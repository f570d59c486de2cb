"""The lake's landing rules: a batch is seen whole or not at all."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from connectors import lake


def batch(keys: list[str]) -> pl.DataFrame:
    extracted_at = datetime.now(UTC)
    frame = pl.DataFrame({"sys_id": keys, "sys_updated_on": ["2024-01-01 00:00:00"] * len(keys)})
    return lake.as_batch(frame, ["sys_id", "sys_updated_on"], lake.new_batch_id(), extracted_at)


def test_an_interrupted_landing_is_invisible_to_readers_and_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake.write_batch(batch(["a"]), tmp_path, "servicenow", "t")

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing and renaming

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", killed)
        with pytest.raises(KeyboardInterrupt):
            lake.write_batch(batch(["b", "c"]), tmp_path, "servicenow", "t")

    glob = f"{lake.table_dir(tmp_path, 'servicenow', 't')}/*.parquet"
    assert duckdb.sql(f"select sys_id from read_parquet('{glob}')").fetchall() == [("a",)]
    assert lake.read_table(tmp_path, "servicenow", "t")["sys_id"].to_list() == ["a"]
    assert len(lake.remove_temporary_files(tmp_path)) == 1
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_table_read_for_a_few_fields_holds_them_alone_across_drifted_batches(
    tmp_path: Path,
) -> None:
    lake.write_batch(batch(["a"]), tmp_path, "servicenow", "t")
    drifted = batch(["b"]).with_columns(model=pl.lit("m1"), name=pl.lit("left out"))
    lake.write_batch(drifted, tmp_path, "servicenow", "t")

    read = lake.read_table(tmp_path, "servicenow", "t", ["sys_id", "model"])
    assert read.columns == ["sys_id", "model"]  # nothing else is read
    assert sorted(read.rows()) == [("a", None), ("b", "m1")]  # the older batch has no model
    assert "name" in lake.read_table(tmp_path, "servicenow", "t").columns
