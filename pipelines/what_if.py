"""What-if proposals: a change not yet made, written as the records it would add to the lake.

A proposal (a YAML file or the command's flags) adds devices and servers (with their CMDB
configuration) and the contracts that cover them, replaces held devices of one model by
another on a day, or adds agents' trips (a mode and kilometres). It is evaluated
with the project's own code only: its records are written the way landing writes them into
two small lakes beside the real one (``baseline``: the records the change touches, as they are;
``scenario``: the same records changed, plus the new ones), the factor tables are written for
each by ``factors``, and dbt builds both (``pipelines/variant_builds.py``). No figure is
computed here. Reference tables (models, sites, companies...) are the real lake's, linked.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from connectors.lake import as_batch, latest_rows, new_batch_id, read_table, write_batch
from connectors.logs import AGENT_TRIPS, land_trip_logs
from connectors.logs.trips import AGENT_MODES, MAX_DISTANCE_KM
from connectors.servicenow.settings import SettingsError
from connectors.servicenow.tables import table_spec

SOURCE = "servicenow"
# What the change touches is copied row by row; these tables hold activity (what happened),
# so only the proposal's own rows go in. Every other table is reference data, linked whole.
RESTRICTED_TABLES: dict[str, frozenset[str] | None] = {
    SOURCE: frozenset(
        {
            "alm_hardware",
            "ast_contract",
            "clm_m2m_contract_asset",
            "alm_transfer_order",
            "alm_transfer_order_line",
            "fm_expense_line",
            "sc_req_item",
        }
    ),
    "logs": None,  # every log (trips, transport, collection events) is activity
}
IN_USE = ("1", "3")


@dataclass(frozen=True)
class Devices:
    """``count`` new units of ``model`` installed at ``site`` (a server with a configuration)."""

    count: int
    model: str
    site: str | None = None
    configuration: dict[str, Any] | None = None


@dataclass(frozen=True)
class Replacement:
    """``count`` held units of ``from_model`` (the oldest first) replaced by ``to_model``."""

    count: int
    from_model: str
    to_model: str


@dataclass(frozen=True)
class Trip:
    """``count`` agents' trips of ``km`` kilometres by ``mode`` (the trip log's modes) on the
    change's day, or on that day of each counted year when ``yearly``."""

    mode: str
    km: float
    count: int = 1
    passengers: int = 1
    yearly: bool = False
    cost_center_code: str | None = None


@dataclass(frozen=True)
class Contract:
    """A contract of ``model`` (a contract model's name: Maintenance, Service...) costing
    ``yearly_cost`` a year over the counted years, covering the proposal's new devices and
    servers (``covers_new``) or none."""

    model: str
    yearly_cost: float
    covers_new: bool = True


@dataclass(frozen=True)
class Proposal:
    """A change evaluated from ``starts_on`` for ``years`` years."""

    title: str
    starts_on: date
    years: int = 5
    devices: list[Devices] = field(default_factory=list)
    replacements: list[Replacement] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)

    @property
    def horizon(self) -> date:
        """The as-of date of the what-if builds: the use phase is counted up to it."""
        return date(self.starts_on.year + self.years, 1, 1)


CONFIGURATION_FIELDS = {
    "cpu_count": "cpu_count",
    "cpu_core_count": "cpu_core_count",
    "cpu_type": "cpu_type",
    "ram_gb": "ram",
    "disk_gb": "disk_space",
    "form_factor": "form_factor",
}


