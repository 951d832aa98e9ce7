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
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.feeds import FeedInfo
from smarketing_desktop.db.repositories.prospects import ProspectQuery, ProspectRepository
from smarketing_desktop.feeds.discover import INPUT_HELP
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

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


class AddFeedDialog(QDialog):
    """`added` carries the stored FeedInfo once the feed and its posts are in."""

    added = Signal(object)

    def __init__(
        self,
        subscribe: Subscribe,
        runner: TaskRunner,
        *,
        prospect_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._subscribe = subscribe
        self._runner = runner
        self._busy = False
        self.setWindowTitle("Add feed")
        self.setAccessibleName("Add feed")
        self.setModal(True)

        intro = QLabel(
            "Paste a prospect's blog or site, a feed address, or a social profile. "
            "The feed is found for you.",
            self,
        )
        intro.setWordWrap(True)
        self.address = accessible(QLineEdit(self), "Address or profile", INPUT_HELP)
        self.address.setPlaceholderText(PLACEHOLDER)
        self.address.setClearButtonEnabled(True)
        self.address.setMinimumWidth(460)
        self.error = ErrorLabel(self)
        self.error.setAccessibleName("Problem finding the feed")
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)  # indeterminate: discovery cannot say how far it is
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.setAccessibleName("Looking for a feed")
        self.busy_bar.setVisible(False)
        cell = QWidget(self)
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(0, 0, 0, 0)
        cell_layout.setSpacing(2)
        cell_layout.addWidget(self.address)
        cell_layout.addWidget(self.busy_bar)
        cell_layout.addWidget(self.error)

        self.prospect = ProspectPicker(
            "Prospect",
            "Whose feed this is (optional): their posts are grouped under them",
            parent=self,
        )
        self.prospect.select(prospect_id)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        address_label = QLabel("&Address:", self)
        address_label.setBuddy(self.address)
        prospect_label = QLabel("&Prospect:", self)
        prospect_label.setBuddy(self.prospect)
        form.addRow(address_label, cell)
        form.addRow(prospect_label, self.prospect)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = self.buttons.addButton(
            "&Add feed", QDialogButtonBox.ButtonRole.AcceptRole
        )
        accessible(self.add_button, "Add feed", "Find the feed and add it with its posts")
        self.add_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accessible(cancel, "Cancel", "Close without adding a feed")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.address.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def is_busy(self) -> bool:
        return self._busy

    def set_prospects(self, choices: list[ProspectChoice]) -> None:
        self.prospect.set_choices(choices)

    def submit(self) -> None:
        if self._busy:
            return
        text = self.address.text().strip()
        if not text:
            self._show_error(INPUT_HELP)
            return
        self.error.clear_message()
        prospect_id = self.prospect.prospect_id()
        self._set_busy(True)
        self._runner.run_network(
            lambda: self._subscribe(text, prospect_id),
            self._added,
            self._failed,
            context=self,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.address.setReadOnly(busy)
        self.prospect.setEnabled(not busy and self.prospect.count() > 1)
        self.add_button.setEnabled(not busy)
        self.add_button.setText("Looking for a feed…" if busy else "&Add feed")
        self._fit_height()

    def _show_error(self, message: str) -> None:
        self.error.show_message(message)
        self.address.setAccessibleDescription(message)
        self.address.setFocus(Qt.FocusReason.OtherFocusReason)
        self.address.selectAll()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show a wrapped message whole: dialogs do not grow for wrapped text alone."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _added(self, feed: FeedInfo) -> None:
        self._set_busy(False)
        emit(self.added, feed)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, UserError):
            self._show_error(str(exc))
        else:
            self._show_error(describe_error(exc))
            self._runner.report_error(exc)


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
        label = QLabel("&Prospect:", self)
        label.setBuddy(self.prospect)
        form = QFormLayout()
        form.addRow(label, self.prospect)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.move_button = buttons.addButton("&Move", QDialogButtonBox.ButtonRole.AcceptRole)
        accessible(self.move_button, "Move feed", "Link the feed to this prospect")
        self.move_button.setDefault(True)
        self.move_button.setEnabled(False)
        accessible(
            buttons.button(QDialogButtonBox.StandardButton.Cancel), "Cancel", "Keep it as it is"
        )
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
