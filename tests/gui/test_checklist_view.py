"""The Profile checklist area: items with why and how, the profile form, Check now, answers,
history and what changed, the form remembered between sessions, and the Markdown and PDF
exports. Everything runs against a real workspace database; images are small PNGs written
here; the clock is pinned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.checklists import Checklist, Review, checklist_for, load_checklists
from smarketing_desktop.db.repositories.checklists import ChecklistRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.paths import resources_dir
from smarketing_desktop.ui.checklist_model import MANUAL_UNKNOWN_TEXT
from smarketing_desktop.ui.checklist_panels import FIRST_RUN
from smarketing_desktop.ui.checklist_view import STALE, ChecklistPage, ChecklistView
from smarketing_desktop.ui.profile_form import DATE_PROBLEM
from smarketing_desktop.ui.tasks import TaskRunner
from tests.gui.helpers import wait_idle
from tests.unit.test_profile_rules import write_png

NOW = "2027-03-31T09:00:00+02:00"
LATER = "2027-04-14T09:00:00+02:00"
KEYWORDS = "cloud migration; FinOps"
CUSTOMER_ABOUT = (
    "You run finance at a growing company and your month-end close takes too long. "
    "I help teams like yours move their reporting to the cloud without downtime, so your "
    "people spend their time on analysis instead of spreadsheets. Your auditors get cleaner "
    "evidence and your board gets numbers sooner. Book a 20-minute call to see how."
)


class FakeFiles:
    """Answers the checklist's file dialogs with prepared paths and records what was asked."""

    def __init__(self) -> None:
        self.image: Path | None = None
        self.markdown: Path | None = None
        self.pdf: Path | None = None
        self.asked: list[tuple[str, str]] = []

    def open_image(self, parent: QWidget, title: str) -> Path | None:
        self.asked.append(("image", title))
        return self.image

    def save_markdown(self, parent: QWidget, suggested_name: str) -> Path | None:
        self.asked.append(("markdown", suggested_name))
        return self.markdown

    def save_pdf(self, parent: QWidget, suggested_name: str) -> Path | None:
        self.asked.append(("pdf", suggested_name))
        return self.pdf


ViewFactory = Callable[[], ChecklistView]


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_NOW", NOW)


@pytest.fixture
def files() -> FakeFiles:
    return FakeFiles()


@pytest.fixture
def linkedin() -> Checklist:
    return checklist_for(load_checklists(resources_dir()), "linkedin")


@pytest.fixture
def open_view(qtbot: QtBot, db: Database, runner: TaskRunner, files: FakeFiles) -> ViewFactory:
    def make() -> ChecklistView:
        view = ChecklistView(db, runner, file_chooser=files)
        qtbot.addWidget(view)
        view.resize(1000, 700)
        view.show()
        view.refresh()
        wait_idle(qtbot, runner)
        return view

    return make


def linkedin_page(view: ChecklistView) -> ChecklistPage:
    page = view.page("linkedin")
    view.show_network("linkedin")
    return page


def check_now(qtbot: QtBot, runner: TaskRunner, page: ChecklistPage) -> Review:
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert page.state is not None and page.state.latest is not None
    return page.state.latest


def results(review: Review) -> dict[str, tuple[str, str]]:
    return {r.item_id: (r.status, r.detail) for r in review.results}


def set_keywords(db: Database) -> None:
    SettingsRepository(db).set_text("profile_keywords", KEYWORDS)


# -- the items and the first run ------------------------------------------------------------


def test_the_linkedin_items_are_listed_with_why_and_how(
    open_view: ViewFactory, linkedin: Checklist
) -> None:
    view = open_view()

    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "LinkedIn profile",
        "X profile",
    ]
    page = linkedin_page(view)
    rows = page.model.rows()
    assert [r.item.title for r in rows] == [i.title for i in linkedin.items]
    assert all(r.status == "unknown" for r in rows)
    manual = next(r for r in rows if r.item.id == "experience_outcomes")
    assert manual.status_text == MANUAL_UNKNOWN_TEXT
    assert page.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None

    photo = linkedin.item("photo")
    assert photo is not None
    assert page.select_item("photo")
    assert page.pane.why.text() == photo.why
    assert page.pane.how.text() == photo.how
    assert page.pane.why_heading.text() == "Why it matters to a buyer"
    assert page.pane.how_heading.text() == "How to fix it"

    # First run: the score box says what to do, and nothing can be exported yet.
    assert page.score_box.intro.isVisibleTo(page.score_box)
    assert page.score_box.intro.text() == FIRST_RUN
    assert page.score_box.score_text == ""
    assert page.chart.points() == []
    assert not page.markdown_button.isEnabled()


