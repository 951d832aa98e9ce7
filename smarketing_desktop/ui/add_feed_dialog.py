"""Adding a feed from whatever the rep has (a site, a feed, a profile), and moving one.

Discovery talks to the network and can take seconds, so it runs on the task runner while the
dialog shows that it is busy; when nothing is found, the reason appears right under the field
and the dialog stays open, so a typo costs one edit, not a new start. The dialog only knows a
`subscribe(text, prospect_id)` callable, so it can be tested without the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.feeds.discover import INPUT_HELP
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.form_dialog import (
    FormDialog,
    accept_cancel_buttons,
    buddy_label,
    busy_bar,
)
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner

PLACEHOLDER = "Site or feed address, @name@instance, name.bsky.social, YouTube/Substack/Medium link"
NO_PROSPECT = "No prospect"
LOADING_PROSPECTS = "Loading prospects…"

Subscribe = Callable[[str, int | None], FeedInfo]


@dataclass(frozen=True)
class ProspectChoice:
    id: int
    label: str


def load_prospect_choices(repo: ProspectRepository) -> list[ProspectChoice]:
    """Runs on the database worker: every prospect, by name, labelled with their company."""
    return [
        ProspectChoice(p.id, f"{p.name} ({p.company})" if p.company else p.name)
        for p in repo.find(ProspectQuery())
    ]


class ProspectPicker(QComboBox):
    """A combo of prospects with "No prospect" first; filled once the list has loaded."""

    def __init__(
        self, name: str, tip: str, none_text: str = NO_PROSPECT, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        accessible(self, name, tip)
        self._none_text = none_text
        self._wanted: int | None = None
        self.addItem(LOADING_PROSPECTS, None)
        self.setEnabled(False)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)

    def set_choices(self, choices: list[ProspectChoice], selected: int | None = None) -> None:
        wanted = selected if selected is not None else self._wanted
        self.clear()
        self.addItem(self._none_text, None)
        for choice in choices:
            self.addItem(choice.label, choice.id)
        index = self.findData(wanted) if wanted is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.setEnabled(True)

    def select(self, prospect_id: int | None) -> None:
        """Choose a prospect now, or as soon as the list has loaded."""
        self._wanted = prospect_id
        index = self.findData(prospect_id) if prospect_id is not None else 0
        if index >= 0 and self.isEnabled():
            self.setCurrentIndex(index)

    def prospect_id(self) -> int | None:
        value = self.currentData()
        return value if isinstance(value, int) else None


class AddFeedDialog(FormDialog):
    """`added` carries the stored FeedInfo once the feed and its posts are in."""

    added = Signal(object)
    grows_for_messages = True
    message_field = "address"  # every problem is about what was pasted

    def __init__(
        self,
        subscribe: Subscribe,
        runner: TaskRunner,
        *,
        prospect_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, title="Add feed", parent=parent)
        self._subscribe = subscribe

        self.address = QLineEdit(self)
        self.address.setPlaceholderText(PLACEHOLDER)
        self.address.setClearButtonEnabled(True)
        self.address.setMinimumWidth(460)
        self.busy_bar = busy_bar(self, "Looking for a feed")
        self.error = self.add_field(
            "address",
            "&Address:",
            self.address,
            name="Address or profile",
            tooltip=INPUT_HELP,
            contents=(self.address, self.busy_bar),
            problem_name="Problem finding the feed",
        )
        self.prospect = ProspectPicker(
            "Prospect",
            "Whose feed this is (optional): their posts are grouped under them",
            parent=self,
        )
        self.prospect.select(prospect_id)
        self.form.addRow(buddy_label("&Prospect:", self.prospect, self), self.prospect)
        self.add_button = self.add_buttons(
            self.submit,
            accept_text="&Add feed",
            busy_text="Looking for a feed…",
            accept_name="Add feed",
            accept_tip="Find the feed and add it with its posts",
            cancel_tip="Close without adding a feed",
        )
        self.lay_out(
            "Paste a prospect's blog or site, a feed address, or a social profile. "
            "The feed is found for you."
        )
        self.address.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_prospects(self, choices: list[ProspectChoice]) -> None:
        self.prospect.set_choices(choices)

    def submit(self) -> None:
        if self.is_busy:
            return
        text = self.address.text().strip()
        if not text:
            self.show_errors({"address": INPUT_HELP})
            return
        self.show_errors({})
        prospect_id = self.prospect.prospect_id()
        self.run(lambda: self._subscribe(text, prospect_id), self._added, network=True)

    def reject(self) -> None:
        """Closes even while looking: discovery carries on, and a feed it finds is still stored
        and reported through `added`, so nothing is lost track of by not waiting."""
        QDialog.reject(self)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.busy_bar.setVisible(busy)
        self.address.setReadOnly(busy)
        self.prospect.setEnabled(not busy and self.prospect.count() > 1)
        self._fit_height()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Also selects the address, so typing a corrected one replaces it."""
        super().show_errors(errors)
        if errors.get("address"):
            self.address.selectAll()

    def _added(self, feed: FeedInfo) -> None:
        self.finish(self.added, feed)


class MoveFeedDialog(QDialog):
    """Choose the prospect a feed belongs to; `chosen` carries (feed id, prospect id or None)."""

    chosen = Signal(int, object)

    def __init__(self, feed: FeedInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._feed = feed
        self.setWindowTitle("Move feed to prospect")
        self.setAccessibleName("Move feed to prospect")
        self.setModal(True)
        text = QLabel(f"Whose feed is {feed.display_title}?", self)
        text.setWordWrap(True)
        self.prospect = ProspectPicker(
            "Prospect",
            "The prospect whose posts these are",
            "No prospect (keep it unlinked)",
            parent=self,
        )
        self.prospect.select(feed.prospect_id)
        form = QFormLayout()
        form.addRow(buddy_label("&Prospect:", self.prospect, self), self.prospect)
        buttons, self.move_button = accept_cancel_buttons(
            self,
            accept_text="&Move",
            accept_name="Move feed",
            accept_tip="Link the feed to this prospect",
            cancel_tip="Keep it as it is",
        )
        self.move_button.setEnabled(False)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def set_prospects(self, choices: list[ProspectChoice]) -> None:
        self.prospect.set_choices(choices)
        self.move_button.setEnabled(True)

    def _accept(self) -> None:
        emit(self.chosen, self._feed.id, self.prospect.prospect_id())
        self.accept()
