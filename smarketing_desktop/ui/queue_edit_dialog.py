"""Changing a waiting share (text, link, time) or a follow-up (note, due day) in place.

The rep fixes a typo or moves a post to a better hour without removing and re-adding it, which
would lose the slot, the prospect and the item it came from. For X the counter shows the length
X will count as the rep types (links count 23), and saving waits until the text fits. Only what
the rep changed is sent: a ready share whose time has passed can still have its text fixed
without the repository refusing the (unchanged) past time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from smarketing_desktop.core.queue import QueueItemInfo, link_problem
from smarketing_desktop.core.wording import channel_name
from smarketing_desktop.ui.form_dialog import FormDialog
from smarketing_desktop.ui.opportunity_dialog import from_qdate, to_qdate
from smarketing_desktop.ui.share_dialog import counter_text
from smarketing_desktop.ui.tasks import TaskRunner

WHEN_FORMAT = "ddd d MMM yyyy HH:mm"


@dataclass(frozen=True)
class QueueChanges:
    """What the rep changed; None is "leave as it is", `url=""` removes the link."""

    text: str | None = None
    url: str | None = None
    at: datetime | None = None
    due: date | None = None

    def is_empty(self) -> bool:
        return self.text is None and self.url is None and self.at is None and self.due is None


SaveChanges = Callable[[QueueChanges], QueueItemInfo]


def local_minute(when: datetime) -> datetime:
    """The local wall-clock minute a time edit shows (naive), to tell a change from none."""
    return when.astimezone().replace(second=0, microsecond=0, tzinfo=None)


def to_qdatetime(wall: datetime) -> QDateTime:
    """A naive local wall-clock minute as the time editor shows it."""
    return QDateTime(to_qdate(wall.date()), QTime(wall.hour, wall.minute))


class QueueEditDialog(FormDialog):
    """`saved(QueueItemInfo)` once the change is stored (or there was nothing to change)."""

    saved = Signal(object)
    grows_for_messages = True

    def __init__(
        self,
        item: QueueItemInfo,
        save: SaveChanges,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        share = item.kind == "share"
        what = f"{channel_name(item.channel)} share" if share else "follow-up"
        super().__init__(runner, title=f"Edit {what}", parent=parent)
        self._item = item
        self._save = save
        self.counter = QLabel("", self)
        self.counter.setAccessibleName("Character count")
        if share:
            self.text: QPlainTextEdit | QLineEdit = QPlainTextEdit(self)
            self.text.setTabChangesFocus(True)
            self.text.setMinimumHeight(100)
            self.text.setPlainText(item.text)
            self.text.textChanged.connect(self._update_counter)
            self.add_field(
                "text",
                "Te&xt:",
                self.text,
                name="Share text",
                tooltip="What will be posted",
                contents=(self.text, self.counter),
            )
            self.link = QLineEdit(item.url or "", self)
            self.link.setPlaceholderText("https://… (optional)")
            self.link.textChanged.connect(self._update_counter)
            self.add_field(
                "url", "&Link:", self.link, name="Link", tooltip="Leave empty to post no link"
            )
            self.when = QDateTimeEdit(self)
            self.when.setCalendarPopup(True)
            self.when.setDisplayFormat(WHEN_FORMAT)
            if item.scheduled_at is not None:
                self.when.setDateTime(to_qdatetime(local_minute(item.scheduled_at)))
            self.add_field(
                "at",
                "&When:",
                self.when,
                name="Date and time",
                tooltip="When it goes out, in your local time",
            )
        else:
            self.text = QLineEdit(item.text, self)
            self.add_field("text", "&Note:", self.text, name="Note", tooltip="What to do")
            self.due = QDateEdit(self)
            self.due.setCalendarPopup(True)
            if item.due_on is not None:
                self.due.setDate(to_qdate(item.due_on))
            self.add_field("due", "&Due:", self.due, name="Due date")
        self.add_buttons(
            self.save, accept_name=f"Save {what}", accept_tip="Store the changes in the queue"
        )
        self.lay_out()
        self.setMinimumWidth(520)
        self._update_counter()

    # -- reading the form --------------------------------------------------------------------

    def text_value(self) -> str:
        editor = self.text
        raw = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
        return raw.strip()

    def link_value(self) -> str:
        return self.link.text().strip()

    def changes(self) -> QueueChanges:
        """Only the fields that differ from the stored item."""
        item = self._item
        text = self.text_value()
        changed_text = text if text != item.text else None
        if item.kind != "share":
            day = from_qdate(self.due.date())
            return QueueChanges(text=changed_text, due=day if day != item.due_on else None)
        link = self.link_value()
        wall: datetime = self.when.dateTime().toPython()  # type: ignore[assignment]
        moved = item.scheduled_at is None or wall != local_minute(item.scheduled_at)
        return QueueChanges(
            text=changed_text,
            url=link if link != (item.url or "") else None,
            at=wall.astimezone() if moved else None,
        )

    def validate(self) -> dict[str, str]:
        """What can be told before asking the database: empty text, a bad link, X's length."""
        problems: dict[str, str] = {}
        if not self.text_value():
            problems["text"] = (
                "Write the text first." if self._item.kind == "share" else ("Write what to do.")
            )
        elif self._over():
            problems["text"] = self._over_message()
        if self._item.kind == "share":
            link = link_problem(self.link_value() or None)
            if link:
                problems["url"] = link
        return problems

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        if self.is_busy:
            return
        problems = self.validate()
        self.show_errors(problems)
        if problems:
            return
        changes = self.changes()
        if changes.is_empty():
            self.finish(self.saved, self._item)
            return
        save = self._save
        self.run(lambda: save(changes), lambda item: self.finish(self.saved, item))

    # -- internals ---------------------------------------------------------------------------

    def _over(self) -> int:
        if self._item.kind != "share":
            return 0
        return counter_text(self._item.channel or "", self.text_value(), self.link_value())[1]

    def _over_message(self) -> str:
        return f"{self._over()} characters over X's limit: shorten the text to save it."

    def _update_counter(self) -> None:
        """The live count, and for X the problem while the text is too long."""
        if self._item.kind != "share":
            self.counter.setVisible(False)
            return
        line, over = counter_text(self._item.channel or "", self.text_value(), self.link_value())
        self.counter.setText(line)
        self.counter.setAccessibleDescription(line)
        if over:
            self.errors["text"].show_message(self._over_message())
        else:
            self.errors["text"].clear_message()
        self.accept_button.setEnabled(not self.is_busy and not over)
