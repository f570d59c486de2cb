"""The Boavizta engine: configuration-based embodied impacts from ``boaviztapi``, in process.

``boaviztapi`` (pinned at 2.5.0, AGPL-3.0) has no documented Python API; this module follows the
sequence its own HTTP routers run, offline: archetype -> mapper (``mapper_server``,
``mapper_user_terminal``) -> ``compute_single_impact`` for the embedded phase, and reads the raw
values (not the rounded JSON). Pitfalls handled here:

- settings come from ``BOAVIZTA_*`` variables and a ``.env`` file: every setting is pinned back
  to the library default before computing, so a stray ``.env`` cannot change results;
- mappers mutate the archetype dict they receive: each call gets a deep copy;
- ``criteria=["all"]`` crashes: criteria are always named;
- user-terminal embedded ``adp``/``pe`` are not implemented: terminals use ``adpe``/``adpf``.

Criteria published: servers carry climate change (``gwp``), abiotic depletion (``adp``, kgSbe)
and primary energy (``pe``), all three computed from components, hence consistent. Their other
EF criteria in boaviztapi come from one generic Base IMPACTS "Server" figure whatever the
configuration, so they are not published from here (the Base IMPACTS data set carries them).
"""

from __future__ import annotations

import copy
import math
import warnings
from dataclasses import dataclass
from typing import Any

ENGINE_VERSION = "2.5.0"
DATA_SET = f"boavizta_engine_{ENGINE_VERSION}"
SERVER_ARCHETYPE = "platform_compute_medium"
# boaviztapi 2.5.0 knows rack and blade cases only; a tower is computed with the rack case.
CASE_TYPES = {"rack": "rack", "blade": "blade", "tower": "rack"}
# Module sizes of the Boavizta archetype platform_compute_medium (RAM 32 GB, SSD 1,000 GB):
# a CMDB total is split into modules of that size, since the CMDB does not count modules.
RAM_MODULE_GB = 32.0
SSD_UNIT_GB = 1000.0

SERVER_CRITERIA: dict[str, str] = {
    "gwp": "climate_change",
    "adp": "abiotic_depletion",
    "pe": "primary_energy",
}
# device_type of user_terminal.csv -> the DTO class its router builds.
_TERMINAL_DTOS = {
    "laptop": "Laptop",
    "desktop": "Desktop",
    "tablet": "Tablet",
    "smartphone": "Smartphone",
    "television": "Television",
    "box": "Box",
    "monitor": "Monitor",
}
TERMINAL_CRITERIA: dict[str, str] = {
    "gwp": "climate_change",
    "adpe": "abiotic_depletion",
    "adpf": "abiotic_depletion_fossil",
    "ap": "acidification",
    "ctue": "ecotoxicity_freshwater",
    "ctuh_c": "human_toxicity_cancer",
    "ctuh_nc": "human_toxicity_non_cancer",
    "epf": "eutrophication_freshwater",
    "epm": "eutrophication_marine",
    "ept": "eutrophication_terrestrial",
    "gwppb": "climate_change_biogenic",
    "gwppf": "climate_change_fossil",
    "gwpplu": "climate_change_land_use",
    "ir": "ionising_radiation",
    "lu": "land_use",
    "odp": "ozone_depletion",
    "pm": "particulate_matter",
    "pocp": "photochemical_ozone_formation",
    "wu": "water_use",
    "mips": "material_input",
}


@dataclass(frozen=True)
class Impact:
    """One embodied impact with its range, in the criterion's unit per device."""

    value: float
    value_min: float
    value_max: float


