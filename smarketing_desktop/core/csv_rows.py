"""Reading spreadsheet exports the way reps produce them, for any kind of record.

CRMs and spreadsheets name columns differently, so headers are matched on a folded form (case,
spaces and punctuation ignored) against synonyms. Every data row comes with the line it starts
on in the file (the header is line 1), so a rep can find and fix a bad row where it came from.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

MAX_FILE_BYTES = 50 * 1024 * 1024


class CsvFormatError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class CsvRecord:
    line: int
    values: dict[str, str]  # field -> stripped cell text, for the columns recognised


@dataclass(frozen=True)
class CsvTable:
    columns: dict[str, str]  # original header -> field
    records: list[CsvRecord]
    skipped: list[SkippedRow]


def fold_header(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then the Windows code page Excel writes."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(header_line: str) -> str:
    """Only the delimiter is sniffed (from the header); quoting stays Excel's, which CRMs use."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def map_columns(header: list[str], synonyms: Mapping[str, tuple[str, ...]]) -> dict[int, str]:
    folded_to_field = {syn: key for key, syns in synonyms.items() for syn in syns}
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, raw in enumerate(header):
        key = folded_to_field.get(fold_header(raw))
        if key and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping


def read_csv_table(
    data: bytes,
    synonyms: Mapping[str, tuple[str, ...]],
    require: Callable[[set[str], list[str]], str | None],
) -> CsvTable:
    """Rows of a CSV file keyed by field; `require` returns a message if columns are missing."""
    if len(data) > MAX_FILE_BYTES:
        raise CsvFormatError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    if b"\x00" in data[:4096]:
        raise CsvFormatError("This does not look like a CSV text file (it contains binary data).")
    text = _decode(data)
    if not text.strip():
        raise CsvFormatError("The file is empty.")

    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(header_line))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CsvFormatError(f"Line 1 (the header) cannot be read: {exc}") from exc
    mapping = map_columns(header, synonyms)
    problem = require(set(mapping.values()), header)
    if problem:
        raise CsvFormatError(problem)

    records: list[CsvRecord] = []
    skipped: list[SkippedRow] = []
    for line, row, error in _rows(reader):
        if error is not None:
            skipped.append(SkippedRow(line, error))
        elif len(row) > len(header):
            skipped.append(
                SkippedRow(line, f"has {len(row)} columns but the header has {len(header)}")
            )
        else:
            records.append(
                CsvRecord(line, {key: row[i].strip() for i, key in mapping.items() if i < len(row)})
            )
    return CsvTable({header[i]: key for i, key in mapping.items()}, records, skipped)


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str], str | None]]:
    """(first line of the row, cells, error) for each non-blank row."""
    assert hasattr(reader, "line_num")
    previous_end: int = reader.line_num
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            previous_end = reader.line_num
            yield start, [], f"cannot be read as CSV: {exc}"
            continue
        previous_end = reader.line_num
        if any(cell.strip() for cell in row):
            yield start, row, None
