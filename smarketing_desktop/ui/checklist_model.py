"""The checklist's items as a table: status, title, weight and what the check found.

A row shows the item as the next check will see it: the shown review's result, unless the rep
has answered the item since (answers win over the automatic check, as in `evaluate_item`), so a
Pass toggled on a manual item shows at once rather than only after Check now. Status is said in
words as well as by icon and color, so it reads the same in light and dark themes and to a
screen reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from smarketing_desktop.core.checklists import Answer, Checklist, ChecklistItem, ItemResult, Review
from smarketing_desktop.core.profile_rules import Status
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.theme import error_color, is_dark

STATUS_COLUMN, ITEM_COLUMN, WEIGHT_COLUMN, RESULT_COLUMN = range(4)
HEADERS = ("Status", "Item", "Weight", "Found")
ANSWERED = "Answered by you"  # how `evaluate_item` starts the detail of an answered item

STATUS_TEXT: dict[Status, str] = {"pass": "Pass", "fail": "Fail", "unknown": "Not checked"}
MANUAL_UNKNOWN_TEXT = "To answer"
MANUAL_NOT_ANSWERED = "A manual check: answer it with Pass or Fail."
_ICONS: dict[Status, QStyle.StandardPixmap] = {
    "pass": QStyle.StandardPixmap.SP_DialogApplyButton,
    "fail": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "unknown": QStyle.StandardPixmap.SP_MessageBoxQuestion,
}
# Passed items in a green picked per theme for at least 4.5:1 against the list's base color.
_PASS_ON_LIGHT = QColor("#1b6e20")
_PASS_ON_DARK = QColor("#8fd694")

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ItemRow:
    """One item as shown: its status and detail now, the rep's answer, the stored result."""

    item: ChecklistItem
    status: Status
    detail: str
    answer: Answer | None
    result: ItemResult | None

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.status is not None

    @property
    def status_text(self) -> str:
        if self.status == "unknown" and self.item.kind == "manual":
            return MANUAL_UNKNOWN_TEXT
        return STATUS_TEXT[self.status]


def item_row(item: ChecklistItem, result: ItemResult | None, answer: Answer | None) -> ItemRow:
    """What the list says about `item`, given the stored result and the rep's answer."""
    if answer is not None and answer.status is not None:
        if result is not None and result.status == answer.status:
            return ItemRow(item, answer.status, result.detail, answer, result)
        found = (
            f" The last check found: {result.detail}"
            if result is not None and not result.detail.startswith(ANSWERED)
            else ""
        )
        detail = f"Your answer, scored at the next Check now.{found}"
        return ItemRow(item, answer.status, detail, answer, result)
    if result is not None:
        if result.detail.startswith(ANSWERED):
            # The status was the rep's answer, which they have taken back since.
            detail = "You cleared your answer: Check now scores it again."
            return ItemRow(item, "unknown", detail, answer, result)
        return ItemRow(item, result.status, result.detail, answer, result)
    if item.kind == "manual":
        return ItemRow(
            item, "unknown", "A manual check: answer it with Pass or Fail.", answer, None
        )
    return ItemRow(item, "unknown", "Not checked yet: press Check now.", answer, None)


def answers_from(review: Review, checklist: Checklist) -> dict[str, Answer]:
    """The answers a stored review was given, so the next session starts where the rep left.

    Manual items' statuses are answers; an automatic item was overridden when its detail says
    so. Notes are kept for every item.
    """
    answers: dict[str, Answer] = {}
    for result in review.results:
        item = checklist.item(result.item_id)
        if item is None:
            continue
        answered = (item.kind == "manual" and result.status != "unknown") or (
            item.kind == "auto" and result.detail.startswith(ANSWERED)
        )
        status = result.status if answered else None
        if status is not None or result.note:
            answers[item.id] = Answer(status, result.note)
    return answers


def pass_color(dark: bool) -> QColor:
    return QColor(_PASS_ON_DARK if dark else _PASS_ON_LIGHT)