def test_the_x_form_has_its_own_fields(open_view: ViewFactory) -> None:
    view = open_view()
    page = view.page("x")
    assert set(page.form.editors) == {
        "bio",
        "url",
        "pinned_post",
        "photo",
        "header",
        "last_post_at",
    }
    assert page.form.counters["bio"].text() == "0/160"


# -- Check now ------------------------------------------------------------------------------


def test_a_headline_with_a_keyword_passes_and_the_score_shows(
    qtbot: QtBot, db: Database, runner: TaskRunner, open_view: ViewFactory
) -> None:
    set_keywords(db)
    view = open_view()
    page = linkedin_page(view)
    assert "cloud migration" in page.form.keyword_hints["headline"].text()
    seen: list[str] = []
    view.notice.connect(seen.append)
    changed: list[bool] = []
    view.changed.connect(lambda: changed.append(True))

    page.form.set_text("headline", "Helping finance teams with cloud migration")
    assert page.form.counters["headline"].text() == "42/220"
    assert "✓ cloud migration" in page.form.keyword_hints["headline"].text()
    review = check_now(qtbot, runner, page)

    stored = ChecklistRepository(db).latest("linkedin")
    assert stored is not None and stored.id == review.id
    assert results(stored)["headline_keywords"] == ("pass", 'Uses "cloud migration".')
    assert page.score_box.score_text == str(stored.score)
    assert page.score_box.progress.value() == stored.score
    assert not page.score_box.intro.isVisibleTo(page.score_box)
    assert page.chart.points()[0].score == stored.score
    assert seen[-1] == f"LinkedIn profile: {stored.score}/100."
    assert changed == [True]
    assert page.markdown_button.isEnabled()
    row = page.model.row(page.model.row_of("headline_keywords") or 0)
    assert row is not None and row.status_text == "Pass"


