"""A small lake with the fake ServiceNow instance's real model names, for the factor tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from connectors.lake import as_batch, new_batch_id, write_batch
from connectors.servicenow.tables import table_spec

CATEGORIES = {
    "cat-laptop": "Laptop",
    "cat-desktop": "Desktop",
    "cat-thin": "Thin client",
    "cat-monitor": "Monitor",
    "cat-phone": "Smartphone",
    "cat-tablet": "Tablet",
    "cat-printer": "Printer",
    "cat-mfp": "Multifunction printer",
    "cat-rack": "Rack server",
    "cat-blade": "Blade server",
    "cat-tower": "Tower server",
    "cat-switch": "Network switch",
    "cat-router": "Router",
    "cat-ap": "Wireless access point",
    "cat-storage": "Storage array",
    "cat-projector": "Projector",
    "cat-ipphone": "IP phone",
}
COMPANIES = {
    "co-dell": "Dell Inc.",
    "co-hp": "HP Inc.",
    "co-hpe": "Hewlett Packard Enterprise",
    "co-lenovo": "Lenovo",
    "co-apple": "Apple",
    "co-samsung": "Samsung",
    "co-fairphone": "Fairphone",
    "co-cisco": "Cisco Systems",
    "co-netapp": "NetApp",
    "co-epson": "Epson",
    "co-yealink": "Yealink",
    "co-brother": "Brother",
    "co-ricoh": "Ricoh",
    "co-hewlett": "Hewlett-Packard",
}
# (sys_id, manufacturer, name, category)
MODELS = [
    ("m-lat5440", "co-dell", "Latitude 5440", "cat-laptop"),
    ("m-lat5490", "co-dell", "Dell Latitude 5490", "cat-laptop"),
    ("m-elite", "co-hp", "EliteBook 840 G9", "cat-laptop"),
    ("m-elite-old", "co-hewlett", "Elitebook 840 g9", "cat-laptop"),
    ("m-t14", "co-lenovo", "ThinkPad T14 Gen 3", "cat-laptop"),
    ("m-mba", "co-apple", 'MacBook Air 13" M2', "cat-laptop"),
    ("m-optiplex", "co-dell", "OptiPlex 7060 Micro Form Factor", "cat-desktop"),
    ("m-wyse", "co-dell", "Wyse 5070", "cat-thin"),
    ("m-p2419h", "co-dell", "P2419H", "cat-monitor"),
    ("m-a54", "co-samsung", "Galaxy A54 5G", "cat-phone"),
    ("m-fp4", "co-fairphone", "Fairphone 4", "cat-phone"),
    ("m-ipad", "co-apple", "iPad 10th generation", "cat-tablet"),
    ("m-printer", "co-brother", "HL-L5100DN", "cat-printer"),
    ("m-mfp", "co-ricoh", "IM C3000", "cat-mfp"),
    ("m-dl380", "co-hpe", "ProLiant DL380 Gen10", "cat-rack"),
    ("m-r650", "co-dell", "PowerEdge R650", "cat-rack"),
    ("m-r740", "co-dell", "PowerEdge R740", "cat-rack"),
    ("m-mx750c", "co-dell", "PowerEdge MX750c", "cat-blade"),
    ("m-t350", "co-dell", "PowerEdge T350", "cat-tower"),
    ("m-c9300", "co-cisco", "Catalyst 9300-48P", "cat-switch"),
    ("m-isr", "co-cisco", "ISR 4331", "cat-router"),
    ("m-ap", "co-cisco", "Catalyst 9120AX", "cat-ap"),
    ("m-aff", "co-netapp", "AFF A250", "cat-storage"),
    ("m-epson", "co-epson", "EB-W49", "cat-projector"),
    ("m-8841", "co-cisco", "IP Phone 8841", "cat-ipphone"),
    ("m-t54w", "co-yealink", "T54W", "cat-ipphone"),
]
# (sys_id, cpu_count, cpu_core_count, cpu_type, ram MB, disk GB, form factor, model)
SERVERS = [
    ("ci-1", "2", "16", "", "262144", "1920", "Rack", "m-r650"),
    ("ci-2", "2", "16", "", "262144", "1920", "Rack", "m-r650"),
    ("ci-3", "2", "28", "", "524288", "960", "Blade", "m-mx750c"),
    ("ci-4", "1", "8", "", "32768", "4000", "Tower", "m-t350"),
    ("ci-5", "", "", "", "", "", "", "m-dl380"),
]


def land(lake: Path, table: str, rows: list[dict]) -> None:
    """Write one batch of a table into the lake, as the connectors do."""
    spec = table_spec(table)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    frame = pl.DataFrame(
        [{"sys_updated_on": "2025-01-01 00:00:00", **row} for row in rows],
        schema={key: pl.String for key in {"sys_updated_on", *rows[0]}},
    )
    write_batch(as_batch(frame, spec.columns, new_batch_id(now), now), lake, "servicenow", table)


def build_lake(root: Path) -> Path:
    """A lake with one asset per model (servers have a CI with a configuration)."""
    lake = root / "lake"
    land(lake, "cmdb_model_category", [{"sys_id": k, "name": v} for k, v in CATEGORIES.items()])
    land(lake, "core_company", [{"sys_id": k, "name": v} for k, v in COMPANIES.items()])
    land(
        lake,
        "cmdb_model",
        [
            {"sys_id": sid, "manufacturer": man, "name": name, "cmdb_model_category": cat}
            for sid, man, name, cat in MODELS
        ],
    )
    server_models = {sid: model for sid, *_, model in SERVERS}
    land(
        lake,
        "cmdb_ci_server",
        [
            {
                "sys_id": sid,
                "asset": f"a-{sid}",
                "cpu_count": cpu,
                "cpu_core_count": cores,
                "cpu_type": cpu_type,
                "ram": ram,
                "disk_space": disk,
                "form_factor": form,
                "model_id": model,
            }
            for sid, cpu, cores, cpu_type, ram, disk, form, model in SERVERS
        ],
    )
    assets = [
        {"sys_id": f"a-{sid}", "model": model, "ci": sid} for sid, model in server_models.items()
    ]
    assets += [{"sys_id": f"a-{sid}", "model": sid, "ci": ""} for sid, *_ in MODELS]
    land(lake, "alm_hardware", assets)
    return lake
