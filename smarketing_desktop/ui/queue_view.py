"""The Queue area: shares waiting for their slot, shares ready to post, and follow-ups.

Shares are listed by time (local time). A ready share is posted by hand: "Open share link"
opens the channel's share page and copies the text to the clipboard (some pages drop the
text), then "Mark posted" records it, which logs a touch with its prospect. Every database
call runs on the task runner's database worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.queue import MoveDirection, QueueItemInfo, QueueMove
from smarketing_desktop.core.wording import channel_name
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.followup_dialog import FollowupDialog
from smarketing_desktop.ui.key_action import key_action
from smarketing_desktop.ui.queue_edit_dialog import QueueChanges, QueueEditDialog
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

COPIED = "Text copied: paste it in the window that opened"
EMPTY_QUEUE = "Nothing in the queue"
EMPTY_FOLLOWUPS = "No follow-ups"
MOVE_KEYS: dict[MoveDirection, str] = {"up": "Alt+Up", "down": "Alt+Down"}
MOVE_TEXT: dict[MoveDirection, str] = {"up": "Move up", "down": "Move down"}


def local_when(item: QueueItemInfo) -> str:
    if item.scheduled_at is None:
        return "no time set"
    return item.scheduled_at.astimezone().strftime("%a %d %b %H:%M")


def open_share(share_url: str | None, text: str) -> str:
    """Opens the share page and puts the text on the clipboard; returns the notice to show."""
    QGuiApplication.clipboard().setText(text)
    if share_url:
        QDesktopServices.openUrl(QUrl(share_url))
    return COPIED


@dataclass(frozen=True)
class QueueData:
    shares: list[QueueItemInfo]
    followups: list[QueueItemInfo]
    prospects: dict[int, str]


def load_queue(db: Database) -> QueueData:
    """Runs on the database worker: open items (and failed ones, to show their error)."""
    queue = QueueRepository(db)
    items = [i for i in queue.list_items() if i.status in ("queued", "ready", "failed")]
    shares = [i for i in items if i.kind == "share"]
    followups = sorted(
        (i for i in items if i.kind == "followup"), key=lambda i: (i.due_on or date.max, i.id)
    )
    ids = sorted({i.prospect_id for i in items if i.prospect_id is not None})
    names = {pid: p.name for pid, p in ProspectRepository(db).get_many(ids).items()}
    return QueueData(shares, followups, names)


def load_prospect_choices(db: Database) -> list[tuple[int, str]]:
    return [(p.id, p.name) for p in ProspectRepository(db).find()]


def _button(parent: QWidget, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    button = accessible(QPushButton(text, parent), name)
    button.clicked.connect(lambda: slot())  # noqa: PLW0108 (never hand `checked` to the slot)
    return button


class QueueView(QWidget):
    """The queue by time, with the actions for ready shares and due follow-ups.

    `notice` carries status-bar messages; `changed` fires after anything here changed the
    queue (the window refreshes Today and prospects on it).
    """

    notice = Signal(str)
    changed = Signal()

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._queue = QueueRepository(db)
        self.data = QueueData([], [], {})
        self.dialog: FollowupDialog | None = None
        self.edit_dialog: QueueEditDialog | None = None
        self.rows: dict[int, QFrame] = {}
        self._focus_after: int | None = None  # the moved share keeps the focus across a reload

        title = QLabel("Queue", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        self.new_followup_button = _button(
            self, "New follow-up…", "New follow-up", self.new_followup
        )
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.new_followup_button)

        body = QWidget(self)
        self._body_layout = QVBoxLayout(body)
        self._shares_heading = QLabel("Shares", body)
        self._shares_box = QVBoxLayout()
        self._followups_heading = QLabel("Follow-ups", body)
        self._followups_box = QVBoxLayout()
        for heading in (self._shares_heading, self._followups_heading):
            f = heading.font()
            f.setBold(True)
            heading.setFont(f)
        self._body_layout.addWidget(self._shares_heading)
        self._body_layout.addLayout(self._shares_box)
        self._body_layout.addSpacing(12)
        self._body_layout.addWidget(self._followups_heading)
        self._body_layout.addLayout(self._followups_box)
        self._body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 8)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        self.refresh()

    # -- loading ---------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        db = self._db
        self._runner.run_db(lambda: load_queue(db), self._show, context=self)

    def _show(self, data: QueueData) -> None:
        self.data = data
        for box in (self._shares_box, self._followups_box):
            while box.count():
                taken = box.takeAt(0)
                widget = taken.widget() if taken is not None else None
                if widget is not None:
                    widget.deleteLater()
        self.rows = {}
        parent = self._shares_heading.parentWidget()
        if not data.shares:
            self._shares_box.addWidget(QLabel(EMPTY_QUEUE, parent))
        for item in data.shares:
            self._shares_box.addWidget(self._share_row(item, parent))
        if not data.followups:
            self._followups_box.addWidget(QLabel(EMPTY_FOLLOWUPS, parent))
        for item in data.followups:
            self._followups_box.addWidget(self._followup_row(item, parent))
        focused = self.rows.get(self._focus_after) if self._focus_after is not None else None
        self._focus_after = None
        if focused is not None:
            focused.show()  # a layout shows new rows a moment later; focus needs it shown now
            focused.setFocus(Qt.FocusReason.OtherFocusReason)

    def queued_order(self, channel: str | None) -> list[int]:
        """The channel's queued shares, earliest first: the order Move up/down changes."""
        return [
            i.id
            for i in self.data.shares
            if i.channel == channel and i.status == "queued" and i.scheduled_at is not None
        ]

    def _prospect(self, item: QueueItemInfo) -> str:
        if item.prospect_id is None:
            return ""
        return self.data.prospects.get(item.prospect_id, "")

    def _row(self, item: QueueItemInfo, parent: QWidget | None) -> QFrame:
        row = QFrame(parent)
        row.setObjectName(f"queue-item-{item.id}")
        row.setFrameShape(QFrame.Shape.StyledPanel)
        row.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so Tab reaches it and its keys work
        self.rows[item.id] = row
        return row

    def _share_row(self, item: QueueItemInfo, parent: QWidget | None) -> QWidget:
        row = self._row(item, parent)
        who = self._prospect(item)
        summary = f"{channel_name(item.channel)} · {local_when(item)} · {item.status}"
        if who:
            summary += f" · {who}"
        head = QLabel(summary, row)
        text = QLabel(item.text, row)
        text.setWordWrap(True)
        layout = QVBoxLayout(row)
        layout.addWidget(head)
        layout.addWidget(text)
        if item.status == "failed" and item.error:
            error = QLabel(f"Failed: {item.error}", row)
            error.setWordWrap(True)
            error.setStyleSheet("color: #b00020;")
            layout.addWidget(error)
        buttons = QHBoxLayout()
        if item.status == "ready":
            buttons.addWidget(
                _button(
                    row,
                    "Open share link",
                    f"Open share link for {channel_name(item.channel)} share",
                    partial(self.open_share, item),
                )
            )
            buttons.addWidget(
                _button(row, "Mark posted", "Mark posted", partial(self.mark_posted, item))
            )
        if item.status in ("queued", "ready"):
            buttons.addWidget(
                _button(row, "Edit…", "Edit share", partial(self.edit, item)),
            )
        if item.status == "queued":
            self._move_controls(item, row, buttons)
        buttons.addWidget(_button(row, "Remove…", "Remove share", partial(self.remove, item)))
        buttons.addStretch(1)
        layout.addLayout(buttons)
        row.setAccessibleName(f"{summary}: {item.text[:80]}")
        return row

    def _move_controls(self, item: QueueItemInfo, row: QFrame, buttons: QHBoxLayout) -> None:
        """Move up/down buttons (off at the ends) and Alt+Up/Alt+Down while the row has focus."""
        order = self.queued_order(item.channel)
        channel = channel_name(item.channel)
        ends: dict[MoveDirection, bool] = {
            "up": order[:1] == [item.id],
            "down": order[-1:] == [item.id],
        }
        for direction in ("up", "down"):
            key = MOVE_KEYS[direction]
            text = MOVE_TEXT[direction]
            neighbour = "before" if direction == "up" else "after"
            move = partial(self.move_share, item, direction)
            button = _button(row, text, f"{text}, {key}", move)
            button.setToolTip(f"{text} ({key}): swap its time with the {channel} share {neighbour}")
            button.setEnabled(not ends[direction])
            buttons.addWidget(button)
            key_action(row, text, [key], move)
        row.setAccessibleDescription(
            f"{MOVE_KEYS['up']} and {MOVE_KEYS['down']} move it among the queued {channel} shares"
        )

    def _followup_row(self, item: QueueItemInfo, parent: QWidget | None) -> QWidget:
        row = self._row(item, parent)
        due = item.due_on.strftime("%a %d %b") if item.due_on else "no date"
        summary = f"Due {due} · {self._prospect(item)}: {item.text}"
        label = QLabel(summary, row)
        label.setWordWrap(True)
        layout = QHBoxLayout(row)
        layout.addWidget(label, 1)
        layout.addWidget(
            _button(row, "Done", f"Done: {item.text[:60]}", partial(self.mark_done, item))
        )
        layout.addWidget(_button(row, "Edit…", "Edit follow-up", partial(self.edit, item)))
        layout.addWidget(_button(row, "Remove…", "Remove follow-up", partial(self.remove, item)))
        row.setAccessibleName(summary)
        return row

    # -- actions ---------------------------------------------------------------------

    def _changed(self, message: str) -> Callable[[object], None]:
        def done(_: object) -> None:
            emit(self.notice, message)
            emit(self.changed)
            self.refresh()

        return done

    def _failed(self, exc: Exception) -> None:
        """A refusal in the rep's words in the status bar; anything else is also logged."""
        if isinstance(exc, UserError):
            emit(self.notice, describe_error(exc))
        else:
            self._runner.report_error(exc)
        self.refresh()  # what refused it (posted meanwhile, say) should show

    def open_share(self, item: QueueItemInfo) -> None:
        emit(self.notice, open_share(item.share_url, item.text))

    def edit(self, item: QueueItemInfo) -> None:
        """The edit dialog; it saves on the database worker and stays open on a refusal."""
        queue = self._queue
        what = "share" if item.kind == "share" else "follow-up"

        def save(changes: QueueChanges) -> QueueItemInfo:
            return queue.edit(
                item.id, text=changes.text, url=changes.url, at=changes.at, due=changes.due
            )

        dialog = QueueEditDialog(item, save, self._runner, self)
        self.edit_dialog = dialog
        dialog.saved.connect(self._changed(f"Saved the {what}"))
        dialog.open()

    def move_share(self, item: QueueItemInfo, direction: MoveDirection) -> None:
        """Swap times with the neighbouring queued share of the same channel."""
        order = self.queued_order(item.channel)
        if item.id not in order:
            return
        index = order.index(item.id)
        if (direction == "up" and index == 0) or (direction == "down" and index == len(order) - 1):
            end = "first" if direction == "up" else "last"
            emit(self.notice, f"Already the {end} queued {channel_name(item.channel)} share")
            return
        queue = self._queue

        def moved(result: QueueMove) -> None:
            when = local_when(result.moved)
            self._focus_after = item.id
            self._changed(f"Moved {direction}: now {when}")(result)

        self._runner.run_db(
            lambda: queue.move(item.id, direction), moved, self._failed, context=self
        )

    def mark_posted(self, item: QueueItemInfo) -> None:
        queue = self._queue
        self._runner.run_db(
            lambda: queue.mark_done(item.id), self._changed("Marked posted"), context=self
        )

    def mark_done(self, item: QueueItemInfo) -> None:
        queue = self._queue
        self._runner.run_db(
            lambda: queue.mark_done(item.id), self._changed("Follow-up done"), context=self
        )

    def remove(self, item: QueueItemInfo) -> None:
        what = "share" if item.kind == "share" else "follow-up"
        queue = self._queue

        def confirmed() -> None:
            self._runner.run_db(
                lambda: queue.remove(item.id), self._changed(f"Removed the {what}"), context=self
            )

        confirm_destructive(
            self,
            title=f"Remove {what}",
            question=f"Remove this {what} from the queue?",
            consequence=item.text[:200],
            action="Remove",
            action_name=f"Remove the {what}",
            keep_name=f"Keep the {what}",
            on_confirm=confirmed,
        )

    @Slot()
    def new_followup(self) -> None:
        db = self._db
        self._runner.run_db(lambda: load_prospect_choices(db), self._ask_followup, context=self)

    def _ask_followup(self, prospects: list[tuple[int, str]]) -> None:
        if not prospects:
            emit(self.notice, "Add a prospect first: a follow-up is for someone")
            return
        dialog = FollowupDialog(prospects, clock.today() + timedelta(days=1), self)
        self.dialog = dialog
        queue = self._queue

        def accepted() -> None:
            pid, due, note = dialog.values()
            self._runner.run_db(
                lambda: queue.add_followup(prospect_id=pid, due=due, note=note),
                self._changed("Follow-up added"),
                context=self,
            )

        dialog.accepted.connect(accepted)
        dialog.open()
