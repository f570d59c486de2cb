"""A corpus of malformed export files, generated (never committed as binaries), each with the
outcome ``connectors/README.md`` documents for it.

Every case writes one ``alm_hardware_<NN>.<ext>`` file from a few records of its own (distinct
sys_ids), so what landed can be traced back to its file. Outcomes:

* ``quarantined``: the whole file is refused with a message containing ``expect``;
* ``rejected``: the file lands, except the rows listed in ``rows`` (1 = the first record), which
  go to the rejects with ``expect`` in their reason;
* ``flagged``: every row lands, and ``expect`` flags cells;
* ``loaded``: every row lands (``rows`` records, when given).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from connectors.servicenow.tables import table_spec

HARDWARE = table_spec("alm_hardware")
Record = dict[str, str]


@dataclass(frozen=True)
class Case:
    name: str
    ext: str
    outcome: str
    expect: str
    build: Callable[[list[Record]], bytes]
    rows: tuple[int, ...] = ()
    # Rows that land, when not the file's records less the rejected ones.
    landed: int | None = None


def csv_text(records: list[Record], columns=HARDWARE.columns) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[record.get(column, "") for column in columns] for record in records])
    return buffer.getvalue()


def csv_bytes(records: list[Record]) -> bytes:
    return csv_text(records).encode()


def changed(row: int, **values: str) -> Callable[[list[Record]], bytes]:
    """A CSV whose record ``row`` (1-based) has ``values``."""

    def build(records: list[Record]) -> bytes:
        edited = [dict(record) for record in records]
        edited[row - 1].update(values)
        return csv_bytes(edited)

    return build


def lines(edit: Callable[[list[str]], list[str]]) -> Callable[[list[Record]], bytes]:
    """A CSV whose text lines (header first) are edited."""
    return lambda records: "\n".join(edit(csv_text(records).splitlines())).encode() + b"\n"


def xml_unload(records: list[Record], prolog: str = "", body_entity: str = "") -> bytes:
    rows = "".join(
        "<alm_hardware>"
        + "".join(f"<{c}>{escape(r.get(c, ''))}</{c}>" for c in HARDWARE.columns)
        + f"<asset_tag>{body_entity}</asset_tag></alm_hardware>"
        for r in records
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<unload>{rows}</unload>'.encode()


LAUGHS = (
    '<!DOCTYPE unload [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)
EXTERNAL = '<!DOCTYPE unload [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def duplicated(records: list[Record], same_time: bool) -> bytes:
    twin = dict(records[0], model=records[1]["model"], asset_tag="TWIN")
    if not same_time:
        twin["sys_updated_on"] = "2026-10-31 23:59:59"
    return csv_bytes([records[0], twin, *records[1:]])


def xlsx_duplicated_column(records: list[Record]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([*HARDWARE.columns, "cost"])
    for record in records:
        book.active.append([*(record.get(c, "") for c in HARDWARE.columns), "1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def damaged_xlsx(records: list[Record]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook>not a sheet")
    return buffer.getvalue()


CASES: tuple[Case, ...] = (
    # Encoding and bytes: the file cannot be trusted as a whole.
    Case("utf16_bom", "csv", "quarantined", "UTF-16", lambda r: csv_text(r).encode("utf-16")),
    Case(
        "utf16_no_bom", "csv", "quarantined", "NUL byte", lambda r: csv_text(r).encode("utf-16-le")
    ),
    Case(
        "latin1",
        "csv",
        "quarantined",
        "not UTF-8",
        lambda r: csv_text([dict(r[0], asset_tag="Mairie d'Orvault é"), *r[1:]]).encode("latin-1"),
    ),
    Case("nul_byte", "csv", "quarantined", "NUL byte", lambda r: csv_bytes(r)[:300] + b"\x00"),
    Case(
        "bom_mid_file",
        "csv",
        "quarantined",
        "byte-order mark inside",
        lambda r: csv_bytes(r[:2]) + "\ufeff".encode() + csv_bytes(r[2:]),
    ),
    Case("binary", "csv", "quarantined", "not UTF-8", lambda r: bytes(range(1, 256)) * 40),
    Case("empty", "csv", "quarantined", "empty file", lambda r: b""),
    # Structure: truncation, quotes, columns.
    Case(
        "truncated", "csv", "quarantined", "truncated", lambda r: csv_bytes(r)[:-40].rstrip(b"\n")
    ),
    Case(
        "open_quote",
        "csv",
        "quarantined",
        "not readable as CSV",
        lambda r: csv_bytes(r) + b'"' + r[0]["sys_id"].encode() + b",unterminated",
    ),
    Case(
        "huge_field",
        "csv",
        "quarantined",
        "field larger than field limit",
        changed(2, asset_tag="x" * 200_000),
    ),
    Case(
        "duplicated_column",
        "csv",
        "quarantined",
        "column cost appears more than once",
        lines(lambda text: [f"{text[0]},cost", *(f"{line},1" for line in text[1:])]),
    ),
    Case(
        "no_key_column",
        "csv",
        "quarantined",
        "no sys_id",
        lambda r: csv_text(r, ("asset_tag", "sys_updated_on")).encode(),
    ),
    Case("no_header", "csv", "quarantined", "no header row", lambda r: b"\n\n"),
    Case(
        "too_many_fields",
        "csv",
        "rejected",
        "fields where the header has",
        lines(lambda text: [*text[:2], f"{text[2]},extra,fields", *text[3:]]),
        rows=(2,),
    ),
    Case(
        "too_few_fields",
        "csv",
        "rejected",
        "fields where the header has",
        lines(lambda text: [*text[:3], text[3].rsplit(",", 5)[0], *text[4:]]),
        rows=(3,),
    ),
    Case("header_only", "csv", "loaded", "", lambda r: csv_text([]).encode(), landed=0),
    Case(
        "blank_lines_and_crlf_in_text",
        "csv",
        "loaded",
        "",
        lambda r: csv_bytes([dict(r[0], disposal_reason="line one\r\nline two"), *r[1:]]) + b"\n\n",
    ),
    # Formats that lie or carry hostile content.
    Case(
        "xlsx_that_is_csv",
        "xlsx",
        "quarantined",
        "not an Excel workbook (it looks like CSV",
        csv_bytes,
    ),
    Case("xlsx_damaged", "xlsx", "quarantined", "not a readable Excel workbook", damaged_xlsx),
    Case(
        "xlsx_duplicated_column",
        "xlsx",
        "quarantined",
        "column cost appears more than once",
        xlsx_duplicated_column,
    ),
    Case(
        "xml_billion_laughs",
        "xml",
        "quarantined",
        "DTD or entities",
        lambda r: xml_unload(r, LAUGHS, "&d;"),
    ),
    Case(
        "xml_external_entity",
        "xml",
        "quarantined",
        "DTD or entities",
        lambda r: xml_unload(r, EXTERNAL, "&x;"),
    ),
    Case(
        "xml_undefined_entity",
        "xml",
        "quarantined",
        "not a readable XML unload",
        lambda r: xml_unload(r, "", "&nope;"),
    ),
    Case(
        "xml_truncated",
        "xml",
        "quarantined",
        "not a readable XML unload",
        lambda r: xml_unload(r)[:-30],
    ),
    Case(
        "json_truncated",
        "json",
        "quarantined",
        "not valid JSON",
        lambda r: json.dumps({"result": r})[:-20].encode(),
    ),
    Case(
        "json_wrong_shape",
        "json",
        "quarantined",
        "expected a list of records",
        lambda r: b'{"result": "none"}',
    ),
    Case(
        "json_list_of_strings",
        "json",
        "quarantined",
        "row 2: a str, not a record object",
        lambda r: json.dumps({"result": [r[0], "x"]}).encode(),
    ),
    Case("json_deep_nesting", "json", "quarantined", "nested too deeply", lambda r: b"[" * 200_000),
    Case(
        "json_error_body",
        "json",
        "quarantined",
        "holds a ServiceNow error",
        lambda r: b'{"error": {"message": "User Not Authenticated"}, "status": "failure"}',
    ),
    Case(
        "json_nan_cost",
        "json",
        "rejected",
        "not an amount",
        lambda r: json.dumps({"result": [r[0], dict(r[1], cost=float("nan")), *r[2:]]}).encode(),
        rows=(2,),
    ),
    # Values: row by row.
    Case(
        "negative_cost",
        "csv",
        "rejected",
        "not an amount >= 0",
        changed(1, cost="-12.00"),
        rows=(1,),
    ),
    Case("nan_cost", "csv", "rejected", "not an amount >= 0", changed(2, cost="NaN"), rows=(2,)),
    Case("inf_cost", "csv", "rejected", "not an amount >= 0", changed(3, cost="inf"), rows=(3,)),
    Case(
        "impossible_date",
        "csv",
        "rejected",
        "not a real date",
        changed(4, purchase_date="2023-02-30"),
        rows=(4,),
    ),
    Case(
        "unknown_choice",
        "csv",
        "rejected",
        "not a known value",
        changed(1, install_status="Lent"),
        rows=(1,),
    ),
    Case(
        "empty_key", "csv", "rejected", "required value missing", changed(2, sys_id=""), rows=(2,)
    ),
    Case(
        "long_value",
        "csv",
        "rejected",
        "longer than 4000",
        changed(3, asset_tag="y" * 5000),
        rows=(3,),
    ),
    Case(
        "same_version_twice",
        "csv",
        "rejected",
        "the last of the batch, which is kept",
        lambda r: duplicated(r, same_time=True),
        rows=(1,),
        landed=4,
    ),
    Case("two_versions", "csv", "loaded", "", lambda r: duplicated(r, same_time=False), landed=5),
    Case(
        "formula_cells",
        "csv",
        "flagged",
        "formula-like text",
        lambda r: csv_bytes(
            [
                dict(r[0], asset_tag='=HYPERLINK("http://evil","x")'),
                dict(r[1], asset_tag="@SUM(A1)"),
                *r[2:],
            ]
        ),
    ),
    Case(
        "display_reference",
        "csv",
        "quarantined",
        "holds a display value",
        changed(2, model="Dell Latitude 5420"),
    ),
    Case(
        "ambiguous_dates",
        "csv",
        "quarantined",
        "is ambiguous",
        changed(1, purchase_date="03/04/2024"),
    ),
)


def write_corpus(folder: Path, records: list[Record]) -> dict[str, tuple[Case, list[Record]]]:
    """Write every case into ``folder``; return file name -> (case, the records it was built
    from)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    offset = 0
    for number, case in enumerate(CASES, start=1):
        own = records[offset : offset + 4]
        offset += 4
        name = f"alm_hardware_{number:02d}.{case.ext}"
        (folder / name).write_bytes(case.build(own))
        written[name] = (case, own)
    return written