def test_a_300_pixel_photo_fails_with_its_size(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner, files: FakeFiles, open_view: ViewFactory
) -> None:
    files.image = write_png(tmp_path, "me.png", 300, 300)
    page = linkedin_page(open_view())
    picker = page.form.image_picker("photo")

    qtbot.mouseClick(picker.choose_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert files.asked == [("image", "Choose your photo")]
    assert picker.path() == str(files.image)
    assert "300x300 pixels: smaller than 400x400" in picker.info.text()
    assert picker.info.problem

    review = check_now(qtbot, runner, page)
    status, detail = results(review)["photo"]
    assert status == "fail"
    assert "300x300 pixels" in detail
    row = page.model.row(page.model.row_of("photo") or 0)
    assert row is not None and row.status_text == "Fail" and "300x300" in row.detail
    assert review.snapshot["profile"]["photo"]["width"] == 300


def test_a_manual_item_answered_pass_is_kept_in_the_review(
    qtbot: QtBot, runner: TaskRunner, open_view: ViewFactory
) -> None:
    page = linkedin_page(open_view())
    assert page.select_item("experience_outcomes")
    page.items.setFocus()

    qtbot.keyClick(page.items, Qt.Key.Key_P)
    row = page.model.row(page.model.row_of("experience_outcomes") or 0)
    assert row is not None and row.status == "pass"  # shown at once, before the check
    assert page.pane.pass_button.isChecked()
    qtbot.keyClicks(page.pane.note, "Three outcomes with numbers")
    assert page.is_dirty
    assert page.status_text() == ""  # nothing reviewed yet: nothing to be stale against

    review = check_now(qtbot, runner, page)
    kept = next(r for r in review.results if r.item_id == "experience_outcomes")
    assert (kept.status, kept.detail, kept.note) == (
        "pass",
        "Answered by you.",
        "Three outcomes with numbers",
    )

    # The answer can be taken back with the pane's button and overrides an automatic item.
    qtbot.mouseClick(page.pane.clear_button, Qt.MouseButton.LeftButton)
    assert page.model.answers()["experience_outcomes"].status is None
    assert page.status_text() == STALE
    assert page.select_item("about_call_to_action")
    qtbot.mouseClick(page.pane.pass_button, Qt.MouseButton.LeftButton)
    review = check_now(qtbot, runner, page)
    status, detail = results(review)["about_call_to_action"]
    assert status == "pass"
    assert detail.startswith("Answered by you; the automatic check said fail")


def test_history_shows_two_reviews_and_what_changed(
    qtbot: QtBot,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
    open_view: ViewFactory,
) -> None:
    page = linkedin_page(open_view())
    page.form.set_text("custom_url", "linkedin.com/in/jane-doe-1a2b3c4d")
    first = check_now(qtbot, runner, page)
    assert results(first)["custom_url"][0] == "fail"
    assert "first review" in page.score_box.changes_label.text()

    monkeypatch.setenv("SMARKETING_NOW", LATER)
    page.form.set_text("custom_url", "linkedin.com/in/jane-doe")
    assert page.status_text() == STALE
    second = check_now(qtbot, runner, page)

    assert [(p.day.isoformat(), p.score) for p in page.chart.points()] == [
        ("2027-03-31", first.score),
        ("2027-04-14", second.score),
    ]
    assert second.score - first.score == 5
    changes = page.score_box.changes_label.text()
    assert changes.startswith("Since 2027-03-31: +5 points.")
    assert "Fixed: A custom profile address." in changes
    assert "Trend: rising (+5 points over 2 reviews)." in page.chart.summary()
    assert page.status_text() == ""


def test_the_profile_is_filled_in_again_after_reopening(
    qtbot: QtBot,
    tmp_path: Path,
    runner: TaskRunner,
    files: FakeFiles,
    open_view: ViewFactory,
) -> None:
    files.image = write_png(tmp_path, "photo.png", 400, 400)
    view = open_view()
    page = linkedin_page(view)
    page.form.set_text("headline", "Helping finance teams with cloud migration")
    page.form.set_text("about", CUSTOMER_ABOUT)
    page.form.set_text("featured", "Case study: Acme\nGuide: FinOps in 30 days")
    page.form.set_text("recommendations", "3")
    qtbot.mouseClick(page.form.image_picker("photo").choose_button, Qt.MouseButton.LeftButton)
    page.set_answer("headline_buyer", "pass")
    review = check_now(qtbot, runner, page)
    assert results(review)["photo"][0] == "pass"
    view.close()
    view.deleteLater()

    again = linkedin_page(open_view())
    form = again.form
    assert form.text_of("headline") == "Helping finance teams with cloud migration"
    assert form.text_of("about") == CUSTOMER_ABOUT
    assert form.text_of("featured") == "Case study: Acme\nGuide: FinOps in 30 days"
    assert form.text_of("recommendations") == "3"
    assert form.image_picker("photo").path() == str(files.image)
    assert form.image_picker("photo").info.text() == "400×400 pixels: fits."
    assert again.model.answers()["headline_buyer"].status == "pass"
    assert not again.is_dirty
    assert again.score_box.score_text == str(review.score)


# -- the form's checks, keys and reminders --------------------------------------------------


def test_a_latest_post_that_is_not_a_date_stops_the_check(
    qtbot: QtBot, db: Database, runner: TaskRunner, open_view: ViewFactory
) -> None:
    page = linkedin_page(open_view())
    page.form.set_text("last_post_at", "last week")
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert page.form.error_text("last_post_at") == f"Latest post {DATE_PROBLEM}"
    assert ChecklistRepository(db).latest("linkedin") is None

    page.form.set_text("last_post_at", "2027-03-20")
    assert page.form.error_text("last_post_at") == ""
    qtbot.keyClick(
        page.form.editors["last_post_at"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    wait_idle(qtbot, runner)
    review = ChecklistRepository(db).latest("linkedin")
    assert review is not None
    assert results(review)["recent_activity"][0] == "pass"


def test_a_headline_over_220_characters_is_flagged_while_typing(open_view: ViewFactory) -> None:
    page = linkedin_page(open_view())
    page.form.set_text("headline", "x" * 221)
    counter = page.form.counters["headline"]
    assert counter.text() == "221/220"
    assert counter.problem


def test_a_due_review_is_announced_once(
    qtbot: QtBot,
    db: Database,
    runner: TaskRunner,
    linkedin: Checklist,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMARKETING_NOW", "2027-02-01T09:00:00+01:00")
    ChecklistRepository(db).review(linkedin, {"headline": "Account executive"})
    monkeypatch.setenv("SMARKETING_NOW", NOW)
    view = ChecklistView(db, runner)
    qtbot.addWidget(view)
    seen: list[str] = []
    view.notice.connect(seen.append)
    for _ in range(2):
        view.refresh()
        wait_idle(qtbot, runner)

    assert seen == ["Time to check your LinkedIn profile again (due since 2027-03-03)."]
    page = linkedin_page(view)
    assert page.status_text().startswith("A check is due (last one 2027-02-01)")
    assert view.tabs.tabToolTip(0) == "A check of your LinkedIn profile is due"
    assert view.tabs.tabToolTip(1) == "X profile"  # never checked: the first run explains


# -- exports --------------------------------------------------------------------------------


def test_markdown_and_pdf_exports_write_files(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner, files: FakeFiles, open_view: ViewFactory
) -> None:
    view = open_view()
    page = linkedin_page(view)
    seen: list[str] = []
    view.notice.connect(seen.append)
    page.form.set_text("headline", "Account executive at Acme")
    review = check_now(qtbot, runner, page)

    files.markdown = tmp_path / "out" / "my-review"
    files.markdown.parent.mkdir()
    qtbot.mouseClick(page.markdown_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    written = tmp_path / "out" / "my-review.md"
    text = written.read_text(encoding="utf-8")
    assert text.startswith(f"# LinkedIn profile: review {review.id}")
    assert f"Score **{review.score}/100**" in text
    assert "## To fix" in text
    assert seen[-1] == f"Saved the review to {written}"

    files.pdf = tmp_path / "out" / "review.pdf"
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    data = files.pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")
    assert [kind for kind, _ in files.asked] == ["markdown", "pdf"]
    assert files.asked[0][1] == "linkedin-profile-review-2027-03-31.md"


def test_cancelling_an_export_writes_nothing(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner, files: FakeFiles, open_view: ViewFactory
) -> None:
    page = linkedin_page(open_view())
    check_now(qtbot, runner, page)
    page.export_markdown()
    page.export_pdf()
    wait_idle(qtbot, runner)
    assert [kind for kind, _ in files.asked] == ["markdown", "pdf"]
    assert list(tmp_path.glob("*.md")) == [] and list(tmp_path.glob("*.pdf")) == []


# -- the rep's own checklists ---------------------------------------------------------------

OWN_CHECKLIST = """\
id: mastodon
network: mastodon
title: Mastodon profile
items:
  - id: pronouns
    title: Pronouns on the profile
    why: Buyers address you the way you like.
    how: Add them to your display name or a profile field.
    weight: 5
    rule: filled
    params: {field: pronouns}
  - id: avatar
    title: An avatar
    why: A face builds trust.
    how: Upload a square photo.
    weight: 5
    rule: image
    params: {field: avatar, min_width: 400, min_height: 400, aspect: 1.0}
"""


def test_a_checklist_of_the_reps_own_gets_a_tab_with_its_fields(
    qtbot: QtBot, db: Database, runner: TaskRunner, open_view: ViewFactory
) -> None:
    folder = db.workspace.home / "checklists"
    folder.mkdir(parents=True)
    (folder / "mastodon.yaml").write_text(OWN_CHECKLIST, encoding="utf-8")
    view = open_view()

    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "LinkedIn profile",
        "Mastodon profile",
        "X profile",
    ]
    page = view.page("mastodon")
    assert [spec.key for spec in page.form.fields] == ["pronouns", "avatar"]
    assert (
        page.form.image_picker("avatar").info.text() == "Wanted: at least 400×400 pixels, square."
    )
    view.show_network("mastodon")
    page.form.set_text("pronouns", "she/her")
    review = check_now(qtbot, runner, page)
    assert review.network == "mastodon"
    assert results(review)["pronouns"] == ("pass", 'Pronouns: "she/her".')
    assert results(review)["avatar"][0] == "fail"


def test_a_broken_checklist_of_the_reps_own_is_reported_beside_the_shipped_ones(
    db: Database, open_view: ViewFactory
) -> None:
    folder = db.workspace.home / "checklists"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("id: x\nnetwork: x\n", encoding="utf-8")
    view = open_view()

    assert view.tabs.count() == 2
    assert view.problem.isVisibleTo(view)
    assert "broken.yaml" in view.problem.text()
    assert "missing 'title', 'items'" in view.problem.text()


def test_keys_in_the_item_list_answer_and_clear(qtbot: QtBot, open_view: ViewFactory) -> None:
    page = linkedin_page(open_view())
    assert page.select_item("headline_buyer")
    page.items.setFocus()

    qtbot.keyClick(page.items, Qt.Key.Key_F)
    assert page.model.answers()["headline_buyer"].status == "fail"
    assert page.pane.fail_button.isChecked() and not page.pane.pass_button.isChecked()
    qtbot.keyClick(page.items, Qt.Key.Key_Backspace)
    assert "headline_buyer" not in page.model.answers()
    assert not page.pane.fail_button.isChecked()
