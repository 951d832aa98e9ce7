"""The Plan area: the deals to close this quarter and, for the chosen one, the engagement plan
that works back from the quarter end.

Left, the opportunities (quarter, days left, amount), filtered by status. Right, the plan: a
timeline to the quarter end, any warning worth knowing (a late start above all, because a plan
squeezed into a few weeks builds less trust than one spread over months), and the steps by week
with what to do, why, and the content to use. Steps are done, skipped, snoozed or moved from
the keyboard (D, S, Z, and M to pick a day) or the buttons under the list, and F makes a
follow-up with the deal's prospect from the chosen step; a step can also be
dragged onto another week, another step's day, or along the timeline, earlier or later.
Every read and write goes through the task runner's database worker, so the window never waits
on the disk; the view only reacts to results.
"""

from __future__ import annotations

import html
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import shiboken6
from PySide6.QtCore import QEvent, QMimeData, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.planning import PENDING, Moved, PlanWarning, move_message
from smarketing_desktop.core.wording import channel_name
from smarketing_desktop.db.repositories import followups
from smarketing_desktop.db.repositories.opportunities import (
    Opportunity,
    OpportunityChanges,
    OpportunityRepository,
    OpportunityUpdate,
)
from smarketing_desktop.db.repositories.plans import (
    PlanRepository,
    PlanResult,
    PlanStepInfo,
    SnoozeResult,
)
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.confirm import confirm_destructive
from smarketing_desktop.ui.followup_dialog import FollowupDialog, open_for_draft
from smarketing_desktop.ui.formatting import plural
from smarketing_desktop.ui.key_action import key_action
from smarketing_desktop.ui.opportunity_dialog import (
    OpportunityDialog,
    OpportunitySaved,
    from_qdate,
    to_qdate,
)
from smarketing_desktop.ui.plan_list import OpportunityDelegate
from smarketing_desktop.ui.plan_model import (
    NAME_COLUMN,
    NO_OPPORTUNITIES,
    STATUS_FILTERS,
    STEP_MIME_TYPE,
    OpportunityList,
    OpportunityTableModel,
    PlanData,
    PlaybookChoice,
    group_by_week,
    load_form_choices,
    load_opportunities,
    load_plan,
    load_playbook_choices,
    long_date,
    opportunity_summary,
    plan_counts,
    short_date,
    step_from_mime,
    step_mime_data,
    step_status,
    week_label,
    week_of,
)
from smarketing_desktop.ui.plan_timeline import PlanTimeline
from smarketing_desktop.ui.row_table import select_row
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.theme import muted
from smarketing_desktop.ui.window_state import WindowState

log = logging.getLogger(__name__)

ICS_FILTER = "iCalendar files (*.ics);;All files (*)"
SNOOZE_CHOICES = ((1, "1 day"), (3, "3 days"), (7, "1 week"))
_SPLITTER_SIZES = (340, 660)
_SPLITTER = "plan"

CHOOSE_OPPORTUNITY = "Choose an opportunity on the left to see its plan."
LOADING_PLAN = "Loading the plan…"

DUE_COLUMN, STATUS_COLUMN, CHANNEL_COLUMN, ACTION_COLUMN, CONTENT_COLUMN = range(5)
_STEP_HEADERS = ("Due", "Status", "Channel", "Action", "Content")
STEP_ROLE = Qt.ItemDataRole.UserRole + 1
WEEK_ROLE = Qt.ItemDataRole.UserRole + 2


# -- choosing where the calendar file goes ---------------------------------------------------


class IcsChooser(Protocol):
    """Asking where to save an .ics file; tests answer without a dialog (like FileChooser)."""

    def save_ics(self, parent: QWidget, suggested_name: str) -> Path | None: ...


