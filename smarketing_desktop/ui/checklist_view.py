"""The Profile checklist area: make the LinkedIn and X profiles buyer-ready, item by item.

One tab per checklist (LinkedIn, X, and any the rep keeps in the data folder). Each tab has the
"Your profile" form, the checklist's items with why each matters and how to fix it, the rep's
own answers, and Check now, which scores the profile in the background and stores a dated
review exactly as `smarketing checklist review` does (`prepare_profile` then
`ChecklistRepository.review`). The latest score, the history chart, what changed since the
review before and when the next check is due come from the stored reviews, so they survive a
restart; the form fills itself in from the latest review's profile, so a rep only changes what
changed. Every database and file access goes through the task runner.

On the X tab, "Fetch from my X account" reads the bio, link, pinned post, images and latest
post from the connected account (on the network pool, never the UI thread), fills the form and
checks at once. The images X reports cannot be measured (see `social.x_profile`), so they are
kept beside the form as the account's verdicts and used whenever the rep has not chosen an
image file instead.

Keys: Ctrl+Enter checks now from anywhere in the area; in the item list P answers Pass, F Fail
and Backspace clears the answer; Ctrl+Tab moves between networks.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop import clock
from smarketing_desktop.core.checklists import (
    Answer,
    Checklist,
    ChecklistError,
    HistoryEntry,
    Review,
    load_checklists,
    next_review_on,
    prepare_profile,
    review_due_on,
    review_markdown,
)
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.profile_rules import Status
from smarketing_desktop.core.review_export import (
    export_file_name,
    report_title,
    with_suffix,
    write_export,
)
from smarketing_desktop.db.repositories.checklists import ChecklistRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.paths import resources_dir
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.social.x_budget import XMeter
from smarketing_desktop.social.x_client import XApiError
from smarketing_desktop.social.x_profile import (
    AccountProfile,
    account_problem,
    fetch_account_profile,
    is_account_image,
)
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.checklist_files import (
    ChecklistFileChooser,
    DialogChecklistFileChooser,
    markdown_to_pdf,
)
from smarketing_desktop.ui.checklist_history_chart import ScoreHistoryChart
from smarketing_desktop.ui.checklist_model import (
    ITEM_COLUMN,
    STATUS_COLUMN,
    WEIGHT_COLUMN,
    ChecklistItemModel,
    answers_from,
)
from smarketing_desktop.ui.checklist_panels import ItemPane, ScoreBox
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.formatting import format_date
from smarketing_desktop.ui.key_action import key_action
from smarketing_desktop.ui.profile_form import ProfileForm, ToneLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error
from smarketing_desktop.ui.window_state import WindowState

log = logging.getLogger(__name__)

LOADING = "Loading the checklists…"
NOTHING_TO_EXPORT = "There is no review to export yet: fill in your profile and press Check now."
STALE = "You changed your profile or answers since this check: press Check now to score them."
CHECK_TEXT = "&Check now"
CHECKING_TEXT = "Checking…"
FETCH_TEXT = "&Fetch from my X account"
FETCHING_TEXT = "Fetching…"
FETCH_TIP = (
    "Read your bio, link, pinned post, images and latest post from the connected X account, "
    "fill them in and check them"
)
CHECKING_ACCOUNT = "Looking for a connected X account…"
# The fields a fetched profile fills in the form (images are kept beside it, see the docstring).
ACCOUNT_TEXT_FIELDS = ("bio", "url", "pinned_post", "last_post_at")
_SPLITTER = "checklist"


# -- what the area reads (database worker) -------------------------------------------------


@dataclass(frozen=True)
class NetworkState:
    """Everything a checklist page shows from the database, read in one go."""

    history: tuple[HistoryEntry, ...]  # newest first
    due: date | None  # the day a check fell due, if one is due now
    next_review: date
    keywords: tuple[str, ...]

    @property
    def latest(self) -> Review | None:
        return self.history[0].review if self.history else None

    @property
    def previous(self) -> Review | None:
        return self.history[0].previous if self.history else None


@dataclass(frozen=True)
class AreaData:
    checklists: tuple[Checklist, ...]
    states: Mapping[str, NetworkState] = field(default_factory=dict)
    problem: str = ""  # the rep's own checklist that could not be used, said plainly


def load_state(repo: ChecklistRepository, network: str, today: date) -> NetworkState:
    """History, reminder and keyword phrases for one network (one read of its reviews)."""
    history = repo.history(network)
    latest = history[0].review if history else None
    every = repo.review_every_days()
    last = latest.reviewed_at if latest else None
    due = review_due_on(last, every, today)
    next_review = next_review_on(last, every, today)
    return NetworkState(tuple(history), due, next_review, repo.keywords())


def load_area(db: Database) -> AreaData:
    """The checklists (shipped, and the rep's own from the data folder) and their states.

    A broken file of the rep's own does not take the area down: the shipped checklists are
    shown, with the file's problem above them.
    """
    problem = ""
    try:
        checklists = load_checklists(resources_dir(), db.workspace.home)
    except ChecklistError as exc:
        problem = f"Your own checklist could not be used: {exc}"
        checklists = load_checklists(resources_dir())
    repo = ChecklistRepository(db)
    today = clock.today()
    states = {c.network: load_state(repo, c.network, today) for c in checklists}
    return AreaData(tuple(checklists), states, problem)


def run_review(
    db: Database,
    checklist: Checklist,
    profile: Mapping[str, Any],
    answers: Mapping[str, Answer],
) -> NetworkState:
    """Check now, as the CLI does it: open the images, evaluate, store; then the new state."""
    # Relative paths typed into the form are taken from the home folder, as the form shows them.
    prepared = prepare_profile(profile, checklist.image_fields(), Path.home())
    repo = ChecklistRepository(db)
    repo.review(checklist, prepared, answers)
    return load_state(repo, checklist.network, clock.today())


# -- one network's page --------------------------------------------------------------------


class ChecklistPage(QWidget):
    """One checklist: the form on the left; score, history, items and the chosen item right.

    `notice` goes to the status bar; `checked` carries the stored `Review` after Check now.
    """

    notice = Signal(str)
    checked = Signal(object)

    def __init__(
        self,
        checklist: Checklist,
        db: Database,
        runner: TaskRunner,
        chooser: ChecklistFileChooser,
        parent: QWidget | None = None,
        *,
        store: SecretStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.checklist = checklist
        self._db = db
        self._runner = runner
        self._chooser = chooser
        self._store = store or SecretStore()
        self.state: NetworkState | None = None
        self._filled = False
        self._dirty = False
        self._checking = False
        self._fetching = False
        self._account_blocked: str | None = CHECKING_ACCOUNT
        # Image verdicts from the X account, used for image fields without a chosen file.
        self.account_images: dict[str, dict[str, Any]] = {}
        self.fetch_button: QPushButton | None = None
        self.setAccessibleName(checklist.title)

        self.form = ProfileForm(checklist, runner, chooser, self)
        self.form.edited.connect(self._mark_dirty)
        self.model = ChecklistItemModel(checklist, self)
        self.model.dataChanged.connect(self._on_rows_changed)
        self.pane = ItemPane(self)
        self.pane.answer_chosen.connect(self.set_answer)
        self.pane.note_edited.connect(self._set_note)
        self.score_box = ScoreBox(self)
        self.chart = ScoreHistoryChart(self)

        self._build_toolbar()
        self._build_items()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self._build_profile_column())
        self.splitter.addWidget(self._build_review_column())
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 600])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self._toolbar)
        layout.addWidget(self.splitter, 1)
        self._create_key_actions()
        self._set_tab_order()
        self._show_state()

    # -- building ------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.check_button = accessible(
            QPushButton(CHECK_TEXT, self),
            "Check now",
            "Score your profile against the checklist and keep the review (Ctrl+Enter)",
        )
        self.check_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        )
        self.check_button.clicked.connect(self.check_now)
        if self.checklist.network == "x":
            self.fetch_button = accessible(
                QPushButton(FETCH_TEXT, self), "Fetch from my X account", CHECKING_ACCOUNT
            )
            self.fetch_button.setEnabled(False)
            self.fetch_button.clicked.connect(self.fetch_from_account)
        self.status_label = ToneLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Review status")
        self.markdown_button = accessible(
            QPushButton("Export &Markdown…", self),
            "Export review as Markdown",
            "Save the shown review as a Markdown report, failures first, with why and how",
        )
        self.markdown_button.clicked.connect(self.export_markdown)
        self.pdf_button = accessible(
            QPushButton("Export P&DF…", self),
            "Export review as PDF",
            "Save the shown review as a PDF report to print or send to marketing",
        )
        self.pdf_button.clicked.connect(self.export_pdf)
        bar = QHBoxLayout()
        bar.addWidget(self.check_button)
        if self.fetch_button is not None:
            bar.addWidget(self.fetch_button)
        bar.addSpacing(8)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.markdown_button)
        bar.addWidget(self.pdf_button)
        self._toolbar = bar

    def _build_profile_column(self) -> QWidget:
        column = QWidget(self)
        heading = QLabel("Your profile", column)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        intro = QLabel(
            self.checklist.description
            or "Fill in what your profile shows today; empty boxes count as missing.",
            column,
        )
        intro.setWordWrap(True)
        body = QWidget(column)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 10, 0)
        body_layout.addWidget(self.form)
        body_layout.addStretch(1)
        self.form_scroll = QScrollArea(column)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setWidget(body)
        self.form_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.form_scroll, 1)
        return column

    def _build_items(self) -> None:
        items = accessible(
            QTreeView(self),
            "Checklist items",
            "P: answer Pass. F: answer Fail. Backspace: clear your answer.",
            "Every item with its status, weight and what the check found. Choose one to see "
            "why it matters and how to fix it.",
        )
        items.setModel(self.model)
        items.setRootIsDecorated(False)
        items.setItemsExpandable(False)
        items.setUniformRowHeights(True)
        items.setAlternatingRowColors(True)
        items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        items.setAllColumnsShowFocus(True)
        items.setWordWrap(False)
        items.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = items.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ITEM_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WEIGHT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(STATUS_COLUMN, 112)
        header.resizeSection(ITEM_COLUMN, 250)
        items.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.items = items

    def _build_review_column(self) -> QWidget:
        column = QWidget(self)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.score_box.setFixedWidth(280)
        top.addWidget(self.score_box)
        top.addWidget(self.chart, 1)
        top_widget = QWidget(column)
        top_widget.setLayout(top)
        top_widget.setMaximumHeight(170)

        self.pane_scroll = QScrollArea(column)
        self.pane_scroll.setWidgetResizable(True)
        self.pane_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.pane_scroll.setWidget(self.pane)
        self.pane_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pane_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.item_splitter = QSplitter(Qt.Orientation.Vertical, column)
        self.item_splitter.addWidget(self.items)
        self.item_splitter.addWidget(self.pane_scroll)
        self.item_splitter.setChildrenCollapsible(False)
        self.item_splitter.setStretchFactor(0, 3)
        self.item_splitter.setStretchFactor(1, 2)
        self.item_splitter.setSizes([240, 220])

        layout = QVBoxLayout(column)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(top_widget)
        layout.addWidget(self.item_splitter, 1)
        return column

    def _create_key_actions(self) -> None:
        key_action(self, "Check now", ["Ctrl+Return", "Ctrl+Enter"], self.check_now, None)
        key_action(self, "Answer pass", ["P"], lambda: self._answer_current("pass"), self.items)
        key_action(self, "Answer fail", ["F"], lambda: self._answer_current("fail"), self.items)
        key_action(
            self,
            "Clear answer",
            ["Backspace", "Delete"],
            lambda: self._answer_current(None),
            self.items,
        )

    def _set_tab_order(self) -> None:
        """The form top to bottom, then Check now, the exports, the items and the answer."""
        chain: list[QWidget] = [
            *self.form.tab_chain(),
            self.check_button,
            *([self.fetch_button] if self.fetch_button is not None else []),
            self.markdown_button,
            self.pdf_button,
            self.items,
            self.pane.pass_button,
            self.pane.fail_button,
            self.pane.clear_button,
            self.pane.note,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- public API ----------------------------------------------------------------------

    @property
    def network(self) -> str:
        return self.checklist.network

    @property
    def is_dirty(self) -> bool:
        """Profile or answers changed since the shown review."""
        return self._dirty

    @property
    def is_checking(self) -> bool:
        return self._checking

    def set_state(self, state: NetworkState) -> None:
        """Show what the database says; the first time, fill the form from the latest review."""
        self.state = state
        self.form.set_keywords(state.keywords)
        latest = state.latest
        if not self._filled and not self._dirty:
            self._filled = True
            if latest is not None:
                profile = latest.snapshot.get("profile")
                if isinstance(profile, Mapping):
                    self.form.set_profile(profile)
                    self._keep_account_images(profile)
                self.model.set_answers(answers_from(latest, self.checklist))
        self.model.set_review(latest)
        self._show_state()
        if not self.items.currentIndex().isValid() and self.model.rowCount():
            # Why and how are the point of the page: show the first item's from the start.
            self.items.setCurrentIndex(self.model.index(0, ITEM_COLUMN))

    def select_item(self, item_id: str) -> bool:
        row = self.model.row_of(item_id)
        if row is None:
            return False
        self.items.setCurrentIndex(self.model.index(row, ITEM_COLUMN))
        return True

    def set_answer(self, item_id: str, status: Status | None) -> None:
        """The rep's verdict on an item; it wins over the automatic check at the next check."""
        self.model.set_answer(item_id, status)
        self._mark_dirty()

    def check_now(self) -> None:
        """Score the form's profile and the answers in the background and keep the review."""
        if self._checking:
            return
        if self.form.validate():
            emit(self.notice, "Fix the marked field first, then press Check now again.")
            return
        checklist = self.checklist
        profile = self.form.profile()
        for key, verdict in self.account_images.items():
            if not profile.get(key):  # an image file the rep chose wins over the account's word
                profile[key] = dict(verdict)
        answers = self.model.answers()
        db = self._db
        self._set_checking(True)
        started = self._runner.run_db(
            lambda: run_review(db, checklist, profile, answers),
            self._checked,
            self._check_failed,
            context=self,
        )
        if not started:
            self._set_checking(False)

    def set_account_problem(self, problem: str | None) -> None:
        """Enable Fetch when an X account is connected; else say why in its tooltip."""
        self._account_blocked = problem
        self._show_fetch_state()

    def fetch_from_account(self) -> None:
        """Fetch the X profile off the UI thread, fill the form, then check it."""
        if self.fetch_button is None or self._fetching or self._account_blocked:
            return
        db, store = self._db, self._store
        self._set_fetching(True)
        started = self._runner.run_network(
            lambda: fetch_account_profile(store, meter=XMeter(db)),
            self._fetched,
            self._fetch_failed,
            context=self,
        )
        if not started:
            self._set_fetching(False)

    def export_markdown(self) -> None:
        review = self._shown_review()
        if review is None:
            return
        path = self._chooser.save_markdown(self, export_file_name(review, "md"))
        if path is None:
            return
        text = review_markdown(review, self.checklist, self._previous())
        self._write(with_suffix(path, "md"), text.encode("utf-8"))

    def export_pdf(self) -> None:
        review = self._shown_review()
        if review is None:
            return
        path = self._chooser.save_pdf(self, export_file_name(review, "pdf"))
        if path is None:
            return
        text = review_markdown(review, self.checklist, self._previous())
        data = markdown_to_pdf(text, report_title(review, self.checklist))
        self._write(with_suffix(path, "pdf"), data)

    def status_text(self) -> str:
        return self.status_label.text()

    # -- internals -----------------------------------------------------------------------

    def _shown_review(self) -> Review | None:
        review = self.state.latest if self.state else None
        if review is None:
            emit(self.notice, NOTHING_TO_EXPORT)
        return review

    def _previous(self) -> Review | None:
        return self.state.previous if self.state else None

    def _write(self, path: Path, data: bytes) -> None:
        def written(target: Path) -> None:
            emit(self.notice, f"Saved the review to {target}")

        def failed(exc: Exception) -> None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            emit(self.notice, f"Could not save the review to {path}: {reason}")

        self._runner.run_db(lambda: write_export(path, data), written, failed)

    def _show_fetch_state(self) -> None:
        button = self.fetch_button
        if button is None:
            return
        button.setEnabled(not self._fetching and self._account_blocked is None)
        button.setText(FETCHING_TEXT if self._fetching else FETCH_TEXT)
        tip = self._account_blocked or FETCH_TIP
        button.setToolTip(tip)
        button.setAccessibleDescription(tip)

    def _set_fetching(self, fetching: bool) -> None:
        self._fetching = fetching
        self._show_fetch_state()

    def _keep_account_images(self, profile: Mapping[str, Any]) -> None:
        """Remember the account's image verdicts (from a fetch or a stored review) and show
        them under the image boxes the rep left empty."""
        handle = profile.get("account")
        source = f"From {handle} on X" if isinstance(handle, str) and handle else "From X"
        for key in self.checklist.image_fields():
            value = profile.get(key)
            if not is_account_image(value) or key not in self.form.editors:
                continue
            assert isinstance(value, Mapping)
            self.account_images[key] = dict(value)
            picker = self.form.image_picker(key)
            if not picker.path():
                picker.info.set_text(
                    f"{source}: {value.get('reason', '')}", problem=value.get("verdict") == "fail"
                )

    def _fetched(self, account: AccountProfile) -> None:
        self._set_fetching(False)
        profile = account.profile
        for key in ACCOUNT_TEXT_FIELDS:
            value = profile.get(key)
            if key in self.form.editors and isinstance(value, str):
                self.form.set_text(key, value)
        self._keep_account_images(profile)
        self._mark_dirty()
        emit(self.notice, f"Fetched your X profile (@{account.handle}); checking it now.")
        self.check_now()

    def _fetch_failed(self, exc: Exception) -> None:
        self._set_fetching(False)
        if isinstance(exc, XApiError):
            message = exc.message
        else:
            message = describe_error(exc)
            if not isinstance(exc, UserError):
                log.error("Fetching the X profile failed", exc_info=exc)
        emit(self.notice, f"Could not fetch your X profile: {message}")

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.check_button.setEnabled(not checking)
        self.check_button.setText(CHECKING_TEXT if checking else CHECK_TEXT)

    def _checked(self, state: NetworkState) -> None:
        self._set_checking(False)
        self._dirty = False
        self._filled = True
        self.set_state(state)
        entry = state.history[0] if state.history else None
        if entry is None:
            return
        change = (
            f" ({entry.score_delta:+d} since {format_date(entry.previous.reviewed_at)})"
            if entry.previous is not None and entry.score_delta is not None
            else ""
        )
        emit(self.notice, f"{self.checklist.title}: {entry.review.score}/100{change}.")
        emit(self.checked, entry.review)

    def _check_failed(self, exc: Exception) -> None:
        self._set_checking(False)
        if not isinstance(exc, UserError):
            log.error("Checking the %s profile failed", self.network, exc_info=exc)
        emit(self.notice, f"The check did not run. {describe_error(exc)}")

    def _mark_dirty(self) -> None:
        if not self._dirty:
            self._dirty = True
            self._show_status()

    def _answer_current(self, status: Status | None) -> None:
        row = self.items.currentIndex().row()
        found = self.model.row(row)
        if found is not None:
            self.set_answer(found.item.id, status)

    def _set_note(self, item_id: str, note: str) -> None:
        self.model.set_note(item_id, note)
        self._mark_dirty()

    def _show_state(self) -> None:
        state = self.state
        history = state.history if state else ()
        self.score_box.show_history(history, self.checklist, state.next_review if state else None)
        self.chart.set_history(history)
        self.markdown_button.setEnabled(bool(history))
        self.pdf_button.setEnabled(bool(history))
        self._show_status()

    def _show_status(self) -> None:
        state = self.state
        if self._dirty and state is not None and state.latest is not None:
            self.status_label.set_text(STALE)
        elif state is not None and state.latest is not None and state.due is not None:
            last = format_date(state.latest.reviewed_at)
            self.status_label.set_text(
                f"A check is due (last one {last}): profiles drift as roles and offers change.",
                problem=True,
            )
        else:
            self.status_label.set_text("")

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.pane.show_row(self.model.row(current.row()) if current.isValid() else None)

    def _on_rows_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        row = self.items.currentIndex().row()
        if top_left.row() <= row <= bottom_right.row():
            self.pane.show_row(self.model.row(row))


# -- the area ------------------------------------------------------------------------------


class ChecklistView(QWidget):
    """`notice` goes to the status bar; `changed` tells other areas a review was stored."""

    notice = Signal(str)
    changed = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        file_chooser: ChecklistFileChooser | None = None,
        state: WindowState | None = None,
        store: SecretStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._state = state
        self._store = store or SecretStore()
        self._account_problem: str | None = CHECKING_ACCOUNT
        self.file_chooser: ChecklistFileChooser = file_chooser or DialogChecklistFileChooser()
        self.pages: dict[str, ChecklistPage] = {}
        self._generation = 0
        self._announced: set[tuple[str, date]] = set()

        self.problem = ErrorLabel(self)
        self.problem.setAccessibleName("Checklist problem")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Networks")
        accessible(self.tabs.tabBar(), "Networks", "Ctrl+Tab moves to the next network")
        self.tabs.setDocumentMode(True)
        self.loading = QLabel(LOADING, self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.loading)
        self._stack.addWidget(self.tabs)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.problem)
        layout.addWidget(self._stack, 1)

    # -- public API ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read checklists and reviews; forms keep whatever the rep is typing.

        Also asks the keyring (on the worker: it may wait on the desktop's secret service)
        whether an X account is connected, for the X page's Fetch button.
        """
        self._generation += 1
        generation = self._generation
        db = self._db
        self._runner.run_db(
            lambda: load_area(db),
            lambda data: self._loaded_area(generation, data),
            self._load_failed,
            context=self,
        )
        self.check_account()

    def check_account(self) -> None:
        """Ask the keyring (on the database worker) whether an X account is connected."""
        store = self._store
        self._runner.run_db(
            lambda: account_problem(store),
            self._show_account_problem,
            lambda exc: self._show_account_problem(describe_error(exc)),
            context=self,
        )

    def page(self, network: str) -> ChecklistPage:
        return self.pages[network]

    def current_page(self) -> ChecklistPage | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ChecklistPage) else None

    def show_network(self, network: str) -> bool:
        """Bring a network's checklist forward (the Today reminder links here)."""
        page = self.pages.get(network)
        if page is None:
            return False
        self.tabs.setCurrentWidget(page)
        return True

    def check_now(self) -> None:
        page = self.current_page()
        if page is not None:
            page.check_now()

    def export_markdown(self) -> None:
        page = self.current_page()
        if page is not None:
            page.export_markdown()

    def export_pdf(self) -> None:
        page = self.current_page()
        if page is not None:
            page.export_pdf()

    def save_state(self) -> None:
        page = self.current_page()
        if self._state is not None and page is not None:
            self._state.set_splitter(_SPLITTER, page.splitter.saveState())

    # -- internals -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the area (say, from connecting X in Settings) re-checks the account."""
        super().showEvent(event)
        if self.pages:
            self.check_account()

    def _show_account_problem(self, problem: str | None) -> None:
        self._account_problem = problem
        for page in self.pages.values():
            page.set_account_problem(problem)

    def _load_failed(self, exc: Exception) -> None:
        message = describe_error(exc)
        self.loading.setText(f"The checklists could not be loaded. {message}")
        emit(self.notice, message)
        if not isinstance(exc, ChecklistError):
            log.error("Loading the checklists failed", exc_info=exc)

    def _loaded_area(self, generation: int, data: AreaData) -> None:
        if generation != self._generation:
            return
        self.problem.show_message(data.problem)
        self._sync_pages(data.checklists)
        for network, state in data.states.items():
            page = self.pages.get(network)
            if page is not None:
                page.set_state(state)
                self._mark_due(page, state)
        self._stack.setCurrentWidget(self.tabs)

    def _sync_pages(self, checklists: tuple[Checklist, ...]) -> None:
        """One tab per checklist, in order; a page whose checklist is unchanged is kept."""
        wanted = {c.network: c for c in checklists}
        for network, page in list(self.pages.items()):
            if wanted.get(network) != page.checklist:
                self.tabs.removeTab(self.tabs.indexOf(page))
                page.deleteLater()
                del self.pages[network]
        for index, checklist in enumerate(checklists):
            if checklist.network not in self.pages:
                self._add_page(index, checklist)

    def _add_page(self, index: int, checklist: Checklist) -> None:
        page = ChecklistPage(
            checklist, self._db, self._runner, self.file_chooser, self, store=self._store
        )
        page.set_account_problem(self._account_problem)
        page.notice.connect(self.notice)
        page.checked.connect(lambda _review: self._after_check(page))
        self.pages[checklist.network] = page
        self.tabs.insertTab(index, page, checklist.title)
        saved = self._state.splitter(_SPLITTER) if self._state is not None else None
        if saved is not None:
            page.splitter.restoreState(saved)

    def _mark_due(self, page: ChecklistPage, state: NetworkState) -> None:
        index = self.tabs.indexOf(page)
        due = state.due if state.latest is not None else None
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.tabs.setTabIcon(index, warning if due else QIcon())
        self.tabs.setTabToolTip(
            index,
            f"A check of your {page.checklist.title} is due" if due else page.checklist.title,
        )
        if due is not None and (page.network, due) not in self._announced:
            self._announced.add((page.network, due))
            emit(
                self.notice,
                f"Time to check your {page.checklist.title} again (due since {due.isoformat()}).",
            )

    def _after_check(self, page: ChecklistPage) -> None:
        if page.state is not None:
            self._mark_due(page, page.state)
        emit(self.changed)
