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
_BOM = "\ufeff"


class FileError(ValueError):
    """A file that cannot be trusted as a whole; the message names the file, and the row and
    field where there is one."""


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a leading BOM dropped), or a ``FileError`` saying why not."""
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
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileError(
            f"{path.name}: line {line}: not UTF-8 (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}; latin-1 or Windows-1252?); export it as UTF-8"
        ) from None
    if text.startswith(_BOM):
        text = text[1:]
    stray = text.find(_BOM)
    if stray >= 0:
        raise FileError(
            f"{path.name}: line {text.count(chr(10), 0, stray) + 1}: a byte-order mark inside "
            "the file (two files pasted together?)"
        )
    return text


@dataclass
class CsvRows:
    """A CSV file's records: the header, a frame of strings (one column per header, plus
    ``_row_number``: 1 = the first record after the header) and the records of the wrong length
    as rejects."""

    header: list[str]
    frame: pl.DataFrame
    ragged: pl.DataFrame


def read_csv_rows(path: Path, text: str | None = None) -> CsvRows:
    """Parse a CSV file strictly (see the module docstring)."""
    text = read_text(path) if text is None else text
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        line = reader.line_num
        raise FileError(f"{path.name}: line {line}: not readable as CSV ({error})") from None
    if not rows or not any(rows[0]):
        raise FileError(f"{path.name}: no header row")
    header = [name.strip() for name in rows[0]]
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        raise FileError(f"{path.name}: column {', '.join(repeated)} appears more than once")
    header = [name or f"_column_{index}" for index, name in enumerate(header, start=1)]
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