@dataclass
class DialogIcsChooser:
    """The platform's save dialog, remembering the last folder used."""

    last_dir: Path = field(default_factory=Path.home)

    def save_ics(self, parent: QWidget, suggested_name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Export plan to calendar", str(self.last_dir / suggested_name), ICS_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".ics")
        self.last_dir = path.parent
        return path


def ics_file_name(opportunity: Opportunity | None) -> str:
    if opportunity is None:
        return "engagement-plans.ics"
    slug = re.sub(r"[^0-9a-z]+", "-", opportunity.name.casefold()).strip("-")
    return f"plan-{slug or opportunity.id}.ics"


def write_ics(plans: PlanRepository, opportunity_id: int | None, path: Path) -> int:
    """Runs on the database worker: the calendar to `path`; how many events it holds."""
    data = plans.export_ics(opportunity_id)
    path.write_bytes(data)
    return data.count(b"BEGIN:VEVENT")


# -- warnings above the steps ----------------------------------------------------------------


class PlanBanner(QFrame):
    """The plan's warnings (a late start, crowded days, a quarter that is over), in plain words.

    Ordinary window text on a framed panel with a warning icon: readable in either theme, and
    not shouting in error red, because a late plan is still worth following.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Plan warning")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Plan warning")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setForegroundRole(QPalette.ColorRole.Text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(icon)
        layout.addWidget(self.message, 1)
        self.codes: tuple[str, ...] = ()
        self.setVisible(False)

    def show_warnings(self, warnings: tuple[PlanWarning, ...]) -> None:
        self.codes = tuple(w.code for w in warnings)
        self.message.setText("\n\n".join(w.message for w in warnings))
        self.message.setAccessibleDescription(self.message.text())
        self.setVisible(bool(warnings))

    def text(self) -> str:
        return self.message.text() if not self.isHidden() else ""


# -- the steps, by week ----------------------------------------------------------------------


class StepTree(QTreeWidget):
    """Week headers with their steps. A planned step can be dragged onto another week's header
    (it keeps its weekday there) or onto another step (it lands on that step's day), earlier or
    later: `move_requested(step_id, day)` asks to move it there. The tree itself never
    rearranges items, the reloaded plan does.

    The drag carries the step as its own MIME type (see `plan_model.step_mime_data`), so the
    timeline takes the same drag, and the drop decides from what the drag carries, not from
    the tree's current item.
    """

    move_requested = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    @staticmethod
    def step_id(item: QTreeWidgetItem | None) -> int | None:
        value = item.data(0, STEP_ROLE) if item is not None else None
        return value if isinstance(value, int) else None

    @staticmethod
    def week(item: QTreeWidgetItem | None) -> date | None:
        """The Monday of the week an item (header or step) belongs to."""
        while item is not None:
            value = item.data(0, WEEK_ROLE)
            if isinstance(value, str):
                return date.fromisoformat(value)
            item = item.parent()
        return None

    @staticmethod
    def due(item: QTreeWidgetItem | None) -> date | None:
        value = item.data(DUE_COLUMN, Qt.ItemDataRole.UserRole) if item is not None else None
        return date.fromisoformat(value) if isinstance(value, str) else None

    def drop_day(self, due: date, target: QTreeWidgetItem | None) -> date | None:
        """Where a step due on `due` dropped on `target` goes, or None when nowhere new.

        On a step: that step's day. On a week's header: the same weekday in that week, but not
        before today (this week's passed days mean "as soon as possible"). The repository still
        decides: a day off moves on to the next working day, past the quarter end is refused.
        """
        if target is None:
            return None
        today = clock.today()
        day = self.due(target) if self.step_id(target) is not None else None
        if day is None:
            week = self.week(target)
            if week is None:
                return None
            day = max(week + timedelta(days=due.weekday()), today)
            if week_of(day) != week:
                return None  # the whole week is over
        return day if day != due and day >= today else None

    def mimeTypes(self) -> list[str]:
        return [STEP_MIME_TYPE]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        for item in items:
            step_id, due = self.step_id(item), self.due(item)
            if step_id is not None and due is not None:
                return step_mime_data(step_id, due)
        return QMimeData()

    def _drop_target(self, event: QDropEvent | QDragMoveEvent) -> tuple[int, date] | None:
        dragged = step_from_mime(event.mimeData())
        if dragged is None:
            return None
        day = self.drop_day(dragged[1], self.itemAt(event.position().toPoint()))
        return None if day is None else (dragged[0], day)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if step_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._drop_target(event) is not None:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        target = self._drop_target(event)
        if target is not None:
            emit(self.move_requested, *target)
        # Never let Qt move the items: the plan reloaded from storage is the truth.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()


# -- the view --------------------------------------------------------------------------------


class PlanView(QWidget):
    """`notice` goes to the status bar; `changed` tells other areas that opportunities or plan
    steps changed (a done step is also a touch with the prospect, which Today shows).

    `new_shortcut`: the view's own Ctrl+N (only while focus is inside it). Pass False when the
    window has a window-wide Ctrl+N that calls `new_opportunity` in this area: two Ctrl+N
    shortcuts in reach make Qt fire neither ("Ambiguous shortcut overload").
    """

    notice = Signal(str)
    changed = Signal()
    followup_added = Signal()  # a follow-up made from a step: Today and the Queue show it

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        ics_chooser: IcsChooser | None = None,
        state: WindowState | None = None,
        new_shortcut: bool = True,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._state = state
        self._runner = runner
        self.opportunities = OpportunityRepository(db)
        self.plans = PlanRepository(db)
        self.ics_chooser: IcsChooser = ics_chooser or DialogIcsChooser()
        self._status_filter: str | None = "open"
        self._list_generation = 0
        self._plan_generation = 0
        self._select_after_load: int | None = None
        self._plan: PlanData | None = None
        self._plan_opportunity_id: int | None = None
        self._select_step_after_load: int | None = None
        self._session_warnings: dict[int, tuple[PlanWarning, ...]] = {}
        self._playbooks: tuple[PlaybookChoice, ...] = ()
        self._total = 0
        self.dialog: OpportunityDialog | None = None
        self.remove_box: QMessageBox | None = None
        self.regenerate_box: QMessageBox | None = None
        self.followup_dialog: FollowupDialog | None = None

        self.model = OpportunityTableModel(self)
        self._build_toolbar()
        left = self._build_list_column()
        right = self._build_plan_column()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes(list(_SPLITTER_SIZES))
        saved = state.splitter(_SPLITTER) if state else None
        if saved is not None:
            self.splitter.restoreState(saved)

        self.empty_label = QLabel(NO_OPPORTUNITIES, self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("No opportunities")
        self.empty_new_button = accessible(
            QPushButton("Add your first opportunity…", self),
            "Add your first opportunity",
            "Open the form for a new opportunity (Ctrl+N)",
        )
        self.empty_new_button.clicked.connect(lambda _checked=False: self.new_opportunity())
        empty = QWidget(self)
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addSpacing(8)
        empty_layout.addWidget(self.empty_new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self._empty_page = empty
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self.splitter)
        self._pages.addWidget(empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self._toolbar)
        layout.addWidget(self._pages, 1)

        self.new_action: QAction | None = None
        self._create_key_actions(new_shortcut)
        self._set_tab_order()
        self.setFocusProxy(self.opportunity_list)
        self._update_buttons()
        self._show_plan_page(CHOOSE_OPPORTUNITY)

    # -- building ----------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.new_button = accessible(
            QPushButton("&New opportunity…", self),
            "New opportunity",
            "Add a deal to close and plan how to engage its buyer (Ctrl+N)",
        )
        self.new_button.clicked.connect(lambda _checked=False: self.new_opportunity())
        self.edit_button = accessible(
            QPushButton("&Edit…", self),
            "Edit opportunity",
            "Change the chosen opportunity; a new close date re-plans its pending steps (Enter)",
        )
        self.edit_button.clicked.connect(lambda _checked=False: self.edit_opportunity())
        self.won_button = accessible(
            QPushButton("Mark &won", self), "Mark won", "The deal closed: it leaves the open list"
        )
        self.won_button.clicked.connect(lambda: self.set_status("won"))
        self.lost_button = accessible(
            QPushButton("Mark &lost", self),
            "Mark lost",
            "The deal is off: it leaves the open list",
        )
        self.lost_button.clicked.connect(lambda: self.set_status("lost"))
        self.remove_button = accessible(
            QPushButton("&Remove…", self),
            "Remove opportunity",
            "Delete the chosen opportunity and its plan, after asking (Delete)",
        )
        self.remove_button.clicked.connect(lambda _checked=False: self.request_remove())

        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.won_button)
        bar.addWidget(self.lost_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        self._toolbar = bar

    def _build_list_column(self) -> QWidget:
        column = QWidget(self)
        self.status_filter = accessible(
            QComboBox(column), "Show opportunities", "Which opportunities the list shows"
        )
        for label, value in STATUS_FILTERS:
            self.status_filter.addItem(label, value)
        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)
        filter_label = QLabel("Sh&ow:", column)
        filter_label.setBuddy(self.status_filter)
        self.count_label = QLabel("", column)
        self.count_label.setAccessibleName("Number of opportunities")
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(filter_label)
        filters.addWidget(self.status_filter)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        table = accessible(
            QListView(column),
            "Opportunities",
            "Enter edits the opportunity, Delete removes it",
            "Deals by close date, with their buyer, quarter, days left and amount",
        )
        table.setModel(self.model)
        table.setModelColumn(NAME_COLUMN)
        table.setItemDelegate(OpportunityDelegate(table))
        table.setUniformItemSizes(True)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setMinimumWidth(170)
        table.selectionModel().currentRowChanged.connect(self._on_current_opportunity)
        table.activated.connect(lambda _index: self.edit_opportunity())
        self.opportunity_list = table

        self.list_empty_label = QLabel("", column)
        self.list_empty_label.setWordWrap(True)
        self.list_empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_empty_label.setAccessibleName("No opportunities here")
        self._list_pages = QStackedWidget(column)
        self._list_pages.addWidget(table)
        self._list_pages.addWidget(self.list_empty_label)

        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self._list_pages, 1)
        return column

    def _build_plan_column(self) -> QWidget:
        column = QWidget(self)
        self.plan_title = QLabel("", column)
        font = self.plan_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.plan_title.setFont(font)
        self.plan_title.setAccessibleName("Opportunity")
        self.plan_title.setWordWrap(True)
        self.plan_summary = QLabel("", column)
        self.plan_summary.setWordWrap(True)
        self.plan_summary.setAccessibleName("Opportunity details")
        self.plan_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.playbook = accessible(
            QComboBox(column), "Playbook", "The playbook whose steps the plan follows"
        )
        self.playbook_label = QLabel("Play&book:", column)
        self.playbook_label.setBuddy(self.playbook)
        self.generate_button = accessible(
            QPushButton("&Generate plan", column),
            "Generate plan",
            "Lay the playbook's steps out before the quarter ends; planning again replaces "
            "the steps still to do and keeps the done and skipped ones",
        )
        self.generate_button.clicked.connect(self.generate_plan)
        self.export_button = accessible(
            QPushButton("E&xport to calendar…", column),
            "Export to calendar",
            "Save this plan's steps as an .ics file for your calendar app; exporting again "
            "updates the same events",
        )
        self.export_button.clicked.connect(self.export_calendar)
        self.plan_counts = QLabel("", column)
        self.plan_counts.setAccessibleName("Plan progress")
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.playbook_label)
        actions.addWidget(self.playbook)
        actions.addWidget(self.generate_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        actions.addWidget(self.plan_counts)

        self.timeline = PlanTimeline(column)
        self.timeline.step_clicked.connect(self.select_step)
        self.timeline.move_requested.connect(self.move_step)
        self.banner = PlanBanner(column)

        steps = accessible(
            StepTree(column),
            "Plan steps",
            "D: done. S: skip. Z: snooze a day. M: move to a chosen day. Enter: open the "
            "step's content. Drag a planned step onto another week or step to move it.",
            "The plan's steps by the week they are due",
        )
        steps.setColumnCount(len(_STEP_HEADERS))
        steps.setHeaderLabels(list(_STEP_HEADERS))
        steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        steps.setAllColumnsShowFocus(True)
        steps.setUniformRowHeights(True)
        steps.setAlternatingRowColors(False)
        steps.setTextElideMode(Qt.TextElideMode.ElideRight)
        steps.setWordWrap(False)
        header = steps.header()
        header.setStretchLastSection(False)
        for section in (DUE_COLUMN, STATUS_COLUMN, CHANNEL_COLUMN):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ACTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CONTENT_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(CONTENT_COLUMN, 150)
        steps.currentItemChanged.connect(self._on_current_step)
        steps.itemActivated.connect(lambda _item, _column: self.open_content())
        steps.move_requested.connect(self.move_step)
        self.step_tree = steps

        self.steps_empty_label = QLabel("", column)
        self.steps_empty_label.setWordWrap(True)
        self.steps_empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.steps_empty_label.setAccessibleName("No plan")
        self._step_pages = QStackedWidget(column)
        self._step_pages.addWidget(steps)
        self._step_pages.addWidget(self.steps_empty_label)

        detail = self._build_step_detail(column)

        plan = QWidget(column)
        plan_layout = QVBoxLayout(plan)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(self.plan_title)
        plan_layout.addWidget(self.plan_summary)
        plan_layout.addLayout(actions)
        plan_layout.addWidget(self.timeline)
        plan_layout.addWidget(self.banner)
        plan_layout.addWidget(self._step_pages, 1)
        plan_layout.addWidget(detail)
        self._plan_page = plan

        self.plan_placeholder = QLabel(CHOOSE_OPPORTUNITY, column)
        self.plan_placeholder.setWordWrap(True)
        self.plan_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plan_placeholder.setAccessibleName("No opportunity chosen")
        self._plan_pages = QStackedWidget(column)
        self._plan_pages.addWidget(plan)
        self._plan_pages.addWidget(self.plan_placeholder)

        layout = QVBoxLayout(column)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self._plan_pages)
        return column

    def _build_step_detail(self, parent: QWidget) -> QWidget:
        box = QFrame(parent)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setAccessibleName("Chosen step")
        self.step_heading = QLabel("", box)
        heading_font = self.step_heading.font()
        heading_font.setBold(True)
        self.step_heading.setFont(heading_font)
        self.step_heading.setAccessibleName("Chosen step")
        self.step_action = QLabel("", box)
        self.step_action.setWordWrap(True)
        self.step_action.setAccessibleName("What to do")
        self.step_action.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_why = QLabel("", box)
        self.step_why.setWordWrap(True)
        self.step_why.setAccessibleName("Why")
        self.step_why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted(self.step_why)
        self.step_content = QLabel("", box)
        self.step_content.setWordWrap(True)
        self.step_content.setAccessibleName("Content to use")
        self.step_content.setTextFormat(Qt.TextFormat.RichText)
        self.step_content.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.step_content.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the Open button is the key way
        self.step_content.linkActivated.connect(self._open_url)

        self.done_button = accessible(
            QPushButton("&Done", box), "Mark step done", "Done, and logged as a touch (D)"
        )
        self.done_button.clicked.connect(lambda _checked=False: self.mark_step_done())
        self.skip_button = accessible(
            QPushButton("S&kip", box), "Skip step", "Leave this step out of the plan (S)"
        )
        self.skip_button.clicked.connect(lambda _checked=False: self.skip_step())
        self.snooze_button = accessible(
            QPushButton("Snoo&ze", box),
            "Snooze step",
            "Move the step to a later working day, never past the quarter end (Z: one day)",
        )
        snooze_menu = QMenu(self.snooze_button)
        snooze_menu.setAccessibleName("Snooze by")
        self.snooze_actions: dict[int, QAction] = {}
        for days, label in SNOOZE_CHOICES:
            action = snooze_menu.addAction(label)
            action.triggered.connect(lambda _checked=False, d=days: self.snooze_step(d))
            self.snooze_actions[days] = action
        self.snooze_button.setMenu(snooze_menu)
        self.followup_button = accessible(
            QPushButton("Follow &up…", box),
            "Follow up on step",
            "Add a follow-up with the deal's prospect after this step (F)",
        )
        self.followup_button.clicked.connect(lambda _checked=False: self.follow_up_step())
        self.move_date = accessible(
            QDateEdit(box),
            "Move step to",
            "A day for this step, earlier or later, from today to the quarter end (M on the "
            "step list comes here; Alt+Down opens a calendar; Enter moves). A day off moves "
            "on to the next working day",
        )
        self.move_date.setCalendarPopup(True)
        self.move_date.setDisplayFormat("ddd d MMM yyyy")
        move_label = QLabel("Mo&ve to:", box)
        move_label.setBuddy(self.move_date)
        self.move_button = accessible(
            QPushButton("&Move", box), "Move step", "Move the step to the chosen day (Enter)"
        )
        self.move_button.clicked.connect(lambda _checked=False: self.move_to_chosen_day())
        self.open_button = accessible(
            QPushButton("&Open", box),
            "Open content",
            "Open the step's content in the browser (Enter on the step)",
        )
        self.open_button.clicked.connect(self.open_content)

        content_row = QWidget(box)
        content_layout = QHBoxLayout(content_row)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.step_content, 1)
        content_layout.addWidget(self.open_button)
        self.content_row = content_row

        # Two short rows rather than one long one: the area stays usable in a narrow window.
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.snooze_button)
        buttons.addWidget(self.followup_button)
        buttons.addStretch(1)
        moving = QHBoxLayout()
        moving.setContentsMargins(0, 0, 0, 0)
        moving.addWidget(move_label)
        moving.addWidget(self.move_date)
        moving.addWidget(self.move_button)
        moving.addStretch(1)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.step_heading)
        layout.addWidget(self.step_action)
        layout.addWidget(self.step_why)
        layout.addWidget(content_row)
        layout.addLayout(buttons)
        layout.addLayout(moving)
        self.step_detail = box
        return box

    def _create_key_actions(self, new_shortcut: bool) -> None:
        if new_shortcut:
            self.new_action = key_action(
                self,
                "New opportunity",
                [QKeySequence(QKeySequence.StandardKey.New)],
                self.new_opportunity,
            )
        # Letters only on the step list, so typing in a field never marks a step.
        key_action(self, "Mark step done", ["D"], self.mark_step_done, self.step_tree)
        key_action(self, "Skip step", ["S"], self.skip_step, self.step_tree)
        key_action(self, "Snooze step a day", ["Z"], lambda: self.snooze_step(1), self.step_tree)
        self.followup_action = key_action(
            self, "Follow up on step…", ["F"], self.follow_up_step, self.step_tree
        )
        self.move_action = key_action(
            self, "Move step to…", ["M"], self.choose_move_day, self.step_tree
        )
        key_action(self, "Move step", ["Return", "Enter"], self.move_to_chosen_day, self.move_date)
        delete = QKeySequence(QKeySequence.StandardKey.Delete)
        key_action(self, "Remove opportunity", [delete], self.request_remove, self.opportunity_list)

    def _set_tab_order(self) -> None:
        """Left to right, top to bottom, as the rep reads."""
        chain: list[QWidget] = [
            self.new_button,
            self.edit_button,
            self.won_button,
            self.lost_button,
            self.remove_button,
            self.status_filter,
            self.opportunity_list,
            self.empty_new_button,
            self.playbook,
            self.generate_button,
            self.export_button,
            self.step_tree,
            self.open_button,
            self.done_button,
            self.skip_button,
            self.snooze_button,
            self.followup_button,
            self.move_date,
            self.move_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- public API --------------------------------------------------------------------------

    @property
    def plan(self) -> PlanData | None:
        return self._plan

    def current_opportunity(self) -> Opportunity | None:
        index = self.opportunity_list.currentIndex()
        return self.model.opportunity_at(index.row()) if index.isValid() else None

    def current_step(self) -> PlanStepInfo | None:
        step_id = StepTree.step_id(self.step_tree.currentItem())
        if step_id is None or self._plan is None:
            return None
        return self._plan.step(step_id)

    def refresh(self) -> None:
        """Re-read the opportunities and the chosen plan, keeping what the rep had chosen."""
        self._list_generation += 1
        generation = self._list_generation
        status = self._status_filter
        self._runner.run_db(
            lambda: load_opportunities(self.opportunities, status),
            lambda found: self._list_loaded(generation, found),
            context=self,
        )
        if not self._playbooks:
            self._runner.run_db(
                lambda: load_playbook_choices(self.plans),
                self._set_playbooks,
                self._playbooks_failed,
                context=self,
            )

    def set_status_filter(self, status: str | None) -> None:
        index = self.status_filter.findData(status)
        if index >= 0:
            self.status_filter.setCurrentIndex(index)

    def select_opportunity(self, opportunity_id: int) -> bool:
        return select_row(self.opportunity_list, self.model, opportunity_id, NAME_COLUMN)

    def select_step(self, step_id: int) -> bool:
        item = self._step_item(step_id)
        if item is None:
            return False
        self.step_tree.setCurrentItem(item)
        self.step_tree.scrollToItem(item)
        return True

    def new_opportunity(self, prospect_id: int | None = None) -> OpportunityDialog:
        """The form for a new deal; with `prospect_id`, that prospect is chosen already."""
        dialog = self._open_dialog(None)
        if prospect_id is not None:
            dialog.select_prospect(prospect_id)
        return dialog

    def edit_opportunity(self, opportunity: Opportunity | None = None) -> OpportunityDialog | None:
        chosen = opportunity or self.current_opportunity()
        if chosen is None:
            emit(self.notice, "Choose an opportunity in the list first.")
            return None
        return self._open_dialog(chosen)

    def set_status(self, status: str) -> None:
        """Won or lost (or open again); the list follows the filter."""
        opportunity = self.current_opportunity()
        if opportunity is None:
            emit(self.notice, "Choose an opportunity in the list first.")
            return
        if opportunity.status == status:
            emit(self.notice, f"{opportunity.name} is already {status}.")
            return
        opportunity_id = opportunity.id

        def saved(update: OpportunityUpdate) -> None:
            emit(self.notice, f"Marked {update.opportunity.name} {status}.")
            self.refresh()
            emit(self.changed)

        self._runner.run_db(
            lambda: self.opportunities.update(opportunity_id, OpportunityChanges(status=status)),
            saved,
            self._write_failed,
        )

    def request_remove(self, opportunity: Opportunity | None = None) -> QMessageBox | None:
        """Ask first, naming the deal and its buyer; the answer arrives through the box."""
        chosen = opportunity or self.current_opportunity()
        if chosen is None:
            emit(self.notice, "Choose an opportunity in the list first.")
            return None
        self._discard(self.remove_box)
        steps = (
            len(self._plan.steps)
            if self._plan is not None and self._plan.opportunity.id == chosen.id
            else 0
        )
        who = f" with {chosen.prospect}" if chosen.prospect else ""
        self.remove_box = confirm_destructive(
            self,
            title="Remove opportunity",
            question=f"Remove {chosen.name}{who}?",
            consequence=(
                f"Its plan of {plural(steps, 'step')} is deleted with it. This cannot be undone."
                if steps
                else "This cannot be undone."
            ),
            action="&Remove",
            action_name=f"Remove {chosen.name}",
            keep_name="Keep opportunity",
            on_confirm=lambda: self._remove(chosen),
        )
        return self.remove_box

    def generate_plan(self) -> QMessageBox | None:
        """Plan the chosen opportunity; planning again asks first when steps are still to do,
        because they go back to the playbook's dates (done and skipped steps stay)."""
        plan = self._plan
        if plan is None:
            emit(self.notice, "Choose an opportunity in the list first.")
            return None
        if plan.opportunity.status != "open":
            emit(
                self.notice,
                f"{plan.opportunity.name} is {plan.opportunity.status}; only open "
                "opportunities are planned.",
            )
            return None
        playbook = self.playbook.currentData()
        playbook_id = playbook if isinstance(playbook, str) else None
        pending = [s for s in plan.steps if s.status == PENDING]
        opportunity_id = plan.opportunity.id
        if not pending:
            self._generate(opportunity_id, playbook_id)
            return None
        self._discard(self.regenerate_box)
        kept = len(plan.steps) - len(pending)
        self.regenerate_box = confirm_destructive(
            self,
            title="Plan again",
            question=f"Plan {plan.opportunity.name} again?",
            consequence=(
                f"Its {plural(len(pending), 'step')} still to do are laid out again from the "
                "playbook, so any you snoozed or moved go back to the plan's dates."
                + (f" The {plural(kept, 'done or skipped step')} stay as they are." if kept else "")
            ),
            action="&Plan again",
            action_name="Plan again",
            keep_name="Keep the plan as it is",
            on_confirm=lambda: self._generate(opportunity_id, playbook_id),
        )
        return self.regenerate_box

    def export_calendar(self, *, all_plans: bool = False) -> None:
        """The chosen opportunity's plan (or every plan) as an .ics file."""
        opportunity = None if all_plans else self.current_opportunity()
        path = self.ics_chooser.save_ics(self, ics_file_name(opportunity))
        if path is None:
            return
        opportunity_id = opportunity.id if opportunity is not None else None
        what = f"the plan for {opportunity.name}" if opportunity is not None else "every plan"
        emit(self.notice, f"Exporting {what} to {path}…")

        def written(count: int) -> None:
            emit(
                self.notice,
                f"Wrote {plural(count, 'plan step')} to {path}; importing it again updates "
                "the same events.",
            )

        self._runner.run_db(
            lambda: write_ics(self.plans, opportunity_id, path), written, self._write_failed
        )

    def mark_step_done(self, step_id: int | None = None) -> None:
        step = self._step_for_action(step_id)
        if step is None:
            return
        if step.status == "done":
            emit(self.notice, "This step is already done.")
            return
        who = f" with {step.prospect}" if step.prospect else ""
        self._write_step(
            lambda: self.plans.mark_done(step.id),
            f"Done: {_short(step.action)} (logged as a touch{who}).",
            advance=True,
        )

    def skip_step(self, step_id: int | None = None) -> None:
        step = self._step_for_action(step_id)
        if step is None:
            return
        if step.status != PENDING:
            emit(self.notice, f"This step is already {step.status}.")
            return
        self._write_step(
            lambda: self.plans.skip(step.id), f"Skipped: {_short(step.action)}", advance=True
        )

    def snooze_step(self, days: int, step_id: int | None = None) -> None:
        step = self._step_for_action(step_id)
        if step is None:
            return
        if step.status != PENDING:
            emit(self.notice, f"This step is {step.status}; only planned steps move.")
            return
        self._snooze(step, days)

    def follow_up_step(self, step_id: int | None = None) -> None:
        """F or the button: a follow-up with the deal's prospect, prefilled from the step; the
        rep confirms (or changes the day and note) in the dialog first."""
        step = self._step_for_action(step_id)
        if step is None:
            return
        db, chosen_id = self._db, step.id
        self._runner.run_db(
            lambda: followups.draft_from_step(db, chosen_id),
            self._ask_followup,
            self._followup_failed,
            context=self,
        )

    def _ask_followup(self, draft: followups.FollowupDraft) -> None:
        self._discard(self.followup_dialog)
        db = self._db

        def added(message: str) -> None:
            emit(self.notice, message)
            emit(self.followup_added)

        self.followup_dialog = open_for_draft(
            self,
            self._runner,
            draft,
            title="Follow up on this step",
            add=lambda d, due, note: followups.add_draft(db, d, due, note),
            added=added,
            failed=self._followup_failed,
        )

    def _followup_failed(self, exc: Exception) -> None:
        """Nothing in the plan changed: say why, without reloading it."""
        if isinstance(exc, UserError):
            emit(self.notice, str(exc))
        else:
            self._runner.report_error(exc)

    def move_step(self, step_id: int | None, day: date) -> None:
        """Move a planned step to `day`, earlier or later (the date edit, M, and drops on the
        step list or timeline all end here). `PlanRepository.move` decides on the database
        worker: a day off moves on to the next working day, which the notice says; a day
        before today or after the quarter end is refused with its reason."""
        step = self._step_for_action(step_id)
        if step is None:
            return
        if step.status != PENDING:
            emit(self.notice, f"This step is {step.status}; only planned steps move.")
            return
        if day == step.due:
            emit(self.notice, f"This step is already due on {long_date(day)}.")
            return
        chosen_id = step.id

        def moved(result: PlanStepInfo) -> None:
            self._step_changed(result, advance=False)
            emit(self.notice, move_message(result.id, Moved(day, result.due)))

        self._runner.run_db(lambda: self.plans.move(chosen_id, day), moved, self._write_failed)

    def choose_move_day(self) -> None:
        """M on the step list: to the date edit, ready to type or open the calendar."""
        step = self._step_for_action(None)
        if step is None:
            return
        if step.status != PENDING:
            emit(self.notice, f"This step is {step.status}; only planned steps move.")
            return
        self.move_date.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.move_date.selectAll()

    def move_to_chosen_day(self) -> None:
        self.move_step(None, from_qdate(self.move_date.date()))

    def open_content(self) -> None:
        step = self.current_step()
        if step is None or not step.content_url:
            return
        self._open_url(step.content_url)

    def save_state(self) -> None:
        if self._state is not None:
            self._state.set_splitter(_SPLITTER, self.splitter.saveState())

    def banner_text(self) -> str:
        return self.banner.text()

    def empty_text(self) -> str:
        """The empty-state sentence the rep sees ("" while there is something to show)."""
        if self._pages.currentWidget() is self._empty_page:
            return self.empty_label.text()
        if self._list_pages.currentWidget() is self.list_empty_label:
            return self.list_empty_label.text()
        return ""

    def plan_text(self) -> str:
        """The plan pane's message when it has no steps to show ("" otherwise)."""
        if self._plan_pages.currentWidget() is self.plan_placeholder:
            return self.plan_placeholder.text()
        if self._step_pages.currentWidget() is self.steps_empty_label:
            return self.steps_empty_label.text()
        return ""

    def week_headers(self) -> list[str]:
        return [header.text(0) for header in self._week_items()]

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._plan is not None:
            # Link and muted colors are set when rows and rich text are made: make them again.
            self.step_content.clear()
            self._render_steps(keep=self._current_step_id())

    # -- loading -----------------------------------------------------------------------------

    def _list_loaded(self, generation: int, found: OpportunityList) -> None:
        if generation != self._list_generation:
            return
        keep = self._select_after_load or self._current_opportunity_id()
        self._select_after_load = None
        self._total = found.total
        selection = self.opportunity_list.selectionModel()
        selection.blockSignals(True)
        try:
            self.model.set_opportunities(found.shown)
            selected = keep is not None and self.select_opportunity(keep)
            if not selected and self.model.rowCount():
                self.select_opportunity(found.shown[0].id)
        finally:
            selection.blockSignals(False)
        self._update_list_state()
        current = self.current_opportunity()
        if current is None:
            self._plan = None
            self._plan_opportunity_id = None
            self._show_plan_page(CHOOSE_OPPORTUNITY)
        else:
            self._load_plan(current.id)
        self._update_buttons()

    def _load_plan(self, opportunity_id: int) -> None:
        self._plan_generation += 1
        generation = self._plan_generation
        if self._plan_opportunity_id != opportunity_id:
            self._plan = None
            self._plan_opportunity_id = opportunity_id
            self._show_plan_page(LOADING_PLAN)
        self._runner.run_db(
            lambda: load_plan(self._db, self.plans, opportunity_id),
            lambda data: self._plan_loaded(generation, data),
            self._plan_failed,
            context=self,
        )

    def _plan_loaded(self, generation: int, data: PlanData) -> None:
        if generation != self._plan_generation:
            return
        keep = self._select_step_after_load
        self._select_step_after_load = None
        if (
            keep is None
            and self._plan is not None
            and self._plan.opportunity.id == data.opportunity.id
        ):
            keep = self._current_step_id()
        self._plan = data
        self._show_plan(keep)

    def _plan_failed(self, exc: Exception) -> None:
        self._runner.report_error(exc)
        self._show_plan_page(CHOOSE_OPPORTUNITY)

    def _set_playbooks(self, playbooks: tuple[PlaybookChoice, ...]) -> None:
        self._playbooks = playbooks
        wanted = self._plan.playbook_id if self._plan is not None else None
        self.playbook.blockSignals(True)
        try:
            self.playbook.clear()
            for choice in playbooks:
                self.playbook.addItem(choice.name, choice.id)
        finally:
            self.playbook.blockSignals(False)
        self._select_playbook(wanted)
        self._update_playbook_visibility()

    # -- showing -----------------------------------------------------------------------------

    def _update_list_state(self) -> None:
        if self._total == 0:
            self._pages.setCurrentWidget(self._empty_page)
            return
        self._pages.setCurrentWidget(self.splitter)
        shown = self.model.rowCount()
        status = self._status_filter
        if status is None:
            self.count_label.setText(plural(shown, "opportunity", "opportunities"))
        else:
            self.count_label.setText(f"{shown} {status}")
        if shown:
            self._list_pages.setCurrentWidget(self.opportunity_list)
            return
        if status == "open":
            text = "No open opportunities. Won and lost ones are under Show: All."
        else:
            text = f"No {status or ''} opportunities here.".replace("  ", " ")
        self.list_empty_label.setText(text)
        self._list_pages.setCurrentWidget(self.list_empty_label)

    def _show_plan_page(self, message: str) -> None:
        self.plan_placeholder.setText(message)
        self._plan_pages.setCurrentWidget(self.plan_placeholder)
        self.timeline.clear()
        self.banner.show_warnings(())
        self._update_step_detail(None)

    def _show_plan(self, keep_step: int | None) -> None:
        plan = self._plan
        if plan is None:
            return
        opportunity = plan.opportunity
        self._plan_pages.setCurrentWidget(self._plan_page)
        self.plan_title.setText(opportunity.name)
        self.plan_summary.setText(opportunity_summary(opportunity))
        self.plan_counts.setText(plan_counts(plan.steps) if plan.steps else "")
        warnings = self._session_warnings.get(opportunity.id)
        shown = plan.warnings if warnings is None else warnings
        if any(w.code == "quarter_over" for w in plan.warnings):
            shown = tuple(w for w in plan.warnings if w.code == "quarter_over")
        self.banner.show_warnings(shown)
        self._select_playbook(plan.playbook_id)
        self.generate_button.setText("Re&generate plan" if plan.steps else "&Generate plan")
        self._render_steps(keep_step)
        self._update_buttons()

    def _render_steps(self, keep: int | None) -> None:
        plan = self._plan
        tree = self.step_tree
        if plan is None:
            return
        today = clock.today()
        opportunity = plan.opportunity
        collapsed = {h.data(0, WEEK_ROLE) for h in self._week_items() if not h.isExpanded()}
        tree.blockSignals(True)
        try:
            tree.clear()
            palette = self.palette()
            muted = QBrush(palette.color(QPalette.ColorRole.PlaceholderText))
            link = QBrush(palette.color(QPalette.ColorRole.Link))
            for group in group_by_week(plan.steps):
                header = QTreeWidgetItem(tree)
                key = group.monday.isoformat()
                header.setText(
                    0, f"{week_label(group.monday, today)} · {plural(len(group.steps), 'step')}"
                )
                header.setData(0, WEEK_ROLE, key)
                font = header.font(0)
                font.setBold(True)
                header.setFont(0, font)
                header.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
                header.setFirstColumnSpanned(True)
                for step in group.steps:
                    self._step_row(header, step, today, muted, link)
                header.setExpanded(key not in collapsed)
        finally:
            tree.blockSignals(False)
        self.timeline.set_plan(
            plan.steps,
            today=today,
            quarter_end=opportunity.quarter.end,
            quarter_label=opportunity.quarter.label,
        )
        if plan.steps:
            self._step_pages.setCurrentWidget(tree)
        else:
            self.steps_empty_label.setText(self._no_plan_text(plan))
            self._step_pages.setCurrentWidget(self.steps_empty_label)
        target = keep if keep is not None and self._step_item(keep) is not None else None
        if target is None:
            target = self._first_step_to_do()
        if target is not None:
            self.select_step(target)
        self._update_step_detail(self.current_step())

    @staticmethod
    def _step_row(
        header: QTreeWidgetItem, step: PlanStepInfo, today: date, muted: QBrush, link: QBrush
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(header)
        item.setText(DUE_COLUMN, short_date(step.due))
        item.setData(DUE_COLUMN, Qt.ItemDataRole.UserRole, step.due.isoformat())
        item.setText(STATUS_COLUMN, step_status(step, today))
        item.setText(CHANNEL_COLUMN, channel_name(step.channel))
        item.setText(ACTION_COLUMN, step.action)
        item.setText(CONTENT_COLUMN, step.content_title or "")
        item.setData(0, STEP_ROLE, step.id)
        tip = step.action + (f"\n\nWhy: {step.why}" if step.why else "")
        for column in range(len(_STEP_HEADERS)):
            item.setToolTip(column, tip)
        if step.content_url:
            item.setToolTip(CONTENT_COLUMN, f"{step.content_title or ''}\n{step.content_url}")
            item.setForeground(CONTENT_COLUMN, link)
            font = item.font(CONTENT_COLUMN)
            font.setUnderline(True)
            item.setFont(CONTENT_COLUMN, font)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if step.status == PENDING:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        else:
            for column in range(len(_STEP_HEADERS)):
                if column != CONTENT_COLUMN or not step.content_url:
                    item.setForeground(column, muted)
        if step.status == "skipped":
            font = item.font(ACTION_COLUMN)
            font.setStrikeOut(True)
            item.setFont(ACTION_COLUMN, font)
        status_font = item.font(STATUS_COLUMN)
        if step.status == PENDING and step.due <= today:
            status_font.setWeight(QFont.Weight.Bold)
            item.setFont(STATUS_COLUMN, status_font)
        item.setFlags(flags)
        return item

    def _update_step_detail(self, step: PlanStepInfo | None) -> None:
        today = clock.today()
        editable = step is not None and step.status == PENDING
        if step is None:
            self.step_heading.setText("No step chosen")
            self.step_action.setText("Choose a step in the list to act on it.")
            self.step_why.setText("")
            self.step_content.setText("")
            self.step_why.setVisible(False)
            self.content_row.setVisible(False)
        else:
            self.step_heading.setText(
                f"{long_date(step.due)} · {channel_name(step.channel)} · {step_status(step, today)}"
            )
            self.step_action.setText(step.action)
            self.step_why.setText(f"Why: {step.why}" if step.why else "")
            self.step_why.setVisible(bool(step.why))
            if step.content_url:
                title = html.escape(step.content_title or step.content_url)
                self.step_content.setText(
                    f'Content to use: <a href="{html.escape(step.content_url)}">{title}</a>'
                )
            else:
                self.step_content.setText("")
            self.content_row.setVisible(bool(step.content_url))
        self.done_button.setEnabled(step is not None and step.status != "done")
        self.skip_button.setEnabled(editable)
        self.snooze_button.setEnabled(editable)
        # Any step, done ones included: "sent the case study, ask what they thought" comes after.
        self.followup_button.setEnabled(step is not None and step.prospect_id is not None)
        self.move_date.setEnabled(editable)
        self.move_button.setEnabled(editable)
        self.open_button.setEnabled(step is not None and bool(step.content_url))
        plan = self._plan
        if step is not None and plan is not None:
            # Earlier or later, but only days the repository accepts can be picked.
            quarter_end = plan.opportunity.quarter.end
            self.move_date.setDateRange(to_qdate(today), to_qdate(max(today, quarter_end)))
            self.move_date.setDate(to_qdate(min(max(step.due, today), quarter_end)))
        self.timeline.set_selected(step.id if step is not None else None)

    def _update_buttons(self) -> None:
        opportunity = self.current_opportunity()
        chosen = opportunity is not None
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(chosen)
        self.won_button.setEnabled(
            chosen and opportunity is not None and opportunity.status != "won"
        )
        self.lost_button.setEnabled(
            chosen and opportunity is not None and opportunity.status != "lost"
        )
        plan = self._plan
        can_plan = (
            plan is not None
            and plan.opportunity.status == "open"
            and plan.opportunity.days_left >= 0
        )
        self.generate_button.setEnabled(can_plan)
        self.playbook.setEnabled(can_plan)
        self.export_button.setEnabled(plan is not None and bool(plan.steps))

    def _update_playbook_visibility(self) -> None:
        many = len(self._playbooks) > 1
        self.playbook.setVisible(many)
        self.playbook_label.setVisible(many)

    def _select_playbook(self, playbook_id: str | None) -> None:
        index = self.playbook.findData(playbook_id or "default")
        if index >= 0:
            self.playbook.setCurrentIndex(index)

    @staticmethod
    def _no_plan_text(plan: PlanData) -> str:
        opportunity = plan.opportunity
        quarter = opportunity.quarter
        if opportunity.status != "open":
            return f"This opportunity is {opportunity.status}; plans are for open opportunities."
        if opportunity.days_left < 0:
            return (
                f"No plan: {quarter.label} is over. Edit the opportunity and move its close "
                "date to a later quarter to plan it."
            )
        return (
            f"No plan yet. Generate plan lays the playbook's steps out before {quarter.label} "
            f"ends on {long_date(quarter.end)}, starting {plan.lead_days} days ahead where "
            "there is time."
        )

    # -- reacting to the rep -----------------------------------------------------------------

    def _on_filter_changed(self, _index: int) -> None:
        value = self.status_filter.currentData()
        self._status_filter = value if isinstance(value, str) else None
        self.refresh()

    def _on_current_opportunity(self, current: QModelIndex, _previous: QModelIndex) -> None:
        opportunity = self.model.opportunity_at(current.row()) if current.isValid() else None
        self._update_buttons()
        if opportunity is None:
            self._plan = None
            self._plan_opportunity_id = None
            self._show_plan_page(CHOOSE_OPPORTUNITY)
            return
        self._load_plan(opportunity.id)

    def _on_current_step(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        self._update_step_detail(self.current_step() if current is not None else None)

    # -- dialogs -----------------------------------------------------------------------------

    def _open_dialog(self, opportunity: Opportunity | None) -> OpportunityDialog:
        self._discard(self.dialog)
        dialog = OpportunityDialog(
            self.opportunities, self._runner, opportunity=opportunity, parent=self
        )
        dialog.saved.connect(self._after_save)
        self.dialog = dialog
        self._runner.run_db(
            lambda: load_form_choices(self._db, self.plans),
            dialog.set_choices,
            context=dialog,
        )
        dialog.open()
        return dialog

    @staticmethod
    def _discard(widget: QWidget | None) -> None:
        """Dialogs are kept until the next one opens, so late callbacks find them alive."""
        if widget is not None and shiboken6.isValid(widget) and not widget.isVisible():
            widget.deleteLater()

    def _after_save(self, result: OpportunitySaved) -> None:
        opportunity = result.opportunity
        if not result.changed:
            emit(self.notice, f"Nothing to change in {opportunity.name}.")
            return
        message = f"{'Added' if result.added else 'Saved'} {opportunity.name}."
        replanned = result.replanned
        if replanned is not None:
            self._session_warnings[opportunity.id] = replanned.warnings
            if replanned.steps:
                message += (
                    f" {plural(replanned.steps, 'pending plan step')} moved to fit "
                    f"{opportunity.quarter.label}, which ends on "
                    f"{long_date(replanned.quarter_end)}."
                )
            else:
                message += " The plan's pending steps stay where they were."
        emit(self.notice, message)
        self._select_after_load = opportunity.id
        if opportunity.status != self._status_filter and self._status_filter is not None:
            self.set_status_filter(None if opportunity.status != "open" else "open")
        self.refresh()
        emit(self.changed)
        if result.added and result.plan_now and opportunity.status == "open":
            self._generate(opportunity.id, result.playbook_id)

    # -- writes ------------------------------------------------------------------------------

    def _generate(self, opportunity_id: int, playbook_id: str | None) -> None:
        emit(self.notice, "Planning…")
        self._runner.run_db(
            lambda: self.plans.generate(opportunity_id, playbook_id),
            self._generated,
            lambda exc: self._generate_failed(opportunity_id, exc),
        )

    def _generated(self, result: PlanResult) -> None:
        self._session_warnings[result.opportunity_id] = result.warnings
        pending = sum(1 for s in result.steps if s.status == PENDING)
        emit(
            self.notice,
            f"Planned {plural(pending, 'step')} from {long_date(result.start)} to the end of "
            f"{result.quarter} on {long_date(result.quarter_end)}"
            + (
                " (it starts late: see the warning above the steps)."
                if any(w.code == "late_start" for w in result.warnings)
                else "."
            ),
        )
        if self._current_opportunity_id() == result.opportunity_id:
            self._select_step_after_load = None
            self._load_plan(result.opportunity_id)
        emit(self.changed)

    def _generate_failed(self, opportunity_id: int, exc: Exception) -> None:
        if not isinstance(exc, UserError):
            self._runner.report_error(exc)
            return
        emit(self.notice, str(exc))
        self._session_warnings[opportunity_id] = (PlanWarning("not_planned", str(exc)),)
        if self._plan is not None and self._plan.opportunity.id == opportunity_id:
            self.banner.show_warnings(self._session_warnings[opportunity_id])

    def _remove(self, opportunity: Opportunity) -> None:
        opportunity_id = opportunity.id

        def removed(gone: Opportunity) -> None:
            emit(self.notice, f"Removed {gone.name} and its plan.")
            self._session_warnings.pop(gone.id, None)
            self.refresh()
            emit(self.changed)

        self._runner.run_db(
            lambda: self.opportunities.remove(opportunity_id), removed, self._write_failed
        )

    def _snooze(self, step: PlanStepInfo, days: int) -> None:
        def snoozed(result: SnoozeResult) -> None:
            self._step_changed(result.step, advance=False)
            emit(self.notice, result.message)

        self._runner.run_db(lambda: self.plans.snooze(step.id, days), snoozed, self._write_failed)

    def _write_step(self, work: Callable[[], PlanStepInfo], message: str, *, advance: bool) -> None:
        def written(step: PlanStepInfo) -> None:
            self._step_changed(step, advance=advance)
            emit(self.notice, message)

        self._runner.run_db(work, written, self._write_failed)

    def _step_changed(self, step: PlanStepInfo, *, advance: bool) -> None:
        """Show a step's stored state in place; after done or skip, go to the next step to do,
        so a row of steps can be worked through with the keyboard."""
        plan = self._plan
        if plan is not None and plan.opportunity.id == step.opportunity_id:
            self._plan = plan.with_step(step)
            keep = step.id
            if advance and self._current_step_id() == step.id:
                keep = self._next_step_to_do(step.id) or step.id
            self.plan_counts.setText(plan_counts(self._plan.steps))
            self._render_steps(keep)
        emit(self.changed)

    def _write_failed(self, exc: Exception) -> None:
        if isinstance(exc, UserError):
            emit(self.notice, str(exc))
        else:
            self._runner.report_error(exc)
        self.refresh()  # show what is really stored

    def _playbooks_failed(self, exc: Exception) -> None:
        log.warning("Could not read the playbooks: %s", exc)
        emit(self.notice, f"Could not read the playbooks: {exc}")

    # -- helpers -----------------------------------------------------------------------------

    def _current_opportunity_id(self) -> int | None:
        opportunity = self.current_opportunity()
        return opportunity.id if opportunity is not None else None

    def _current_step_id(self) -> int | None:
        return StepTree.step_id(self.step_tree.currentItem())

    def _step_for_action(self, step_id: int | None) -> PlanStepInfo | None:
        step = (
            self._plan.step(step_id)
            if step_id is not None and self._plan is not None
            else self.current_step()
        )
        if step is None:
            emit(self.notice, "Choose a step in the plan first.")
        return step

    def _week_items(self) -> list[QTreeWidgetItem]:
        tree = self.step_tree
        found = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _step_item(self, step_id: int) -> QTreeWidgetItem | None:
        for header in self._week_items():
            for j in range(header.childCount()):
                child = header.child(j)
                if StepTree.step_id(child) == step_id:
                    return child
        return None

    def _first_step_to_do(self) -> int | None:
        plan = self._plan
        if plan is None:
            return None
        pending = [s for s in plan.steps if s.status == PENDING]
        return pending[0].id if pending else (plan.steps[-1].id if plan.steps else None)

    def _next_step_to_do(self, after: int) -> int | None:
        plan = self._plan
        if plan is None:
            return None
        ids = [s.id for s in plan.steps]
        if after not in ids:
            return None
        index = ids.index(after)
        later = [s for s in plan.steps[index + 1 :] if s.status == PENDING]
        return later[0].id if later else None

    def _open_url(self, url: str) -> None:
        if not QDesktopServices.openUrl(QUrl(url)):
            emit(self.notice, f"Could not open {url}: no browser answered.")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