def read_proposal(path: Path) -> Proposal:
    """A proposal from a YAML file (see scenarios/README.md); errors name the file and key."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read the proposal: {error}") from None
    if not isinstance(content, Mapping):
        raise SettingsError(f"{path}: a mapping is expected")
    return proposal_from_mapping(content, str(path))


def proposal_from_mapping(content: Mapping[str, Any], where: str) -> Proposal:
    """A checked proposal from its fields."""
    known = {
        "title",
        "starts_on",
        "years",
        "devices",
        "servers",
        "replacements",
        "trips",
        "contracts",
    }
    unknown = sorted(set(content) - known)
    if unknown:
        raise SettingsError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    starts_on = _date(f"{where}: starts_on", content.get("starts_on"))
    years = content.get("years", 5)
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 30:
        raise SettingsError(f"{where}: years: {years!r} is not a number of years (1 to 30)")
    devices = []
    for kind in ("devices", "servers"):
        for number, item in enumerate(_list(where, kind, content.get(kind)), start=1):
            at = f"{where}: {kind}[{number}]"
            configuration = item.get("configuration")
            if configuration is not None:
                if kind != "servers" or not isinstance(configuration, Mapping):
                    raise SettingsError(
                        f"{at}.configuration: a server's mapping of {CONFIGURATION_FIELDS}"
                    )
                extra = sorted(set(configuration) - set(CONFIGURATION_FIELDS))
                if extra:
                    raise SettingsError(f"{at}.configuration.{extra[0]}: unknown field")
            devices.append(
                Devices(
                    count=_count(at, item.get("count")),
                    model=_text(f"{at}.model", item.get("model")),
                    site=_optional_text(f"{at}.site", item.get("site")),
                    configuration=dict(configuration) if configuration else None,
                )
            )
    replacements = [
        Replacement(
            count=_count(f"{where}: replacements[{number}]", item.get("count")),
            from_model=_text(f"{where}: replacements[{number}].from_model", item.get("from_model")),
            to_model=_text(f"{where}: replacements[{number}].to_model", item.get("to_model")),
        )
        for number, item in enumerate(_list(where, "replacements", content.get("replacements")), 1)
    ]
    trips = [
        read_trip(f"{where}: trips[{number}]", item)
        for number, item in enumerate(_list(where, "trips", content.get("trips")), 1)
    ]
    contracts = [
        read_contract(f"{where}: contracts[{number}]", item)
        for number, item in enumerate(_list(where, "contracts", content.get("contracts")), 1)
    ]
    if not devices and not replacements and not trips and not contracts:
        raise SettingsError(
            f"{where}: nothing to evaluate (devices, servers, replacements, trips or contracts)"
        )
    title = content.get("title") or "what-if"
    return Proposal(str(title), starts_on, years, devices, replacements, trips, contracts)


def read_trip(where: str, item: Mapping[str, Any]) -> Trip:
    """A checked trip: a mode of the agent trip log, kilometres, optional count and passengers."""
    unknown = sorted(set(item) - {"mode", "km", "count", "passengers", "yearly", "cost_center"})
    if unknown:
        raise SettingsError(f"{where}.{unknown[0]}: unknown field")
    mode = _text(f"{where}.mode", item.get("mode"))
    if mode not in AGENT_MODES:
        raise SettingsError(f"{where}.mode: {mode!r} is not one of {', '.join(AGENT_MODES)}")
    km = item.get("km")
    if isinstance(km, bool) or not isinstance(km, int | float) or not 0 < km <= MAX_DISTANCE_KM:
        raise SettingsError(f"{where}.km: {km!r} is not a distance (0 to {MAX_DISTANCE_KM:g} km)")
    yearly = item.get("yearly", False)
    if not isinstance(yearly, bool):
        raise SettingsError(f"{where}.yearly: true or false")
    return Trip(
        mode=mode,
        km=float(km),
        count=_count(where, item.get("count", 1)),
        passengers=_count(f"{where}.passengers", item.get("passengers", 1)),
        yearly=yearly,
        cost_center_code=_optional_text(f"{where}.cost_center", item.get("cost_center")),
    )


def read_contract(where: str, item: Mapping[str, Any]) -> Contract:
    """A checked contract: its model's name, its yearly cost, what it covers."""
    unknown = sorted(set(item) - {"model", "yearly_cost", "covers"})
    if unknown:
        raise SettingsError(f"{where}.{unknown[0]}: unknown field")
    cost = item.get("yearly_cost")
    if isinstance(cost, bool) or not isinstance(cost, int | float) or cost < 0:
        raise SettingsError(f"{where}.yearly_cost: {cost!r} is not an amount")
    covers = item.get("covers", "new")
    if covers not in ("new", "none"):
        raise SettingsError(f"{where}.covers: {covers!r}: new (the new devices) or none")
    return Contract(_text(f"{where}.model", item.get("model")), float(cost), covers == "new")


