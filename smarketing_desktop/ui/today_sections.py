"""Today's routine: what is due, what is ready to post, who posted, who is going cold.

Everything comes from `today_report` (loaded on the database worker); each row says why it is
there now (last touch, latest posts, days left in the quarter). Empty sections shrink to one
plain line. Actions (Done, Skip, Snooze, Mark posted, Log a touch) run on the database worker
and reload the sections.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.cadence import TOUCH_KINDS
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.plans import PlanRepository, SnoozeResult
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.today import today_report
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.queue_view import channel_name, open_share
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

AMBER = "#b26a00"
RED = "#b00020"
EMPTY = {
    "due": "Nothing due today",
    "ready": "Nothing ready to post",
    "posts": "No new posts from your prospects",
    "cold": "Nobody is going cold",
}


TODAY_POSTS = 4


@dataclass(frozen=True)
class TodayData:
    report: dict[str, Any]
    prospects: dict[int, str]


def load_today(db: Database) -> TodayData:
    """Runs on the database worker."""
    report = today_report(db, with_suggestions=False)
    ids: set[int] = set()
    for key in ("ready_shares", "new_entries"):
        ids.update(r["prospect_id"] for r in report[key] if r.get("prospect_id") is not None)
    names = {pid: p.name for pid, p in ProspectRepository(db).get_many(sorted(ids)).items()}
    return TodayData(report, names)


def last_touch_text(iso: str | None) -> str:
    if not iso:
        return "never touched"
    return "last touch " + datetime.fromisoformat(iso).astimezone().strftime("%d %b")


def why_now(row: dict[str, Any]) -> str:
    """The prospect's last touch and latest post titles, in one line."""
    parts = [last_touch_text(row.get("last_touch"))]
    posts = row.get("latest_posts") or row.get("recent_posts") or []
    titles = [str(p["title"]) for p in posts[:3] if p.get("title")]
    if titles:
        parts.append("latest posts: " + "; ".join(f"“{t}”" for t in titles))
    return " · ".join(parts)


