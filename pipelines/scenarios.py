"""Scenario files: what a scenario changes (its levers), read and checked before any build.

A scenario is a YAML file named after it (``laptops-kept-longer.yaml``) in the project's
``scenarios/`` folder or in the organisation's own (``scenarios_dir`` in the configuration
file, which wins on a name both hold). Its levers become the dbt var ``scenario`` that the
models computing the actuals read (``dbt_project/macros/scenario_levers.sql``): no figure is
computed here. See ``scenarios/README.md`` for the format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from connectors.logs.trips import VEHICLE_PURPOSES, VEHICLE_TYPES
from connectors.servicenow.settings import SettingsError
from factors.schema import DEVICE_CATEGORIES
from pipelines.config_file import configured_scenarios_dir

PROJECT_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
# Each lever: its fields, their kind, and whether the field is required.
LEVERS: dict[str, dict[str, tuple[str, bool]]] = {
    "lifetime_extensions": {
        "device_category": ("category", True),
        "years": ("positive", True),
        "starts_on": ("date", False),
    },
    "refurbished_shares": {
        "device_category": ("category", True),
        "share": ("share", True),
        "embodied_fraction": ("share", True),
        "starts_on": ("date", False),
        # The published figure behind embodied_fraction (title, URL, year), and how it is read.
        "source": ("text", True),
        "source_url": ("text", True),
        "source_year": ("year", True),
        "notes": ("text", False),
    },
    "relocations": {"from_location": ("text", True), "to_location": ("text", True)},
    "vehicle_switches": {
        "from_vehicle": ("vehicle", True),
        "to_vehicle": ("vehicle", True),
        "purpose": ("purpose", False),
        "starts_on": ("date", False),
    },
}


@dataclass(frozen=True)
class Scenario:
    """A checked scenario file."""

    name: str
    title: str
    path: Path
    description: str = ""
    levers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def dbt_var(self) -> dict[str, Any]:
        """The dbt var ``scenario``: the levers, dates as ISO strings."""
        return {
            kind: [{key: _plain(value) for key, value in lever.items()} for lever in levers]
            for kind, levers in self.levers.items()
        }


def scenario_folders() -> list[Path]:
    """Where scenario files are looked for: the project's folder, then the organisation's."""
    own = configured_scenarios_dir()
    return [PROJECT_SCENARIOS, *([own] if own else [])]


def scenario_files() -> dict[str, Path]:
    """Every scenario file by name (the organisation's folder wins on a shared name)."""
    files: dict[str, Path] = {}
    for folder in scenario_folders():
        for path in sorted(folder.glob("*.yaml")):
            files[path.stem] = path
    return files


def list_scenarios() -> list[Scenario]:
    """Every scenario, checked, by name."""
    return [read_scenario(path) for _, path in sorted(scenario_files().items())]


def load_scenario(name: str) -> Scenario:
    """The scenario of that name, or a clear error naming the known ones."""
    files = scenario_files()
    if name not in files:
        known = ", ".join(sorted(files)) or "none"
        raise SettingsError(f"no scenario {name!r} (known: {known})")
    return read_scenario(files[name])


def read_scenario(path: Path) -> Scenario:
    """Read and check one scenario file; errors name the file and the key."""
    name = path.stem
    if not NAME.fullmatch(name):
        raise SettingsError(f"{path}: a scenario file is named in lower case, digits, - and _")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: not a YAML file: {error}") from None
    if not isinstance(content, Mapping):
        raise SettingsError(f"{path}: a mapping with title, description and levers is expected")
    unknown = sorted(set(content) - {"title", "description", "levers"})
    if unknown:
        raise SettingsError(f"{path}: unknown key {unknown[0]!r}")
    title = content.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SettingsError(f"{path}: title: every scenario has a title")
    levers = content.get("levers") or {}
    if not isinstance(levers, Mapping):
        raise SettingsError(f"{path}: levers: a mapping of lever kinds is expected")
    checked = {kind: _check_levers(path, kind, items) for kind, items in levers.items()}
    return Scenario(
        name=name,
        title=title.strip(),
        path=path,
        description=str(content.get("description") or "").strip(),
        levers={kind: items for kind, items in checked.items() if items},
    )


def _check_levers(path: Path, kind: str, items: Any) -> list[dict[str, Any]]:
    if kind not in LEVERS:
        raise SettingsError(f"{path}: levers.{kind}: unknown lever (known: {', '.join(LEVERS)})")
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise SettingsError(f"{path}: levers.{kind}: a list of mappings is expected")
    fields = LEVERS[kind]
    checked = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: levers.{kind}[{number}]"
        unknown = sorted(set(item) - set(fields))
        if unknown:
            raise SettingsError(f"{where}.{unknown[0]}: unknown field")
        lever = {}
        for key, (expected, required) in fields.items():
            if item.get(key) is None:
                if required:
                    raise SettingsError(f"{where}.{key}: required")
                continue
            lever[key] = _check_value(f"{where}.{key}", expected, item[key])
        checked.append(lever)
    categories = [lever["device_category"] for lever in checked if "device_category" in lever]
    if kind == "refurbished_shares" and len(categories) != len(set(categories)):
        raise SettingsError(f"{path}: levers.{kind}: one share per device category")
    switched = [(lever.get("from_vehicle"), lever.get("purpose")) for lever in checked]
    if kind == "vehicle_switches" and len(switched) != len(set(switched)):
        raise SettingsError(f"{path}: levers.{kind}: one switch per vehicle and purpose")
    return checked


def _check_value(where: str, expected: str, value: Any) -> Any:
    if expected == "category":
        if value not in DEVICE_CATEGORIES:
            raise SettingsError(f"{where}: {value!r} is not a device category")
    elif expected in ("vehicle", "purpose"):
        allowed = VEHICLE_TYPES if expected == "vehicle" else VEHICLE_PURPOSES
        if value not in allowed:
            raise SettingsError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    elif expected == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise SettingsError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
    elif expected in ("positive", "share"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError(f"{where}: {value!r} is not a number")
        if value <= 0 or (expected == "share" and value > 1):
            bound = "above 0 and at most 1" if expected == "share" else "above 0"
            raise SettingsError(f"{where}: {value!r} is not {bound}")
    elif expected == "year":
        if isinstance(value, bool) or not isinstance(value, int) or not 1950 <= value <= 2149:
            raise SettingsError(f"{where}: {value!r} is not a year")
    elif not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{where}: text is expected")
    return value


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
