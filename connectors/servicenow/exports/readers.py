"""Raw table readers, one per file format ServiceNow produces.

Each returns a ``RawTable``: one string column per field the file holds (named as in the file:
field names or labels), the record's number ``_row_number`` (1 = the first record), the
records set apart because their shape is wrong (rejected row by row), and, for JSON, which
cells were database values for sure (a ``{"value": ...}`` object). Turning the strings into
database values is ``normalise.py``'s job. A file that cannot be read at all raises
``FileError`` naming file, row and field.

XML is parsed with ``defusedxml``: no DTD entity is ever expanded (no "billion laughs", no
external entity), and a document declaring one is refused.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeElementTree
import polars as pl
from defusedxml import DefusedXmlException

from connectors.files import FileError, read_csv_rows, read_text
from connectors.validation import REJECT_SCHEMA, ROW_NUMBER

# The public name of a file error in the exports API.
ExportError = FileError


@dataclass
class RawTable:
    """A file's records as strings, before any mapping to database values."""

    frame: pl.DataFrame
    # Rows rejected for their shape (too many or too few fields), as validation rejects.
    ragged: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REJECT_SCHEMA))
    # Column -> True where the cell was certainly a database value (JSON {"value": ...}).
    certain: dict[str, pl.Series] = field(default_factory=dict)


def read_csv_table(path: Path) -> RawTable:
    """CSV list export: header row of field names or labels, UTF-8 with or without BOM."""
    rows = read_csv_rows(path)
    return RawTable(rows.frame, rows.ragged)


def read_xlsx_table(path: Path) -> RawTable:
    """Excel list export (first sheet, header row of labels or names), every cell as text."""
    with open(path, "rb") as handle:
        signature = handle.read(4)
    if signature != b"PK\x03\x04":
        hint = " (it looks like CSV: name it .csv)" if _looks_like_text(path) else ""
        raise FileError(f"{path.name}: not an Excel workbook{hint}")
    try:
        sheet = pl.read_excel(
            path, engine="calamine", has_header=False, infer_schema_length=0, raise_if_empty=False
        )
    except (zipfile.BadZipFile, OSError, ValueError, pl.exceptions.PolarsError) as error:
        raise FileError(f"{path.name}: not a readable Excel workbook ({error})") from None
    except Exception as error:  # the calamine engine raises its own types
        raise FileError(f"{path.name}: not a readable Excel workbook ({error})") from None
    if sheet.is_empty():
        raise FileError(f"{path.name}: the first sheet is empty (no header row)")
    header = [str(value or "").strip() for value in sheet.row(0)]
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        raise FileError(f"{path.name}: column {', '.join(repeated)} appears more than once")
    names = [name or f"_column_{index}" for index, name in enumerate(header, start=1)]
    frame = sheet.slice(1).with_columns(pl.all().cast(pl.String).fill_null(""))
    frame.columns = names
    return RawTable(_numbered(frame))


def read_json_table(path: Path, table: str) -> RawTable:
    """Table API JSON (``{"result": [...]}`` or one object), JSONv2 (``{"records": [...]}``),
    a bare array of records, or the export's ``{"<table>": [...]}`` form."""
    try:
        body = json.loads(read_text(path))
    except RecursionError:
        raise FileError(f"{path.name}: JSON nested too deeply") from None
    except ValueError as error:
        if isinstance(error, FileError):
            raise
        raise FileError(f"{path.name}: not valid JSON ({error})") from None
    if isinstance(body, dict):
        for key in ("result", "records", table):
            if key in body:
                body = body[key]
                break
        else:
            if "error" in body:
                raise FileError(f"{path.name}: the file holds a ServiceNow error, not records")
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list):
        raise FileError(f"{path.name}: expected a list of records, found {type(body).__name__}")
    misfits = [index for index, item in enumerate(body) if not isinstance(item, dict)]
    if misfits:
        raise FileError(
            f"{path.name}: row {misfits[0] + 1}: a {type(body[misfits[0]]).__name__}, "
            "not a record object"
        )
    return _records_table(body)


def read_xml_table(path: Path, table: str) -> RawTable:
    """XML unload: ``<unload>`` then one element per record named after its table; fields are
    children, references carry a ``display_value`` attribute, empty fields are self-closing."""
    records: list[dict[str, Any]] = []
    try:
        for _, element in SafeElementTree.iterparse(str(path), events=("end",), forbid_dtd=True):
            if element.tag == table and len(element):
                records.append({child.tag: child.text or "" for child in element})
                element.clear()
    except DefusedXmlException as error:
        raise FileError(
            f"{path.name}: XML declaring a DTD or entities is refused ({type(error).__name__}); "
            "a ServiceNow unload has none"
        ) from None
    except ParseError as error:
        raise FileError(f"{path.name}: not a readable XML unload ({error})") from None
    return _records_table(records)


def _records_table(records: list[dict[str, Any]]) -> RawTable:
    """Records (dicts) as string columns; JSON objects give their database value when they
    carry one, else their link's sys_id, else their display value."""
    headers = list(dict.fromkeys(name for record in records for name in record))
    columns: dict[str, pl.Series] = {}
    certain: dict[str, pl.Series] = {}
    for header in headers:
        cells = [record.get(header) for record in records]
        kinds = set(map(type, cells))
        if kinds <= {str, type(None)}:  # the usual case: no value needs a conversion
            columns[header] = pl.Series(header, cells, dtype=pl.String).fill_null("")
            continue
        columns[header] = pl.Series(header, [_text(cell) for cell in cells], dtype=pl.String)
        if any(issubclass(kind, Mapping) for kind in kinds):
            certain[header] = pl.Series(
                [isinstance(cell, Mapping) and "value" in cell for cell in cells], dtype=pl.Boolean
            )
    frame = pl.DataFrame(list(columns.values())) if columns else pl.DataFrame()
    return RawTable(_numbered(frame), certain=certain)


def _text(cell: Any) -> str:
    if isinstance(cell, Mapping):
        if "value" in cell:
            return _text(cell["value"])
        link = str(cell.get("link") or "")
        if link:
            return link.rstrip("/").rsplit("/", 1)[-1]
        return _text(cell.get("display_value"))
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, list | dict):
        return json.dumps(cell, ensure_ascii=False)
    return str(cell)


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    numbered = frame.with_row_index(ROW_NUMBER, offset=1)
    return numbered.with_columns(pl.col(ROW_NUMBER).cast(pl.Int64))


def _looks_like_text(path: Path) -> bool:
    with open(path, "rb") as handle:
        start = handle.read(512)
    return b"," in start and b"\x00" not in start
