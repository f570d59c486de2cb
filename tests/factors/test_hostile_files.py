"""Broken and hostile override files (issue 10), and every shipped file read the same strict way.

A file that cannot be trusted is refused whole with ``file:line: reason``; a row that cannot be
used is left out, reported with ``file:line: field: reason``, and the rest loads. Nothing raw
(no traceback) reaches the user of ``empreinte factors validate``.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from pathlib import Path

import pytest
from override_rows import GOOD, csv_text

from factors import csv_files
from factors.commands import main
from factors.loading import DATA_DIR, load_factor_set, read_file
from factors.validation import (
    FactorValidationError,
    validate_factor_rows,
    validate_parameter_rows,
)

SHIPPED_ID = "ademe_acv_numerique_2025/category/laptop/manufacturing/climate_change"


def second(**changes: str) -> dict:
    """A second valid row, changed as given."""
    return {**GOOD, "factor_id": "org/dell-latitude-5450", "key": "dell|latitude 5450", **changes}


def refused(folder: Path) -> str:
    with pytest.raises(FactorValidationError) as error:
        load_factor_set(overrides_dir=folder)
    return str(error.value)


def folder_with(tmp_path: Path, content: bytes, name: str = "supplier.csv") -> Path:
    folder = tmp_path / "overrides"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(content)
    return folder


# --- refused whole: the file cannot be trusted ----------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (csv_text([GOOD]).encode("utf-16"), "supplier.csv:1: encoded in UTF-16"),
        (b"", "supplier.csv:1: empty file"),
        (b"\n \n", "supplier.csv:1: empty file"),
        (csv_text([]).encode(), "supplier.csv:1: header only: no data row"),
        (
            csv_text([GOOD]).encode() + b"org/x,organisation,model,dell|x\x00,manu",
            "supplier.csv:3: NUL byte",
        ),
        (
            csv_text([GOOD]).encode() + "\ufeff".encode() + csv_text([second()]).encode(),
            "supplier.csv:3: byte-order mark inside the file",
        ),
        (
            csv_text([GOOD, second(notes="Écran")]).encode("latin-1"),
            "supplier.csv:3: not valid UTF-8 (byte 0xC9)",
        ),
        (
            csv_text([GOOD]).encode() + b"org/cut,organisation,model,dell|cut,manufac",
            "supplier.csv:3: the file ends in the middle of a row (5 of 20 fields",
        ),
        (
            csv_text([GOOD]).encode() + b'org/q,organisation,model,"dell|q,manufacturing\n',
            "supplier.csv:3: not a readable CSV row",
        ),
        (
            csv_text([GOOD]).replace("notes\n", "value\n", 1).encode(),
            "supplier.csv:1: header: duplicated columns ['value']",
        ),
        (b"factor_id,value\nx,1\n", "supplier.csv:1: header: missing columns"),
        (b"model,value\nx,1\n", "supplier.csv:1: header: expected a factor file"),
    ],
    ids=[
        "utf16",
        "empty",
        "blank",
        "header_only",
        "nul_bytes",
        "bom_mid_file",
        "latin1",
        "cut_in_the_middle",
        "open_quote",
        "duplicated_column",
        "missing_columns",
        "unknown_kind",
    ],
)
def test_untrusted_file_is_refused_whole(tmp_path: Path, content: bytes, expected: str) -> None:
    message = refused(folder_with(tmp_path, content))
    assert expected in message
    assert "whole file is refused" in message or "header: missing columns" in message


def test_a_leading_utf8_bom_is_accepted(tmp_path: Path) -> None:
    loaded = load_factor_set(
        overrides_dir=folder_with(tmp_path, b"\xef\xbb\xbf" + csv_text([GOOD]).encode())
    )
    assert loaded.rejects == ()
    assert "org/dell-latitude-5440" in set(loaded.emission_factors["factor_id"])


def test_a_last_row_without_newline_but_whole_is_accepted(tmp_path: Path) -> None:
    content = csv_text([GOOD]).rstrip("\n").encode()
    assert load_factor_set(overrides_dir=folder_with(tmp_path, content)).rejects == ()


def test_memory_is_bounded_before_reading(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(csv_files, "MAX_FILE_BYTES", 1_000)
    folder = folder_with(tmp_path, csv_text([GOOD] * 1 + [second(notes="x" * 2_000)]).encode())
    assert "over the 1,000-byte limit" in refused(folder)


def test_a_field_over_the_csv_limit_refuses_the_file(tmp_path: Path) -> None:
    content = csv_text([GOOD, second(notes="x" * 200_000)]).encode()
    assert "supplier.csv:3: not a readable CSV row (field larger than field limit" in refused(
        folder_with(tmp_path, content)
    )


# --- rows left out and reported, the rest loaded -----------------------------------------------


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (second(value="inf"), "supplier.csv:3: value: not a number: 'inf'"),
        (second(value="NaN"), "supplier.csv:3: value: not a number: 'NaN'"),
        (second(value="-12"), "supplier.csv:3: value: negative value without flag"),
        (second(value=""), "supplier.csv:3: value: missing"),
        (second(source=""), "supplier.csv:3: source: missing"),
        (second(unit="gCO2e/unit"), "supplier.csv:3: unit: 'gCO2e/unit' is not the unit"),
        (
            second(notes="=cmd|' /C calc'!A0"),
            "supplier.csv:3: notes: starts with '=': a spreadsheet formula is refused",
        ),
        (second(source="@SUM(1+1)"), "supplier.csv:3: source: starts with '@'"),
        (second(notes="x" * 10_001), "supplier.csv:3: notes: 10,001 characters, over 10,000"),
        (
            {**GOOD, "factor_id": SHIPPED_ID},
            f"duplicate id {SHIPPED_ID!r}",
        ),
    ],
    ids=[
        "inf",
        "nan",
        "negative",
        "empty_value",
        "no_source",
        "unit",
        "formula",
        "formula_at",
        "huge_field",
        "shipped_id",
    ],
)
def test_bad_row_is_left_out_and_reported(tmp_path: Path, bad: dict, expected: str) -> None:
    loaded = load_factor_set(overrides_dir=folder_with(tmp_path, csv_text([GOOD, bad]).encode()))
    assert any(expected in problem for problem in loaded.rejects), loaded.rejects
    overrides = set(
        loaded.emission_factors.filter(loaded.emission_factors["precedence"] == 0)["factor_id"]
    )
    assert overrides == {"org/dell-latitude-5440"}  # the good row is loaded, the bad one is not


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            csv_text([GOOD]).splitlines()[1] + ",extra,fields",
            "supplier.csv:3: notes: 22 fields, expected 20",
        ),
        ("org/short,organisation,model", "supplier.csv:3: key: 3 fields, expected 20"),
    ],
    ids=["too_many_fields", "too_few_fields"],
)
def test_row_with_wrong_field_count_is_left_out(tmp_path: Path, line: str, expected: str) -> None:
    content = (csv_text([GOOD]) + line + "\n").encode()
    loaded = load_factor_set(overrides_dir=folder_with(tmp_path, content))
    assert [problem for problem in loaded.rejects if expected in problem], loaded.rejects


@pytest.mark.parametrize(
    "content",
    [
        csv_text([GOOD]).encode("utf-16"),
        b"",
        csv_text([GOOD, second(value="inf")]).encode(),
        csv_text([GOOD, second(notes='=HYPERLINK("http://x")')]).encode(),
    ],
    ids=["utf16", "empty", "inf", "formula"],
)
def test_validate_command_reports_without_a_traceback(
    tmp_path: Path, content: bytes, capsys
) -> None:
    folder = folder_with(tmp_path, content)
    stderr = io.StringIO()
    with redirect_stderr(stderr):
        assert main(["validate", str(folder)]) == 1
    assert "supplier.csv:" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue() + capsys.readouterr().err


def test_alias_files_are_read_strictly_too(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path, "device_category,alias\nlaptop,Portable\n".encode("utf-16"), "categories.csv"
    )
    (folder / "supplier.csv").write_text(csv_text([GOOD]), encoding="utf-8")
    from factors.matching import load_aliases

    with pytest.raises(FactorValidationError, match=r"categories.csv:1: encoded in UTF-16"):
        load_aliases([folder])


# --- shipped files pass the same validation as a user's -------------------------------------


def _shipped(kind: str) -> list[Path]:
    return sorted((DATA_DIR / kind).glob("*.csv"))


@pytest.mark.parametrize(
    "path", _shipped("emission_factors") + _shipped("parameters"), ids=lambda path: path.stem
)
def test_every_shipped_file_is_valid_and_sourced(path: Path) -> None:
    kind, table = read_file(path)
    assert table.problems == [] and table.rows
    check = validate_factor_rows if kind == "emission_factors" else validate_parameter_rows
    assert check(table.rows) == []
    assert all(row.values["source"] and row.values["source_year"] for row in table.rows)


def test_the_unquoted_comma_would_be_caught(tmp_path: Path) -> None:
    # ademe_arcep_2024.csv had "Professional desktop, without screen." unquoted: 19 fields.
    shipped = (DATA_DIR / "emission_factors" / "ademe_arcep_2024.csv").read_text(encoding="utf-8")
    broken = tmp_path / "ademe_arcep_2024.csv"
    broken.write_text(
        shipped.replace(
            '"Professional desktop, without screen."', "Professional desktop, without screen."
        ),
        encoding="utf-8",
    )
    _, table = read_file(broken)
    assert [str(problem) for problem in table.problems][:1] == [
        f"{broken}:5: notes: 21 fields, expected 20: an unquoted comma in a field?"
    ]
