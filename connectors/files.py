"""Reading files that may be hostile or broken: bounded, strict, with messages that name file,
row and field.

Every text file (CSV exports, logs) goes through ``read_text``: refused whole (``FileError``) when
it is empty, too large, holds NUL bytes, is not UTF-8 (UTF-16, latin-1...), or carries a
byte-order mark after its start (two files pasted together). ``read_csv_rows`` then parses it with
the standard library's strict CSV reader and returns its records as a frame of strings; a record
with more or fewer fields than the header is set apart (rejected row by row by the caller), a
file cut in the middle of its last record, a duplicated column name or a broken quote refuses
the file. Fields over the csv module's limit (131,072 characters) refuse the file: memory stays
bounded by the file's size.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from connectors.validation import REJECT_SCHEMA, REJECTED, ROW_NUMBER

# Larger files are refused: split the export (ServiceNow caps list exports at 10,000 rows).
MAX_FILE_BYTES = 1 << 30
_BOM = "\ufeff".encode()


class FileError(ValueError):
    """A file that cannot be trusted as a whole; the message names the file, and the row and
    field where there is one."""


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a leading BOM dropped), or a ``FileError`` saying why not."""
    return read_bytes(path).decode("utf-8")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, checked to be UTF-8 text (a leading BOM dropped), or a ``FileError``
    saying why not."""
    size = path.stat().st_size
    if size == 0:
        raise FileError(f"{path.name}: empty file (0 bytes): the export did not finish")
    if size > MAX_FILE_BYTES:
        raise FileError(
            f"{path.name}: {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES >> 20} MiB a file may "
            "hold: split the export"
        )
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileError(f"{path.name}: UTF-16 text; export (or save) it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise FileError(
            f"{path.name}: line {line}: NUL byte at offset {nul} "
            "(a binary or UTF-16 file, or a damaged copy)"
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileError(
            f"{path.name}: line {line}: not UTF-8 (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}; latin-1 or Windows-1252?); export it as UTF-8"
        ) from None
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    stray = data.find(_BOM)
    if stray >= 0:
        line = data.count(b"\n", 0, stray) + 1
        raise FileError(
            f"{path.name}: line {line}: a byte-order mark inside the file (two files pasted "
            "together?)"
        )
    return data


@dataclass
class CsvRows:
    """A CSV file's records: the header, a frame of strings (one column per header, plus
    ``_row_number``: 1 = the first record after the header) and the records of the wrong length
    as rejects."""

    header: list[str]
    frame: pl.DataFrame
    ragged: pl.DataFrame


def read_csv_rows(path: Path) -> CsvRows:
    """Parse a CSV file strictly (see the module docstring).

    Well-formed files take Polars' parser; its result is trusted only when the file holds
    exactly (records x (columns - 1)) separators outside quotes, i.e. no record is short or
    long and no line is blank. Any other file is read again by the standard library's strict
    reader, which says where and why.
    """
    data = read_bytes(path)
    regular = read_regular(path, data)
    return regular if regular is not None else read_strictly(path, data.decode("utf-8"))


def read_strictly(path: Path, text: str) -> CsvRows:
    """The standard library's strict CSV reader: records of the wrong width set apart."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        line = reader.line_num
        raise FileError(f"{path.name}: line {line}: not readable as CSV ({error})") from None
    if not rows or not any(rows[0]):
        raise FileError(f"{path.name}: no header row")
    header = column_names(path, rows[0])
    records = list(filter(None, rows[1:]))  # blank lines are not records
    width = len(header)
    if records and len(records[-1]) < width and not text.endswith(("\n", "\r")):
        raise FileError(
            f"{path.name}: row {len(records)}: cut short ({len(records[-1])} of {width} fields "
            "and no line end): the file is truncated"
        )
    lengths = pl.Series(ROW_NUMBER, list(map(len, records)), dtype=pl.Int64)
    fits = (lengths == width).to_list()
    good = list(itertools.compress(records, fits))
    frame = pl.DataFrame(good, schema={name: pl.String for name in header}, orient="row")
    numbers = pl.int_range(1, len(records) + 1, eager=True, dtype=pl.Int64)
    frame = frame.with_columns(numbers.filter(lengths == width).alias(ROW_NUMBER))
    misfits = [index for index, fit in enumerate(fits) if not fit]
    ragged = pl.DataFrame(
        {
            "row_number": [index + 1 for index in misfits],
            "field": [None] * len(misfits),
            "reason": [
                f"{len(records[index])} fields where the header has {width}" for index in misfits
            ],
            "raw_value": [",".join(records[index])[:200] for index in misfits],
            "sys_id": [None] * len(misfits),
            "outcome": [REJECTED] * len(misfits),
        },
        schema=REJECT_SCHEMA,
    )
    return CsvRows(header, frame, ragged)


def column_names(path: Path, cells: list[str]) -> list[str]:
    """A header row's column names (blank ones named by position); refuses a repeated name."""
    header = [str(cell or "").strip() for cell in cells]
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        raise FileError(f"{path.name}: column {', '.join(repeated)} appears more than once")
    return [name or f"_column_{index}" for index, name in enumerate(header, start=1)]


def read_regular(path: Path, data: bytes) -> CsvRows | None:
    """Polars' parse of a file whose every record has the header's width, else None."""
    try:
        table = pl.read_csv(
            data,
            has_header=False,
            infer_schema=False,
            empty_string_is_null=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None
    if table.height < 1 or table.width < 1:
        return None
    if not any(name for name in table.row(0)):
        return None
    inside, longest = table.select(
        pl.sum_horizontal(pl.all().str.count_matches(",", literal=True).sum()).alias("inside"),
        pl.max_horizontal(pl.all().str.len_chars().max()).alias("longest"),
    ).row(0)
    # Every separator outside quotes, i.e. every comma not inside a value, is a field boundary.
    if data.count(b",") - inside != table.height * (table.width - 1):
        return None
    if longest > csv.field_size_limit():  # the strict reader names the record
        return None
    header = column_names(path, list(table.row(0)))
    frame = table.slice(1)
    frame.columns = header
    numbers = pl.int_range(1, frame.height + 1, eager=True, dtype=pl.Int64)
    return CsvRows(
        header,
        frame.with_columns(numbers.alias(ROW_NUMBER)),
        pl.DataFrame(schema=REJECT_SCHEMA),
    )