def write_lakes(proposal: Proposal, lake: Path, folder: Path) -> tuple[Path, Path]:
    """Write the proposal's two lakes under ``folder`` (``baseline``, ``scenario``): reference
    tables linked from ``lake``, the touched and new records written as landed batches."""
    models = _current(lake, "cmdb_model")
    sites = _current(lake, "cmn_location")
    hardware = read_table(lake, SOURCE, "alm_hardware")
    current = latest_rows(hardware) if hardware.height else hardware
    moment = datetime.combine(proposal.starts_on, datetime.min.time()).replace(hour=12)
    stamp = f"{moment:%Y-%m-%d %H:%M:%S}"
    touched: list[str] = []
    new_assets: list[dict[str, Any]] = []
    new_versions: list[dict[str, Any]] = []
    new_servers: list[dict[str, Any]] = []
    for replacement in proposal.replacements:
        old_model = _find(models, replacement.from_model, "model")
        new_model = _find(models, replacement.to_model, "model")
        held = current.filter(
            (pl.col("model") == old_model["sys_id"]) & pl.col("install_status").is_in(IN_USE)
        ).sort(["purchase_date", "sys_id"], nulls_last=True)
        if held.height < replacement.count:
            raise SettingsError(
                f"replacements: only {held.height} devices of model {replacement.from_model!r}"
                f" are in use, not {replacement.count}"
            )
        for old in held.head(replacement.count).iter_rows(named=True):
            touched.append(old["sys_id"])
            retired = {**old, "install_status": "7", "substatus": "disposed"}
            retired |= {"retired": proposal.starts_on.isoformat(), "sys_updated_on": stamp}
            new_versions.append(retired)
            site = {"sys_id": old.get("location") or "", "company": old.get("company") or ""}
            new_assets.append(
                _asset(new_model, site, stamp, old.get("cost_center"), old.get("department"))
            )
    for devices in proposal.devices:
        model = _find(models, devices.model, "model")
        site = _find(sites, devices.site, "site") if devices.site else {}
        for _ in range(devices.count):
            asset = _asset(model, site, stamp)
            if devices.configuration:
                server = _server(devices.configuration, model, site, asset["sys_id"], stamp)
                asset["ci"] = server["sys_id"]
                new_servers.append(server)
            new_assets.append(asset)
    baseline_rows = hardware.filter(pl.col("sys_id").is_in(touched)) if touched else None
    baseline, scenario = folder / "baseline", folder / "scenario"
    for variant, extra in ((baseline, []), (scenario, new_versions + new_assets)):
        _link_reference_tables(lake, variant)
        target = variant / SOURCE / "alm_hardware"
        target.mkdir(parents=True, exist_ok=True)
        _write_rows(target / "touched.parquet", hardware, baseline_rows)
        if extra:
            _land(variant, "alm_hardware", extra)
    if new_servers:
        _land(scenario, "cmdb_ci_server", new_servers)
    _add_contracts(proposal, models, [asset["sys_id"] for asset in new_assets], scenario, stamp)
    _add_trips(proposal, baseline, scenario)
    return baseline, scenario


def _add_contracts(
    proposal: Proposal, models: pl.DataFrame, covered: list[str], lake: Path, stamp: str
) -> None:
    """The proposal's contracts, over its counted years, with the assets they cover."""
    contracts: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    ends_on = _same_day(proposal.starts_on, proposal.years) - timedelta(days=1)
    for contract in proposal.contracts:
        model = _find(models, contract.model, "contract model")
        sys_id = uuid.uuid4().hex
        contracts.append(
            {
                "sys_id": sys_id,
                "number": f"WHAT-IF-{sys_id[:6]}",
                "contract_model": model["sys_id"],
                "starts": proposal.starts_on.isoformat(),
                "ends": ends_on.isoformat(),
                "state": "active",
                "yearly_cost": f"{contract.yearly_cost:.2f}",
                "total_cost": f"{contract.yearly_cost * proposal.years:.2f}",
                "sys_created_on": stamp,
                "sys_updated_on": stamp,
            }
        )
        if contract.covers_new:
            coverage += [
                {
                    "sys_id": uuid.uuid4().hex,
                    "contract": sys_id,
                    "asset": asset,
                    "added": proposal.starts_on.isoformat(),
                    "sys_created_on": stamp,
                    "sys_updated_on": stamp,
                }
                for asset in covered
            ]
    if contracts:
        _land(lake, "ast_contract", contracts)
    if coverage:
        _land(lake, "clm_m2m_contract_asset", coverage)


def _add_trips(proposal: Proposal, baseline: Path, scenario: Path) -> None:
    """The proposal's trips, landed by the trip log's own landing (validated like any log);
    the baseline gets the log's columns and no row."""
    if not proposal.trips:
        return
    rows = []
    for trip in proposal.trips:
        years = range(proposal.years) if trip.yearly else range(1)
        for year in years:
            for _ in range(trip.count):
                rows.append(
                    {
                        "trip_id": f"what-if-{uuid.uuid4().hex[:12]}",
                        "trip_date": _same_day(proposal.starts_on, year).isoformat(),
                        "mode": trip.mode,
                        "distance_km": f"{trip.km:g}",
                        "cost_center_code": trip.cost_center_code or "",
                        "purpose": "what-if",
                        "passengers": str(trip.passengers),
                    }
                )
    logs = scenario.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(rows).write_csv(logs / f"{AGENT_TRIPS.name}_what_if.csv")
    report = land_trip_logs(logs, scenario)
    if report.refused or any(report.rejected_rows.values()):
        reasons = report.refused or report.rejected_rows
        raise SettingsError(f"trips: the trip log refused the proposal's trips: {reasons}")
    landed = sorted((scenario / "logs" / AGENT_TRIPS.name).glob("*.parquet"))
    target = baseline / "logs" / AGENT_TRIPS.name
    target.mkdir(parents=True, exist_ok=True)
    pl.read_parquet(landed[-1]).clear().write_parquet(target / "empty.parquet")


