"""The shipped figures equal their published values, and every row is sourced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from factors.loading import DATA_DIR, load_factor_set, read_rows
from factors.schema import FACTOR_FILE_COLUMNS, PARAMETER_FILE_COLUMNS
from factors.validation import validate_factor_rows, validate_parameter_rows

ADEME_ARCEP = {  # kgCO2e per device: manufacturing, distribution, end of life (Impact CO2)
    "laptop": (170.3, 12.3, 2.8),
    "desktop": (202.6, 1.8, 6.6),
    "screen": (64.6, 1.3, 3.9),
    "smartphone": (83, 2.1, 0.2),
}


@pytest.fixture(scope="module")
def default_set():
    return load_factor_set("empreinte-2025", overrides_dir=None)


@pytest.mark.parametrize("category", sorted(ADEME_ARCEP))
def test_ademe_arcep_rows_equal_published_values(default_set, category: str) -> None:
    rows = default_set.emission_factors.filter(
        (pl.col("data_set") == "ademe_arcep_2024") & (pl.col("key") == category),
    )
    by_stage = dict(zip(rows["stage"], rows["value"], strict=True))
    manufacturing, distribution, end_of_life = ADEME_ARCEP[category]
    assert by_stage == {
        "manufacturing": manufacturing,
        "distribution": distribution,
        "end_of_life": end_of_life,
    }
    assert set(rows["unit"]) == {"kgCO2e/unit"}
    assert set(rows["source_year"]) == {2024}


def test_france_grid_rows_equal_published_values(default_set) -> None:
    grid = default_set.emission_factors.filter(
        (pl.col("scope") == "grid")
        & (pl.col("key") == "FR")
        & (pl.col("criterion") == "climate_change"),
    )
    values = dict(zip(grid["data_set"], grid["value"], strict=True))
    assert values["electricity_base_impacts_2011"] == pytest.approx(0.0813225)
    assert values["electricity_boavizta_2019"] == pytest.approx(0.098)
    assert set(grid["unit"]) == {"kgCO2e/kWh"}


@pytest.mark.parametrize("year", range(2015, 2027))
def test_france_grid_covers_every_demo_year(default_set, year: int) -> None:
    day = date(year, 6, 30)
    valid = default_set.emission_factors.filter(
        (pl.col("scope") == "grid")
        & (pl.col("key") == "FR")
        & (pl.col("criterion") == "climate_change")
        & (pl.col("valid_from") <= day)
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= day)),
    )
    winner = valid.sort("precedence").row(0, named=True)
    expected = 0.098 if year >= 2019 else 0.0813225
    assert winner["value"] == pytest.approx(expected)
    assert winner["notes"]


def test_older_ademe_study_kept_apart() -> None:
    rows = load_factor_set("ademe-2018").emission_factors.filter(pl.col("data_set") == "ademe_2018")
    totals = rows.filter(pl.col("stage") == "manufacturing")
    assert dict(zip(totals["key"], totals["value"], strict=True)) == {
        "laptop": 156,
        "desktop": 169,
        "screen": 248,
    }
    # The totals include distribution and end of life: this set must not add the 2024 ones.
    others = rows.filter(pl.col("stage") != "manufacturing")
    assert others.height == 6 and others["value"].to_list() == [0] * 6


def test_base_impacts_transcription() -> None:
    rows = load_factor_set().emission_factors.filter(
        pl.col("data_set") == "base_impacts_negaoctet_boavizta_2.5.0",
    )
    climate = rows.filter(pl.col("criterion") == "climate_change")
    values = dict(zip(climate["key"], climate["value"], strict=True))
    assert values["laptop"] == 181 and values["desktop"] == 277 and values["tablet"] == 75.9
    assert values["screen"] == 64.7 and values["smartphone"] == 84 and values["server_rack"] == 3660
    laptop_adpe = rows.filter(
        (pl.col("key") == "laptop") & (pl.col("criterion") == "abiotic_depletion")
    )
    assert laptop_adpe["value"].item() == pytest.approx(0.0086)
    assert laptop_adpe["unit"].item() == "kgSbe/unit"


def _all_files(kind: str) -> list[Path]:
    return sorted((DATA_DIR / kind).glob("*.csv"))


@pytest.mark.parametrize("path", _all_files("emission_factors"), ids=lambda p: p.stem)
def test_every_factor_row_is_sourced_and_valid(path: Path) -> None:
    rows = read_rows(path, FACTOR_FILE_COLUMNS)
    assert rows
    assert validate_factor_rows(rows) == []
    assert all(row.values["source"] and row.values["source_year"] for row in rows)


@pytest.mark.parametrize("path", _all_files("parameters"), ids=lambda p: p.stem)
def test_every_parameter_row_is_sourced_and_valid(path: Path) -> None:
    rows = read_rows(path, PARAMETER_FILE_COLUMNS)
    assert rows
    assert validate_parameter_rows(rows) == []
    assert all(row.values["source"] and row.values["source_year"] for row in rows)


def test_every_category_has_a_lifetime_an_energy_and_a_climate_factor(default_set) -> None:
    from factors.schema import DEVICE_CATEGORIES

    parameters = default_set.parameters.filter(pl.col("scope") == "category")
    for parameter in ("lifetime_years", "annual_energy_kwh"):
        keys = set(parameters.filter(pl.col("parameter") == parameter)["key"])
        assert set(DEVICE_CATEGORIES) <= keys, parameter
    factors = default_set.emission_factors.filter(
        (pl.col("scope") == "category") & (pl.col("criterion") == "climate_change"),
    )
    assert set(DEVICE_CATEGORIES) <= set(factors["key"])
    assert default_set.parameters.filter(pl.col("parameter") == "pue")["value"].to_list() == [1.75]


def test_relative_uncertainty_for_every_match_level_and_quality(default_set) -> None:
    rows = default_set.parameters.filter(pl.col("parameter") == "relative_uncertainty")
    half_widths = dict(zip(rows["key"], rows["value"], strict=True))
    assert set(half_widths) == {
        f"{level}|{quality}"
        for level in ("configuration", "model", "manufacturer_category", "category")
        for quality in ("primary", "secondary", "proxy")
    }
    # A manufacturer's own sheet (about 20 % stated error) is tighter than a category proxy.
    assert half_widths["model|primary"] == 0.2 and half_widths["category|proxy"] == 0.8
    assert set(rows["scope"]) == {"match_level"} and set(rows["unit"]) == {"ratio"}
    assert all("min = " in note for note in rows["notes"])


def test_money_ratios_are_flagged_last_resort(default_set) -> None:
    money = default_set.emission_factors.filter(pl.col("scope") == "money")
    assert money.height and money["is_last_resort"].all()
    assert (
        ~default_set.emission_factors.filter(pl.col("scope") != "money")["is_last_resort"]
    ).all()


def test_vehicle_life_cycle_figures_are_sourced_and_proxies_flagged() -> None:
    rows = load_factor_set().emission_factors.filter(
        pl.col("data_set") == "transport_lifecycle_studies"
    )
    by_key = {row["key"]: row for row in rows.iter_rows(named=True)}
    assert by_key["car_electric"]["value"] == 0.065
    assert (by_key["car_electric"]["value_min"], by_key["car_electric"]["value_max"]) == (
        0.052,
        0.065,
    )
    assert "ICCT" in by_key["car_electric"]["source"]
    assert by_key["cargo_bike"]["value"] == 0.013
    assert by_key["cargo_bike"]["notes"].startswith("PROXY")
