"""`empreinte publish-catalogue`: each catalogue item's impact written back to the ServiceNow
portal (`sc_cat_item`), from mart_catalogue_item_impact (climate change, the organisation's
country). Dry run by default; `--apply` writes. The current values are read first and only the
fields whose value changes are PATCHed, through the connector's client (same rate limit and
retries as the extraction).

The target fields are configurable (an admin adds them to `sc_cat_item`):
``EMPREINTE_CATALOGUE_VALUE_FIELD`` (default `u_footprint_kgco2e`: the life impact in kgCO2e,
one decimal) and ``EMPREINTE_CATALOGUE_LABEL_FIELD`` (default `u_footprint_label`: the mart's
short label, in ``EMPREINTE_CATALOGUE_LABEL_LANGUAGE``, default `fr`).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

import duckdb

from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.settings import ServiceNowSettings
from pipelines.reporting.messages import DEFAULT_LANGUAGE, LANGUAGES
from pipelines.warehouse import WarehousePaths, connect_read_only

TABLE = "sc_cat_item"
MART = "mart_catalogue_item_impact"


@dataclass(frozen=True)
class Targets:
    """The `sc_cat_item` fields written, and the label's language."""

    value_field: str = "u_footprint_kgco2e"
    label_field: str = "u_footprint_label"
    language: str = DEFAULT_LANGUAGE

    @classmethod
    def from_env(cls) -> Targets:
        return cls(
            os.environ.get("EMPREINTE_CATALOGUE_VALUE_FIELD") or cls.value_field,
            os.environ.get("EMPREINTE_CATALOGUE_LABEL_FIELD") or cls.label_field,
            os.environ.get("EMPREINTE_CATALOGUE_LABEL_LANGUAGE") or cls.language,
        )


@dataclass(frozen=True)
class Change:
    """What one item's fields become: ``{field: (current, new)}``, changed fields only."""

    sys_id: str
    name: str
    fields: dict[str, tuple[str, str]]


def wanted_values(connection: duckdb.DuckDBPyConnection, targets: Targets) -> dict[str, dict]:
    """Per catalogue item with a figure: its name and the value of each target field."""
    if targets.language not in LANGUAGES:
        raise ValueError(f"label language {targets.language!r}: one of {', '.join(LANGUAGES)}")
    rows = connection.execute(
        f"""
        select catalogue_item_id, catalogue_item_name, life_impact, label_{targets.language}
        from {MART}
        where criterion = 'climate_change' and is_default_country and life_impact is not null
        order by catalogue_item_id
        """
    ).fetchall()
    return {
        sys_id: {
            "name": name,
            targets.value_field: f"{life_impact:.1f}",
            targets.label_field: label or "",
        }
        for sys_id, name, life_impact, label in rows
    }


def current_values(client: ServiceNowClient, targets: Targets) -> dict[str, dict[str, str]]:
    """The target fields of every catalogue item, as the instance holds them now."""
    fields = [targets.value_field, targets.label_field]
    current = {}
    # Keyset pages, as the extraction reads (their order needs sys_updated_on and sys_id).
    for page in client.iter_pages(TABLE, ["sys_id", "sys_updated_on", *fields]):
        for record in page.records:
            current[record["sys_id"]] = {field: record.get(field) or "" for field in fields}
    return current


def plan(
    wanted: dict[str, dict], current: dict[str, dict[str, str]], targets: Targets
) -> list[Change]:
    """The changes to write: items the instance holds whose target fields differ."""
    changes = []
    for sys_id, values in wanted.items():
        if sys_id not in current:
            continue  # the item left the catalogue since the build
        differing = {
            field: (current[sys_id][field], values[field])
            for field in (targets.value_field, targets.label_field)
            if current[sys_id][field] != values[field]
        }
        if differing:
            changes.append(Change(sys_id, values["name"], differing))
    return changes


def publish_catalogue(apply: bool, targets: Targets | None = None) -> str:
    """Plan (and with ``apply``, write) the catalogue's footprint fields; return the summary."""
    targets = targets or Targets.from_env()
    with connect_read_only(WarehousePaths.from_env()) as connection:
        wanted = wanted_values(connection, targets)
    with ServiceNowClient(ServiceNowSettings.from_env()) as client:
        current = current_values(client, targets)
        changes = plan(wanted, current, targets)
        lines = []
        for change in changes:
            lines.append(f"{change.sys_id}  {change.name}")
            for field, (old, new) in change.fields.items():
                lines.append(f"    {field}: {old or '(empty)'!s} -> {new}")
            if apply:
                client.patch_record(
                    TABLE, change.sys_id, {field: new for field, (_, new) in change.fields.items()}
                )
    unchanged = sum(1 for sys_id in wanted if sys_id in current) - len(changes)
    verb = "updated" if apply else "to update (dry run: --apply writes them)"
    lines.append(
        f"{len(changes)} catalogue items {verb}, {unchanged} already up to date,"
        f" {sum(1 for sys_id in wanted if sys_id not in current)} no longer in the instance."
    )
    return "\n".join(lines)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``publish-catalogue [--apply]`` to the project's command line."""
    command = subparsers.add_parser(
        "publish-catalogue",
        help="write each catalogue item's impact to sc_cat_item (dry run unless --apply)",
    )
    command.add_argument("--apply", action="store_true", help="write the changes")
    command.set_defaults(handler=_publish_catalogue)


def _publish_catalogue(arguments: argparse.Namespace) -> int:
    print(publish_catalogue(arguments.apply))
    return 0
