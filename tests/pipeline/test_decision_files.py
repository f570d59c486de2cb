"""The configuration file, scenario files and what-if proposals: read, checked, and refused
with the file and the key named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connectors.servicenow.settings import SettingsError
from pipelines.config_file import configured_dbt_vars, load_config
from pipelines.configuration import check_settings, describe
from pipelines.scenarios import PROJECT_SCENARIOS, list_scenarios, read_scenario
from pipelines.what_if import proposal_from_mapping

SOURCE = "source: ITU\n    source_url: https://www.itu.int\n    source_year: 2020"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_configuration_file_becomes_dbt_vars(tmp_path: Path) -> None:
    config = write(
        tmp_path / "empreinte.yaml",
        f"""
baseline_year: 2021
trajectory_targets:
  - criterion: climate_change
    yearly_reduction_rate: 0.05
    {SOURCE}
budget_colour_bands: [{{colour: low, below: 0.2}}, {{colour: high}}]
action_plans:
  - {{plan: Longer laptops, scenario: laptops-kept-longer, starts_on: 2026-01-01}}
""",
    )
    dbt_vars = configured_dbt_vars(config)
    assert dbt_vars["baseline_year"] == 2021
    assert dbt_vars["trajectory_targets"][0]["yearly_reduction_rate"] == 0.05
    assert dbt_vars["action_plans"][0]["starts_on"] == "2026-01-01"
    assert "scenarios_dir" not in dbt_vars


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("baseline: 2021", "unknown key 'baseline'"),
        ("baseline_year: 1900", "baseline_year: 1900 is not a year"),
        (
            "trajectory_targets:\n  - criterion: climate_change\n    milestones:\n"
            "      - {year: 2030, share_of_baseline: 0.5}",
            "trajectory_targets[1].milestones[1].source: every target names its source",
        ),
        (
            f"trajectory_targets:\n  - criterion: climate_change\n    {SOURCE}",
            "trajectory_targets[1]: give either milestones or yearly_reduction_rate",
        ),
        (
            "budget_colour_bands: [{colour: a, below: 0.3}, {colour: b, below: 0.1}, {colour: c}]",
            "budget_colour_bands[2].below: bands go from the lowest intensity up",
        ),
        (
            "action_plans: [{plan: P, scenario: s, starts_on: soon}]",
            "action_plans[1].starts_on: 'soon' is not a date",
        ),
        ("scenarios_dir: nowhere", "scenarios_dir: no folder at"),
    ],
)
def test_a_configuration_that_cannot_be_used_names_file_and_key(
    tmp_path: Path, content: str, message: str
) -> None:
    config = write(tmp_path / "empreinte.yaml", content)
    with pytest.raises(SettingsError, match=f"^{config}: ") as error:
        load_config(config)
    assert message in str(error.value)


def test_the_shipped_scenarios_are_valid() -> None:
    scenarios = {scenario.name: scenario for scenario in list_scenarios()}
    assert {"laptops-kept-longer", "screens-refurbished", "server-rooms-consolidated"} <= set(
        scenarios
    )
    assert all(scenario.path.parent == PROJECT_SCENARIOS for scenario in scenarios.values())
    extension = scenarios["laptops-kept-longer"].dbt_var()
    assert extension == {
        "lifetime_extensions": [
            {"device_category": "laptop", "years": 1, "starts_on": "2026-01-01"}
        ]
    }
    refurbished = scenarios["screens-refurbished"].levers["refurbished_shares"][0]
    assert refurbished["source_url"].startswith("https://") and refurbished["source_year"] == 2022
    assert scenarios["electric-vans-for-transfers"].dbt_var() == {
        "vehicle_switches": [
            {"from_vehicle": "van_diesel", "to_vehicle": "van_electric", "purpose": "transfer",
             "starts_on": "2025-01-01"}
        ]
    }  # fmt: skip


@pytest.mark.parametrize(
    ("levers", "message"),
    [
        ("shorter_lives: []", "levers.shorter_lives: unknown lever"),
        (
            "lifetime_extensions: [{device_category: toaster, years: 1}]",
            "levers.lifetime_extensions[1].device_category: 'toaster' is not a device category",
        ),
        (
            "refurbished_shares: [{device_category: screen, share: 1.5, embodied_fraction: 0.5,"
            " source: s, source_url: u, source_year: 2022}]",
            "levers.refurbished_shares[1].share: 1.5 is not above 0 and at most 1",
        ),
        (
            "refurbished_shares: [{device_category: screen, share: 0.3, embodied_fraction: 0.5}]",
            "levers.refurbished_shares[1].source: required",
        ),
        ("relocations: [{from_location: a}]", "levers.relocations[1].to_location: required"),
        (
            "vehicle_switches: [{from_vehicle: van_diesel, to_vehicle: hovercraft}]",
            "levers.vehicle_switches[1].to_vehicle: 'hovercraft' is not one of van_diesel",
        ),
        (
            "vehicle_switches: [{from_vehicle: van_diesel, to_vehicle: van_electric},"
            " {from_vehicle: van_diesel, to_vehicle: cargo_bike}]",
            "levers.vehicle_switches: one switch per vehicle and purpose",
        ),
    ],
)
def test_a_scenario_that_cannot_be_used_names_file_and_key(
    tmp_path: Path, levers: str, message: str
) -> None:
    path = write(tmp_path / "bad.yaml", f"title: Bad\nlevers:\n  {levers}\n")
    with pytest.raises(SettingsError) as error:
        read_scenario(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_a_proposal_is_checked_before_anything_is_built() -> None:
    proposal = proposal_from_mapping(
        {
            "title": "New portal",
            "starts_on": date(2027, 1, 1),
            "years": 3,
            "servers": [
                {"count": 2, "model": "PowerEdge R650", "site": "Datacenter",
                 "configuration": {"cpu_count": 2, "cpu_core_count": 32, "ram_gb": 512}}
            ],
            "replacements": [{"count": 10, "from_model": "A", "to_model": "B"}],
        },
        "portal.yaml",
    )  # fmt: skip
    assert proposal.horizon == date(2030, 1, 1)
    assert proposal.devices[0].configuration == {"cpu_count": 2, "cpu_core_count": 32,
                                                 "ram_gb": 512}  # fmt: skip
    with pytest.raises(SettingsError, match=r"portal\.yaml: nothing to evaluate"):
        proposal_from_mapping({"starts_on": "2027-01-01"}, "portal.yaml")
    with pytest.raises(
        SettingsError, match=r"portal.yaml: servers\[1\].configuration.ram: unknown"
    ):
        proposal_from_mapping(
            {"starts_on": "2027-01-01",
             "servers": [{"count": 1, "model": "m", "configuration": {"ram": 1}}]},
            "portal.yaml",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"trips": [{"mode": "rocket", "km": 10}]}, "trips[1].mode: 'rocket' is not one of walk"),
        ({"trips": [{"mode": "train", "km": 0}]}, "trips[1].km: 0 is not a distance"),
        ({"trips": [{"mode": "train", "km": 9, "seats": 2}]}, "trips[1].seats: unknown field"),
        ({"contracts": [{"model": "Maintenance"}]}, "contracts[1].yearly_cost: None is not an"),
        (
            {"contracts": [{"model": "Maintenance", "yearly_cost": 10, "covers": "all"}]},
            "contracts[1].covers: 'all': new (the new devices) or none",
        ),
    ],
)
def test_a_proposals_trips_and_contracts_are_checked(item: dict, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        proposal_from_mapping({"starts_on": "2027-01-01", **item}, "trip.yaml")
    assert str(error.value).startswith("trip.yaml: ") and message in str(error.value)
    proposal = proposal_from_mapping(
        {"starts_on": "2027-01-01", "trips": [{"mode": "train", "km": 850, "yearly": True}],
         "contracts": [{"model": "Maintenance", "yearly_cost": 1200}]},
        "trip.yaml",
    )  # fmt: skip
    assert proposal.trips[0].km == 850.0 and proposal.trips[0].yearly
    assert proposal.contracts[0].covers_new and proposal.contracts[0].yearly_cost == 1200.0


def test_a_bad_configuration_file_stops_every_command_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "empreinte.yaml", "baseline_year: 1900\n")
    monkeypatch.setenv("EMPREINTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EMPREINTE_CONFIG", str(config))
    with pytest.raises(SettingsError, match=f"^{config}: baseline_year: 1900 is not a year"):
        check_settings(needs_instance=False)
    assert "EMPREINTE_CONFIG = " in describe({})
