"""The parts of a checklist page beside the form: the score box and the chosen item's pane.

The score box says where the profile stands (score, when, what changed since the review before)
or, before the first check, what to do; the item pane says why the chosen item matters to a
buyer and how to fix it, and takes the rep's own answer (Pass, Fail, a note). Both only show
what they are given; the page decides when.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.checklists import Change, Checklist, HistoryEntry
from smarketing_desktop.core.profile_rules import Status
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.checklist_model import STATUS_TEXT, ItemRow
from smarketing_desktop.ui.formatting import format_date, format_datetime
from smarketing_desktop.ui.profile_form import ToneLabel
from smarketing_desktop.ui.signals import emit

FIRST_RUN = (
    "Fill in what your profile shows today and press Check now. Buyers look you up before "
    "they answer: this makes sure they like what they see."
)
NOTHING_CHOSEN = "Choose an item to see why it matters to a buyer and how to fix it."
FIRST_REVIEW = "Your first review: the next one will show what changed."
SHOWN_TITLES = 2  # item titles listed per kind of change in the box; the tooltip has them all


def _titles(changes: Sequence[Change], checklist: Checklist, limit: int | None = None) -> str:
    names = []
    for change in changes:
        item = checklist.item(change.item_id)
        names.append(item.title if item else change.item_id)
    if limit is not None and len(names) > limit:
        return f"{'; '.join(names[:limit])}; and {len(names) - limit} more"
    return "; ".join(names)


def change_summary(entry: HistoryEntry, checklist: Checklist, limit: int | None = None) -> str:
    """What changed since the review before: the score's move, items fixed and broken.

    `limit` shortens each list to that many titles ("and 5 more") where space is short.
    """
    if entry.previous is None:
        return FIRST_REVIEW
    delta = entry.score_delta or 0
    moved = f"{delta:+d} points" if delta else "the same score"
    lines = [f"Since {format_date(entry.previous.reviewed_at)}: {moved}."]
    fixed = [c for c in entry.changes if c.fixed]
    broken = [c for c in entry.changes if c.broken]
    other = [c for c in entry.changes if not c.fixed and not c.broken]
    if fixed:
        lines.append(f"Fixed: {_titles(fixed, checklist, limit)}.")
    if broken:
        lines.append(f"No longer passing: {_titles(broken, checklist, limit)}.")
    if other:
        lines.append(f"Also changed: {_titles(other, checklist, limit)}.")
    if not entry.changes:
        lines.append("No item changed.")
    return " ".join(lines)


def _heading(text: str, parent: QWidget, scale: float = 1.0) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def _text(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class ScoreBox(QFrame):
    """The latest score out of 100 with a bar, when it was checked, and what changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Score")
        self.score_label = _heading("", self, 2.0)
        self.score_label.setAccessibleName("Score")
        self.out_of = QLabel("/100", self)
        self.progress = accessible(
            QProgressBar(self),
            "Score out of 100",
            "The share of the checklist's weight that passes",
        )
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.when_label = _text(self, "Checked")
        self.changes_label = _text(self, "What changed")
        self.intro = _text(self, "How to start")
        self.intro.setText(FIRST_RUN)

        number = QHBoxLayout()
        number.setSpacing(4)
        number.addWidget(self.score_label, 0, Qt.AlignmentFlag.AlignBaseline)
        number.addWidget(self.out_of, 0, Qt.AlignmentFlag.AlignBaseline)
        number.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(number)
        layout.addWidget(self.progress)
        layout.addWidget(self.when_label)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.intro)
        layout.addStretch(1)
        self.show_history([], None, None)

    @property
    def score_text(self) -> str:
        return self.score_label.text() if self.score_label.isVisibleTo(self) else ""

    def show_history(
        self,
        history: Sequence[HistoryEntry],
        checklist: Checklist | None,
        next_review: date | None,
    ) -> None:
        """`history` newest first; empty shows what to do instead."""
        latest = history[0] if history else None
        for widget in (self.score_label, self.out_of, self.progress, self.when_label):
            widget.setVisible(latest is not None)
        self.changes_label.setVisible(latest is not None)
        self.intro.setVisible(latest is None)
        if latest is None or checklist is None:
            self.setAccessibleDescription(FIRST_RUN)
            return
        score = latest.review.score
        self.score_label.setText(str(score))
        self.progress.setValue(score)
        self.progress.setAccessibleDescription(f"{score} out of 100")
        when = f"Checked {format_date(latest.review.reviewed_at)}"
        if next_review is not None:
            when += f" · next {next_review.isoformat()}"
        self.when_label.setText(when)
        self.when_label.setToolTip(
            f"Checked {format_datetime(latest.review.reviewed_at)}"
            + (f"; the next check is due {next_review.isoformat()}" if next_review else "")
        )
        self.changes_label.setText(change_summary(latest, checklist, SHOWN_TITLES))
        full = change_summary(latest, checklist)
        self.changes_label.setToolTip(full)
        self.changes_label.setAccessibleDescription(full)
        self.setAccessibleDescription(f"{score} out of 100. {when}. {full}")