def _same_day(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _asset(
    model: Mapping[str, Any],
    site: Mapping[str, Any],
    stamp: str,
    cost_center: str | None = None,
    department: str | None = None,
) -> dict[str, Any]:
    """A new hardware asset, bought and installed at ``stamp`` (noon UTC: the same local day)."""
    categories = (model.get("cmdb_model_category") or "").split(",")
    return {
        "sys_id": uuid.uuid4().hex,
        "asset_tag": f"WHAT-IF-{uuid.uuid4().hex[:6]}",
        "model": model["sys_id"],
        "model_category": categories[0].strip(),
        "install_status": "1",
        "location": site.get("sys_id") or "",
        "company": site.get("company") or "",
        "cost_center": cost_center or "",
        "department": department or "",
        "purchase_date": stamp[:10],
        "install_date": stamp,
        "sys_created_on": stamp,
        "sys_updated_on": stamp,
    }


def _server(
    configuration: Mapping[str, Any],
    model: Mapping[str, Any],
    site: Mapping[str, Any],
    asset_id: str,
    stamp: str,
) -> dict[str, Any]:
    """The CMDB record of a new server: its configuration, as the Boavizta engine reads it."""
    values = {CONFIGURATION_FIELDS[key]: value for key, value in configuration.items()}
    if "ram" in values:
        values["ram"] = int(float(values["ram"]) * 1024)  # cmdb_ci_server.ram is in MB
    return {
        "sys_id": uuid.uuid4().hex,
        "name": f"what-if {asset_id[:8]}",
        "asset": asset_id,
        "model_id": model["sys_id"],
        "location": site.get("sys_id") or "",
        "company": site.get("company") or "",
        "install_status": "1",
        "sys_class_name": "cmdb_ci_server",
        "sys_created_on": stamp,
        "sys_updated_on": stamp,
        **{key: str(value) for key, value in values.items()},
    }


def _land(lake: Path, table: str, rows: list[dict[str, Any]]) -> None:
    spec = table_spec(table)
    frame = pl.DataFrame(rows, infer_schema_length=None).select(
        [pl.col(name).cast(pl.String) for name in spec.columns if name in rows[0]]
    )
    write_batch(
        as_batch(frame, spec.columns, new_batch_id(), datetime.now(UTC)), lake, SOURCE, table
    )


def _write_rows(path: Path, like: pl.DataFrame, rows: pl.DataFrame | None) -> None:
    """The touched rows as landed (all their versions), or none with the table's columns."""
    (rows if rows is not None else like.clear()).write_parquet(path)


def _link_reference_tables(lake: Path, variant: Path) -> None:
    """Link every reference table's batches; leave one empty batch of each activity table."""
    for table_folder in sorted(path for path in lake.glob("*/*") if path.is_dir()):
        source, table = table_folder.parent.name, table_folder.name
        if source.startswith("_") or source == "factors":
            continue
        restricted = RESTRICTED_TABLES.get(source, frozenset())
        target = variant / source / table
        target.mkdir(parents=True, exist_ok=True)
        batches = sorted(table_folder.glob("*.parquet"))
        if restricted is None or table in restricted:
            if table != "alm_hardware" and batches:
                pl.read_parquet(batches[0]).clear().write_parquet(target / "empty.parquet")
            continue
        for batch in batches:
            link = target / batch.name
            if not link.exists():
                os.symlink(batch, link)


def _current(lake: Path, table: str) -> pl.DataFrame:
    frame = read_table(lake, SOURCE, table)
    return latest_rows(frame) if frame.height else frame


def _find(frame: pl.DataFrame, wanted: str, kind: str) -> dict[str, Any]:
    """A record by sys_id, else by name (case-insensitive; a model also by display name)."""
    if frame.is_empty():
        raise SettingsError(f"no {kind} in the lake: run the pipeline first")
    by_id = frame.filter(pl.col("sys_id") == wanted)
    if by_id.height:
        return by_id.row(0, named=True)
    names = [column for column in ("name", "display_name") if column in frame.columns]
    matches = frame.filter(
        pl.any_horizontal(
            pl.col(column).str.to_lowercase() == wanted.strip().lower() for column in names
        )
    )
    if matches.height == 1:
        return matches.row(0, named=True)
    if matches.height > 1:
        ids = ", ".join(matches["sys_id"].head(5).to_list())
        raise SettingsError(
            f"{kind} {wanted!r} names {matches.height} records ({ids}): use a sys_id"
        )
    raise SettingsError(f"no {kind} named {wanted!r} (by sys_id or name)")


def _list(where: str, key: str, value: Any) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise SettingsError(f"{where}: {key}: a list of mappings is expected")
    return value


def _count(where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SettingsError(f"{where}.count: {value!r} is not a positive whole number")
    return value


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{where}: required")
    return value.strip()


def _optional_text(where: str, value: Any) -> str | None:
    return None if value is None else _text(where, value)


def _date(where: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SettingsError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
