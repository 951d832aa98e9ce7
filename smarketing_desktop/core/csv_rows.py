"""Reading spreadsheet exports the way reps produce them, for any kind of record.

CRMs and spreadsheets name columns differently, so headers are matched on a folded form (case,
spaces and punctuation ignored) against synonyms. Every data row comes with the line it starts
on in the file (the header is line 1), so a rep can find and fix a bad row where it came from.

Writing goes through `write_csv` too, so every export is defused against spreadsheet formulas
and every import undoes exactly that, whatever kind of record the file holds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

MAX_FILE_BYTES = 50 * 1024 * 1024

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (OWASP "CSV injection"); `write_csv` puts a ' in front so it shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    end_line: int = 0  # the last line the row took (quoted line breaks); 0: same as `line`

    def joined_lines(self) -> str:
        """The skip reason when a one-line field (a name, a title) holds a line break.

        Such a row is almost always a quote that was never closed, which makes the csv module
        read the following lines into it; the rep should hear that, not see a junk record.
        """
        end = max(self.end_line, self.line)
        return unclosed_quote_reason(self.line, end if end > self.line else self.line + 1)


def unclosed_quote_reason(start: int, end: int) -> str:
    return f'a quote (") is never closed, so lines {start}-{end} were read as one'


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
    # Without the file's final line break, a quote left open on the last row does not count
    # one line more than the file has (line numbers in messages stay right).
    text = text.removesuffix("\n").removesuffix("\r")
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=_delimiter(header_line))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CsvFormatError(f"Line 1 (the header) cannot be read: {exc}") from exc
    mapping = map_columns(header, synonyms)
    problem = require(set(mapping.values()), header)
    if problem:
        raise CsvFormatError(problem)

    delimiter = reader.dialect.delimiter
    records: list[CsvRecord] = []
    skipped: list[SkippedRow] = []
    for line, end, row, error in _rows(reader):
        if error is not None:
            skipped.append(SkippedRow(line, error))
        elif end > line and _swallowed_lines(row, len(header), delimiter):
            skipped.append(SkippedRow(line, unclosed_quote_reason(line, end)))
        elif len(row) > len(header):
            skipped.append(
                SkippedRow(line, f"has {len(row)} columns but the header has {len(header)}")
            )
        else:
            values = {key: undefuse(row[i].strip()) for i, key in mapping.items() if i < len(row)}
            records.append(CsvRecord(line, values, end))
    return CsvTable({header[i]: key for i, key in mapping.items()}, records, skipped)


def _swallowed_lines(row: list[str], columns: int, delimiter: str) -> bool:
    """Whether a row spanning several lines is really an unclosed quote.

    A quoted cell may legitimately hold line breaks (CRM notes), and notes often hold commas
    too, so neither alone says anything. An unclosed quote also eats the delimiters of the
    lines it swallows, which leaves the row short of columns: all three together do.
    """
    return len(row) < columns and any("\n" in cell and delimiter in cell for cell in row)


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, int, list[str], str | None]]:
    """(first line of the row, last line, cells, error) for each non-blank row."""
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
            yield start, previous_end, [], f"cannot be read as CSV: {exc}"
            continue
        previous_end = reader.line_num
        if any(cell.strip() for cell in row):
            yield start, previous_end, row, None


def defuse(value: str) -> str:
    """`value` made safe for a spreadsheet: a leading ' when it would start a formula.

    Apostrophes already in front of a formula character get one more, so `undefuse` can
    always remove exactly one and an export reads back as it was.
    """
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def undefuse(value: str) -> str:
    """Undo `defuse` (and the same ' that spreadsheets and other tools add)."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV text (Excel quoting, CRLF) with every cell defused; the one writer for exports."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([defuse(cell) for cell in header])
    for row in rows:
        writer.writerow([defuse(cell) for cell in row])
    return out.getvalue()