@dataclass(frozen=True)
class ServerConfiguration:
    """What the CMDB says about a server: enough for Boavizta's component model."""

    form_factor: str = "rack"
    cpu_units: int | None = None
    cpu_cores: int | None = None  # per CPU, as ServiceNow's cpu_core_count
    cpu_name: str | None = None
    ram_gb: float | None = None
    disk_gb: float | None = None
    archetype: str = SERVER_ARCHETYPE

    @property
    def key(self) -> str:
        """A stable key: equal configurations share one computation and one factor row."""
        parts = [
            "server",
            self.archetype,
            self.form_factor,
            f"cpu={_text(self.cpu_units)}x{_text(self.cpu_cores)}",
            f"cpu_name={(self.cpu_name or '').strip().lower()}",
            f"ram_gb={_text(self.ram_gb)}",
            f"disk_gb={_text(self.disk_gb)}",
        ]
        return "|".join(parts)

    def as_boavizta(self) -> dict[str, Any]:
        """The request body boaviztapi's server route would receive."""
        configuration: dict[str, Any] = {}
        cpu: dict[str, Any] = {}
        if self.cpu_units:
            cpu["units"] = self.cpu_units
        if self.cpu_cores:
            cpu["core_units"] = self.cpu_cores
        if self.cpu_name:
            cpu["name"] = self.cpu_name
        if cpu:
            configuration["cpu"] = cpu
        if self.ram_gb:
            units = max(1, math.ceil(self.ram_gb / RAM_MODULE_GB))
            configuration["ram"] = [{"units": units, "capacity": self.ram_gb / units}]
        if self.disk_gb:
            units = max(1, math.ceil(self.disk_gb / SSD_UNIT_GB))
            configuration["disk"] = [
                {"units": units, "type": "ssd", "capacity": self.disk_gb / units},
            ]
        return {
            "model": {"type": CASE_TYPES.get(self.form_factor, "rack")},
            "configuration": configuration,
        }


class BoaviztaEngine:
    """Computes embodied impacts once per distinct configuration (cached by key)."""

    def __init__(self) -> None:
        pin_settings()
        self._servers: dict[str, dict[str, Impact]] = {}
        self._terminals: dict[str, dict[str, Impact]] = {}
        self.computations = 0

    def server(self, configuration: ServerConfiguration) -> dict[str, Impact]:
        """Embodied impacts of one server configuration, per criterion (cached)."""
        key = configuration.key
        if key not in self._servers:
            self._servers[key] = _compute_server(configuration)
            self.computations += 1
        return self._servers[key]

    def terminal(self, archetype: str) -> dict[str, Impact]:
        """Embodied impacts of a user-terminal archetype (e.g. "laptop-pro"), per criterion."""
        if archetype not in self._terminals:
            self._terminals[archetype] = _compute_terminal(archetype)
            self.computations += 1
        return self._terminals[archetype]


def pin_settings() -> None:
    """Reset every boaviztapi setting to its library default (ignore env and ``.env``)."""
    from boaviztapi import config
    from boaviztapi.utils.config import Settings

    for name, field in Settings.model_fields.items():
        setattr(config, name, copy.deepcopy(field.default))


def _compute_server(configuration: ServerConfiguration) -> dict[str, Impact]:
    from boaviztapi.data.archetype import get_server_archetype
    from boaviztapi.dto.device.device import Server, mapper_server

    archetype = get_server_archetype(configuration.archetype)
    if not archetype:
        raise ValueError(f"unknown Boavizta server archetype {configuration.archetype!r}")
    device = mapper_server(
        Server(**configuration.as_boavizta()), archetype=copy.deepcopy(archetype)
    )
    return _embedded(device, SERVER_CRITERIA)


def _compute_terminal(archetype_id: str) -> dict[str, Impact]:
    from boaviztapi.data.archetype import get_user_terminal_archetype
    from boaviztapi.dto.device import user_terminal

    archetype = get_user_terminal_archetype(archetype_id)
    if not archetype:
        raise ValueError(f"unknown Boavizta user-terminal archetype {archetype_id!r}")
    device_type = archetype["device_type"]["default"]
    dto_class = getattr(user_terminal, _TERMINAL_DTOS[device_type])
    device = user_terminal.mapper_user_terminal(dto_class(), archetype=copy.deepcopy(archetype))
    return _embedded(device, TERMINAL_CRITERIA)


def _embedded(device: Any, criteria: dict[str, str]) -> dict[str, Impact]:
    from boaviztapi.compute.impacts_computation import compute_single_impact

    # The whole embodied impact: duration = the device's life, as the routers do by default.
    duration = device.usage.hours_life_time.value
    impacts = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for boavizta_name, criterion in criteria.items():
            impact = compute_single_impact(device, "embedded", boavizta_name, duration)
            if impact is not None:
                impacts[criterion] = Impact(
                    float(impact.value),
                    float(impact.min),
                    float(impact.max),
                )
    return impacts


def _text(number: float | int | None) -> str:
    if number is None:
        return "?"
    return f"{float(number):g}"
