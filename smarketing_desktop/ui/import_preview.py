"""The rows of a planned CSV import, in file order, with every skipped row and its reason.

Skipped rows are marked three ways (the word "Skipped", a warning icon and the error color) so
the marking survives color blindness and screen readers alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStyle

from smarketing_desktop.db.repositories.prospects import ImportPlan
from smarketing_desktop.ui.theme import error_color

WILL_IMPORT = "Will import"
HEADERS = ("Line", "Name", "Company", "Email", "Status")
STATUS_COLUMN = 4


@dataclass(frozen=True)
class PreviewRow:
    line: int
    name: str
    company: str
    email: str
    status: str
    skipped: bool


def preview_rows(plan: ImportPlan) -> list[PreviewRow]:
    rows = [
        PreviewRow(
            r.line, r.draft.name, r.draft.company or "", r.draft.email or "", WILL_IMPORT, False
        )
        for r in plan.rows
    ]
    rows += [PreviewRow(s.line, "", "", "", f"Skipped: {s.reason}", True) for s in plan.skipped]
    return sorted(rows, key=lambda r: r.line)


class ImportPreviewModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self._rows = preview_rows(plan) if plan is not None else []
        self.endResetModel()

    def row(self, index: int) -> PreviewRow:
        return self._rows[index]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (str(row.line), row.name, row.company, row.email, row.status)
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not row.skipped:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return error_color(QApplication.palette())
        if role == Qt.ItemDataRole.FontRole and column == STATUS_COLUMN:
            font = QApplication.font()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS_COLUMN:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None
