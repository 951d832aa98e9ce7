"""The share dialog on its own: templates per channel, X's counter, copy, and queueing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.content import ContentDraft
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.prospects import ProspectDraft
from smarketing_desktop.core.queue import QueueItemInfo
from smarketing_desktop.core.share_text import ShareTemplate, load_templates, template_path
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.paths import resources_dir
from smarketing_desktop.ui.share_dialog import (
    ShareDialog,
    ShareRequest,
    ShareSubject,
    queued_notice,
)
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle

URL = "https://acme.example/blog/a-very-long-address-that-x-shortens-to-twenty-three"


@pytest.fixture
def subject(db: Database) -> ShareSubject:
    prospect = ProspectRepository(db).add(
        ProspectDraft(name="Dana Whitfield", company="Northwind", x_handle="dana")
    )
    item = ContentRepository(db).add(
        ContentDraft(url=URL, title="Cloud checklist", tags=("cloud migration",))
    )
    return ShareSubject(prospect, item)


@pytest.fixture
def templates() -> list[ShareTemplate]:
    return load_templates(template_path(resources_dir(), None))


class FakeQueue:
    def __init__(self, error: Exception | None = None) -> None:
        self.requests: list[ShareRequest] = []
        self.error = error

    def __call__(self, request: ShareRequest) -> QueueItemInfo:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        return QueueItemInfo(
            id=1,
            kind="share",
            channel=request.channel,
            text=request.text,
            url=request.subject.url,
            prospect_id=request.subject.prospect.id,
            content_id=None,
            entry_id=None,
            scheduled_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
            due_on=None,
            status="queued",
            share_url=None,
        )


def open_dialog(
    qtbot: QtBot,
    subject: ShareSubject,
    templates: list[ShareTemplate],
    runner: TaskRunner,
    queue: FakeQueue,
) -> ShareDialog:
    dialog = ShareDialog(subject, templates, queue, runner)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def test_the_x_counter_counts_a_link_as_23(
    qtbot: QtBot, subject: ShareSubject, templates: list[ShareTemplate], runner: TaskRunner
) -> None:
    dialog = open_dialog(qtbot, subject, templates, runner, FakeQueue())
    dialog.text.setPlainText(f"Read {URL}")
    assert dialog.counter.text() == "28 / 280 (X counts each link as 23)"
    dialog.text.setPlainText("Read this")  # the item's link is posted after the text
    assert dialog.counter.text() == "33 / 280 (with the link added, X counts each link as 23)"
    dialog.set_channel("linkedin")
    assert dialog.counter.text() == f"{len('Read this')} characters"


def test_text_too_long_for_x_cannot_be_queued_until_shortened(
    qtbot: QtBot, subject: ShareSubject, templates: list[ShareTemplate], runner: TaskRunner
) -> None:
    queue = FakeQueue()
    dialog = open_dialog(qtbot, subject, templates, runner, queue)
    dialog.text.setPlainText("x" * 266 + " " + URL)
    assert not dialog.queue_button.isEnabled()
    assert dialog.limit_error.text().startswith("10 characters over X's limit")
    dialog.queue_share()
    assert queue.requests == []
    dialog.set_channel("mastodon")
    assert dialog.queue_button.isEnabled()
    assert dialog.limit_error.isHidden()


def test_templates_follow_the_channel_and_render_with_prospect_and_item(
    qtbot: QtBot, subject: ShareSubject, templates: list[ShareTemplate], runner: TaskRunner
) -> None:
    dialog = open_dialog(qtbot, subject, templates, runner, FakeQueue())
    moves = [dialog.template.itemText(i) for i in range(dialog.template.count())]
    assert "Reference to content in a LinkedIn group" not in moves  # LinkedIn only
    assert dialog.template_id() == "daily_update_cta"
    assert URL in dialog.text.toPlainText()

    dialog.set_channel("linkedin")
    moves = [dialog.template.itemText(i) for i in range(dialog.template.count())]
    assert "Reference to content in a LinkedIn group" in moves
    dialog.set_template("customer_mention")
    text = dialog.text.toPlainText()
    assert "Northwind" in text and "@dana" in text and URL in text


def test_copy_text_puts_the_edited_text_on_the_clipboard(
    qtbot: QtBot, subject: ShareSubject, templates: list[ShareTemplate], runner: TaskRunner
) -> None:
    dialog = open_dialog(qtbot, subject, templates, runner, FakeQueue())
    dialog.text.setPlainText("  My own words  ")
    with qtbot.waitSignal(dialog.notice):
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "My own words"
    assert dialog.isVisible()
    assert dialog.status.text() == "Copied the text to the clipboard."


def test_queue_hands_over_the_channel_and_text_and_closes(
    qtbot: QtBot, subject: ShareSubject, templates: list[ShareTemplate], runner: TaskRunner
) -> None:
    queue = FakeQueue()
    dialog = open_dialog(qtbot, subject, templates, runner, queue)
    dialog.set_channel("bluesky")
    dialog.text.setPlainText("Short and sweet " + URL)
    with qtbot.waitSignal(dialog.queued):
        qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    (request,) = queue.requests
    assert (request.channel, request.text) == ("bluesky", "Short and sweet " + URL)
    assert request.subject.url == URL
    assert not dialog.isVisible()


def test_a_refused_queue_is_explained_in_the_dialog(
    qtbot: QtBot, subject: ShareSubject, templates: list[ShareTemplate], runner: TaskRunner
) -> None:
    dialog = open_dialog(qtbot, subject, templates, runner, FakeQueue(UserError("No slots.")))
    dialog.queue_share()
    wait_idle(qtbot, runner)
    assert dialog.isVisible()
    assert dialog.error.text() == "No slots."
    assert dialog.queue_button.isEnabled()
    dialog.reject()


def test_the_notice_names_channel_day_and_time_in_local_time() -> None:
    when = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    local = when.astimezone()
    item = QueueItemInfo(
        id=1,
        kind="share",
        channel="linkedin",
        text="t",
        url=None,
        prospect_id=None,
        content_id=None,
        entry_id=None,
        scheduled_at=when,
        due_on=None,
        status="queued",
        share_url=None,
    )
    assert queued_notice(item) == f"Queued for LinkedIn on {local.strftime('%a %H:%M')}"
