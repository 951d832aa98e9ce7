"""Writing one share from a suggestion: pick the channel and the move, edit the text, queue it.

The text starts as the chosen template filled with the prospect, the library item and (when the
suggestion came from one of their posts) that post, and stays the rep's to edit. For X a counter
shows the length X will count (links as 23), and queueing waits until the text fits. Queueing
runs on the database worker; the share takes its channel's next free slot, and the notice says
when that is in the rep's own time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.core.content import ContentItem
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.feeds import EntryInfo
from smarketing_desktop.core.prospects import Prospect
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.core.share_text import ShareFields, ShareTemplate, render
from smarketing_desktop.core.slots import CHANNELS as SHARE_CHANNELS
from smarketing_desktop.core.wording import channel_name
from smarketing_desktop.core.x_text import X_LIMIT, x_length
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.error_label import ErrorLabel
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.tasks import TaskRunner, describe_error

CHANNEL_LABELS = {key: channel_name(key) for key in SHARE_CHANNELS}
DEFAULT_CHANNEL = "x"
ENGAGE_TEMPLATE = "direct_message_blog"
EVENT_TEMPLATE = "mention_registration"
SHARE_TEMPLATE = "daily_update_cta"
EVENT_KINDS = frozenset({"registration_page", "webinar"})


@dataclass(frozen=True)
class ShareSubject:
    """What a share is about: a prospect and a library item, or a prospect's post to answer.

    A share suggestion may also carry the post it came from, so "I enjoyed your post" templates
    can name it; `engage` says the post itself is the point (there is no item).
    """

    prospect: Prospect
    content: ContentItem | None = None
    post: EntryInfo | None = None
    engage: bool = False

    @property
    def title(self) -> str:
        if self.engage or self.content is None:
            return self.post.title if self.post else ""
        return self.content.title

    @property
    def url(self) -> str | None:
        """The link the share carries: the item's, or the post's when answering a post."""
        if self.engage or self.content is None:
            return self.post.link if self.post else None
        return self.content.url

    def fields(self) -> ShareFields:
        post = self.post
        return ShareFields(
            self.prospect,
            self.content,
            post_title=post.title if post else None,
            post_url=post.link if post else None,
        )


@dataclass(frozen=True)
class ShareRequest:
    subject: ShareSubject
    channel: str
    text: str


QueueShare = Callable[[ShareRequest], QueueItemInfo]


def queued_notice(info: QueueItemInfo) -> str:
    """ "Queued for X on Tue 09:00", in the machine's local time."""
    channel = CHANNEL_LABELS.get(info.channel or "", info.channel or "the queue")
    when = scheduled_text(info.scheduled_at)
    return f"Queued for {channel} on {when}" if when else f"Queued for {channel}"


def scheduled_text(when: datetime | None) -> str:
    """A queue time as the notice words it ("Tue 09:00"), local time; "" when unscheduled."""
    return when.astimezone().strftime("%a %H:%M") if when is not None else ""


def default_template(subject: ShareSubject, templates: list[ShareTemplate]) -> str:
    """The move that fits best: answer a post, invite to an event, or share a read."""
    if subject.engage:
        wanted = ENGAGE_TEMPLATE
    elif subject.content is not None and subject.content.kind in EVENT_KINDS:
        wanted = EVENT_TEMPLATE
    else:
        wanted = SHARE_TEMPLATE
    ids = [t.id for t in templates]
    return wanted if wanted in ids else (ids[0] if ids else "")


def counter_text(channel: str, text: str, url: str | None = None) -> tuple[str, int]:
    """The counter line and, for X, how many characters over the limit (0 when it fits).

    A share's link is posted after the text when the text leaves it out, so it counts then too.
    """
    added = url is not None and bool(url) and url not in text
    posted = f"{text} {url}" if added else text
    if channel == "x":
        length = x_length(posted)
        note = "with the link added, " if added else ""
        line = f"{length} / {X_LIMIT} ({note}X counts each link as 23)"
        return line, max(length - X_LIMIT, 0)
    return f"{len(text)} characters", 0


class ShareDialog(QDialog):
    """`queued` carries the QueueItemInfo; `notice` carries status-bar lines."""

    queued = Signal(object)
    notice = Signal(str)

    def __init__(
        self,
        subject: ShareSubject,
        templates: list[ShareTemplate],
        queue: QueueShare,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._subject = subject
        self._templates = {t.id: t for t in templates}
        self._order = [t.id for t in templates]
        self._queue = queue
        self._runner = runner
        self._busy = False
        name = subject.prospect.name
        self.setWindowTitle(f"Share with {name}")
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)

        about = QLabel(self)
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        what = f"Answer {name}'s post" if subject.engage else f"Share with {name}"
        about.setText(f"{what}: “{subject.title}”" if subject.title else what)

        self.channel = accessible(
            QComboBox(self), "Channel", "Where the share goes; each has its own posting slots"
        )
        for key, label in CHANNEL_LABELS.items():
            self.channel.addItem(label, key)
        self.template = accessible(
            QComboBox(self), "Template", "The move: how the text approaches the prospect"
        )
        self.template.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.template.setMinimumContentsLength(30)
        self.text = accessible(
            QPlainTextEdit(self), "Share text", "Edit freely; this is what will be posted"
        )
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(120)
        self.counter = QLabel("", self)
        self.counter.setAccessibleName("Character count")
        self.limit_error = ErrorLabel(self)
        self.limit_error.setAccessibleName("Text too long")
        self.status = QLabel("", self)
        self.status.setAccessibleName("Share status")
        self.status.setVisible(False)
        self.error = ErrorLabel(self)
        self.error.setAccessibleName("Problem queueing")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in (
            ("&Channel:", self.channel),
            ("&Template:", self.template),
            ("Te&xt:", self.text),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow("", self.counter)
        form.addRow("", self.limit_error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.copy_button = accessible(
            QPushButton("C&opy text", self),
            "Copy text",
            "Put the text on the clipboard, to post it yourself",
        )
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_text)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.queue_button = accessible(
            QPushButton("&Queue", self),
            "Queue share",
            "Add it to the queue at the channel's next free posting slot",
        )
        self.queue_button.setDefault(True)
        self.buttons.addButton(self.queue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        accessible(cancel, "Cancel", "Close without queueing")
        self.buttons.accepted.connect(self.queue_share)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

        self.channel.currentIndexChanged.connect(self._on_channel)
        self.template.activated.connect(self._on_template)
        self.text.textChanged.connect(self._update_counter)
        self._fill_templates(default_template(subject, templates))
        self.render_text()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- state ---------------------------------------------------------------------------

    @property
    def subject(self) -> ShareSubject:
        return self._subject

    @property
    def is_busy(self) -> bool:
        return self._busy

    def channel_key(self) -> str:
        return str(self.channel.currentData() or DEFAULT_CHANNEL)

    def template_id(self) -> str:
        return str(self.template.currentData() or "")

    def set_channel(self, channel: str) -> None:
        index = self.channel.findData(channel)
        if index >= 0:
            self.channel.setCurrentIndex(index)

    def set_template(self, template_id: str) -> None:
        """Choose a move (re-renders the text, replacing edits: choosing is asking for it)."""
        index = self.template.findData(template_id)
        if index >= 0:
            self.template.setCurrentIndex(index)
            self.render_text()

    def render_text(self) -> None:
        template = self._templates.get(self.template_id())
        if template is not None:
            self.text.setPlainText(render(template, self._subject.fields()))
        self._update_counter()

    # -- commands ------------------------------------------------------------------------

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText().strip())
        self._show_status("Copied the text to the clipboard.")
        emit(self.notice, "Copied the share text")

    def queue_share(self) -> None:
        if self._busy:
            return
        text = self.text.toPlainText().strip()
        if not text:
            self.error.show_message("Write the text to share first.")
            return
        _, over = counter_text(self.channel_key(), text, self._subject.url)
        if over:
            self.text.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.error.clear_message()
        request = ShareRequest(self._subject, self.channel_key(), text)
        self._set_busy(True)
        self._runner.run_db(lambda: self._queue(request), self._queued, self._failed, context=self)

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    # -- internals -----------------------------------------------------------------------

    def _fill_templates(self, wanted: str) -> None:
        """The moves meant for the chosen channel (all of them if none is)."""
        channel = self.channel_key()
        fitting = [i for i in self._order if channel in self._templates[i].channels]
        shown = fitting or self._order
        self.template.blockSignals(True)
        try:
            self.template.clear()
            for template_id in shown:
                template = self._templates[template_id]
                self.template.addItem(template.move, template_id)
                self.template.setItemData(
                    self.template.count() - 1,
                    f"{template.move} ({template.id})",
                    Qt.ItemDataRole.ToolTipRole,
                )
            index = self.template.findData(wanted)
            self.template.setCurrentIndex(max(index, 0))
        finally:
            self.template.blockSignals(False)

    def _on_channel(self, _index: int) -> None:
        before = self.template_id()
        self._fill_templates(before)
        if self.template_id() != before:
            self.render_text()  # the move chosen before is not meant for this channel
        else:
            self._update_counter()

    def _on_template(self, _index: int) -> None:
        self.render_text()

    def _update_counter(self) -> None:
        text = self.text.toPlainText().strip()
        line, over = counter_text(self.channel_key(), text, self._subject.url)
        self.counter.setText(line)
        self.counter.setAccessibleDescription(line)
        if over:
            self.limit_error.show_message(
                f"{over} characters over X's limit of {X_LIMIT}: shorten the text to queue it."
            )
        else:
            self.limit_error.clear_message()
        self.queue_button.setEnabled(not self._busy and bool(text) and not over)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.queue_button.setText("Queueing…" if busy else "&Queue")
        self._update_counter()

    def _queued(self, info: QueueItemInfo) -> None:
        self._set_busy(False)
        emit(self.queued, info)
        emit(self.notice, queued_notice(info))
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, UserError):
            self.error.show_message(str(exc))
        else:
            self.error.show_message(describe_error(exc))
            self._runner.report_error(exc)
