"""Writers producing the files ServiceNow exports, from records of the fake instance."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from connectors.servicenow.exports.labels import ASSET_INSTALL_STATUS
from connectors.servicenow.tables import TableSpec

Record = dict[str, str]
STATUS_LABELS = {value: label.capitalize() for label, value in ASSET_INSTALL_STATUS.items()}
LABELS = {
    "sys_id": "Sys ID",
    "sys_updated_on": "Updated",
    "sys_created_on": "Created",
    "install_status": "State",
    "substatus": "Substate",
    "sys_class_name": "Class",
}


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def write_csv(
    path: Path, spec: TableSpec, records: list[Record], *, bom: bool = False, labels: bool = False
) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([label(c) if labels else c for c in spec.columns])
        writer.writerows([[r.get(c, "") for c in spec.columns] for r in records])
    return path


def display(name: str, value: str, spec: TableSpec) -> str:
    """A display value as a list view shows it (English user, dd/MM/yyyy dates)."""
    if value == "":
        return value
    if name in spec.references:
        return f"Name of {value[:6]}"
    if name == "install_status":
        return STATUS_LABELS[value]
    if name == "sys_class_name" and value == "alm_hardware":
        return "Hardware"
    if name == "cost":
        return f"${float(value):,.2f}"
    if len(value) == 19 and value[4] == "-" and value[13] == ":":
        return f"{value[8:10]}/{value[5:7]}/{value[:4]} {value[11:]}"
    return value


def write_display_csv(path: Path, spec: TableSpec, records: list[Record]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([label(c) for c in spec.columns])
        writer.writerows([[display(c, r.get(c, ""), spec) for c in spec.columns] for r in records])
    return path


def write_xlsx(path: Path, spec: TableSpec, records: list[Record]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([label(c) for c in spec.columns])
    for record in records:
        sheet.append([record.get(c, "") for c in spec.columns])
    book.save(path)
    return path


def write_json(path: Path, spec: TableSpec, records: list[Record], *, mode: str = "raw") -> Path:
    """Table API JSON: raw values, or display_value=all objects (references with links)."""
    if mode == "all":
        rows = [
            {
                c: (
                    {
                        "display_value": display(c, r.get(c, ""), spec),
                        "value": r.get(c, ""),
                        "link": f"https://x.service-now.com/api/now/table/t/{r.get(c, '')}",
                    }
                    if c in spec.references and r.get(c)
                    else {"display_value": display(c, r.get(c, ""), spec), "value": r.get(c, "")}
                )
                for c in spec.columns
            }
            for r in records
        ]
    else:
        rows = [{c: r.get(c, "") for c in spec.columns} for r in records]
    path.write_text(json.dumps({"result": rows}), encoding="utf-8")
    return path


def write_jsonv2(path: Path, spec: TableSpec, records: list[Record]) -> Path:
    rows = []
    for record in records:
        row = {c: record.get(c, "") for c in spec.columns}
        row.update({f"dv_{c}": display(c, record.get(c, ""), spec) for c in spec.columns})
        rows.append(row)
    path.write_text(json.dumps({"records": rows}), encoding="utf-8")
    return path


def write_xml(path: Path, spec: TableSpec, records: list[Record]) -> Path:
    lines = ['<?xml version="1.0" encoding="UTF-8"?><unload unload_date="2026-11-01 00:00:00">']
    for record in records:
        lines.append(f'<{spec.name} action="INSERT_OR_UPDATE">')
        for column in spec.columns:
            value = record.get(column, "")
            attribute = (
                f" display_value={quoteattr(display(column, value, spec))}"
                if column in spec.references
                else ""
            )
            if value == "":
                lines.append(f"<{column}{attribute}/>")
            else:
                lines.append(f"<{column}{attribute}>{escape(value)}</{column}>")
        lines.append(f"</{spec.name}>")
    lines.append("</unload>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
