"""The engine equals boaviztapi's own route functions for the same inputs, and caches."""

from __future__ import annotations

import asyncio
import copy

import polars as pl
import pytest

from factors.boavizta import BoaviztaEngine, ServerConfiguration
from factors.loading import load_factor_set

CONFIGURATIONS = [
    ServerConfiguration("rack", cpu_units=2, cpu_cores=16, ram_gb=256, disk_gb=1920),
    ServerConfiguration("blade", cpu_units=2, cpu_cores=28, ram_gb=512, disk_gb=960),
]


def assert_equal_within_rounding(ours, embedded: dict) -> None:
    """Round our raw impact the way boaviztapi rounds its JSON, then compare."""
    from boaviztapi.models.impact import Impact

    rounded = Impact(value=ours.value, min=ours.value_min, max=ours.value_max)
    assert rounded.rounded_value() == pytest.approx(embedded["value"], rel=1e-9)
    assert rounded.rounded_min() == pytest.approx(embedded["min"], rel=1e-9)
    assert rounded.rounded_max() == pytest.approx(embedded["max"], rel=1e-9)


@pytest.fixture(scope="module")
def engine() -> BoaviztaEngine:
    return BoaviztaEngine()


def test_laptop_archetype_equals_boaviztapi(engine: BoaviztaEngine) -> None:
    from boaviztapi.dto.device.user_terminal import Laptop
    from boaviztapi.routers.terminal_router import user_terminal_impact

    answer = asyncio.run(
        user_terminal_impact(
            user_terminal_dto=Laptop(),
            archetype="laptop-pro",
            verbose=False,
            duration=None,
            criteria=["gwp", "adpe", "adpf"],
        )
    )["impacts"]
    ours = engine.terminal("laptop-pro")
    for boavizta, criterion in (
        ("gwp", "climate_change"),
        ("adpe", "abiotic_depletion"),
        ("adpf", "abiotic_depletion_fossil"),
    ):
        assert_equal_within_rounding(ours[criterion], answer[boavizta]["embedded"])


def test_laptop_archetype_equals_transcribed_base_impacts_row(engine: BoaviztaEngine) -> None:
    rows = load_factor_set().emission_factors.filter(
        (pl.col("data_set") == "base_impacts_negaoctet_boavizta_2.5.0")
        & (pl.col("key") == "laptop"),
    )
    values = dict(zip(rows["criterion"], rows["value"], strict=True))
    for criterion, impact in engine.terminal("laptop-pro").items():
        assert impact.value == pytest.approx(values[criterion]), criterion


@pytest.mark.parametrize("configuration", CONFIGURATIONS, ids=lambda c: c.form_factor)
def test_server_configuration_equals_boaviztapi(engine: BoaviztaEngine, configuration) -> None:
    from boaviztapi.data.archetype import get_server_archetype
    from boaviztapi.dto.device.device import Server
    from boaviztapi.routers.server_router import server_impact_from_configuration

    answer = asyncio.run(
        server_impact_from_configuration(
            server=Server(**configuration.as_boavizta()),
            verbose=False,
            duration=None,
            archetype="platform_compute_medium",
            criteria=["gwp", "adp", "pe"],
        )
    )["impacts"]
    assert get_server_archetype("platform_compute_medium")  # the route used a fresh copy
    ours = engine.server(configuration)
    for boavizta, criterion in (
        ("gwp", "climate_change"),
        ("adp", "abiotic_depletion"),
        ("pe", "primary_energy"),
    ):
        assert_equal_within_rounding(ours[criterion], answer[boavizta]["embedded"])
        assert ours[criterion].value_min <= ours[criterion].value <= ours[criterion].value_max


def test_cache_computes_once_per_distinct_configuration() -> None:
    engine = BoaviztaEngine()
    fleet = [copy.copy(CONFIGURATIONS[index % 2]) for index in range(500)]
    results = [engine.server(configuration) for configuration in fleet]
    assert engine.computations == 2
    assert results[0] is results[2]


def test_settings_from_environment_are_pinned(monkeypatch) -> None:
    monkeypatch.setenv("BOAVIZTA_DEFAULT_SERVER", "platform_compute_high")
    from boaviztapi import config

    config.default_location = "USA"
    BoaviztaEngine()
    assert config.default_location == "EEE"


def test_mappers_do_not_mutate_archetypes(engine: BoaviztaEngine) -> None:
    from boaviztapi.data.archetype import get_server_archetype

    before = copy.deepcopy(get_server_archetype("platform_compute_medium"))
    engine.server(ServerConfiguration("rack", cpu_units=1, cpu_cores=4))
    assert get_server_archetype("platform_compute_medium") == before


def test_transcribed_server_archetypes_equal_the_engine(engine: BoaviztaEngine) -> None:
    rows = load_factor_set().emission_factors.filter(
        (pl.col("data_set") == "boavizta_archetypes_2.5.0") & (pl.col("stage") == "manufacturing"),
    )
    rack = engine.server(ServerConfiguration("rack"))
    row = rows.filter((pl.col("key") == "server_rack") & (pl.col("criterion") == "climate_change"))
    assert row["value"].item() == pytest.approx(rack["climate_change"].value, rel=1e-5)
    assert row["value_max"].item() == pytest.approx(rack["climate_change"].value_max, rel=1e-5)
