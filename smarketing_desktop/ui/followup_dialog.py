"""The follow-up dialog: a prospect, a due date and a note. The Queue opens it empty; the Inbox
and the Plan open it filled in from a post or a step, with the prospect fixed, because a
comment on Dana's post is a follow-up with Dana and nobody else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.db.repositories.followups import FollowupDraft
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.tasks import TaskRunner


class FollowupDialog(QDialog):
    """What to do for whom, and when.

    `prospect_id` preselects a prospect; `fixed` keeps it (the source decides who it is for).
    `note` fills the note in, selected, so typing replaces it and Enter keeps it.
    """

    def __init__(
        self,
        prospects: list[tuple[int, str]],
        today: date,
        parent: QWidget | None = None,
        *,
        prospect_id: int | None = None,
        note: str = "",
        fixed: bool = False,
        title: str = "New follow-up",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.prospect = accessible(QComboBox(self), "Prospect")
        for pid, name in prospects:
            self.prospect.addItem(name, pid)
        if prospect_id is not None:
            self.prospect.setCurrentIndex(max(self.prospect.findData(prospect_id), 0))
        if fixed:
            self.prospect.setEnabled(False)
            self.prospect.setToolTip("The follow-up is for the prospect this came from")
        self.due = accessible(QDateEdit(self), "Due date")
        self.due.setCalendarPopup(True)
        self.due.setDate(QDate(today.year, today.month, today.day))
        self.note = accessible(QLineEdit(self), "Note", "What to do")
        self.note.setPlaceholderText("What to do, e.g. ask how the pilot went")
        self.note.setText(note)
        self.note.selectAll()
        form = QFormLayout()
        form.addRow("&Prospect:", self.prospect)
        form.addRow("&Due:", self.due)
        form.addRow("&Note:", self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Add follow-up")
        accessible(ok, "Add follow-up")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()
        self.note.setFocus()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.note.text().strip()) and self.prospect.count() > 0)

    def values(self) -> tuple[int, date, str]:
        qd = self.due.date()
        pid = self.prospect.currentData()
        return int(pid), date(qd.year(), qd.month(), qd.day()), self.note.text().strip()


def open_for_draft(
    parent: QWidget,
    runner: TaskRunner,
    draft: FollowupDraft,
    *,
    title: str,
    add: Callable[[FollowupDraft, date, str], QueueItemInfo],
    added: Callable[[str], None],
    failed: Callable[[Exception], None],
) -> FollowupDialog:
    """The dialog filled in from a post's or step's draft; on OK, `add` runs on the database
    worker and `added` gets the notice to show ("Follow-up with Dana added, due Mon 23 Nov")."""
    dialog = FollowupDialog(
        [(draft.prospect_id, draft.prospect)],
        draft.due,
        parent,
        prospect_id=draft.prospect_id,
        note=draft.note,
        fixed=True,
        title=title,
    )

    def stored(item: QueueItemInfo) -> None:
        due = item.due_on.strftime("%a %d %b") if item.due_on else "today"
        added(f"Follow-up with {draft.prospect} added, due {due}.")

    def accepted() -> None:
        _pid, due, note = dialog.values()
        runner.run_db(lambda: add(draft, due, note), stored, failed)

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog
