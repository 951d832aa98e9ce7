"""The Content area: the library table and its filters, adding and editing items (with Fill
from page against the local server), the CSV import preview, removing, following the company
feed, and the keys shared with Prospects."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from smarketing_desktop.core.content import ContentDraft
from smarketing_desktop.db.repositories.content import COMPANY_PURPOSE, ContentRepository
from smarketing_desktop.db.repositories.feeds import FeedRepository
from smarketing_desktop.db.store import Database
from smarketing_desktop.ui.content_dialog import URL_REQUIRED, ContentDialog
from smarketing_desktop.ui.content_import_dialog import ALREADY_THERE, WILL_IMPORT
from smarketing_desktop.ui.content_model import EXPIRES_COLUMN, TITLE_COLUMN
from smarketing_desktop.ui.content_view import EMPTY_LIBRARY, ContentView
from smarketing_desktop.ui.main_window import MainWindow
from tests.gui.conftest import WindowFactory
from tests.gui.helpers import FakeChooser, wait_idle
from tests.support.feeds import rss
from tests.support.http_server import LocalServer, Response

CHECKLIST = ContentDraft(
    url="https://acme.example/cloud-checklist",
    title="Cloud migration checklist",
    summary="Twelve steps to move a data warehouse.",
    kind="e_book",
    tags=("cloud migration", "finance"),
)
WEBINAR = ContentDraft(
    url="https://acme.example/webinar-soc2",
    title="SOC 2 in a week",
    kind="webinar",
    tags=("compliance",),
    expires_on=date(2020, 1, 31),
)
CASE = ContentDraft(
    url="https://acme.example/case-hospital",
    title="How a hospital automated evidence",
    kind="case_study",
    tags=("compliance", "healthcare"),
)


@pytest.fixture
def content(db: Database) -> ContentRepository:
    return ContentRepository(db)


def content_area(qtbot: QtBot, window: MainWindow) -> ContentView:
    window.go_to("content")
    wait_idle(qtbot, window.runner)
    return window.content_view


def titles(view: ContentView) -> list[str]:
    model = view.model
    return [model.index(r, TITLE_COLUMN).data() for r in range(model.rowCount())]


def row_of(view: ContentView, title: str) -> int:
    return titles(view).index(title)


def save(qtbot: QtBot, window: MainWindow, dialog: ContentDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)


# -- the table and its filters ---------------------------------------------------------------


def test_the_table_lists_the_library_and_marks_expired_items(
    qtbot: QtBot, content: ContentRepository, open_window: WindowFactory
) -> None:
    content.add_many([CHECKLIST, WEBINAR, CASE])
    view = content_area(qtbot, open_window())

    assert sorted(titles(view)) == sorted(d.title for d in (CHECKLIST, WEBINAR, CASE))
    assert view.count_label.text() == "3 items"
    row = row_of(view, "SOC 2 in a week")
    model = view.model
    assert model.index(row, 1).data() == "Webinar"
    assert model.index(row, 2).data() == "compliance"
    assert model.index(row, EXPIRES_COLUMN).data() == "2020-01-31 (expired)"
    assert model.index(row, EXPIRES_COLUMN).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "expired" in model.index(row, TITLE_COLUMN).data(Qt.ItemDataRole.AccessibleTextRole)
    fresh = row_of(view, "Cloud migration checklist")
    assert model.index(fresh, EXPIRES_COLUMN).data() == ""
    assert model.index(fresh, TITLE_COLUMN).data(Qt.ItemDataRole.ForegroundRole) is None


def test_search_type_and_tag_filters_narrow_the_table(
    qtbot: QtBot, content: ContentRepository, open_window: WindowFactory
) -> None:
    content.add_many([CHECKLIST, WEBINAR, CASE])
    window = open_window()
    view = content_area(qtbot, window)

    qtbot.keyClicks(view.search, "warehouse")  # in the summary only
    qtbot.waitUntil(lambda: titles(view) == ["Cloud migration checklist"])
    assert view.count_label.text() == "1 of 3 items"
    view.search.clear()
    view.apply_filters()
    wait_idle(qtbot, window.runner)

    view.kind_filter.setCurrentIndex(view.kind_filter.findData("case_study"))
    wait_idle(qtbot, window.runner)
    assert titles(view) == ["How a hospital automated evidence"]
    view.kind_filter.setCurrentIndex(0)
    wait_idle(qtbot, window.runner)

    tags = [view.tag_filter.itemText(i) for i in range(view.tag_filter.count())]
    assert tags == ["All tags", "cloud migration", "compliance", "finance", "healthcare"]
    view.tag_filter.setCurrentIndex(view.tag_filter.findData("compliance"))
    wait_idle(qtbot, window.runner)
    assert sorted(titles(view)) == ["How a hospital automated evidence", "SOC 2 in a week"]
    assert view.count_label.text() == "2 of 3 items"


def test_an_empty_library_says_how_to_fill_it(qtbot: QtBot, window: MainWindow) -> None:
    view = content_area(qtbot, window)
    assert view.shows_empty_library()
    assert view.empty_label.text() == EMPTY_LIBRARY
    assert view.empty_label.isVisible()


def test_the_detail_pane_shows_summary_and_opens_the_link(
    qtbot: QtBot,
    content: ContentRepository,
    open_window: WindowFactory,
    opened_urls: list[str],
) -> None:
    (item, expired), _ = content.add_many([CHECKLIST, WEBINAR])
    view = content_area(qtbot, open_window())
    assert view.detail.item is None

    assert view.select_item(item.id)
    detail = view.detail
    assert detail.value_text("title") == "Cloud migration checklist"
    assert detail.value_text("summary") == "Twelve steps to move a data warehouse."
    assert detail.value_text("kind") == "E-book"
    assert detail.value_text("tags") == "cloud migration, finance"
    qtbot.mouseClick(detail.open_button, Qt.MouseButton.LeftButton)
    assert opened_urls == ["https://acme.example/cloud-checklist"]

    view.select_item(expired.id)
    assert detail.shows_expired
    assert "No longer suggested" in detail.value_text("expires")


# -- adding and editing ----------------------------------------------------------------------


def test_a_bad_url_is_explained_next_to_the_field_and_nothing_is_stored(
    qtbot: QtBot, content: ContentRepository, window: MainWindow
) -> None:
    view = content_area(qtbot, window)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()

    save(qtbot, window, dialog)
    assert dialog.isVisible()
    assert dialog.error_text("url") == URL_REQUIRED
    assert dialog.error_text("title") == "Title is required."
    assert dialog.focusWidget() is dialog.url

    dialog.url.setText("acme.example/article")
    dialog.title_edit.setText("An article")
    save(qtbot, window, dialog)
    assert dialog.isVisible()
    assert "must be a web address starting with http:// or https://" in dialog.error_text("url")
    assert dialog.errors["url"].isVisible()
    assert dialog.error_text("title") == ""
    assert dialog.url.accessibleDescription() == dialog.error_text("url")
    assert content.count() == 0
    dialog.reject()


def test_adding_an_item_stores_it_and_selects_it(
    qtbot: QtBot, content: ContentRepository, window: MainWindow
) -> None:
    view = content_area(qtbot, window)
    dialog = view.new_item()
    dialog.url.setText("https://acme.example/roi")
    dialog.title_edit.setText("ROI calculator")
    dialog.kind.setCurrentIndex(dialog.kind.findData("calculator"))
    dialog.tags.setText("finance, roi")
    dialog.expires_check.setChecked(True)
    save(qtbot, window, dialog)

    assert not dialog.isVisible()
    (item,) = content.find()
    assert (item.title, item.kind, item.tags) == (
        "ROI calculator",
        "calculator",
        ("finance", "roi"),
    )
    assert item.expires_on is not None
    assert titles(view) == ["ROI calculator"]
    assert view.current_id == item.id
    assert window.statusBar().currentMessage() == "Added “ROI calculator”"


def test_a_duplicate_address_is_refused_next_to_the_url(
    qtbot: QtBot, content: ContentRepository, open_window: WindowFactory
) -> None:
    content.add(CHECKLIST)
    window = open_window()
    view = content_area(qtbot, window)
    dialog = view.new_item()
    dialog.url.setText(CHECKLIST.url)
    dialog.title_edit.setText("Again")
    save(qtbot, window, dialog)
    assert dialog.isVisible()
    assert "already in the library" in dialog.error_text("url")
    assert content.count() == 1
    dialog.reject()


def test_enter_edits_the_chosen_item(
    qtbot: QtBot, content: ContentRepository, open_window: WindowFactory
) -> None:
    item = content.add(CHECKLIST)
    window = open_window()
    view = content_area(qtbot, window)
    view.select_item(item.id)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.draft().title == "Cloud migration checklist"
    assert dialog.draft().tags == ("cloud migration", "finance")
    dialog.title_edit.setText("Cloud migration checklist, 2027 edition")
    save(qtbot, window, dialog)
    assert content.get(item.id).title == "Cloud migration checklist, 2027 edition"
    assert content.get(item.id).summary == CHECKLIST.summary  # untouched fields survive
    assert view.detail.value_text("title") == "Cloud migration checklist, 2027 edition"


PAGE = b"""<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="The data warehouse playbook">
<meta property="og:description" content="How finance teams move &amp; save.">
<meta property="og:type" content="video.other">
<meta property="article:tag" content="cloud migration">
<meta property="article:tag" content="finance">
</head><body><p>Ignored</p></body></html>"""


def test_fill_from_page_reads_the_pages_metadata_into_empty_fields(
    qtbot: QtBot, window: MainWindow, http_server: LocalServer
) -> None:
    http_server.routes["/playbook"] = Response(
        PAGE, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    view = content_area(qtbot, window)
    dialog = view.new_item()
    dialog.url.setText(http_server.url("/playbook"))
    dialog.tags.setText("my own tag")  # typed by the rep: kept
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    assert dialog.is_fetching and not dialog.fill_button.isEnabled()
    wait_idle(qtbot, window.runner)

    assert not dialog.is_fetching
    draft = dialog.draft()
    assert draft.title == "The data warehouse playbook"
    assert draft.summary == "How finance teams move & save."
    assert draft.kind == "webinar"
    assert draft.tags == ("my own tag",)
    assert dialog.fill_status.text() == "Filled title, summary, type from the page."
    assert [s.path for s in http_server.seen] == ["/playbook"]
    dialog.reject()


def test_fill_from_page_explains_an_unreadable_page(
    qtbot: QtBot, window: MainWindow, http_server: LocalServer
) -> None:
    view = content_area(qtbot, window)
    dialog = view.new_item()
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    assert "web address first" in dialog.error_text("url")

    dialog.url.setText(http_server.url("/missing"))
    qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert "Could not read" in dialog.error_text("url")
    assert dialog.draft().title == ""
    dialog.reject()


# -- import ----------------------------------------------------------------------------------

CSV = """title,url,type,tags,expires
Cloud migration checklist,https://acme.example/cloud-checklist,e-book,cloud,
ROI calculator,https://acme.example/roi,calculator,finance;roi,2027-03-31
No address,,blog,,
Bad date,https://acme.example/bad-date,blog,,31/03/2027
SOC 2 guide,https://acme.example/soc2,e-book,compliance,
Twice,https://acme.example/roi,blog,,
"""


def test_csv_import_previews_every_row_and_imports_only_good_new_ones(
    qtbot: QtBot,
    content: ContentRepository,
    open_window: WindowFactory,
    chooser: FakeChooser,
    tmp_path: Path,
) -> None:
    content.add(CHECKLIST)
    path = tmp_path / "library.csv"
    path.write_text(CSV, encoding="utf-8")
    chooser.open_path = path
    window = open_window()
    view = content_area(qtbot, window)

    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    dialog = view.import_dialog
    assert dialog is not None and dialog.isVisible()
    wait_idle(qtbot, window.runner)
    assert chooser.asked == ["open"]
    rows = [dialog.preview.row(i) for i in range(dialog.preview.rowCount())]
    assert [(r.line, r.status.split(":")[0]) for r in rows] == [
        (2, ALREADY_THERE),
        (3, WILL_IMPORT),
        (4, "Skipped"),
        (5, "Skipped"),
        (6, WILL_IMPORT),
        (7, "Skipped"),
    ]
    assert "http" in rows[2].status  # says what a URL must look like
    assert (rows[2].title, rows[3].title) == ("No address", "Bad date")  # recognisable rows
    assert "2027-03-31" in rows[3].status
    assert "line 3" in rows[5].status
    assert rows[1].title == "ROI calculator" and rows[1].url == "https://acme.example/roi"
    assert dialog.summary.text() == "2 will be imported, 3 skipped, 1 already in the library"
    assert content.count() == 1  # nothing stored yet

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert not dialog.isVisible()
    assert sorted(i.title for i in content.find()) == [
        "Cloud migration checklist",
        "ROI calculator",
        "SOC 2 guide",
    ]
    assert window.statusBar().currentMessage() == (
        "Imported 2 content items; 3 rows skipped; 1 already in the library"
    )
    assert view.count_label.text() == "3 items"


def test_a_file_that_is_not_a_content_csv_is_refused(
    qtbot: QtBot, window: MainWindow, chooser: FakeChooser, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,email\nAda,ada@example.com\n", encoding="utf-8")
    chooser.open_path = path
    view = content_area(qtbot, window)
    dialog = view.open_import_dialog()
    wait_idle(qtbot, window.runner)
    assert "cannot be imported" in dialog.message.text()
    assert "needs url" in dialog.message.text()
    assert not dialog.import_button.isEnabled()
    dialog.reject()


# -- removing --------------------------------------------------------------------------------


def test_removing_asks_first_naming_the_item(
    qtbot: QtBot, content: ContentRepository, open_window: WindowFactory
) -> None:
    item = content.add(CHECKLIST)
    content.add(CASE)
    window = open_window()
    view = content_area(qtbot, window)
    view.select_item(item.id)

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    box = view.remove_box
    assert box is not None and box.isVisible()
    assert "Cloud migration checklist" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert content.count() == 2

    qtbot.mouseClick(view.detail.remove_button, Qt.MouseButton.LeftButton)
    box = view.remove_box
    assert box is not None
    remove = next(b for b in box.buttons() if b.text() == "&Remove")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.runner)
    assert [i.title for i in content.find()] == ["How a hospital automated evidence"]
    assert titles(view) == ["How a hospital automated evidence"]
    assert window.statusBar().currentMessage() == "Removed “Cloud migration checklist”"


# -- the company feed ------------------------------------------------------------------------


def test_following_the_company_feed_turns_its_posts_into_items(
    qtbot: QtBot,
    db: Database,
    content: ContentRepository,
    window: MainWindow,
    http_server: LocalServer,
) -> None:
    items = [("launch", "We launched", "<p>new</p>"), ("hello", "Hello world", "<p>hi</p>")]
    http_server.routes["/feed.xml"] = Response(rss("Acme blog", items))
    view = content_area(qtbot, window)
    qtbot.mouseClick(view.follow_button, Qt.MouseButton.LeftButton)
    dialog = view.follow_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.address.setText(http_server.url("/feed.xml"))
    qtbot.mouseClick(dialog.follow_button, Qt.MouseButton.LeftButton)
    assert dialog.is_busy
    wait_idle(qtbot, window.runner)

    assert not dialog.isVisible()
    (feed,) = FeedRepository(db).list_feeds()
    assert feed.purpose == COMPANY_PURPOSE
    assert sorted(i.url for i in content.find()) == [
        "https://blog.example/hello",
        "https://blog.example/launch",
    ]
    assert sorted(titles(view)) == ["Hello world", "We launched"]
    assert window.statusBar().currentMessage().startswith("Following Acme blog: 2 posts added")


# -- keys ------------------------------------------------------------------------------------


def test_ctrl_n_and_ctrl_f_act_on_the_content_area(qtbot: QtBot, window: MainWindow) -> None:
    view = content_area(qtbot, window)
    assert window.actions_by_name["new_prospect"].text() == "&New content item…"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.search.hasFocus)
    assert window.current_area.key == "content"

    qtbot.keyClick(view.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Add content item"
    assert window.prospects_view.dialog is None
    dialog.reject()

    window.go_to("today")
    assert window.actions_by_name["new_prospect"].text() == "&New prospect…"


def test_every_content_control_has_an_accessible_name(
    qtbot: QtBot, content: ContentRepository, open_window: WindowFactory
) -> None:
    item = content.add(CHECKLIST)
    window = open_window()
    view = content_area(qtbot, window)
    view.select_item(item.id)
    dialog = view.edit_item(item)
    controls = [
        view.search,
        view.kind_filter,
        view.tag_filter,
        view.new_button,
        view.import_button,
        view.follow_button,
        view.table,
        view.detail.open_button,
        view.detail.edit_button,
        view.detail.remove_button,
        *dialog.editors.values(),
        dialog.fill_button,
        dialog.expires_date,
        dialog.save_button,
    ]
    assert all(c.accessibleName() for c in controls)
    assert all(c.focusPolicy() != Qt.FocusPolicy.NoFocus for c in controls)
    dialog.reject()
