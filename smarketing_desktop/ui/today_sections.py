"""Today's routine: what is due, what is ready to post, who posted, who is going cold.

Everything comes from `today_report` (loaded on the database worker); each row says why it is
there now (last touch, latest posts, days left in the quarter). Empty sections shrink to one
plain line. Actions (Done, Skip, Snooze, Mark posted, Log a touch) run on the database worker
and reload the sections.

Every row takes the keyboard focus (Tab, or Up/Down between rows) and answers single keys:
D done, S skip, Z snooze, O open, T log a touch, Enter its main action. A rep working through
the morning list should not need the mouse; after an action the focus stays at the same place
in the list, on whatever row moved up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QRectF, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
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
from smarketing_desktop.core.wording import channel_name
from smarketing_desktop.db.repositories.activity import ActivityRepository
from smarketing_desktop.db.repositories.plans import PlanRepository, SnoozeResult
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.today import review_reminder, today_report
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.queue_view import open_share
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

AMBER = "#b26a00"
RED = "#b00020"
EMPTY = {
    "due": "Nothing due today",
    "ready": "Nothing ready to post",
    "posts": "No new posts from your prospects",
    "cold": "Nobody is going cold",
    "profiles": "Your profiles were reviewed recently",
}

# One line for the page and the tooltips: which keys do what on a focused row.
KEY_HELP = (
    "Keyboard: Tab or Up/Down moves between items; Enter does the item's main action; "
    "D done, S skip, Z snooze, O open, T log a touch."
)
FOCUS_WIDTH = 2


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


def _button(
    parent: QWidget, text: str, name: str, slot: Callable[[], None], tip: str = ""
) -> QPushButton:
    button = accessible(QPushButton(text, parent), name, tip or None)
    button.clicked.connect(lambda: slot())  # noqa: PLW0108 (never hand `checked` to the slot)
    return button


@dataclass(frozen=True)
class RowAction:
    """A row's button and the key that presses it; the first action is the row's main one."""

    button: QPushButton
    key: str | None = None


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
            # Shown now rather than on the layout's queued show, so a row can take the focus
            # as soon as it is built (keeping a keyboard user's place after a reload).
            row.show()
        empty = not rows
        self.heading.setVisible(not empty)
        self.empty_label.setVisible(empty)

    def is_empty(self) -> bool:
        return not self.rows


class TodayRow(QFrame):
    """One item of the day: focusable, drawn with a highlight frame while focused, and
    answering its action keys (and Enter for the main action) like its buttons.

    `step_requested(int)` asks the sections to move the focus to the previous (-1) or next (+1)
    row, across sections.
    """

    step_requested = Signal(int)

    def __init__(self, parent: QWidget, title: str, detail: str, color: str | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.keys: dict[str, QPushButton] = {}
        self.primary: QPushButton | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        head = _bold(QLabel(title, self))
        head.setWordWrap(True)
        if color:
            head.setStyleSheet(f"color: {color};")
        layout.addWidget(head)
        if detail:
            why = QLabel(detail, self)
            why.setWordWrap(True)
            layout.addWidget(why)
        self.setAccessibleName(f"{title}. {detail}" if detail else title)

    def add_actions(self, actions: Sequence[RowAction]) -> None:
        """Buttons in a line under the text; their keys work while the row has the focus."""
        box = QHBoxLayout()
        hints: list[str] = []
        for n, action in enumerate(actions):
            button = action.button
            button.setParent(self)
            keys = [k for k in (action.key, "Enter" if n == 0 else None) if k]
            if n == 0:
                self.primary = button
            if action.key:
                self.keys[action.key.upper()] = button
            if keys:
                what = button.toolTip() or button.accessibleName()
                button.setToolTip(f"{what} ({' or '.join(keys)})")
                hints.append(f"{' or '.join(keys)}: {button.text().rstrip('…')}")
            box.addWidget(button)
        box.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(box)
        if hints:
            self.setAccessibleDescription("Keys: " + "; ".join(hints))
            self.setToolTip("Keys: " + "; ".join(hints) + ". Up/Down: other items.")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        )
        key = event.key()
        target: QPushButton | None = None
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter on one of the row's own buttons presses that button, not the main one.
            focused = QApplication.focusWidget()
            own = isinstance(focused, QPushButton) and focused.parent() is self
            target = focused if own and isinstance(focused, QPushButton) else self.primary
        elif plain and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            emit(self.step_requested, -1 if key == Qt.Key.Key_Up else 1)
            event.accept()
            return
        elif plain and event.text():
            target = self.keys.get(event.text().upper())
        if target is not None and target.isEnabled() and target.isVisible():
            target.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.hasFocus():
            return
        # The palette's highlight, read at paint time: it follows a light/dark switch at once.
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), FOCUS_WIDTH)
        painter.setPen(pen)
        half = FOCUS_WIDTH / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.update()


def _row(parent: QWidget, title: str, detail: str, color: str | None = None) -> TodayRow:
    return TodayRow(parent, title, detail, color)


class TodaySections(QWidget):
    """Due today, Ready to post, Buying signals and new posts, Going cold, and Done today.

    `notice(str)` for the status bar; `changed()` after an action here changed data (plans,
    the queue, touches), so the window can refresh other areas.
    """

    notice = Signal(str)
    changed = Signal()
    open_checklist = Signal(str)  # network: the window shows that profile's checklist

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
        self.profiles = Section("Your profiles", EMPTY["profiles"], self)
        self.done_line = accessible(QLabel("Done today: 0 · streak 0 days", self), "Done today")
        self.sections = (self.due, self.ready, self.posts, self.cold, self.profiles)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.done_line)
        for section in self.sections:
            layout.addWidget(section)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        db = self._db
        self._runner.run_db(lambda: load_today(db), self._show, context=self)

    # -- building --------------------------------------------------------------------

    def item_rows(self) -> list[TodayRow]:
        """Every actionable row, top to bottom: the order Up and Down follow."""
        return [r for section in self.sections for r in section.rows if isinstance(r, TodayRow)]

    def focused_row(self) -> TodayRow | None:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, TodayRow):
            widget = widget.parentWidget()
        return widget if widget is not None and widget in self.item_rows() else None

    def focus_row(self, index: int) -> TodayRow | None:
        rows = self.item_rows()
        if not rows:
            return None
        row = rows[max(0, min(index, len(rows) - 1))]
        row.setFocus(Qt.FocusReason.OtherFocusReason)
        return row

    def _step(self, row: TodayRow, step: int) -> None:
        rows = self.item_rows()
        if row in rows:
            index = rows.index(row) + step
            if 0 <= index < len(rows):
                rows[index].setFocus(Qt.FocusReason.TabFocusReason)

    def _track(self, row: TodayRow) -> TodayRow:
        row.step_requested.connect(partial(self._step, row))
        return row

    def _show(self, data: TodayData) -> None:
        # Rows are rebuilt; a keyboard user keeps their place in the list.
        focused = self.focused_row()
        keep_focus_at = self.item_rows().index(focused) if focused is not None else None
        self._build(data)
        if keep_focus_at is not None:
            self.focus_row(keep_focus_at)

    def _build(self, data: TodayData) -> None:
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
        rows: list[QWidget] = [self._post_row(e) for e in posts[:TODAY_POSTS]]
        if len(posts) > TODAY_POSTS:
            more = QLabel(
                f"{len(posts) - TODAY_POSTS} more unread posts are in the Inbox (Ctrl+2)."
            )
            more.setAccessibleName("More posts in the Inbox")
            rows.append(more)
        self.posts.set_rows(rows)
        self.cold.set_rows([self._cold_row(c) for c in report["going_cold"]])
        self.profiles.set_rows([self._review_row(r) for r in report.get("profile_reviews_due", [])])
        for section in self.sections:
            for row in section.rows:
                if isinstance(row, TodayRow):
                    self._track(row)
        done = report["done_today"]
        streak = int(done["streak"])
        days = "day" if streak == 1 else "days"
        self.done_line.setText(f"Done today: {done['count']} · streak {streak} {days}")

    def _step_row(self, step: dict[str, Any]) -> TodayRow:
        who = step.get("prospect") or step.get("opportunity") or ""
        days_left = step.get("days_left_in_quarter")
        title = f"{channel_name(step.get('channel'))}: {step['action']} — {who}"
        detail_parts = [str(step["opportunity"])] if step.get("opportunity") else []
        if days_left is not None:
            quarter = step.get("quarter") or "the quarter"
            detail_parts.append(f"{days_left} days left in {quarter}")
        if step.get("why"):
            detail_parts.append(str(step["why"]))
        detail_parts.append(why_now(step))
        frame = _row(self, title, " · ".join(detail_parts))
        sid = int(step["id"])
        action = str(step["action"])
        frame.add_actions(
            [
                RowAction(
                    _button(
                        frame,
                        "Done",
                        f"Done: {action}",
                        partial(self.step_done, sid),
                        "Mark this step done",
                    ),
                    "D",
                ),
                RowAction(
                    _button(
                        frame,
                        "Skip",
                        f"Skip: {action}",
                        partial(self.step_skip, sid),
                        "Skip this step (it stays in the plan as skipped)",
                    ),
                    "S",
                ),
                RowAction(
                    _button(
                        frame,
                        "Snooze 1 day",
                        f"Snooze one day: {action}",
                        partial(self.step_snooze, sid),
                        "Move this step to the next working day",
                    ),
                    "Z",
                ),
            ]
        )
        return frame

    def _followup_row(self, item: dict[str, Any]) -> TodayRow:
        who = item.get("prospect") or ""
        title = f"Follow up: {item['text']} — {who}"
        detail = f"due {item['due']} · {why_now(item)}"
        frame = _row(self, title, detail)
        actions = [
            RowAction(
                _button(
                    frame,
                    "Done",
                    f"Done: follow up {item['text'][:60]}",
                    partial(self.queue_done, int(item["id"]), "Follow-up done"),
                    "Mark this follow-up done (logs a touch)",
                ),
                "D",
            )
        ]
        link = item.get("entry_link")
        if link:
            # Made from a post: the comment is written there, so the post is one key away.
            post = item.get("entry_title") or "the post"
            actions.append(
                RowAction(
                    _button(
                        frame,
                        "Open post",
                        f"Open post {str(post)[:60]}",
                        partial(self.open_link, str(link)),
                        "Open the post this follow-up is about in your browser",
                    ),
                    "O",
                )
            )
        frame.add_actions(actions)
        return frame

    def _ready_row(self, item: dict[str, Any]) -> TodayRow:
        assert self.data is not None
        who = self.data.prospects.get(item.get("prospect_id") or -1, "")
        title = f"{channel_name(item.get('channel'))}: {item['text']}"
        detail = f"its slot has come{f' · for {who}' if who else ''}"
        frame = _row(self, title, detail)
        frame.add_actions(
            [
                RowAction(
                    _button(
                        frame,
                        "Open share link",
                        f"Open share link for {channel_name(item.get('channel'))} share",
                        partial(self.open_share, item.get("share_url"), str(item["text"])),
                        "Copy the text and open the share page in your browser",
                    ),
                    "O",
                ),
                RowAction(
                    _button(
                        frame,
                        "Mark posted",
                        "Mark posted",
                        partial(self.queue_done, int(item["id"]), "Marked posted"),
                        "Mark this share as posted",
                    ),
                    "D",
                ),
            ]
        )
        return frame

    def _post_row(self, entry: dict[str, Any]) -> TodayRow:
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
            frame.add_actions(
                [
                    RowAction(
                        _button(
                            frame,
                            "Open",
                            f"Open post {title[:60]}",
                            partial(self.open_link, link),
                            "Open the post in your browser",
                        ),
                        "O",
                    )
                ]
            )
        return frame

    def _cold_row(self, cold: dict[str, Any]) -> TodayRow:
        red = cold["warmth"] == "red"
        days = cold.get("days_since_touch")
        since = f"{days} days since last touch" if days is not None else "never touched"
        group = "Cold" if red else "Cooling"
        title = f"{group}: {cold['name']} — {since}"
        # Whose cadence made them cool: a prospect may have a shorter one than the default.
        cadence = (
            f"touch every {cold['ideal_days']} days, at most {cold['max_days']}"
            if cold.get("ideal_days") and cold.get("max_days")
            else ""
        )
        detail = " · ".join(p for p in (why_now(cold), cadence) if p)
        frame = _row(self, title, detail, RED if red else AMBER)
        frame.setObjectName("cold-red" if red else "cold-amber")
        frame.add_actions(
            [
                RowAction(
                    _button(
                        frame,
                        "Log a touch…",
                        f"Log a touch with {cold['name']}",
                        partial(self.log_touch, int(cold["prospect_id"]), str(cold["name"])),
                        "Record a call, meeting or message you had with them",
                    ),
                    "T",
                )
            ]
        )
        return frame

    def _review_row(self, review: dict[str, Any]) -> TodayRow:
        every = "buyers look you up before they answer"
        score = review.get("last_score")
        detail = f"last score {score}/100 · {every}" if score is not None else every
        frame = _row(self, review_reminder(review), detail)
        frame.setObjectName(f"review-{review['network']}")
        network = str(review["network"])
        frame.add_actions(
            [
                RowAction(
                    _button(
                        frame,
                        "Open checklist",
                        f"Open the {review['title']} checklist",
                        partial(self.request_checklist, network),
                        "Go to the profile checklist to review this profile",
                    ),
                    "O",
                )
            ]
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

    def request_checklist(self, network: str) -> None:
        emit(self.open_checklist, network)

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