class ChecklistItemModel(QAbstractTableModel):
    """Rows are the checklist's items in order; `set_review` and answers change what they say."""

    def __init__(self, checklist: Checklist, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checklist = checklist
        self._review: Review | None = None
        self._results: dict[str, ItemResult] = {}
        self._answers: dict[str, Answer] = {}
        self._icons: dict[Status, QIcon] = {}

    # -- feeding -------------------------------------------------------------------------

    @property
    def checklist(self) -> Checklist:
        return self._checklist

    @property
    def review(self) -> Review | None:
        return self._review

    def set_review(self, review: Review | None) -> None:
        self._review = review
        self._results = {r.item_id: r for r in review.results} if review else {}
        self._all_changed()

    def answers(self) -> dict[str, Answer]:
        """What the rep said, for `ChecklistRepository.review`: only items with a word to say."""
        given = {
            item_id: Answer(answer.status, (answer.note or "").strip() or None)
            for item_id, answer in self._answers.items()
        }
        return {k: a for k, a in given.items() if a.status is not None or a.note}

    def set_answers(self, answers: dict[str, Answer]) -> None:
        self._answers = dict(answers)
        self._all_changed()

    def set_answer(self, item_id: str, status: Status | None) -> None:
        note = self._answers.get(item_id, Answer(None)).note
        self._answers[item_id] = Answer(status, note)
        self._row_changed(item_id)

    def set_note(self, item_id: str, note: str) -> None:
        status = self._answers.get(item_id, Answer(None)).status
        self._answers[item_id] = Answer(status, note or None)  # as typed; trimmed on use
        self._row_changed(item_id)

    # -- reading -------------------------------------------------------------------------

    def row(self, row: int) -> ItemRow | None:
        if not 0 <= row < len(self._checklist.items):
            return None
        item = self._checklist.items[row]
        return item_row(item, self._results.get(item.id), self._answers.get(item.id))

    def row_of(self, item_id: str) -> int | None:
        return next((n for n, item in enumerate(self._checklist.items) if item.id == item_id), None)

    def rows(self) -> list[ItemRow]:
        return [r for n in range(self.rowCount()) if (r := self.row(n)) is not None]

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._checklist.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS_COLUMN:
            return self._icon(row.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS_COLUMN:
            return self._status_color(row.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.detail if column == RESULT_COLUMN else self._tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(row) if column == ITEM_COLUMN else self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == WEIGHT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.item.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- internals -----------------------------------------------------------------------

    @staticmethod
    def _display(row: ItemRow, column: int) -> str:
        if column == STATUS_COLUMN:
            return row.status_text
        if column == ITEM_COLUMN:
            return row.item.title
        if column == WEIGHT_COLUMN:
            return str(row.item.weight)
        return row.detail

    @staticmethod
    def _tooltip(row: ItemRow) -> str:
        kind = "You answer this one." if row.item.kind == "manual" else "Checked automatically."
        return (
            f"{row.item.title} ({kind})\n\nWhy it matters to a buyer: {row.item.why}\n\n"
            f"How to fix it: {row.item.how}"
        )

    @staticmethod
    def _spoken(row: ItemRow) -> str:
        return f"{row.status_text}: {row.item.title}, weight {row.item.weight}. {row.detail}"

    def _icon(self, status: Status) -> QIcon:
        if status not in self._icons:
            self._icons[status] = QApplication.style().standardIcon(_ICONS[status])
        return self._icons[status]

    @staticmethod
    def _status_color(status: Status) -> QColor | None:
        palette = QGuiApplication.palette()
        if status == "fail":
            return error_color(palette)
        if status == "pass":
            return pass_color(is_dark(palette))
        return None

    def _all_changed(self) -> None:
        if self.rowCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            emit(self.dataChanged, self.index(0, 0), last)

    def _row_changed(self, item_id: str) -> None:
        row = self.row_of(item_id)
        if row is not None:
            emit(self.dataChanged, self.index(row, 0), self.index(row, self.columnCount() - 1))
