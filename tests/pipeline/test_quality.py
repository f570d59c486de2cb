"""The Great Expectations suite of a landed table: which expectations it holds per column, and
its verdict on a batch whose values only it would refuse."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from connectors.servicenow.tables import table_spec
from pipelines.quality import expectations, validate

LENGTH = "ExpectColumnValueLengthsToBeBetween"
SYS_ID = "0123456789abcdef0123456789abcdef"


def columns_of(kind: str, table: str) -> set[str]:
    return {e.column for e in expectations(table_spec(table), 10) if type(e).__name__ == kind}


def test_a_length_is_expected_where_no_pattern_or_value_list_bounds_it() -> None:
    # alm_hardware's free text (tables.py); its sys_ids, dates, numbers and choices with a
    # known list are bounded by their pattern or list already.
    assert columns_of(LENGTH, "alm_hardware") == {"asset_tag", "disposal_reason"}
    # A list of sys_ids can be any number of them: its pattern bounds nothing.
    assert "cmdb_model_category" in columns_of(LENGTH, "cmdb_model")
    assert "cmdb_model_category" in columns_of("ExpectColumnValuesToMatchRegex", "cmdb_model")


def test_the_suite_refuses_a_value_too_long_and_a_key_of_the_wrong_form(tmp_path: Path) -> None:
    spec = table_spec("alm_hardware")
    row = dict.fromkeys(spec.columns, "") | {
        "sys_id": SYS_ID,
        "sys_updated_on": "2026-10-01 08:00:00",
        "asset_tag": "P" * 4_000,  # at the limit
    }
    good = pl.DataFrame([row, row | {"sys_id": SYS_ID[::-1]}])
    passed, failed = validate(good, spec, tmp_path / "good.html")
    assert passed and failed == {}

    bad = good.with_columns(
        asset_tag=pl.Series(["P" * 4_001, "P"]),  # one character over
        sys_id=pl.Series([SYS_ID, SYS_ID + "0"]),  # 33 characters: its pattern refuses it
    )
    passed, failed = validate(bad, spec, tmp_path / "bad.html")
    assert not passed
    assert failed.keys() == {
        "expect_column_value_lengths_to_be_between(asset_tag)",
        "expect_column_values_to_match_regex(sys_id)",
    }
    assert failed["expect_column_values_to_match_regex(sys_id)"]["sample"] == [SYS_ID + "0"]
    assert (tmp_path / "bad.html").stat().st_size > 0