def _button(parent: QWidget, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    button = accessible(QPushButton(text, parent), name)
    button.clicked.connect(lambda: slot())  # noqa: PLW0108 (never hand `checked` to the slot)
    return button


def _bold(label: QLabel, scale: float = 1.0) -> QLabel:
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


class LogTouchDialog(QDialog):
    """A touch made outside the app: its kind and an optional note."""

    def __init__(self, prospect: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Log a touch with {prospect}")
        self.setAccessibleName(f"Log a touch with {prospect}")
        self.kind = accessible(QComboBox(self), "Kind of touch")
        for kind in TOUCH_KINDS:
            self.kind.addItem(kind.capitalize(), kind)
        self.note = accessible(QLineEdit(self), "Note")
        form = QFormLayout()
        form.addRow("&Kind:", self.kind)
        form.addRow("&Note:", self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Log touch")
        accessible(ok, "Log touch")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, str]:
        return str(self.kind.currentData()), self.note.text().strip()


class Section(QWidget):
    """A heading and rows; with no rows, one plain line instead."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.empty_text = empty_text
        self.heading = _bold(QLabel(title, self), 1.2)
        self.heading.setAccessibleName(title)
        self.empty_label = QLabel(empty_text, self)
        self.rows: list[QWidget] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 8)
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.empty_label)

    def set_rows(self, rows: Sequence[QWidget]) -> None:
        for old in self.rows:
            self._layout.removeWidget(old)
            old.deleteLater()
        self.rows = list(rows)
        for row in rows:
            row.setParent(self)
            self._layout.addWidget(row)
        empty = not rows
        self.heading.setVisible(not empty)
        self.empty_label.setVisible(empty)

    def is_empty(self) -> bool:
        return not self.rows


def _row(parent: QWidget, title: str, detail: str, color: str | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(8, 6, 8, 6)
    head = _bold(QLabel(title, frame))
    head.setWordWrap(True)
    if color:
        head.setStyleSheet(f"color: {color};")
    layout.addWidget(head)
    if detail:
        why = QLabel(detail, frame)
        why.setWordWrap(True)
        layout.addWidget(why)
    frame.setAccessibleName(f"{title}. {detail}" if detail else title)
    return frame


def _add_buttons(frame: QFrame, buttons: list[QPushButton]) -> None:
    box = QHBoxLayout()
    for button in buttons:
        button.setParent(frame)
        box.addWidget(button)
    box.addStretch(1)
    layout = frame.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.addLayout(box)


class TodaySections(QWidget):
    """Due today, Ready to post, Buying signals and new posts, Going cold, and Done today.

    `notice(str)` for the status bar; `changed()` after an action here changed data (plans,
    the queue, touches), so the window can refresh other areas.
    """

    notice = Signal(str)
    changed = Signal()

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self.data: TodayData | None = None
        self.dialog: LogTouchDialog | None = None
        self.due = Section("Due today", EMPTY["due"], self)
        self.ready = Section("Ready to post", EMPTY["ready"], self)
        self.posts = Section("Buying signals and new posts", EMPTY["posts"], self)
        self.cold = Section("Going cold", EMPTY["cold"], self)
        self.done_line = accessible(QLabel("Done today: 0 · streak 0 days", self), "Done today")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.done_line)
        for section in (self.due, self.ready, self.posts, self.cold):
            layout.addWidget(section)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        db = self._db
        self._runner.run_db(lambda: load_today(db), self._show, context=self)

    # -- building --------------------------------------------------------------------

    def _show(self, data: TodayData) -> None:
        self.data = data
        report = data.report
        self.due.set_rows(
            [self._step_row(s) for s in report["due_steps"]]
            + [self._followup_row(f) for f in report["followups"]]
        )
        self.ready.set_rows([self._ready_row(r) for r in report["ready_shares"]])
        # The morning screen shows the few posts worth answering first (signals lead); the rest
        # wait in the Inbox, so suggestions stay within reach.
        posts = report["new_entries"]
        rows = [self._post_row(e) for e in posts[:TODAY_POSTS]]
        if len(posts) > TODAY_POSTS:
            more = QLabel(
                f"{len(posts) - TODAY_POSTS} more unread posts are in the Inbox (Ctrl+2)."
            )
            more.setAccessibleName("More posts in the Inbox")
            rows.append(more)
        self.posts.set_rows(rows)
        self.cold.set_rows([self._cold_row(c) for c in report["going_cold"]])
        done = report["done_today"]
        streak = int(done["streak"])
        days = "day" if streak == 1 else "days"
        self.done_line.setText(f"Done today: {done['count']} · streak {streak} {days}")

    def _step_row(self, step: dict[str, Any]) -> QFrame:
        who = step.get("prospect") or step.get("opportunity") or ""
        days_left = step.get("days_left_in_quarter")
        title = f"{step['action']} — {who}"
        detail_parts = []
        if days_left is not None:
            detail_parts.append(f"{days_left} days left in the quarter")
        if step.get("why"):
            detail_parts.append(str(step["why"]))
        detail_parts.append(why_now(step))
        frame = _row(self, title, " · ".join(detail_parts))
        sid = int(step["id"])
        _add_buttons(
            frame,
            [
                _button(frame, "Done", f"Done: {step['action']}", partial(self.step_done, sid)),
                _button(frame, "Skip", f"Skip: {step['action']}", partial(self.step_skip, sid)),
                _button(
                    frame,
                    "Snooze 1 day",
                    f"Snooze one day: {step['action']}",
                    partial(self.step_snooze, sid),
                ),
            ],
        )
        return frame

    def _followup_row(self, item: dict[str, Any]) -> QFrame:
        who = item.get("prospect") or ""
        title = f"Follow up: {item['text']} — {who}"
        detail = f"due {item['due']} · {why_now(item)}"
        frame = _row(self, title, detail)
        _add_buttons(
            frame,
            [
                _button(
                    frame,
                    "Done",
                    f"Done: follow up {item['text'][:60]}",
                    partial(self.queue_done, int(item["id"]), "Follow-up done"),
                )
            ],
        )
        return frame

    def _ready_row(self, item: dict[str, Any]) -> QFrame:
        assert self.data is not None
        who = self.data.prospects.get(item.get("prospect_id") or -1, "")
        title = f"{channel_name(item.get('channel'))}: {item['text']}"
        detail = f"its slot has come{f' · for {who}' if who else ''}"
        frame = _row(self, title, detail)
        _add_buttons(
            frame,
            [
                _button(
                    frame,
                    "Open share link",
                    f"Open share link for {channel_name(item.get('channel'))} share",
                    partial(self.open_share, item.get("share_url"), str(item["text"])),
                ),
                _button(
                    frame,
                    "Mark posted",
                    "Mark posted",
                    partial(self.queue_done, int(item["id"]), "Marked posted"),
                ),
            ],
        )
        return frame

    def _post_row(self, entry: dict[str, Any]) -> QFrame:
        assert self.data is not None
        who = self.data.prospects.get(entry.get("prospect_id") or -1, "")
        signal = bool(entry.get("signal"))
        title = ("Buying signal: " if signal else "New post: ") + str(entry.get("title") or "")
        detail_parts = [f"by {who}" if who else ""]
        if signal and entry.get("signal_terms"):
            detail_parts.append("mentions " + ", ".join(entry["signal_terms"]))
        frame = _row(self, title, " · ".join(p for p in detail_parts if p))
        link = entry.get("link")
        if link:
            _add_buttons(
                frame,
                [_button(frame, "Open", f"Open post {title[:60]}", partial(self.open_link, link))],
            )
        return frame

    def _cold_row(self, cold: dict[str, Any]) -> QFrame:
        red = cold["warmth"] == "red"
        days = cold.get("days_since_touch")
        since = f"{days} days since last touch" if days is not None else "never touched"
        group = "Cold" if red else "Cooling"
        title = f"{group}: {cold['name']} — {since}"
        frame = _row(self, title, why_now(cold), RED if red else AMBER)
        frame.setObjectName("cold-red" if red else "cold-amber")
        _add_buttons(
            frame,
            [
                _button(
                    frame,
                    "Log a touch…",
                    f"Log a touch with {cold['name']}",
                    partial(self.log_touch, int(cold["prospect_id"]), str(cold["name"])),
                )
            ],
        )
        return frame

    # -- actions ---------------------------------------------------------------------

    def _after(self, message: str) -> Callable[[object], None]:
        def done(_: object) -> None:
            emit(self.notice, message)
            emit(self.changed)
            self.refresh()

        return done

    def step_done(self, step_id: int) -> None:
        plans = PlanRepository(self._db)
        self._runner.run_db(
            lambda: plans.mark_done(step_id), self._after("Step done"), context=self
        )

    def step_skip(self, step_id: int) -> None:
        plans = PlanRepository(self._db)
        self._runner.run_db(lambda: plans.skip(step_id), self._after("Step skipped"), context=self)

    def step_snooze(self, step_id: int) -> None:
        plans = PlanRepository(self._db)

        def snoozed(result: SnoozeResult) -> None:
            self._after(result.message)(result)

        self._runner.run_db(lambda: plans.snooze(step_id, 1), snoozed, context=self)

    def queue_done(self, item_id: int, message: str) -> None:
        queue = QueueRepository(self._db)
        self._runner.run_db(lambda: queue.mark_done(item_id), self._after(message), context=self)

    def open_share(self, share_url: str | None, text: str) -> None:
        emit(self.notice, open_share(share_url, text))

    def open_link(self, link: str) -> None:
        QDesktopServices.openUrl(QUrl(link))

    def log_touch(self, prospect_id: int, name: str) -> None:
        dialog = LogTouchDialog(name, self)
        self.dialog = dialog
        activity = ActivityRepository(self._db)

        def accepted() -> None:
            kind, note = dialog.values()
            self._runner.run_db(
                lambda: activity.log(prospect_id, kind, note or None),
                self._after(f"Touch logged with {name}"),
                context=self,
            )

        dialog.accepted.connect(accepted)
        dialog.open()
