"""What to do next for a prospect (or for everyone): items to share and posts to answer.

Each suggestion says what to do, for whom, and every reason the ranker had, so the rep can
judge it; Share… opens the share dialog, Dismiss keeps it from coming back, Open shows the
item or post in the browser. Ranking builds a search index over the workspace (about a second
for a big one), so it runs on the database worker, and only while the panel is on screen: a
hidden panel just remembers it is out of date and loads when it is shown.

The panel does not scroll by itself; its host puts it where it fits (the prospect pane already
scrolls, Today wraps it in a scroll area).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.errors import NotFoundError
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.core.share_text import ShareTemplate, load_templates, template_path
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.db.repositories.feeds import EntryQuery, FeedRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.queue import QueueRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.paths import resources_dir
from smarketing_desktop.suggest.model import Suggestion
from smarketing_desktop.suggest.service import suggest
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.share_dialog import QueueShare, ShareDialog, ShareRequest, ShareSubject
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

log = logging.getLogger(__name__)

LOADING = "Finding suggestions…"
EMPTY = "No suggestions yet: add content to the library and feeds for your prospects"
EVERYONE_LIMIT = 20
PROSPECT_LIMIT = 10
PER_PROSPECT = 5


@dataclass(frozen=True)
class SuggestionRow:
    """One suggestion with what it points at, loaded together so a row never waits."""

    suggestion: Suggestion
    subject: ShareSubject

    @property
    def key(self) -> tuple[str, int, int | None, int | None]:
        s = self.suggestion
        return (s.kind, s.prospect_id, s.content_id, s.entry_id)

    @property
    def engage(self) -> bool:
        return self.suggestion.kind == "engage"

    @property
    def action_text(self) -> str:
        """What to do, in words: share the item, or comment on the post."""
        verb = "Comment on" if self.engage else "Share"
        return f"{verb} “{self.subject.title}”"

    @property
    def link(self) -> str | None:
        return self.subject.url


def load_suggestion_rows(
    db: Database, prospect_id: int | None, limit: int, per_prospect: int = PER_PROSPECT
) -> list[SuggestionRow]:
    """Runs on the database worker: suggestions with their prospect, item and post."""
    try:
        found = suggest(db, prospect_id=prospect_id, limit=limit, per_prospect=per_prospect)
    except NotFoundError:
        return []  # the prospect was removed while the panel was loading
    if not found:
        return []
    prospects = ProspectRepository(db).get_many(sorted({s.prospect_id for s in found}))
    wanted_items = {s.content_id for s in found if s.content_id is not None}
    items = {i.id: i for i in ContentRepository(db).find() if i.id in wanted_items}
    feeds = FeedRepository(db)
    posts = {}
    for owner in sorted({s.prospect_id for s in found if s.entry_id is not None}):
        for entry in feeds.list_entries(EntryQuery(prospect_id=owner, limit=None)):
            posts[entry.id] = entry
    rows = []
    for s in found:
        prospect = prospects.get(s.prospect_id)
        item = items.get(s.content_id) if s.content_id is not None else None
        post = posts.get(s.entry_id) if s.entry_id is not None else None
        engage = s.kind == "engage"
        if prospect is None or (engage and post is None) or (not engage and item is None):
            continue  # removed between ranking and reading
        rows.append(SuggestionRow(s, ShareSubject(prospect, item, post, engage)))
    return rows


@dataclass(frozen=True)
class SuggestionServices:
    """What the panels call, bound to one database (tests swap single callables)."""

    load: Callable[[int | None, int], list[SuggestionRow]]
    dismiss: Callable[[SuggestionRow], None]
    templates: Callable[[], list[ShareTemplate]]
    queue: QueueShare

    @classmethod
    def for_database(cls, db: Database) -> SuggestionServices:
        content = ContentRepository(db)

        def load(prospect_id: int | None, limit: int) -> list[SuggestionRow]:
            return load_suggestion_rows(db, prospect_id, limit)

        def dismiss(row: SuggestionRow) -> None:
            s = row.suggestion
            if row.engage:
                content.record_feedback(s.prospect_id, "dismissed", entry_id=s.entry_id)
            else:
                content.record_feedback(s.prospect_id, "dismissed", content_id=s.content_id)

        def templates() -> list[ShareTemplate]:
            return load_templates(template_path(resources_dir(), db.workspace.home))

        def queue(request: ShareRequest) -> QueueItemInfo:
            subject = request.subject
            info = QueueRepository(db).add_share(
                channel=request.channel,
                text=request.text,
                url=subject.url,
                prospect_id=subject.prospect.id,
                content_id=subject.content.id if subject.content else None,
                entry_id=subject.post.id if subject.post else None,
            )
            if subject.engage and subject.post is not None:
                # A queued item is never suggested again; an answered post needs saying so.
                content.record_feedback(subject.prospect.id, "shared", entry_id=subject.post.id)
            return info

        return cls(load, dismiss, templates, queue)


class SuggestionCard(QFrame):
    """One suggestion: what to do, for whom, why, and the three things to do with it."""

    share_requested = Signal(object)
    dismiss_requested = Signal(object)
    open_requested = Signal(object)

    def __init__(
        self, row: SuggestionRow, *, with_company: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.row = row
        self.setFrameShape(QFrame.Shape.StyledPanel)
        subject = row.subject
        name = subject.prospect.name
        company = subject.prospect.company if with_company else None
        who = f"{name} ({company})" if company else name

        self.headline = QLabel(row.action_text, self)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        what = "Their post"
        if not row.engage:
            what = subject.content.kind_label if subject.content else ""
        self.prospect_label = QLabel(f"For {who} · {what}" if what else f"For {who}", self)
        self.prospect_label.setWordWrap(True)
        self.prospect_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons = QLabel("\n".join(f"• {r}" for r in row.suggestion.reasons), self)
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons.setAccessibleName("Why: " + "; ".join(row.suggestion.reasons))

        title = subject.title
        # No Alt+letter keys here: every card would repeat them. Tab reaches each button, and
        # the names below say which suggestion a button belongs to.
        self.share_button = accessible(
            QPushButton("Share…", self),
            f"Share {title} with {name}" if not row.engage else f"Answer {name}'s post {title}",
            "Write the text from a template and queue it",
        )
        self.dismiss_button = accessible(
            QPushButton("Dismiss", self),
            f"Dismiss {title} for {name}",
            "Do not suggest this again for this prospect",
        )
        self.open_button = accessible(
            QPushButton("Open", self),
            f"Open {title}",
            "Open the post in your browser" if row.engage else "Open the item in your browser",
        )
        self.open_button.setEnabled(bool(row.link))
        for button in (self.share_button, self.dismiss_button, self.open_button):
            button.setAutoDefault(False)
        self.share_button.clicked.connect(lambda: emit(self.share_requested, self.row))
        self.dismiss_button.clicked.connect(lambda: emit(self.dismiss_requested, self.row))
        self.open_button.clicked.connect(lambda: emit(self.open_requested, self.row))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.share_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.headline)
        layout.addWidget(self.prospect_label)
        layout.addWidget(self.reasons)
        layout.addLayout(buttons)
        self.setAccessibleName(f"{row.action_text}, for {name}")

    def set_busy(self, busy: bool) -> None:
        for button in (self.share_button, self.dismiss_button):
            button.setEnabled(not busy)


class SuggestionsPanel(QWidget):
    """`notice` goes to the status bar; `changed` says a suggestion was dismissed or queued,
    so other panels showing it can reload."""

    notice = Signal(str)
    changed = Signal()

    def __init__(
        self,
        services: SuggestionServices,
        runner: TaskRunner,
        *,
        for_prospect: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._for_prospect = for_prospect
        self._prospect_id: int | None = None
        self._rows_for: int | None = None  # the prospect the rows (or the load) are for
        self._limit = PROSPECT_LIMIT if for_prospect else EVERYONE_LIMIT
        self._generation = 0
        self._loading = False
        self._stale = True
        self._rows: list[SuggestionRow] = []
        self.cards: list[SuggestionCard] = []
        self.share_dialog: ShareDialog | None = None
        who = "this prospect" if for_prospect else "your prospects"
        self.setAccessibleName(f"Suggestions for {who}")

        self.status = QLabel(LOADING, self)
        self.status.setAccessibleName("Suggestions status")
        self.status.setVisible(False)
        self.error = ErrorLabel(self)
        self.error.setAccessibleName("Problem finding suggestions")
        self.empty = QLabel(EMPTY, self)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No suggestions")
        self.empty.setVisible(False)
        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.empty)
        layout.addLayout(self._list)

    # -- state ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[SuggestionRow]:
        return list(self._rows)

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def is_stale(self) -> bool:
        """Out of date and waiting to be shown before loading."""
        return self._stale

    @property
    def prospect_id(self) -> int | None:
        return self._prospect_id

    def state_text(self) -> str:
        """What the panel says instead of (or above) its rows; "" when it just lists them."""
        if self.status.isVisibleTo(self):
            return self.status.text()
        if self.error.isVisibleTo(self):
            return self.error.text()
        return self.empty.text() if self.empty.isVisibleTo(self) else ""

    # -- loading -------------------------------------------------------------------------

    def set_prospect(self, prospect_id: int | None) -> None:
        """Follow the prospect shown beside the panel.

        None (nothing selected) keeps what is loaded: the host hides the panel then, and a
        reload of the prospects table passes through None before selecting the same prospect
        again, which should not cost a new ranking.
        """
        self._prospect_id = prospect_id
        if prospect_id is None:
            return
        if prospect_id == self._rows_for and not self._stale:
            return
        if prospect_id != self._rows_for:
            self._generation += 1  # an answer for the previous prospect must not land here
            self._rows_for = prospect_id
            self._set_rows([])
        self.reload()

    def reload(self) -> None:
        """Load now if on screen; otherwise load as soon as the panel is shown."""
        self._stale = True
        if self.isVisible():
            self._load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load()

    def _load(self) -> None:
        self._stale = False
        self._generation += 1
        generation = self._generation
        if self._for_prospect and self._prospect_id is None:
            self._loading = False
            self._rows_for = None
            self._set_rows([])
            self.empty.setVisible(False)
            return
        prospect_id = self._prospect_id if self._for_prospect else None
        self._rows_for = prospect_id
        limit = self._limit
        self._loading = True
        self.status.setText(LOADING)
        self.status.setVisible(True)
        self.error.clear_message()
        self.empty.setVisible(False)
        self._runner.run_db(
            lambda: self._services.load(prospect_id, limit),
            lambda rows: self._loaded(generation, rows),
            lambda exc: self._failed(generation, exc),
            context=self,
        )

    def _loaded(self, generation: int, rows: list[SuggestionRow]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.status.setVisible(False)
        self._set_rows(rows)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.status.setVisible(False)
        self._set_rows([])
        self.empty.setVisible(False)
        self.error.show_message(f"Suggestions could not be found. {describe_error(exc)}")
        log.error("Suggestions failed", exc_info=exc)

    def _set_rows(self, rows: list[SuggestionRow]) -> None:
        for card in self.cards:
            self._list.removeWidget(card)
            card.deleteLater()
        self.cards = []
        self._rows = list(rows)
        for row in rows:
            # Beside a prospect's details their company is already on screen.
            card = SuggestionCard(row, with_company=not self._for_prospect, parent=self)
            card.share_requested.connect(self.share)
            card.dismiss_requested.connect(self.dismiss)
            card.open_requested.connect(self.open_link)
            self._list.addWidget(card)
            card.show()  # now, not on the layout's next pass: the rows are there when asked
            self.cards.append(card)
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(not self._rows and not self._loading)

    def _remove_row(self, row: SuggestionRow) -> None:
        for card in list(self.cards):
            if card.row.key == row.key:
                self._list.removeWidget(card)
                card.deleteLater()
                self.cards.remove(card)
        self._rows = [r for r in self._rows if r.key != row.key]
        self._update_empty()

    def card_for(self, row: SuggestionRow) -> SuggestionCard | None:
        return next((c for c in self.cards if c.row.key == row.key), None)

    # -- commands ------------------------------------------------------------------------

    def dismiss(self, row: SuggestionRow) -> None:
        card = self.card_for(row)
        if card is not None:
            card.set_busy(True)

        def dismissed(_: None) -> None:
            self._remove_row(row)
            emit(self.notice, f"Dismissed: {row.action_text} for {row.subject.prospect.name}")
            emit(self.changed)

        def failed(exc: Exception) -> None:
            still = self.card_for(row)
            if still is not None:
                still.set_busy(False)
            self._runner.report_error(exc)

        self._runner.run_db(lambda: self._services.dismiss(row), dismissed, failed, context=self)

    def open_link(self, row: SuggestionRow) -> None:
        link = row.link
        if link and not QDesktopServices.openUrl(QUrl(link)):
            emit(self.notice, f"Could not open {link}")

    def share(self, row: SuggestionRow) -> None:
        """Open the share dialog once the templates are read (they are a file the rep edits)."""
        self._runner.run_db(
            self._services.templates,
            lambda templates: self._open_share_dialog(row, templates),
            context=self,
        )

    def _open_share_dialog(self, row: SuggestionRow, templates: list[ShareTemplate]) -> None:
        if self.card_for(row) is None:
            return  # dismissed or reloaded away meanwhile
        previous = self.share_dialog
        if previous is not None and shiboken6.isValid(previous) and not previous.isVisible():
            previous.deleteLater()
        dialog = ShareDialog(row.subject, templates, self._services.queue, self._runner, self)
        dialog.notice.connect(self.notice)
        dialog.queued.connect(lambda _info: self._after_queue(row))
        self.share_dialog = dialog
        dialog.open()

    def _after_queue(self, row: SuggestionRow) -> None:
        self._remove_row(row)
        emit(self.changed)
