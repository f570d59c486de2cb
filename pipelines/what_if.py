"""What-if proposals: a change not yet made, written as the records it would add to the lake.

A proposal (a YAML file or the command's flags) adds devices and servers (with their CMDB
configuration), or replaces held devices of one model by another on a day. It is evaluated
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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from connectors.lake import as_batch, latest_rows, new_batch_id, read_table, write_batch
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
class Proposal:
    """A change evaluated from ``starts_on`` for ``years`` years."""

    title: str
    starts_on: date
    years: int = 5
    devices: list[Devices] = field(default_factory=list)
    replacements: list[Replacement] = field(default_factory=list)

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
    known = {"title", "starts_on", "years", "devices", "servers", "replacements"}
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
    if not devices and not replacements:
        raise SettingsError(f"{where}: nothing to evaluate (devices, servers or replacements)")
    title = content.get("title") or "what-if"
    return Proposal(str(title), starts_on, years, devices, replacements)


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
    return baseline, scenario


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
