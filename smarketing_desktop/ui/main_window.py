"""The main window: navigation between areas, menus, shortcuts, notices and saved layout.

Actions are declared in one place (`_create_actions`) and menus are assembled from them
afterwards, so a shortcut, its tooltip and its menu entry never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from smarketing_desktop import APP_NAME, autostart
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.demo import DemoReport
from smarketing_desktop.paths import Workspace
from smarketing_desktop.ui.a11y import accessible
from smarketing_desktop.ui.about import about_box
from smarketing_desktop.ui.areas import (
    AREAS,
    CHECKLIST,
    CONTENT,
    INBOX,
    PROSPECTS,
    QUEUE,
    TODAY,
    Area,
    area_by_key,
)
from smarketing_desktop.ui.content_dialog import ContentDialog
from smarketing_desktop.ui.content_view import ContentServices, ContentView
from smarketing_desktop.ui.file_chooser import FileChooser
from smarketing_desktop.ui.inbox_view import InboxServices, InboxView, OpmlChooser
from smarketing_desktop.ui.placeholder import PlaceholderPage
from smarketing_desktop.ui.prospect_dialog import ProspectDialog
from smarketing_desktop.ui.prospects_view import ProspectsView
from smarketing_desktop.ui.queue_controller import QueueController
from smarketing_desktop.ui.refresh_controller import (
    RefreshController,
    RefreshOutcome,
    RefreshStatus,
)
from smarketing_desktop.ui.sample_data import SampleData
from smarketing_desktop.ui.suggestions_panel import SuggestionServices, SuggestionsPanel
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.theme import Theme, apply_theme
from smarketing_desktop.ui.today_view import TodayView
from smarketing_desktop.ui.window_state import WindowState

log = logging.getLogger(__name__)

NOTICE_MS = 10_000
DEFAULT_SIZE = (1200, 740)  # fits a 1280x800 screen with a panel or dock


class MainWindow(QMainWindow):
    def __init__(
        self,
        *,
        workspace: Workspace,
        runner: TaskRunner,
        prospects: ProspectRepository,
        sample_data: SampleData,
        state: WindowState,
        file_chooser: FileChooser,
        inbox: InboxServices,
        feed_refresh: RefreshController,
        content: ContentServices,
        suggestions: SuggestionServices,
        opml_chooser: OpmlChooser | None = None,
        areas: Mapping[str, QWidget] | None = None,
        today_sections: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.feed_refresh = feed_refresh
        feed_refresh.setParent(self)
        self.queue_controller: QueueController | None = None  # set by app.build_main_window
        self.state = state
        self._sample_data = sample_data
        self._loading_sample = False
        self._workspace_empty = False
        self.about_dialog: QMessageBox | None = None
        self.setWindowTitle(APP_NAME)
        self.statusBar()  # created now, so the first notice does not shift the layout

        self.nav = accessible(
            QListWidget(self), "Areas", "Move between areas with Ctrl+1 to Ctrl+8"
        )
        self.nav.setMinimumWidth(130)
        self.nav.setMaximumWidth(200)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget(self)

        # Suggestions for everyone on Today, and for the prospect shown in Prospects.
        self.today_suggestions = SuggestionsPanel(suggestions, runner, for_prospect=False)
        self.prospect_suggestions = SuggestionsPanel(suggestions, runner, for_prospect=True)
        self.today_view = TodayView(self.today_suggestions, self, sections=today_sections)
        self.prospects_view = ProspectsView(prospects, runner, file_chooser, state, self)
        self.prospects_view.detail.set_suggestions(self.prospect_suggestions)
        self.inbox_view = InboxView(
            inbox, runner, feed_refresh, opml_chooser=opml_chooser, state=state, parent=self
        )
        self.content_view = ContentView(content, runner, file_chooser, state, self)
        self.refresh_status = RefreshStatus(feed_refresh, self)
        self.statusBar().addPermanentWidget(self.refresh_status)
        self.pages: dict[str, QWidget] = {}
        for area in AREAS:
            page: QWidget
            if area is TODAY:
                page = self.today_view
            elif area is INBOX:
                page = self.inbox_view
            elif area is PROSPECTS:
                page = self.prospects_view
            elif area is CONTENT:
                page = self.content_view
            elif areas and area.key in areas:
                page = areas[area.key]
                page.setParent(self)
            else:
                page = PlaceholderPage(area, self)
            self.pages[area.key] = page
            self.stack.addWidget(page)
        self._refreshers: dict[str, Callable[[], None]] = {
            TODAY.key: self.today_suggestions.reload,
            INBOX.key: self.inbox_view.refresh,
            PROSPECTS.key: self._refresh_prospects,
            CONTENT.key: self.content_view.refresh,
        }
        if today_sections is not None:
            suggestions_reload = self._refreshers[TODAY.key]

            def reload_today() -> None:
                today_sections.refresh()  # type: ignore[attr-defined]
                suggestions_reload()

            self._refreshers[TODAY.key] = reload_today
            today_notice = getattr(today_sections, "notice", None)
            if today_notice is not None:
                today_notice.connect(self.show_notice)
            # Today's profile-review reminder leads to that network's checklist.
            open_checklist = getattr(today_sections, "open_checklist", None)
            if open_checklist is not None:
                open_checklist.connect(self.open_checklist)
        # Areas built elsewhere plug in the same way: each page has a `refresh` slot (F5) and
        # usually a `notice(str)` signal for the status bar.
        self.area_pages: dict[str, QWidget] = dict(areas or {})
        for key, area_page in self.area_pages.items():
            self._refreshers[key] = area_page.refresh  # type: ignore[attr-defined]
            notice = getattr(area_page, "notice", None)
            if notice is not None:
                notice.connect(self.show_notice)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.actions_by_name: dict[str, QAction] = {}
        self._create_actions()
        self._build_navigation()
        self._build_menus()
        self._connect()
        self._restore()
        self.refresh_all()

    # -- actions and menus ---------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        plain = text.replace("&", "").rstrip(".…")
        tooltip = tip or plain
        action.setToolTip(f"{tooltip} ({keys})" if keys else tooltip)
        action.setStatusTip(tooltip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        self.actions_by_name[name] = action
        return action

    def _create_actions(self) -> None:
        for number, area in enumerate(AREAS, start=1):
            self._action(
                f"go_{area.key}",
                f"&{number} {area.title}",
                self._go_to_later(area.key),
                f"Ctrl+{number}",
                f"Go to {area.title}",
            )
        self._action(
            "import",
            "&Import prospects CSV…",
            self.import_prospects,
            tip="Import prospects from a CRM's CSV export, with a preview first",
        )
        self._action(
            "export", "&Export prospects CSV…", self.export_prospects, tip="Save all prospects"
        )
        self._action(
            "sample_data",
            "Explore with &sample data",
            self.load_sample_data,
            tip="Load a made-up workspace to see how every screen works",
        )
        self._action("quit", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self._action(
            "refresh",
            "&Refresh",
            self.refresh_current,
            "F5",
            "Reload the current view; in the Inbox, check every feed for new posts",
        )
        # Ctrl+N and Ctrl+F act on the current area: Content has its own items and search.
        self._action("new_prospect", "&New prospect…", self.new_in_area, "Ctrl+N")
        self._action("find", "&Find prospects", self.focus_search, "Ctrl+F", "Search prospects")
        self._action(
            "new_content",
            "New content &item…",
            self.new_content_item,
            tip="Add an article, e-book, webinar or other page to the content library",
        )
        self._action(
            "import_content",
            "Import &content CSV…",
            self.import_content,
            tip="Add library items from marketing's spreadsheet, with a preview first",
        )
        self._action(
            "follow_company_feed",
            "Follow &company feed…",
            self.follow_company_feed,
            tip="Turn your company blog's posts into library items",
        )
        self._action("about", f"&About {APP_NAME}", self.show_about)
        self._create_feed_actions()
        self._action(
            "open_data_folder",
            "Open &data folder",
            self.open_data_folder,
            tip="Show the folder with the database, logs and backups",
        )

        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_actions: dict[Theme, QAction] = {}
        for theme in Theme:
            action = QAction(theme.label, self.theme_group)
            action.setCheckable(True)
            action.setStatusTip(f"Use the {theme.value} color theme")
            action.triggered.connect(lambda _checked=False, t=theme: self.set_theme(t))
            self.theme_actions[theme] = action

    def _create_feed_actions(self) -> None:
        inbox = self.inbox_view
        self._action(
            "add_feed",
            "&Add feed…",
            self._in_inbox(inbox.open_add_dialog),
            "Ctrl+Shift+N",
            "Follow a prospect's blog, feed or social profile",
        )
        self._action(
            "refresh_feeds",
            "&Refresh all feeds",
            self.feed_refresh.refresh_all,
            "Ctrl+Shift+R",
            "Check every feed for new posts now",
        )
        stop = self._action(
            "stop_refresh",
            "S&top checking feeds",
            self.feed_refresh.cancel,
            tip="Stop the feed check in progress (posts found so far stay)",
        )
        stop.setEnabled(False)
        self._action(
            "signal_rules",
            "Buying &signals…",
            self._in_inbox(inbox.open_rules_dialog),
            tip="Choose the phrases that flag a post as a buying signal",
        )
        self._action(
            "mark_all_read",
            "Mark all rea&d",
            self._in_inbox(inbox.mark_all_read),
            tip="Mark every post in the Inbox's chosen list as read",
        )
        self._action(
            "move_feed",
            "&Move feed to prospect…",
            self._in_inbox(inbox.open_move_dialog),
            tip="Link the feed chosen in the Inbox to a prospect",
        )
        self._action(
            "remove_feed",
            "Remo&ve feed…",
            self._in_inbox(inbox.request_remove_feed),
            tip="Stop following the feed chosen in the Inbox (asks first)",
        )
        self._action(
            "import_opml",
            "Import feeds (&OPML)…",
            self._in_inbox(inbox.import_opml),
            tip="Add the feeds listed in an OPML file from another feed reader",
        )
        self._action(
            "export_opml",
            "Export feeds (O&PML)…",
            inbox.export_opml,
            tip="Save every feed, with its prospect, as an OPML file",
        )

    def _in_inbox(self, command: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            self.go_to(INBOX.key)
            command()

        return run

    def _build_navigation(self) -> None:
        for number, area in enumerate(AREAS, start=1):
            item = QListWidgetItem(area.title, self.nav)
            item.setToolTip(f"{area.title} (Ctrl+{number})")
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, f"Shortcut Ctrl+{number}")

    def _build_menus(self) -> None:
        a = self.actions_by_name
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(a["new_prospect"])
        file_menu.addAction(a["new_content"])
        file_menu.addAction(a["import"])
        file_menu.addAction(a["export"])
        file_menu.addAction(a["import_content"])
        file_menu.addAction(a["import_opml"])
        file_menu.addAction(a["export_opml"])
        file_menu.addSeparator()
        file_menu.addAction(a["sample_data"])
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])

        view_menu = self.menuBar().addMenu("&View")
        go_menu = view_menu.addMenu("&Go to")
        for area in AREAS:
            go_menu.addAction(a[f"go_{area.key}"])
        view_menu.addAction(a["find"])
        view_menu.addAction(a["refresh"])
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        for action in self.theme_actions.values():
            theme_menu.addAction(action)
        view_menu.addSeparator()
        self.autostart_action = QAction("Start at &login", self)
        self.autostart_action.setCheckable(True)
        self.autostart_action.setToolTip("Open Smarketing Desktop when you log in")
        self.autostart_action.setChecked(autostart.is_enabled())
        self.autostart_action.toggled.connect(self.set_start_at_login)
        view_menu.addAction(self.autostart_action)

        feeds_menu = self.menuBar().addMenu("F&eeds")
        feed_items = "add_feed refresh_feeds stop_refresh | signal_rules mark_all_read | "
        feed_items += "move_feed remove_feed | follow_company_feed"
        for name in feed_items.split():
            if name == "|":
                feeds_menu.addSeparator()
            else:
                feeds_menu.addAction(a[name])

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(a["about"])
        help_menu.addAction(a["open_data_folder"])
        for menu in (file_menu, view_menu, go_menu, theme_menu, feeds_menu, help_menu):
            menu.setToolTipsVisible(True)

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._on_area_changed)
        self.runner.notice.connect(self.show_notice)
        self.prospects_view.notice.connect(self.show_notice)
        self.prospects_view.changed.connect(self.check_workspace_empty)
        self.prospects_view.changed.connect(self.inbox_view.refresh)
        self.inbox_view.notice.connect(self.show_notice)
        self.inbox_view.changed.connect(self.prospects_view.refresh)
        self.inbox_view.changed.connect(self.check_workspace_empty)
        # A follow-up made from a post or a plan step shows at once on Today and in the Queue.
        for page in (self.inbox_view, *self.area_pages.values()):
            followup_added = getattr(page, "followup_added", None)
            if followup_added is not None:
                followup_added.connect(self.refresh_followups)
        self.feed_refresh.notice.connect(self.show_notice)
        self.feed_refresh.running_changed.connect(self.actions_by_name["stop_refresh"].setEnabled)
        self.prospects_view.explore_requested.connect(self.load_sample_data)
        self.today_view.empty_panel.explore_requested.connect(self.load_sample_data)
        self.today_view.empty_panel.add_first_requested.connect(self.new_prospect)
        self.content_view.notice.connect(self.show_notice)
        self.content_view.changed.connect(self.check_workspace_empty)
        panels = (self.today_suggestions, self.prospect_suggestions)
        for panel in panels:
            panel.notice.connect(self.show_notice)
            # New content, changed prospects or feeds, and fresh posts all change suggestions.
            for source in (
                self.content_view.changed,
                self.prospects_view.changed,
                self.inbox_view.changed,
            ):
                source.connect(panel.reload)
        self.feed_refresh.finished.connect(self._after_feed_refresh)
        # A suggestion dismissed or queued in one panel goes from the other too.
        self.today_suggestions.changed.connect(self.prospect_suggestions.reload)
        self.prospect_suggestions.changed.connect(self.today_suggestions.reload)

    def _restore(self) -> None:
        geometry = self.state.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        saved_state = self.state.dock_state()
        if saved_state is not None:
            self.restoreState(saved_state)
        theme = self.state.theme()
        self.theme_actions[theme].setChecked(True)
        apply_theme(theme)
        last = area_by_key(self.state.last_area() or "") or TODAY
        self.go_to(last.key)
        self._on_area_changed(self.nav.currentRow())

    # -- navigation ----------------------------------------------------------------------

    def _go_to_later(self, key: str) -> Callable[[], None]:
        return lambda: self.go_to(key)

    @property
    def current_area(self) -> Area:
        return AREAS[max(self.nav.currentRow(), 0)]

    def go_to(self, key: str) -> None:
        for row, area in enumerate(AREAS):
            if area.key == key:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(key)

    def open_checklist(self, network: str) -> None:
        """The Checklist area, on `network`'s page when that area can show one."""
        self.go_to(CHECKLIST.key)
        show_network = getattr(self.area_pages.get(CHECKLIST.key), "show_network", None)
        if show_network is not None:
            show_network(network)

    def _on_area_changed(self, row: int) -> None:
        if 0 <= row < len(AREAS):
            self.stack.setCurrentIndex(row)
            self._retitle_area_actions()

    def _retitle_area_actions(self) -> None:
        """Ctrl+N and Ctrl+F say what they will do in the current area."""
        in_content = self.current_area is CONTENT
        a = self.actions_by_name
        for name, text, tip in (
            (
                "new_prospect",
                "&New content item…" if in_content else "&New prospect…",
                "New content item" if in_content else "New prospect",
            ),
            (
                "find",
                "&Find content" if in_content else "&Find prospects",
                "Search the content library" if in_content else "Search prospects",
            ),
        ):
            action = a[name]
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setText(text)
            action.setToolTip(f"{tip} ({keys})")
            action.setStatusTip(tip)

    # -- commands ------------------------------------------------------------------------

    def show_notice(self, text: str) -> None:
        self.statusBar().showMessage(text, NOTICE_MS)

    def refresh_all(self) -> None:
        for refresh in self._refreshers.values():
            refresh()
        self.check_workspace_empty()

    def _after_feed_refresh(self, outcome: RefreshOutcome) -> None:
        """New posts (and company posts turned into items) change suggestions; a quiet
        background check does not, and reloading then would only make the list flicker."""
        if outcome.summary.new_entries or outcome.kind != "due":
            self.today_suggestions.reload()
            self.prospect_suggestions.reload()

    def refresh_followups(self) -> None:
        for key in (TODAY.key, QUEUE.key):
            refresh = self._refreshers.get(key)
            if refresh is not None:
                refresh()

    def _refresh_prospects(self) -> None:
        self.prospects_view.refresh()
        self.prospect_suggestions.reload()

    def refresh_current(self) -> None:
        if self.current_area is INBOX:
            # In the Inbox, F5 means what it means in every feed reader: check the feeds.
            self.feed_refresh.refresh_all()
            return
        refresh = self._refreshers.get(self.current_area.key)
        if refresh is not None:
            refresh()
        self.check_workspace_empty()

    def new_prospect(self) -> ProspectDialog:
        self.go_to(PROSPECTS.key)
        return self.prospects_view.new_prospect()

    def set_start_at_login(self, enabled: bool) -> None:
        """A small file write (or registry value), quick enough for the UI thread."""
        try:
            autostart.set_enabled(enabled)
        except OSError as exc:
            self.show_notice(f"Could not change starting at login: {exc}")
            return
        self.show_notice("Starts at login" if enabled else "No longer starts at login")

    def new_in_area(self) -> QWidget | None:
        """Ctrl+N: a content item in Content, an opportunity in Plan, a prospect elsewhere."""
        if self.current_area is CONTENT:
            return self.content_view.new_item()
        page = self.area_pages.get(self.current_area.key)
        create = getattr(page, "new_opportunity", None)
        if create is not None:
            result: QWidget | None = create()
            return result
        return self.new_prospect()

    def new_content_item(self) -> ContentDialog:
        self.go_to(CONTENT.key)
        return self.content_view.new_item()

    def import_content(self) -> None:
        self.go_to(CONTENT.key)
        self.content_view.open_import_dialog()

    def follow_company_feed(self) -> None:
        self.go_to(CONTENT.key)
        self.content_view.open_follow_dialog()

    def focus_search(self) -> None:
        """Ctrl+F: the content search in Content, the prospect search everywhere else."""
        if self.current_area is CONTENT:
            self.content_view.focus_search()
            return
        self.go_to(PROSPECTS.key)
        self.prospects_view.focus_search()

    def import_prospects(self) -> None:
        self.go_to(PROSPECTS.key)
        self.prospects_view.open_import_dialog()

    def export_prospects(self) -> None:
        self.prospects_view.export_csv()

    def set_theme(self, theme: Theme) -> None:
        self.theme_actions[theme].setChecked(True)
        apply_theme(theme)
        self.state.set_theme(theme)

    def show_about(self) -> QMessageBox:
        self.about_dialog = about_box(self.workspace, self)
        self.about_dialog.open()
        return self.about_dialog

    def open_data_folder(self) -> None:
        folder = self.workspace.home
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.show_notice(f"Could not open the data folder. It is {folder}")

    # -- empty workspace and sample data -------------------------------------------------

    @property
    def workspace_empty(self) -> bool:
        return self._workspace_empty

    def check_workspace_empty(self) -> None:
        self.runner.run_db(
            self._sample_data.workspace_is_empty,
            self._set_workspace_empty,
            self._empty_check_failed,
        )

    def _empty_check_failed(self, exc: Exception) -> None:
        self._set_workspace_empty(False)
        self.runner.report_error(exc)

    def _set_workspace_empty(self, empty: bool) -> None:
        self._workspace_empty = empty
        self.today_view.set_workspace_empty(empty)
        self.prospects_view.set_workspace_empty(empty)
        action = self.actions_by_name["sample_data"]
        action.setEnabled(empty and not self._loading_sample)
        action.setToolTip(
            "Load a made-up workspace to see how every screen works"
            if empty
            else "Only available while the workspace is empty"
        )

    def load_sample_data(self) -> None:
        if self._loading_sample:
            return
        self._set_loading_sample(True)
        self.show_notice("Loading the sample workspace…")
        self.runner.run_db(self._sample_data.load, self._sample_loaded, self._sample_failed)

    def _set_loading_sample(self, loading: bool) -> None:
        self._loading_sample = loading
        self.actions_by_name["sample_data"].setEnabled(not loading and self._workspace_empty)
        self.today_view.empty_panel.set_busy(loading)
        self.prospects_view.empty_panel.set_busy(loading)

    def _sample_loaded(self, report: DemoReport) -> None:
        self._set_loading_sample(False)
        self.show_notice(report.summary())
        self.refresh_all()

    def _sample_failed(self, exc: Exception) -> None:
        self._set_loading_sample(False)
        self.runner.report_error(exc)

    # -- closing -------------------------------------------------------------------------

    def save_state(self) -> None:
        self.state.set_geometry(self.saveGeometry())
        self.state.set_dock_state(self.saveState())
        self.state.set_last_area(self.current_area.key)
        self.prospects_view.save_state()
        self.inbox_view.save_state()
        self.content_view.save_state()
        self.state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        # A feed check in progress is told to stop; the runner's shutdown then waits for it,
        # and for database work in flight (a save, an import), before the window goes.
        self.feed_refresh.shutdown()
        self.runner.shutdown()
        event.accept()
