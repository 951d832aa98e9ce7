"""The rows of a planned CSV import, in file order, with every skipped row and its reason.

Skipped rows are marked three ways (the word "Skipped", a warning icon and the error color) so
the marking survives color blindness and screen readers alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QApplication, QStyle

from smarketing_desktop.db.repositories.prospects import ImportPlan
from smarketing_desktop.ui.row_table_model import AnyIndex
from smarketing_desktop.ui.theme import error_color

WILL_IMPORT = "Will import"
HEADERS = ("Line", "Name", "Company", "Email", "Status")


class PreviewLine(Protocol):
    """What every import's preview row has: its line in the file and whether it is skipped."""

    @property
    def line(self) -> int: ...

    @property
    def skipped(self) -> bool: ...


R = TypeVar("R", bound=PreviewLine)


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


class PreviewModel(QAbstractTableModel, Generic[R]):
    """A read-only table of planned import rows; the last column is the row's status.

    Subclasses name the `headers` and say which `cells` a row shows; the marking of skipped
    rows (and everything else a table model needs) is the same for every import.
    """

    headers: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: list[R]) -> None:
        """`rows` in file order."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def cells(self, row: R) -> tuple[str, ...]:
        raise NotImplementedError

    def row(self, index: int) -> R:
        return self._rows[index]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        status_column = len(self.headers) - 1
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(row)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not row.skipped:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return error_color(QApplication.palette())
        if role == Qt.ItemDataRole.FontRole and column == status_column:
            font = QApplication.font()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == status_column:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


class ImportPreviewModel(PreviewModel[PreviewRow]):
    headers = HEADERS

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.set_rows(preview_rows(plan) if plan is not None else [])

    def cells(self, row: PreviewRow) -> tuple[str, ...]:
        return (str(row.line), row.name, row.company, row.email, row.status)
