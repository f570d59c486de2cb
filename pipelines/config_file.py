"""The optional configuration file (``EMPREINTE_CONFIG``): the decisions an organisation sets.

Environment variables say where things are and how to reach them; this one YAML file holds
what is too structured for a variable: the baseline year and the target path to 2050, the
budget colour bands, the action plans and the folder of the organisation's own scenarios.
Every key is a dbt var of the same name (``dbt_project/dbt_project.yml`` gives the defaults),
passed to every build, so the nightly run, the scenarios and the what-if read the same
configuration. A file that cannot be used stops the command naming the file and the key.

.. code-block:: yaml

    baseline_year: 2022
    trajectory_targets:
      - criterion: climate_change
        milestones:
          - {year: 2030, share_of_baseline: 0.55, source: ..., source_url: ..., source_year: 2020}
    budget_colour_bands: [{colour: green, below: 0.1}, {colour: amber, below: 0.3}, {colour: red}]
    action_plans: [{plan: Laptops six years, scenario: laptops-kept-longer, starts_on: 2026-01-01}]
    scenarios_dir: /srv/empreinte/scenarios
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from connectors.servicenow.settings import SettingsError

VARIABLE = "EMPREINTE_CONFIG"
# The keys the file may hold: each a dbt var, except the scenarios folder.
DBT_VARS = ("baseline_year", "trajectory_targets", "budget_colour_bands", "action_plans")
KEYS = (*DBT_VARS, "scenarios_dir")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def config_path() -> Path | None:
    """The configuration file, or None when ``EMPREINTE_CONFIG`` is not set."""
    value = os.environ.get(VARIABLE, "").strip()
    return Path(value) if value else None


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The checked content of the configuration file (empty without one)."""
    path = path or config_path()
    if path is None:
        return {}
    if not path.is_file():
        raise SettingsError(f"{VARIABLE}: no file at {path}")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: not a YAML file: {error}") from None
    if not isinstance(content, Mapping):
        raise SettingsError(f"{path}: a mapping of settings is expected")
    unknown = sorted(set(content) - set(KEYS))
    if unknown:
        raise SettingsError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    checked = dict(content)
    _check_baseline_year(path, checked.get("baseline_year"))
    _check_targets(path, checked.get("trajectory_targets"))
    _check_bands(path, checked.get("budget_colour_bands"))
    _check_plans(path, checked.get("action_plans"))
    if "scenarios_dir" in checked:
        folder = Path(str(checked["scenarios_dir"]))
        if not folder.is_absolute():
            folder = path.parent / folder
        if not folder.is_dir():
            raise SettingsError(f"{path}: scenarios_dir: no folder at {folder}")
        checked["scenarios_dir"] = folder
    return checked


def configured_dbt_vars(path: Path | None = None) -> dict[str, Any]:
    """The dbt vars the configuration file sets (dates as ISO strings, for ``--vars``)."""
    config = load_config(path)
    return {key: _plain(config[key]) for key in DBT_VARS if key in config}


def configured_scenarios_dir(path: Path | None = None) -> Path | None:
    """The organisation's own scenarios folder, if the configuration names one."""
    return load_config(path).get("scenarios_dir")


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _fail(path: Path, key: str, reason: str) -> SettingsError:
    return SettingsError(f"{path}: {key}: {reason}")


def _year(path: Path, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1950 <= value <= 2149:
        raise _fail(path, key, f"{value!r} is not a year between 1950 and 2149")
    return value


def _number(path: Path, key: str, value: Any, low: float, high: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, key, f"{value!r} is not a number")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _fail(path, key, f"{value!r} is not {bound}")
    return float(value)


def _records(path: Path, key: str, value: Any) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise _fail(path, key, "a list of mappings is expected")
    return value


def _check_baseline_year(path: Path, value: Any) -> None:
    if value is not None:
        _year(path, "baseline_year", value)


def _check_targets(path: Path, value: Any) -> None:
    seen: set[str] = set()
    for number, target in enumerate(_records(path, "trajectory_targets", value), start=1):
        key = f"trajectory_targets[{number}]"
        criterion = target.get("criterion")
        if not isinstance(criterion, str) or not _NAME.fullmatch(criterion):
            raise _fail(path, key, f"criterion {criterion!r} is not a criterion name")
        if criterion in seen:
            raise _fail(path, key, f"criterion {criterion!r} has two targets")
        seen.add(criterion)
        milestones = target.get("milestones")
        rate = target.get("yearly_reduction_rate")
        if (milestones is None) == (rate is None):
            raise _fail(path, key, "give either milestones or yearly_reduction_rate")
        if rate is not None:
            _number(path, f"{key}.yearly_reduction_rate", rate, 0, 1)
            _check_source(path, key, target)
        for index, milestone in enumerate(_records(path, f"{key}.milestones", milestones), 1):
            where = f"{key}.milestones[{index}]"
            _year(path, f"{where}.year", milestone.get("year"))
            _number(path, f"{where}.share_of_baseline", milestone.get("share_of_baseline"), 0, None)
            _check_source(path, where, milestone)


def _check_source(path: Path, key: str, item: Mapping[str, Any]) -> None:
    """A figure from a publication names it: title, URL and year."""
    for field in ("source", "source_url"):
        if not isinstance(item.get(field), str) or not item[field].strip():
            raise _fail(path, f"{key}.{field}", "every target names its source (title and URL)")
    _year(path, f"{key}.source_year", item.get("source_year"))


def _check_bands(path: Path, value: Any) -> None:
    bands = _records(path, "budget_colour_bands", value)
    if value is not None and not bands:
        raise _fail(path, "budget_colour_bands", "at least one band")
    previous = None
    for number, band in enumerate(bands, start=1):
        key = f"budget_colour_bands[{number}]"
        if not isinstance(band.get("colour"), str) or not band["colour"].strip():
            raise _fail(path, f"{key}.colour", "every band has a colour name")
        below = band.get("below")
        if number == len(bands):
            if below is not None:
                raise _fail(path, f"{key}.below", "the last band has no upper bound")
            continue
        below = _number(path, f"{key}.below", below, 0, None)
        if previous is not None and below <= previous:
            raise _fail(path, f"{key}.below", "bands go from the lowest intensity up")
        previous = below


def _check_plans(path: Path, value: Any) -> None:
    names: set[str] = set()
    for number, plan in enumerate(_records(path, "action_plans", value), start=1):
        key = f"action_plans[{number}]"
        name, scenario = plan.get("plan"), plan.get("scenario")
        if not isinstance(name, str) or not name.strip() or name in names:
            raise _fail(path, f"{key}.plan", "every plan has a name of its own")
        names.add(name)
        if not isinstance(scenario, str) or not _NAME.fullmatch(scenario):
            raise _fail(path, f"{key}.scenario", f"{scenario!r} is not a scenario name")
        starts_on = plan.get("starts_on")
        if not isinstance(starts_on, date):
            try:
                date.fromisoformat(str(starts_on))
            except ValueError:
                raise _fail(path, f"{key}.starts_on", f"{starts_on!r} is not a date") from None
