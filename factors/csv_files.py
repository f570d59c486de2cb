"""Reading factor CSV files strictly, shipped and organisation files alike.

A file that cannot be trusted is refused whole (``FactorValidationError`` naming the file and
the line): too large, unreadable, empty or header only, not UTF-8 (UTF-16, a stray byte), NUL
bytes, a byte-order mark inside the file, a quoted field left open, the last row cut in the
middle, a duplicated, missing or unknown column. A row that can be read but not used is
reported with its line and field (``Problem``) and left out: too many or too few fields, a
field over ``MAX_FIELD_CHARS``, a cell that a spreadsheet would run as a formula. Memory is
bounded by ``MAX_FILE_BYTES`` (checked before reading) and by the csv module's field limit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from factors.validation import FactorValidationError, Problem, SourceRow

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FIELD_CHARS = 10_000
# Cells a spreadsheet runs as a formula (CSV injection, e.g. "=cmd|' /C calc'!A0").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns holding numbers, where a leading "-" or "+" is a sign, not a formula.
NUMBER_COLUMNS = frozenset({"value", "value_min", "value_max", "source_year"})
_BYTE_ORDER_MARKS = {
    b"\xff\xfe": "UTF-16 (little endian)",
    b"\xfe\xff": "UTF-16 (big endian)",
}


@dataclass
class CsvTable:
    """The rows of one file that could be read, and the problems of those that could not."""

    path: Path
    header: tuple[str, ...]
    rows: list[SourceRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_csv(path: Path, expected: tuple[str, ...] | None = None) -> CsvTable:
    """Read one CSV file; refuse it whole when it cannot be trusted.

    ``expected``: the exact set of columns (any order); None accepts any header. Values are
    stripped; empty lines are skipped; ``SourceRow.line`` is the row's first physical line.
    """
    path = Path(path)
    text = decoded_text(path)
    table = CsvTable(path, ())
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    next_line = 1
    try:
        for record in reader:
            records.append((next_line, record))
            next_line = reader.line_num + 1
    except csv.Error as error:
        refuse(path, next_line, f"not a readable CSV row ({error}); a row cut in the middle?")
    records = [(line, record) for line, record in records if record]
    if not records:
        refuse(path, 1, "empty file")
    header_line, header = records[0]
    table.header = tuple(column.strip() for column in header)
    check_header(path, header_line, table.header, expected)
    if len(records) == 1:
        refuse(path, header_line, "header only: no data row")
    last_line, last = records[-1]
    if not text.endswith(("\n", "\r")) and len(last) < len(table.header):
        refuse(
            path,
            last_line,
            f"the file ends in the middle of a row ({len(last)} of {len(table.header)} fields "
            "and no final newline): truncated?",
        )
    for line, record in records[1:]:
        row = SourceRow(
            path, line, dict(zip(table.header, (v.strip() for v in record), strict=False))
        )
        problem = _row_problem(row, table.header, record)
        if problem:
            table.problems.append(problem)
        else:
            table.rows.append(row)
    return table


def decoded_text(path: Path) -> str:
    """The file's text as UTF-8 (a leading UTF-8 byte-order mark dropped), or a refusal."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            refuse(path, 1, f"{size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
        data = path.read_bytes()
    except OSError as error:
        raise FactorValidationError([f"{path}: cannot read: {error.strerror}"]) from None
    for mark, name in _BYTE_ORDER_MARKS.items():
        if data.startswith(mark):
            refuse(path, 1, f"encoded in {name}: save it as UTF-8")
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in data:
        at = data.index(b"\x00")
        refuse(path, data.count(b"\n", 0, at) + 1, "NUL byte: a binary or UTF-16 file?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex().upper()
        refuse(path, line, f"not valid UTF-8 (byte 0x{byte}): save the file as UTF-8")
    if "\ufeff" in text:
        refuse(
            path,
            text.count("\n", 0, text.index("\ufeff")) + 1,
            "byte-order mark inside the file: two files pasted together?",
        )
    if not text.strip():
        refuse(path, 1, "empty file")
    return text


def check_header(
    path: Path, line: int, header: tuple[str, ...], expected: tuple[str, ...] | None
) -> None:
    """Refuse a duplicated, missing or unknown column."""
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        refuse(path, line, f"header: duplicated columns {duplicated}")
    if expected is None:
        return
    missing = [column for column in expected if column not in header]
    extra = [column for column in header if column not in expected]
    if missing or extra:
        raise FactorValidationError(
            [f"{path}:{line}: header: missing columns {missing}, unexpected columns {extra}"]
        )


def refuse(path: Path, line: int, reason: str) -> None:
    """Refuse a whole file: ``file:line: reason``."""
    raise FactorValidationError([f"{path}:{line}: {reason}; the whole file is refused"])


def _row_problem(row: SourceRow, header: tuple[str, ...], record: list[str]) -> Problem | None:
    if len(record) > len(header):
        return row.problem(
            header[-1],
            f"{len(record)} fields, expected {len(header)}: an unquoted comma in a field?",
        )
    if len(record) < len(header):
        return row.problem(
            header[len(record)], f"{len(record)} fields, expected {len(header)}: row too short"
        )
    for column, value in zip(header, record, strict=True):
        if len(value) > MAX_FIELD_CHARS:
            return row.problem(column, f"{len(value):,} characters, over {MAX_FIELD_CHARS:,}")
        if column not in NUMBER_COLUMNS and value.startswith(FORMULA_STARTS):
            return row.problem(
                column, f"starts with {value[:1]!r}: a spreadsheet formula is refused"
            )
    return None
