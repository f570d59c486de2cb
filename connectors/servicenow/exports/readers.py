"""Raw record readers, one per file format ServiceNow produces.

Each returns a list of records (``dict`` field -> value) exactly as the file holds them: strings,
``None``, typed JSON values, or ``{"value", "display_value", "link"}`` objects. Turning them into
database values is ``normalise.py``'s job.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import polars as pl

Record = dict[str, Any]


class ExportError(ValueError):
    """A file that cannot be read into database values; the message names file, row, field."""


def read_csv_records(path: Path) -> list[Record]:
    """CSV list export: header row of field names or labels, UTF-8 with or without BOM."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def read_xlsx_records(path: Path) -> list[Record]:
    """Excel list export (first sheet, header row of labels or names), every cell as text."""
    frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    return frame.to_dicts()


def read_json_records(path: Path, table: str) -> list[Record]:
    """Table API JSON (``{"result": [...]}`` or one object), JSONv2 (``{"records": [...]}``),
    a bare array of records, or the export's ``{"<table>": [...]}`` form."""
    try:
        body = json.loads(path.read_text(encoding="utf-8-sig"))
    except ValueError as error:
        raise ExportError(f"{path.name}: not valid JSON ({error})") from None
    if isinstance(body, dict):
        for key in ("result", "records", table):
            if key in body:
                body = body[key]
                break
        else:
            if "error" in body:
                raise ExportError(f"{path.name}: the file holds a ServiceNow error, not records")
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise ExportError(f"{path.name}: expected a list of records")
    return body


def read_xml_records(path: Path, table: str) -> list[Record]:
    """XML unload: ``<unload>`` then one element per record named after its table; fields are
    children, references carry a ``display_value`` attribute, empty fields are self-closing."""
    records: list[Record] = []
    try:
        for _, element in ElementTree.iterparse(path, events=("end",)):
            if element.tag == table and len(element):
                records.append({child.tag: child.text or "" for child in element})
                element.clear()
    except ElementTree.ParseError as error:
        raise ExportError(f"{path.name}: not a readable XML unload ({error})") from None
    return records
