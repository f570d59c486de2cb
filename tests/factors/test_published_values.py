"""The shipped figures equal their published values (factor-audit.md), and every row is sourced.

Expected figures are copied from the publications, with the arithmetic of derived ones worked
here by hand in comments, not recomputed from the data files.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from factors.grid import series_of
from factors.loading import factor_sets, load_factor_set
from factors.schema import DEVICE_CATEGORIES

ADEME_ARCEP = {  # kgCO2e per device: manufacturing, distribution, end of life (Impact CO2)
    "laptop": (170.3, 12.3, 2.8),
    "desktop": (202.6, 1.8, 6.6),
    "screen": (64.6, 1.3, 3.9),
    "smartphone": (83, 2.1, 0.2),
}
# ADEME publicodes-acv-numerique, Base IMPACTS v2.0.0 (audit D4): kgCO2e manufacturing,
# distribution, end of life; lifetime in years.
ADEME_2025 = {
    "smartphone": (77.0, 2.27, 0.246, 2.5),
    "tablet": (80.5, 3.43, 0.364, 3),
    "laptop": (170.0, 12.3, 2.79, 5),
    "desktop": (203, 1.85, 6.61, 6),
    "screen": (64.6, 1.29, 3.95, 6),
    "router": (60.8, 0.61, 1.63, 5),  # ADEME's "box"
    "printer": (10.5, 0.3, 10.2, 5),
    "projector": (39.2, 1.32115, 3.26, 8),  # distribution 1,321.150 gCO2e
}
# Default set's category annual energy (kWh/year), before -> after this edition.
ANNUAL_ENERGY = {
    "laptop": 29.0175,  # ADEME 26.5 W x 3 h/day x 365 / 1000 (was 197.1, Boavizta archetype)
    "desktop": 153.3,  # 70 W x 6 h x 365 / 1000 = 153.3 (was 459.9)
    "screen": 73.0,  # 50 W x 4 h x 365 / 1000 = 73 (was 144.54)
    "smartphone": 4.9275,  # 4.5 W x 3 h x 365 / 1000 (was 2.628)
    "tablet": 18.25,  # 20 W x 2.5 h x 365 / 1000 (was 19.71)
    "printer": 21.9,  # 60 W x 1 h x 365 / 1000 (was 459.9, desktop proxy)
    "multifunction_printer": 21.9,  # the printer figure, as a proxy (was 459.9)
    "projector": 36.5,  # 200 W x 0.5 h x 365 / 1000 (was 788.4, TV proxy)
    "router": 70.08,  # ADEME box, 8 W x 24 h x 365 / 1000 (was 87.6)
    "network_switch": 70.08,
    "server_rack": 1529,  # PCF median, n = 48 (was 4,693.44 from the Boavizta engine)
    "thin_client": 41,  # median of 13 Wyse TEC with the 2022 sheets (was 40.4)
    "storage_array": 5561.12,  # only the Boavizta engine gives one: unchanged
}
# France, ADEME Base Empreinte "Électricité - mix moyen - consommation" (audit D1).
FRANCE_ADEME = {2020: 0.0599, 2021: 0.0569, 2022: 0.0520, 2023: 0.0580, 2024: 0.0519, 2025: 0.0461}
# Ember yearly (OWID carbon_intensity_elec), gCO2e/kWh (audit D1, D2).
EMBER = {
    ("FR", 2015): 59.17,
    ("FR", 2022): 78.54,
    ("FR", 2025): 41.44,
    ("DE", 2018): 454.55,
    ("DE", 2024): 336.38,
    ("US", 2020): 411.73,
    ("US", 2025): 384.40,
    ("GB", 2019): 268.41,
    ("GB", 2025): 217.41,
}
CORE_CRITERIA = ("climate_change", "abiotic_depletion", "primary_energy")
EMBODIED_STAGES = ("manufacturing", "distribution", "end_of_life")


@pytest.fixture(scope="module")
def default_set():
    return load_factor_set(overrides_dir=None)


@pytest.fixture(scope="module")
def previous_set():
    return load_factor_set("empreinte-2025", overrides_dir=None)


def rows_of(loaded, data_set: str, key: str | None = None) -> pl.DataFrame:
    frame = loaded.emission_factors.filter(pl.col("data_set") == data_set)
    return frame.filter(pl.col("key") == key) if key else frame


def winner(frame: pl.DataFrame, **equal) -> dict:
    """The row of lowest precedence among those with the given column values."""
    for column, value in equal.items():
        frame = frame.filter(pl.col(column) == value)
    return frame.sort("precedence").row(0, named=True)


def test_default_set_is_the_2026_edition(default_set) -> None:
    assert (default_set.factor_set.name, default_set.factor_set.edition) == (
        "empreinte-2026",
        "2026.1",
    )
    # Earlier sets stay loadable so baselines can be restated.
    assert {"empreinte-2025", "ademe-2018", "base-impacts-2011"} <= set(factor_sets())


@pytest.mark.parametrize("category", sorted(ADEME_ARCEP))
def test_ademe_arcep_rows_equal_published_values(previous_set, category: str) -> None:
    rows = rows_of(previous_set, "ademe_arcep_2024", category)
    by_stage = dict(zip(rows["stage"], rows["value"], strict=True))
    manufacturing, distribution, end_of_life = ADEME_ARCEP[category]
    assert by_stage == {
        "manufacturing": manufacturing,
        "distribution": distribution,
        "end_of_life": end_of_life,
    }
    assert set(rows["unit"]) == {"kgCO2e/unit"} and set(rows["source_year"]) == {2024}
    # The study (2022, data 2020) as republished by Impact CO2 on 2024-04-11 (audit C8).
    assert "data 2020" in rows["source"][0] and "2024-04-11" in rows["source"][0]
    assert "5226-evaluation-de-l-impact-environnemental" in rows["source_url"][0]


def test_ademe_arcep_desktop_note_keeps_its_comma(previous_set) -> None:
    # The note had an unquoted comma: the row had one field too many and lost its end.
    rows = rows_of(previous_set, "ademe_arcep_2024", "desktop")
    assert set(rows["notes"]) == {"Professional desktop, without screen."}


@pytest.mark.parametrize("category", sorted(ADEME_2025))
def test_newer_ademe_device_edition(default_set, category: str) -> None:
    manufacturing, distribution, end_of_life, lifetime = ADEME_2025[category]
    rows = rows_of(default_set, "ademe_acv_numerique_2025", category).filter(
        pl.col("criterion") == "climate_change"
    )
    assert dict(zip(rows["stage"], rows["value"], strict=True)) == pytest.approx(
        {"manufacturing": manufacturing, "distribution": distribution, "end_of_life": end_of_life}
    )
    for stage in EMBODIED_STAGES:  # the default set takes them: precedence 1
        chosen = winner(
            default_set.emission_factors,
            scope="category",
            key=category,
            stage=stage,
            criterion="climate_change",
        )
        assert chosen["data_set"] == "ademe_acv_numerique_2025", (category, stage)
    lifetimes = default_set.parameters.filter(
        (pl.col("data_set") == "ademe_acv_numerique_2025")
        & (pl.col("key") == category)
        & (pl.col("parameter") == "lifetime_years")
    )
    assert lifetimes["value"].item() == lifetime


def test_proxies_are_replaced_in_the_default_set(default_set, previous_set) -> None:
    assert rows_of(default_set, "proxies_boavizta_2.5.0").is_empty()
    assert not rows_of(previous_set, "proxies_boavizta_2.5.0").is_empty()
    printer = winner(
        default_set.emission_factors,
        key="printer",
        stage="manufacturing",
        criterion="climate_change",
    )
    assert (printer["value"], printer["quality"]) == (10.5, "secondary")  # was 277 (desktop)
    switch = winner(
        default_set.emission_factors,
        key="network_switch",
        stage="manufacturing",
        criterion="climate_change",
    )
    assert (switch["value"], switch["quality"]) == (60.8, "proxy")  # ADEME's box
    assert switch["notes"].startswith("PROXY")


@pytest.mark.parametrize("category", sorted(ANNUAL_ENERGY))
def test_category_annual_energy_from_published_usage(default_set, category: str) -> None:
    chosen = winner(
        default_set.parameters, scope="category", key=category, parameter="annual_energy_kwh"
    )
    assert chosen["value"] == pytest.approx(ANNUAL_ENERGY[category])


def test_annual_energy_precedence_ademe_then_pcf_medians_then_archetype(default_set) -> None:
    order = [
        data_set
        for data_set in default_set.factor_set.parameters
        if data_set
        in (
            "ademe_acv_numerique_2025",
            "boavizta_footprint_data_medians",
            "boavizta_archetypes_2.5.0",
        )
    ]
    assert order == [
        "ademe_acv_numerique_2025",
        "boavizta_footprint_data_medians",
        "boavizta_archetypes_2.5.0",
    ]


def test_france_grid_is_ademe_base_empreinte_year_by_year(default_set) -> None:
    france = default_set.emission_factors.filter(
        (pl.col("scope") == "grid")
        & (pl.col("key") == "FR")
        & (pl.col("criterion") == "climate_change")
    )
    assert set(france["data_set"]) == {"electricity_ademe_base_empreinte"}
    by_year = {row["valid_from"].year: row for row in france.iter_rows(named=True)}
    assert {year: row["value"] for year, row in by_year.items()} == FRANCE_ADEME
    for year, row in by_year.items():
        assert (row["valid_from"], row["valid_to"]) == (date(year, 1, 1), date(year, 12, 31))
        assert row["quality"] == "primary" and row["notes"]
    # From 2024 ADEME smooths over four years: the rows say so.
    assert "four years" in by_year[2024]["notes"] and "four years" in by_year[2025]["notes"]
    # Years the series does not cover are left to the dbt's fallback, not filled here.
    assert not any(year < 2020 for year in by_year)


@pytest.mark.parametrize(("country", "year"), sorted(EMBER))
def test_ember_series(country: str, year: int) -> None:
    rows = load_factor_set("empreinte-2026").emission_factors
    if country == "FR":  # Ember's France is its own data set, not the default set's series
        from factors.loading import data_set_rows

        values = {
            (row.values["key"], row.values["valid_from"][:4]): float(row.values["value"])
            for row in data_set_rows("emission_factors", "electricity_ember_2025")
        }
        assert values[(country, str(year))] == pytest.approx(EMBER[country, year] / 1000)
        return
    row = winner(
        rows, scope="grid", key=country, criterion="climate_change", valid_from=date(year, 1, 1)
    )
    assert row["data_set"] == "electricity_ember_2025"
    assert row["value"] == pytest.approx(EMBER[country, year] / 1000)


@pytest.mark.parametrize(
    "name", ["empreinte-2026", "empreinte-2025", "ademe-2018", "base-impacts-2011"]
)
def test_one_grid_series_per_country_and_criterion(name: str) -> None:
    grid = load_factor_set(name).emission_factors.filter(pl.col("scope") == "grid")
    per_series = grid.group_by("key", "criterion").agg(pl.col("data_set").n_unique())
    assert per_series["data_set"].max() == 1, per_series.filter(pl.col("data_set") > 1)


def test_previous_sets_are_no_longer_spliced(previous_set) -> None:
    # empreinte-2025 spliced France: 0.0813 (Base IMPACTS 2011) then 0.098 (Scarlat 2019).
    series = series_of(previous_set.emission_factors)
    assert series["FR", "climate_change"] == "electricity_boavizta_2019"
    base_impacts = series_of(load_factor_set("base-impacts-2011").emission_factors)
    assert base_impacts["FR", "climate_change"] == "electricity_base_impacts_2011"


def test_electric_car(default_set) -> None:
    use = winner(default_set.emission_factors, key="car_electric", stage="use")
    construction = winner(default_set.emission_factors, key="car_electric", stage="manufacturing")
    assert (use["value"], construction["value"]) == (0.0198, 0.0836)
    assert use["value"] + construction["value"] == pytest.approx(0.1034)  # ADEME's French figure
    icct = rows_of(default_set, "transport_icct_2025", "car_electric").row(0, named=True)
    assert (icct["value"], icct["value_min"]) == (0.063, 0.052)  # not the magazine's 0.065
    assert "ICCT" in icct["source"] and "Negri" in icct["source"]
    assert "journalauto" not in (icct["source_url"] or "")


def test_older_ademe_study_kept_apart() -> None:
    rows = rows_of(load_factor_set("ademe-2018"), "ademe_2018")
    totals = rows.filter(pl.col("stage") == "manufacturing")
    assert dict(zip(totals["key"], totals["value"], strict=True)) == {
        "laptop": 156,
        "desktop": 169,
        "screen": 248,
    }
    # Distribution is inside the 2018 total; end of life was published apart (audit C5a).
    distribution = rows.filter(pl.col("stage") == "distribution")
    assert distribution["value"].to_list() == [0] * 3
    end_of_life = rows.filter(pl.col("stage") == "end_of_life")
    assert dict(zip(end_of_life["key"], end_of_life["value"], strict=True)) == {
        "laptop": -5.79,
        "desktop": -10.24,
        "screen": -5.37,
    }
    assert set(end_of_life["flag"]) == {"negative_in_source"}
    assert all("librairie.ademe.fr" in url for url in rows["source_url"])


def test_superseded_wyse_sheets_corrected(default_set) -> None:
    models = rows_of(default_set, "boavizta_footprint_data_models_2026")
    value = dict(zip(models["key"], models["value"], strict=True))
    assert value["dell|wyse 3040"] == pytest.approx(61.983)  # 97 x 0.639
    assert value["dell|wyse 5070"] == pytest.approx(102.45)  # 150 x 0.683
    median = models.filter((pl.col("key") == "thin_client") & pl.col("value").is_not_null())
    assert (median["value"].item(), median["value_max"].item()) == (45.14, 102.45)
    energy = default_set.parameters.filter(pl.col("data_set") == "boavizta_footprint_data_2026")
    tec = dict(zip(energy["key"], energy["value"], strict=True))
    assert (tec["dell|wyse 3040"], tec["dell|wyse 5070"], tec["thin_client"]) == (30.7, 41.84, 41)


def test_upstream_outliers_flagged() -> None:
    grid = load_factor_set("base-impacts-2011").emission_factors.filter(pl.col("scope") == "grid")
    flagged = grid.filter(pl.col("flag") == "upstream_outlier")
    acidification = flagged.filter(pl.col("criterion") == "acidification")
    assert set(acidification["key"]) == {"CZ", "WORLD", "EUROPE"}
    assert "NA" in set(flagged.filter(pl.col("criterion") == "primary_energy")["key"])
    # Biogenic and land-use GWP and land use are 0 for every country: placeholders.
    for criterion in ("climate_change_biogenic", "climate_change_land_use", "land_use"):
        assert set(grid.filter(pl.col("criterion") == criterion)["flag"]) == {"upstream_outlier"}
    assert grid.filter((pl.col("key") == "FR") & (pl.col("criterion") == "acidification"))[
        "flag"
    ].to_list() == [None]


def test_negative_values_are_flagged_as_published(default_set) -> None:
    water = winner(
        default_set.emission_factors, key="laptop", criterion="water_use", stage="manufacturing"
    )
    assert (water["value"], water["flag"]) == (-812, "negative_in_source")
    negative = default_set.emission_factors.filter(pl.col("value") < 0)
    assert set(negative["flag"]) == {"negative_in_source"}


@pytest.mark.parametrize("category", DEVICE_CATEGORIES)
def test_every_stage_and_criterion_is_given_or_stated_missing(default_set, category) -> None:
    rows = default_set.emission_factors.filter(
        (pl.col("scope") == "category") & (pl.col("key") == category)
    )
    for criterion in CORE_CRITERIA:
        for stage in EMBODIED_STAGES:
            candidates = rows.filter(
                (pl.col("criterion") == criterion) & (pl.col("stage") == stage)
            )
            assert candidates.height, f"{category} {stage} {criterion} silently absent"


def test_not_covered_rows_say_so_and_carry_no_value(default_set) -> None:
    uncovered = default_set.emission_factors.filter(pl.col("flag") == "not_covered")
    assert (
        uncovered.select("value", "value_min", "value_max").null_count().row(0)
        == (uncovered.height,) * 3
    )
    assert all(note.startswith("NOT COVERED") for note in uncovered["notes"])
    servers = uncovered.filter(
        (pl.col("key") == "server_rack") & (pl.col("stage") == "end_of_life")
    )
    assert set(servers["criterion"]) == set(CORE_CRITERIA)
    # Never stated where another data set of the set gives a figure.
    covered = default_set.emission_factors.filter(pl.col("value").is_not_null()).select(
        "scope", "key", "stage", "criterion"
    )
    assert uncovered.join(covered, on=["scope", "key", "stage", "criterion"]).is_empty()


def test_quality_follows_the_rows_nature(default_set) -> None:
    factors = default_set.emission_factors
    proxies = factors.filter(pl.col("notes").str.starts_with("PROXY"))
    assert set(proxies["quality"]) == {"proxy"}
    models = factors.filter(pl.col("data_set").str.starts_with("boavizta_footprint_data_models"))
    assert set(models.filter(pl.col("scope") == "model")["quality"]) == {"primary"}
    assert set(models.filter(pl.col("scope") != "model")["quality"]) == {"secondary"}


def test_citations_name_files_that_exist(default_set) -> None:
    urls = set(default_set.emission_factors["source_url"].drop_nulls())
    urls |= set(default_set.parameters.filter(pl.col("source_url").is_not_null())["source_url"])
    assert not [url for url in urls if "github.com/cnumr/NumEcoEval" in url]
    lifetimes = default_set.parameters.filter(pl.col("data_set") == "ademe_arcep_lifetimes")
    assert all("G4IT" in source for source in lifetimes["source"])
    medians = rows_of(default_set, "boavizta_footprint_data_medians")
    assert all(note.startswith("Method:") for note in medians["notes"])
    assert set(medians["source_year"]) == {2023}


def test_base_impacts_transcription() -> None:
    rows = rows_of(load_factor_set(), "base_impacts_negaoctet_boavizta_2.5.0")
    climate = rows.filter(pl.col("criterion") == "climate_change")
    values = dict(zip(climate["key"], climate["value"], strict=True))
    assert values["laptop"] == 181 and values["desktop"] == 277 and values["tablet"] == 75.9
    assert values["screen"] == 64.7 and values["smartphone"] == 84 and values["server_rack"] == 3660
    laptop_adpe = rows.filter(
        (pl.col("key") == "laptop") & (pl.col("criterion") == "abiotic_depletion")
    )
    assert laptop_adpe["value"].item() == pytest.approx(0.0086)
    assert laptop_adpe["unit"].item() == "kgSbe/unit"


def test_every_category_has_a_lifetime_an_energy_and_a_climate_factor(default_set) -> None:
    parameters = default_set.parameters.filter(pl.col("scope") == "category")
    for parameter in ("lifetime_years", "annual_energy_kwh"):
        keys = set(parameters.filter(pl.col("parameter") == parameter)["key"])
        assert set(DEVICE_CATEGORIES) <= keys, parameter
    factors = default_set.emission_factors.filter(
        (pl.col("scope") == "category")
        & (pl.col("criterion") == "climate_change")
        & (pl.col("stage") == "manufacturing")
        & pl.col("value").is_not_null()
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
