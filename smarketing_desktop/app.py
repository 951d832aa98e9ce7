"""The composition root of the window app: parse arguments, open the workspace, wire, run.

Everything is created here and handed down explicitly; nothing reaches for a global. Tests
build the same window with `build_main_window` against their own temporary database.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from smarketing_desktop import APP_NAME, __version__
from smarketing_desktop.db.migrate import MigrationError
from smarketing_desktop.db.repositories.content import ContentRepository
from smarketing_desktop.db.repositories.prospects import ProspectRepository
from smarketing_desktop.db.repositories.settings import SettingsRepository
from smarketing_desktop.db.store import Database, open_database
from smarketing_desktop.logging_setup import setup_logging
from smarketing_desktop.paths import resolve_workspace
from smarketing_desktop.ui.areas import CHECKLIST, PLAN, QUEUE, SETTINGS
from smarketing_desktop.ui.checklist_view import ChecklistView
from smarketing_desktop.ui.content_view import ContentServices
from smarketing_desktop.ui.crash_dialog import install_crash_handler
from smarketing_desktop.ui.file_chooser import DialogFileChooser, FileChooser
from smarketing_desktop.ui.inbox_view import InboxServices, OpmlChooser
from smarketing_desktop.ui.main_window import MainWindow
from smarketing_desktop.ui.notifier import Notifier
from smarketing_desktop.ui.plan_view import PlanView
from smarketing_desktop.ui.queue_controller import QueueController
from smarketing_desktop.ui.queue_view import QueueView
from smarketing_desktop.ui.refresh_controller import RefreshController
from smarketing_desktop.ui.reminder_controller import ReminderController
from smarketing_desktop.ui.sample_data import SampleData
from smarketing_desktop.ui.settings_view import SettingsView
from smarketing_desktop.ui.single_instance import SingleInstance
from smarketing_desktop.ui.suggestions_panel import SuggestionServices
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.theme import configure_application
from smarketing_desktop.ui.today_sections import TodaySections
from smarketing_desktop.ui.window_state import WindowState
from smarketing_desktop.ui.x_tracking_controller import XTrackingController

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="smarketing-desktop", description=APP_NAME)
    parser.add_argument(
        "--home", metavar="DIR", help="workspace folder (default: $SMARKETING_HOME or per-user)"
    )
    parser.add_argument(
        "--db-url", metavar="URL", help="database URL (default: $SMARKETING_DB_URL or SQLite)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=argparse.SUPPRESS,  # packaging: open the window, let it settle, quit with status 0
    )
    # Qt's own options (-style, -platform ...) pass through to QApplication.
    args, qt_args = parser.parse_known_args(argv)
    args.qt_args = qt_args
    return args


def build_main_window(
    db: Database,
    *,
    runner: TaskRunner | None = None,
    file_chooser: FileChooser | None = None,
) -> MainWindow:
    """The window over one open database. Closing it shuts the runner down.

    Background feed checks are not started here (tests and screenshots want a quiet window):
    `main` calls `window.feed_refresh.start()` once the window is shown.
    """
    runner = runner or TaskRunner()
    state = WindowState(db.workspace.window_state_file)
    areas = build_areas(db, runner, state)
    today = TodaySections(db, runner)
    today.refresh()
    chooser = file_chooser or DialogFileChooser()
    inbox = InboxServices.for_database(db)
    window = MainWindow(
        workspace=db.workspace,
        runner=runner,
        prospects=ProspectRepository(db),
        sample_data=SampleData(db),
        state=state,
        file_chooser=chooser,
        inbox=inbox,
        feed_refresh=RefreshController(
            inbox.feeds,
            SettingsRepository(db),
            runner,
            # New posts of the company's own feeds become content to share, as after
            # `smarketing refresh`.
            after_refresh=ContentRepository(db).sync_company_feeds,
        ),
        content=ContentServices.for_database(db),
        suggestions=SuggestionServices.for_database(db),
        # The CSV chooser answers for OPML too once it grows open_opml/save_opml.
        opml_chooser=chooser if isinstance(chooser, OpmlChooser) else None,
        areas=areas,
        today_sections=today,
    )
    # One tray icon (or, without a tray, the status bar) for news meant for a rep who is in
    # another program; a click on a message brings the window to the area it is about.
    notifier = Notifier(window)
    notifier.notice.connect(window.show_notice)
    notifier.activated.connect(lambda key: open_area(window, key))
    # Shares whose slot has come (also while the app was closed): posted on X when connected,
    # otherwise made ready with a notice. Started by `main` once the window is shown.
    controller = QueueController(db, runner, window, notifier=notifier)
    controller.notice.connect(window.show_notice)
    queue_view = areas[QUEUE.key]
    assert isinstance(queue_view, QueueView)
    controller.became_ready.connect(lambda _items: queue_view.refresh())
    controller.became_ready.connect(lambda _items: today.refresh())
    window.queue_controller = controller
    # Once a day at `reminder_time` (or at the first start after it): the plan steps and
    # follow-ups due today. Started by `main` (found again with findChild).
    reminder = ReminderController(db, runner, notifier, window)
    reminder.reminded.connect(lambda _message: today.refresh())
    # Prospects' X posts into the Inbox every x_poll_minutes while an X account (or bearer
    # token) is connected. Started by `main` (found again with findChild).
    x_tracking = XTrackingController(db, runner, window)
    x_tracking.notice.connect(window.show_notice)
    x_tracking.changed.connect(window.inbox_view.refresh)
    settings_view = areas[SETTINGS.key]
    if isinstance(settings_view, SettingsView):
        settings_view.changed.connect(reminder.settings_changed)
        settings_view.changed.connect(x_tracking.settings_changed)
        settings_view.x_panel.connection_changed.connect(x_tracking.connection_changed)
    return window


def build_areas(db: Database, runner: TaskRunner, state: WindowState) -> dict[str, QWidget]:
    """The areas that only need the database and the runner, keyed by area."""
    plan = PlanView(db, runner, state=state, new_shortcut=False)  # the window owns Ctrl+N
    plan.refresh()
    settings = SettingsView(db, runner)
    settings.refresh()
    queue = QueueView(db, runner)
    queue.refresh()
    return {
        QUEUE.key: queue,
        PLAN.key: plan,
        CHECKLIST.key: ChecklistView(db, runner, state=state),
        SETTINGS.key: settings,
    }


def bring_forward(window: QWidget) -> None:
    """Another launch asked for this window: show it, raised and focused."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def open_area(window: MainWindow, key: str) -> None:
    """The rep clicked a desktop message: the window comes forward on the area it is about."""
    bring_forward(window)
    if key:
        window.go_to(key)


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen build starts refresh's parse workers by re-running itself; this catches that.
    multiprocessing.freeze_support()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workspace = resolve_workspace(args.home, args.db_url)
    log_file = setup_logging(workspace.logs_dir)
    log.info("Starting %s %s with data in %s", APP_NAME, __version__, workspace.home)

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing  # embedded, or under test
    else:
        app = QApplication([sys.argv[0] if sys.argv else "smarketing-desktop", *args.qt_args])
    configure_application(app)
    install_crash_handler(app, log_file)
    instance = SingleInstance(workspace.home, app)
    if not instance.claim():
        log.info("A window is already open on %s; it was brought forward", workspace.home)
        return 0
    try:
        db = open_database(workspace)
    except MigrationError as exc:
        log.exception("Database migration failed")
        QMessageBox.critical(None, APP_NAME, f"The database could not be upgraded.\n\n{exc}")
        return 1
    except Exception as exc:
        log.exception("Could not open the database")
        QMessageBox.critical(None, APP_NAME, f"The database could not be opened.\n\n{exc}")
        return 1

    window = build_main_window(db)
    # Also when the session ends: stop a feed check first, then wait for the runner.
    app.aboutToQuit.connect(window.feed_refresh.shutdown)
    controller = window.queue_controller
    assert controller is not None
    app.aboutToQuit.connect(controller.shutdown)
    app.aboutToQuit.connect(window.runner.shutdown)
    window.show()
    instance.activated.connect(lambda: bring_forward(window))
    if args.smoke_test:
        QTimer.singleShot(1500, window.close)
    else:
        window.feed_refresh.start()  # checks due feeds now (if the rep wants that) and on a timer
        controller.start()  # shares due while the app was closed, then every minute
        reminder = window.findChild(ReminderController)
        if reminder is not None:
            app.aboutToQuit.connect(reminder.shutdown)
            reminder.start()  # a reminder missed while the app was closed, then at the time
        x_tracking = window.findChild(XTrackingController)
        if x_tracking is not None:
            app.aboutToQuit.connect(x_tracking.shutdown)
            x_tracking.start()  # due prospects' X posts now, then every x_poll_minutes
    try:
        return app.exec()
    finally:
        instance.release()
        db.dispose()
