"""The transport modes of Impact CO2 (ADEME Base Empreinte), as published, per stage."""

from __future__ import annotations

import pytest

from factors.loading import load_factor_set

# Impact CO2, src/data/categories/deplacement.json (commit 54cd4ea): "Carburant" (fuel or
# electricity) is the use stage, "Construction" the manufacturing one; a plane's use adds its
# contrails ("Trainées de condensation") to its fuel.
PUBLISHED = {
    ("bus_thermal", "use"): 0.1043,
    ("bus_thermal", "manufacturing"): 0.0089,
    ("tram", "use"): 0.0038,
    ("metro", "use"): 0.0042,
    ("train_regional", "use"): 0.0229,
    ("train_high_speed", "use"): 0.0023,
    ("train_high_speed", "manufacturing"): 0.00063,
    ("plane_short_haul", "use"): 0.1412 + 0.117,
    ("plane_medium_haul", "use"): 0.1024 + 0.0848,
    ("plane_long_haul", "use"): 0.083 + 0.0687,
    ("motorbike", "use"): 0.1648,
    ("walk_or_bike", "use"): 0.0,
}


@pytest.fixture(scope="module")
def vehicles() -> dict[tuple[str, str], float]:
    factors = load_factor_set().emission_factors
    rows = factors.filter(factors["data_set"] == "transport_impactco2_modes").to_dicts()
    return {(row["key"], row["stage"]): row["value"] for row in rows}


@pytest.mark.parametrize(("key", "value"), PUBLISHED.items())
def test_published_transport_modes(vehicles, key, value) -> None:
    assert vehicles[key] == pytest.approx(value, abs=1e-9)


def test_every_travel_mode_of_the_seed_has_a_factor() -> None:
    import csv
    from pathlib import Path

    seed = Path(__file__).parents[2] / "dbt_project" / "seeds" / "travel_modes.csv"
    keys = {row["factor_key"] for row in csv.DictReader(seed.open(encoding="utf-8"))}
    factors = load_factor_set().emission_factors
    vehicle_keys = set(factors.filter(factors["scope"] == "vehicle")["key"])
    assert keys <= vehicle_keys


def test_an_electric_vehicle_consumption_is_an_override_parameter(tmp_path) -> None:
    import csv

    from factors.schema import PARAMETER_FILE_COLUMNS

    with open(tmp_path / "fleet.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=PARAMETER_FILE_COLUMNS)
        writer.writeheader()
        writer.writerow(
            {
                "parameter_id": "fleet/vehicle/van_electric/energy",
                "data_set": "organisation",
                "scope": "vehicle",
                "key": "car_electric",
                "parameter": "energy_kwh_per_km",
                "value": "0.21",
                "unit": "kWh/km",
                "source": "Fleet charging records 2025",
                "source_url": "",
                "source_year": "2025",
                "valid_from": "2025-01-01",
                "region": "FR",
                "quality": "primary",
            }
        )
    loaded = load_factor_set(overrides_dir=tmp_path)
    assert loaded.rejects == ()
    parameters = loaded.parameters
    row = parameters.filter(parameters["parameter"] == "energy_kwh_per_km").to_dicts()
    assert [(r["key"], r["value"], r["precedence"]) for r in row] == [("car_electric", 0.21, 0)]