class ItemPane(QWidget):
    """The chosen item: what was found, why it matters, how to fix it, and the rep's answer.

    `answer_chosen` carries the item id and "pass", "fail" or None (back to the automatic
    check, or unanswered); `note_edited` the item id and the note as typed.
    """

    answer_chosen = Signal(str, object)
    note_edited = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row: ItemRow | None = None
        self.setAccessibleName("Checklist item")
        self.empty = _text(self, "No item chosen")
        self.empty.setText(NOTHING_CHOSEN)
        self.title = _heading("", self, 1.15)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Item")
        self.status = ToneLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName("Found")
        self.why_heading = _heading("Why it matters to a buyer", self)
        self.why = _text(self, "Why it matters to a buyer")
        self.how_heading = _heading("How to fix it", self)
        self.how = _text(self, "How to fix it")

        self.answer_label = QLabel("Your answer:", self)
        self.pass_button = accessible(
            QPushButton("Pass", self), "Answer pass", "Your profile does this (P in the list)"
        )
        self.fail_button = accessible(
            QPushButton("Fail", self), "Answer fail", "Your profile does not do this yet (F)"
        )
        for button in (self.pass_button, self.fail_button):
            button.setCheckable(True)
        self.clear_button = accessible(
            QPushButton("Clear answer", self),
            "Clear answer",
            "Take your answer back (Backspace in the list)",
        )
        self.pass_button.clicked.connect(lambda checked: self._answer("pass" if checked else None))
        self.fail_button.clicked.connect(lambda checked: self._answer("fail" if checked else None))
        self.clear_button.clicked.connect(lambda: self._answer(None))
        self.note = accessible(
            QLineEdit(self),
            "Note",
            "Optional: what you saw, or why you answer so. Kept with the review and printed "
            "in the exported report",
        )
        self.note.setPlaceholderText("Note (optional)")
        self.note.setMinimumWidth(120)
        self.note.textEdited.connect(self._note)

        answers = QHBoxLayout()
        answers.setContentsMargins(0, 0, 0, 0)
        answers.addWidget(self.answer_label)
        answers.addWidget(self.pass_button)
        answers.addWidget(self.fail_button)
        answers.addWidget(self.clear_button)
        answers.addWidget(self.note, 1)
        self._details = QWidget(self)
        details = QVBoxLayout(self._details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(4)
        details.addWidget(self.title)
        details.addWidget(self.status)
        details.addSpacing(4)
        details.addWidget(self.why_heading)
        details.addWidget(self.why)
        details.addWidget(self.how_heading)
        details.addWidget(self.how)
        details.addSpacing(4)
        details.addLayout(answers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.empty)
        layout.addWidget(self._details)
        layout.addStretch(1)
        self.show_row(None)

    @property
    def row(self) -> ItemRow | None:
        return self._row

    def minimumSizeHint(self) -> QSize:
        """No minimum height of its own: wrapped text measures its minimum at its narrowest,
        which would scroll the pane even when its text fits; the scroll area asks
        `heightForWidth` for the height really needed at the width it has."""
        return QSize(super().minimumSizeHint().width(), 0)

    def show_row(self, row: ItemRow | None) -> None:
        same_item = row is not None and self._row is not None and row.item.id == self._row.item.id
        self._row = row
        self.empty.setVisible(row is None)
        self._details.setVisible(row is not None)
        if row is None:
            return
        item = row.item
        self.title.setText(f"{item.title} (weight {item.weight})")
        # "Not checked yet: press Check now." says its status itself; pass and fail do not.
        found = row.detail if row.status == "unknown" else f"{row.status_text}: {row.detail}"
        self.status.set_text(found, problem=row.status == "fail")
        self.why.setText(item.why)
        self.how.setText(item.how)
        manual = item.kind == "manual"
        self.answer_label.setText("Your answer:" if manual else "Override the check:")
        self.answer_label.setToolTip(
            "This item is yours to judge: your answer is its result."
            if manual
            else "Your answer wins over the automatic check; what the check found is kept."
        )
        status: Status | None = row.answer.status if row.answer else None
        self.pass_button.setChecked(status == "pass")
        self.fail_button.setChecked(status == "fail")
        self.clear_button.setEnabled(status is not None)
        self.clear_button.setText("Clear answer" if manual else "Use the check")
        note = (row.answer.note if row.answer else None) or ""
        if not same_item:  # the note box itself is the truth while its item stays chosen
            self.note.setText(note)
        self.setAccessibleDescription(
            f"{STATUS_TEXT[row.status]}. {row.detail} Why it matters: {item.why} "
            f"How to fix it: {item.how}"
        )

    def _answer(self, status: Status | None) -> None:
        if self._row is not None:
            emit(self.answer_chosen, self._row.item.id, status)

    def _note(self, text: str) -> None:
        if self._row is not None:
            emit(self.note_edited, self._row.item.id, text)
