"""Buying-signal phrases: list, preview, add and remove the rules that flag posts.

A phrase that is too broad ("AI") flags half the inbox and a rep stops trusting the marker, so
the dialog shows which stored posts a phrase would flag before it is saved. Every read and write
goes through the task runner; saving re-flags the stored posts, and `changed` tells the Inbox to
redraw its markers and counts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.feeds import EntryInfo, SignalRuleInfo
from smarketing_desktop.core.signals import clean_phrase
from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.add_feed_dialog import ProspectChoice, ProspectPicker
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.formatting import format_date, plural
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

EVERYONE = "Everyone"
RULE_ROLE = Qt.ItemDataRole.UserRole + 1


def preview_text(phrase: str, matches: int, limit: int) -> str:
    if matches == 0:
        return f"No stored post mentions “{phrase}” yet."
    more = " (the first ones shown)" if matches >= limit else ""
    return f"{plural(matches, 'stored post')} would be flagged{more}:"


class SignalRulesDialog(QDialog):
    """`changed` fires after a rule was added or removed (posts were re-flagged)."""

    changed = Signal()
    PREVIEW_LIMIT = 50

    def __init__(
        self, repo: FeedRepository, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._runner = runner
        self._names: dict[int, str] = {}
        self._preview_generation = 0
        self._busy = False
        self.setWindowTitle("Buying signals")
        self.setAccessibleName("Buying signals")
        self.setModal(True)

        intro = QLabel(
            "A post that mentions one of these phrases is marked ⚑ and listed under Buying "
            "signals. Matching ignores case and whole words only count: “RFP” flags “our RFP "
            "is out” but not “RFPs”.",
            self,
        )
        intro.setWordWrap(True)

        self.rules = accessible(
            QTreeWidget(self), "Signal phrases", "The phrases that flag posts as buying signals"
        )
        self.rules.setColumnCount(2)
        self.rules.setHeaderLabels(["Phrase", "Applies to"])
        self.rules.setRootIsDecorated(False)
        self.rules.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rules.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rules.currentItemChanged.connect(lambda *_: self._sync_buttons())
        self.remove_button = accessible(
            QPushButton("&Remove phrase", self),
            "Remove phrase",
            "Stop flagging posts with the selected phrase",
        )
        self.remove_button.clicked.connect(self.remove_selected)
        self.empty_label = QLabel(
            "No phrases yet. Add words your buyers use when they are ready: “RFP”, "
            "“hiring”, “migrating to”, a competitor's name.",
            self,
        )
        self.empty_label.setWordWrap(True)

        self.phrase = accessible(
            QLineEdit(self), "New phrase", "A word or phrase that signals a buyer is in market"
        )
        self.phrase.setPlaceholderText("RFP, hiring, migrating to…")
        self.phrase.textChanged.connect(lambda _text: self._clear_preview())
        self.prospect = ProspectPicker(
            "Applies to", "Everyone, or one prospect's posts only", EVERYONE, parent=self
        )
        self.error = ErrorLabel(self)
        self.error.setAccessibleName("Problem with the phrase")
        self.preview_button = accessible(
            QPushButton("Pre&view", self),
            "Preview phrase",
            "List the stored posts this phrase would flag, before saving it",
        )
        self.preview_button.clicked.connect(self.preview)
        self.add_button = accessible(
            QPushButton("&Add phrase", self), "Add phrase", "Save the phrase and flag posts"
        )
        self.add_button.clicked.connect(self.add)
        self.preview_label = QLabel("", self)
        self.preview_label.setWordWrap(True)
        self.preview_label.setAccessibleName("Preview result")
        self.preview_list = accessible(
            QTreeWidget(self), "Posts the phrase would flag", "Stored posts that mention it"
        )
        self.preview_list.setColumnCount(3)
        self.preview_list.setHeaderLabels(["Post", "From", "Date"])
        self.preview_list.setRootIsDecorated(False)
        self.preview_list.setUniformRowHeights(True)
        preview_header = self.preview_list.header()
        preview_header.setStretchLastSection(False)
        preview_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        preview_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        preview_header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        preview_header.resizeSection(1, 150)
        self.preview_list.setVisible(False)

        phrase_label = QLabel("&Phrase:", self)
        phrase_label.setBuddy(self.phrase)
        for_label = QLabel("Applies &to:", self)
        for_label.setBuddy(self.prospect)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(phrase_label, self.phrase)
        form.addRow(for_label, self.prospect)
        new_buttons = QHBoxLayout()
        new_buttons.addStretch(1)
        new_buttons.addWidget(self.preview_button)
        new_buttons.addWidget(self.add_button)

        rule_buttons = QHBoxLayout()
        rule_buttons.addStretch(1)
        rule_buttons.addWidget(self.remove_button)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        accessible(close.button(QDialogButtonBox.StandardButton.Close), "Close", "Close")
        close.rejected.connect(self.reject)

        new_heading = QLabel("<b>New phrase</b>", self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.rules, 2)
        layout.addWidget(self.empty_label)
        layout.addLayout(rule_buttons)
        layout.addSpacing(6)
        layout.addWidget(new_heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(new_buttons)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview_list, 3)
        layout.addWidget(close)
        self.resize(600, 620)
        self._sync_buttons()
        self.reload()

    # -- public API ----------------------------------------------------------------------

    def set_prospects(self, choices: list[ProspectChoice]) -> None:
        self._names = {c.id: c.label for c in choices}
        self.prospect.set_choices(choices)
        self._relabel()

    def reload(self) -> None:
        self._runner.run_db(self._repo.list_rules, self._show_rules, context=self)

    def preview(self) -> None:
        phrase = self._checked_phrase()
        if phrase is None:
            return
        prospect_id = self.prospect.prospect_id()
        self._preview_generation += 1
        generation = self._preview_generation
        self.preview_label.setText(f"Looking for “{phrase}” in stored posts…")
        limit = self.PREVIEW_LIMIT
        self._runner.run_db(
            lambda: self._repo.preview_rule(phrase, prospect_id, limit=limit),
            lambda found: self._show_preview(generation, phrase, found),
            self._failed,
            context=self,
        )

    def add(self) -> None:
        phrase = self._checked_phrase()
        if phrase is None or self._busy:
            return
        prospect_id = self.prospect.prospect_id()
        self._set_busy(True)
        self._runner.run_db(
            lambda: self._repo.add_rule(phrase, prospect_id),
            self._added,
            self._failed,
            context=self,
        )

    def remove_selected(self) -> None:
        item = self.rules.currentItem()
        rule = item.data(0, RULE_ROLE) if item is not None else None
        if not isinstance(rule, SignalRuleInfo) or self._busy:
            return
        self._set_busy(True)
        self._runner.run_db(
            lambda: self._repo.remove_rule(rule.id),
            lambda _none: self._after_change(),
            self._failed,
            context=self,
        )

    def rule_phrases(self) -> list[str]:
        return [item.text(0) for item in self._rule_items()]

    def preview_titles(self) -> list[str]:
        items = (
            self.preview_list.topLevelItem(i) for i in range(self.preview_list.topLevelItemCount())
        )
        return [item.text(0) for item in items if item is not None]

    # -- internals -----------------------------------------------------------------------

    def _checked_phrase(self) -> str | None:
        try:
            phrase = clean_phrase(self.phrase.text())
        except ValueError as exc:
            self.error.show_message(str(exc))
            self.phrase.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        self.error.clear_message()
        return phrase

    def _applies_to(self, prospect_id: int | None) -> str:
        if prospect_id is None:
            return EVERYONE
        return self._names.get(prospect_id, f"Prospect {prospect_id}")

    def _show_rules(self, rules: list[SignalRuleInfo]) -> None:
        current = self.rules.currentItem()
        kept = current.data(0, RULE_ROLE) if current is not None else None
        self.rules.clear()
        for rule in rules:
            item = QTreeWidgetItem(self.rules, [rule.phrase, self._applies_to(rule.prospect_id)])
            item.setData(0, RULE_ROLE, rule)
            if isinstance(kept, SignalRuleInfo) and kept.id == rule.id:
                self.rules.setCurrentItem(item)
        self.empty_label.setVisible(not rules)
        self.rules.setVisible(bool(rules))
        self._sync_buttons()

    def _rule_items(self) -> list[QTreeWidgetItem]:
        items = (self.rules.topLevelItem(i) for i in range(self.rules.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _relabel(self) -> None:
        for item in self._rule_items():
            rule = item.data(0, RULE_ROLE)
            if isinstance(rule, SignalRuleInfo):
                item.setText(1, self._applies_to(rule.prospect_id))

    def _show_preview(self, generation: int, phrase: str, found: list[EntryInfo]) -> None:
        if generation != self._preview_generation:
            return
        self.preview_label.setText(preview_text(phrase, len(found), self.PREVIEW_LIMIT))
        self.preview_list.clear()
        for entry in found:
            item = QTreeWidgetItem(
                self.preview_list,
                [entry.title, entry.feed_title or "", format_date(entry.published, "")],
            )
            item.setToolTip(0, entry.summary[:300] if entry.summary else entry.title)
            item.setToolTip(1, entry.feed_title or "")
        self.preview_list.setVisible(bool(found))

    def _clear_preview(self) -> None:
        self._preview_generation += 1
        self.preview_label.setText("")
        self.preview_list.clear()
        self.preview_list.setVisible(False)

    def _added(self, rule: SignalRuleInfo) -> None:
        self.phrase.clear()
        self._after_change()

    def _after_change(self) -> None:
        self._set_busy(False)
        self.reload()
        emit(self.changed)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, UserError | ValueError):
            self.error.show_message(str(exc))
        else:
            self.error.show_message(describe_error(exc))
            self._runner.report_error(exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.add_button.setEnabled(not self._busy)
        self.remove_button.setEnabled(not self._busy and self.rules.currentItem() is not None)
