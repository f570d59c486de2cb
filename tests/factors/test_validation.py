"""Validation rejects each kind of bad row, naming the file, the row and the reason."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from override_rows import GOOD

from factors.commands import validate
from factors.schema import FACTOR_FILE_COLUMNS, PARAMETER_FILE_COLUMNS
from factors.validation import FactorValidationError


def write(path: Path, rows: list[dict], columns=FACTOR_FILE_COLUMNS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def rejected(tmp_path: Path, rows: list[dict], columns=FACTOR_FILE_COLUMNS) -> str:
    path = write(tmp_path / "organisation.csv", rows, columns)
    with pytest.raises(FactorValidationError) as error:
        validate(path)
    return str(error.value)


def test_good_row_accepted(tmp_path: Path) -> None:
    assert "1 rows valid" in validate(write(tmp_path / "organisation.csv", [GOOD]))


def test_rejects_unsourced_row(tmp_path: Path) -> None:
    message = rejected(tmp_path, [{**GOOD, "source": ""}])
    assert "organisation.csv:2: source: missing" in message


def test_rejects_row_without_source_year(tmp_path: Path) -> None:
    assert "organisation.csv:2: source_year: missing" in rejected(
        tmp_path, [{**GOOD, "source_year": ""}]
    )


def test_rejects_inconsistent_unit(tmp_path: Path) -> None:
    message = rejected(tmp_path, [{**GOOD, "unit": "gCO2e/unit"}])
    assert "organisation.csv:2: unit:" in message and "kgCO2e/unit" in message


def test_rejects_unit_of_another_scope(tmp_path: Path) -> None:
    row = {**GOOD, "scope": "grid", "key": "FR", "stage": "use", "unit": "kgCO2e/unit"}
    assert "kgCO2e/kWh" in rejected(tmp_path, [row])


def test_rejects_value_outside_its_range(tmp_path: Path) -> None:
    message = rejected(tmp_path, [{**GOOD, "value_min": "260", "value_max": "300"}])
    assert "organisation.csv:2: value: expected value_min <= value <= value_max" in message


def test_rejects_overlapping_validity(tmp_path: Path) -> None:
    second = {**GOOD, "factor_id": "org/2", "valid_from": "2020-01-01"}
    first = {**GOOD, "valid_to": "2022-12-31"}
    message = rejected(tmp_path, [first, second])
    assert "organisation.csv:3: valid_from: validity overlaps" in message


def test_accepts_consecutive_validity(tmp_path: Path) -> None:
    first = {**GOOD, "valid_to": "2019-12-31"}
    second = {**GOOD, "factor_id": "org/2", "valid_from": "2020-01-01"}
    assert "2 rows valid" in validate(write(tmp_path / "organisation.csv", [first, second]))


def test_rejects_duplicate_id(tmp_path: Path) -> None:
    second = {**GOOD, "key": "dell|latitude 5450"}
    assert "organisation.csv:3: factor_id: duplicate id" in rejected(tmp_path, [GOOD, second])


def test_rejects_unknown_category(tmp_path: Path) -> None:
    row = {**GOOD, "scope": "category", "key": "toaster"}
    assert "organisation.csv:2: key: unknown device category 'toaster'" in rejected(tmp_path, [row])


def test_rejects_unknown_criterion(tmp_path: Path) -> None:
    assert "criterion: unknown criterion 'gwp'" in rejected(
        tmp_path, [{**GOOD, "criterion": "gwp"}]
    )


def test_rejects_unknown_stage(tmp_path: Path) -> None:
    assert "stage: unknown stage 'production'" in rejected(
        tmp_path, [{**GOOD, "stage": "production"}]
    )


def test_rejects_unknown_country_code(tmp_path: Path) -> None:
    row = {**GOOD, "scope": "grid", "key": "FRA", "stage": "use", "unit": "kgCO2e/kWh"}
    assert "key: unknown country code 'FRA'" in rejected(tmp_path, [row])


def test_rejects_value_that_is_not_a_number(tmp_path: Path) -> None:
    assert "value: not a number: '1,5'" in rejected(tmp_path, [{**GOOD, "value": "1,5"}])


def test_rejects_bad_dates(tmp_path: Path) -> None:
    message = rejected(tmp_path, [{**GOOD, "valid_from": "2024-01-01", "valid_to": "2023-01-01"}])
    assert "valid_to: before valid_from" in message


def test_rejects_row_without_quality_or_with_unknown_flag(tmp_path: Path) -> None:
    message = rejected(
        tmp_path, [{**GOOD, "quality": ""}, {**GOOD, "factor_id": "x", "flag": "odd"}]
    )
    assert "organisation.csv:2: quality: missing" in message
    assert "organisation.csv:3: flag: unknown flag 'odd'" in message


def test_not_covered_rows_have_no_value_and_only_they(tmp_path: Path) -> None:
    uncovered = {**GOOD, "flag": "not_covered", "value": ""}
    assert "1 rows valid" in validate(write(tmp_path / "organisation.csv", [uncovered]))
    message = rejected(
        tmp_path, [{**uncovered, "value": "3"}, {**GOOD, "factor_id": "x", "value": ""}]
    )
    assert "organisation.csv:2: value: must be empty on a 'not_covered' row" in message
    assert "organisation.csv:3: value: missing (only a 'not_covered' row has no value)" in message


def test_negative_values_only_where_the_source_publishes_them(tmp_path: Path) -> None:
    negative = {**GOOD, "value": "-812", "flag": "negative_in_source"}
    assert "1 rows valid" in validate(write(tmp_path / "organisation.csv", [negative]))
    message = rejected(
        tmp_path,
        [{**negative, "flag": ""}, {**GOOD, "factor_id": "x", "flag": "negative_in_source"}],
    )
    assert "organisation.csv:2: value: negative value without flag 'negative_in_source'" in message
    assert (
        "organisation.csv:3: flag: 'negative_in_source' on a value that is not negative" in message
    )


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_rejects_values_that_are_not_finite(tmp_path: Path, text: str) -> None:
    assert f"organisation.csv:2: value: not a number: {text!r}" in rejected(
        tmp_path, [{**GOOD, "value": text}]
    )


def test_rejects_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "organisation.csv"
    path.write_text("factor_id,value\nx,1\n", encoding="utf-8")
    with pytest.raises(
        FactorValidationError, match=r"organisation\.csv:1: header: missing columns"
    ):
        validate(path)


def test_rejects_bad_parameter(tmp_path: Path) -> None:
    row = {
        "parameter_id": "org/lifetime",
        "data_set": "organisation",
        "scope": "category",
        "key": "laptop",
        "parameter": "lifetime_years",
        "value": "0",
        "value_min": "",
        "value_max": "",
        "unit": "month",
        "source": "Our asset policy 2024",
        "source_url": "",
        "source_year": "2024",
        "valid_from": "2000-01-01",
        "valid_to": "",
        "region": "",
        "quality": "primary",
        "flag": "",
        "notes": "",
    }
    message = rejected(tmp_path, [row], PARAMETER_FILE_COLUMNS)
    assert (
        "organisation.csv:2: unit:" in message
        and "value: a lifetime_years must be positive" in message
    )


def test_shipped_file_must_match_its_data_set_name(tmp_path: Path) -> None:
    from factors.loading import read_file
    from factors.validation import validate_factor_rows

    path = write(tmp_path / "some_set.csv", [GOOD])
    errors = validate_factor_rows(read_file(path)[1].rows)
    assert any("differs from the file name" in error for error in errors)
