"""Importing library items from marketing's spreadsheet: pick, preview every row, then commit.

Like the prospects import: nothing is stored until the rep has seen which rows will come in,
which are already in the library, and why the others will not, with the file's own line
numbers so marketing can fix the spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QWidget,
)

from smarketing_desktop.core.content import ContentDraft, ContentItem
from smarketing_desktop.core.content_csv import HEADER_SYNONYMS, parse_content_csv
from smarketing_desktop.core.csv_rows import SkippedRow, read_csv_table
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.ui.csv_import_dialog import CsvImportDialog
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.import_preview import PreviewModel
from smarketing_desktop.ui.tasks import TaskRunner

WILL_IMPORT = "Will import"
ALREADY_THERE = "Already in the library"
HEADERS = ("Line", "Title", "URL", "Status")


@dataclass(frozen=True)
class ContentImportPlan:
    """The file's rows sorted into new items, items the library has, and rows that fail."""

    rows: list[tuple[int, ContentDraft]] = field(default_factory=list)
    known: list[tuple[int, ContentDraft]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    # Line -> (title, URL) as written in the file, so skipped rows can be recognised.
    cells: dict[int, tuple[str, str]] = field(default_factory=dict)


def plan_content_import(repo: ContentRepository, data: bytes) -> ContentImportPlan:
    """Runs on the database worker: parse, then look up which addresses are already stored."""
    parsed = parse_content_csv(data)
    # The parser reports a skipped row by line and reason only; the raw cells say which row
    # that is (read again without requirements: the parse above has already checked them).
    table = read_csv_table(data, HEADER_SYNONYMS, lambda _found, _header: None)
    cells = {r.line: (r.values.get("title", ""), r.values.get("url", "")) for r in table.records}
    known_urls = {item.url for item in repo.find()}
    fresh = [(line, d) for line, d in parsed.drafts if d.url not in known_urls]
    known = [(line, d) for line, d in parsed.drafts if d.url in known_urls]
    return ContentImportPlan(fresh, known, list(parsed.skipped), cells)


def plan_summary(plan: ContentImportPlan) -> str:
    text = f"{len(plan.rows)} will be imported, {len(plan.skipped)} skipped"
    return f"{text}, {len(plan.known)} already in the library" if plan.known else text


def import_report(added: int, skipped: int, known: int) -> str:
    report = f"Imported {plural(added, 'content item')}"
    if skipped:
        report += f"; {plural(skipped, 'row')} skipped"
    if known:
        report += f"; {known} already in the library"
    return report


@dataclass(frozen=True)
class PreviewRow:
    line: int
    title: str
    url: str
    status: str
    skipped: bool


def preview_rows(plan: ContentImportPlan) -> list[PreviewRow]:
    rows = [PreviewRow(n, d.title, d.url, WILL_IMPORT, False) for n, d in plan.rows]
    rows += [PreviewRow(n, d.title, d.url, ALREADY_THERE, False) for n, d in plan.known]
    for skipped in plan.skipped:
        title, url = plan.cells.get(skipped.line, ("", ""))
        rows.append(PreviewRow(skipped.line, title, url, f"Skipped: {skipped.reason}", True))
    return sorted(rows, key=lambda r: r.line)


class ContentPreviewModel(PreviewModel[PreviewRow]):
    headers = HEADERS

    def set_plan(self, plan: ContentImportPlan | None) -> None:
        self.set_rows(preview_rows(plan) if plan is not None else [])

    def cells(self, row: PreviewRow) -> tuple[str, ...]:
        return (str(row.line), row.title, row.url, row.status)


class ContentImportDialog(CsvImportDialog):
    title = "Import content from CSV"
    intro = (
        "A spreadsheet with title and URL columns; type, tags, summary and expiry "
        "columns are read too."
    )
    choose_tip = "Pick marketing's content spreadsheet, saved as CSV"
    import_name = "Import content"
    noun = "content item"
    button_noun = "item"
    column_widths = (50, 220, 240)
    wrap_rows = True
    preview: ContentPreviewModel

    def __init__(
        self,
        repo: ContentRepository,
        runner: TaskRunner,
        chooser: FileChooser,
        parent: QWidget | None = None,
    ) -> None:
        self._repo = repo
        super().__init__(runner, chooser, ContentPreviewModel(), parent)

    def plan_file(self, data: bytes) -> ContentImportPlan:
        return plan_content_import(self._repo, data)

    def plan_summary(self, plan: ContentImportPlan) -> str:
        return plan_summary(plan)

    def store(self, plan: ContentImportPlan) -> tuple[list[ContentItem], int]:
        return self._repo.add_many([draft for _, draft in plan.rows])

    def report(self, plan: ContentImportPlan, stored: tuple[list[ContentItem], int]) -> str:
        added, duplicates = stored
        return import_report(len(added), len(plan.skipped), len(plan.known) + duplicates)
