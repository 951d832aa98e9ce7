"""The crash dialog: installed as the excepthook of the window's process."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from smarketing_desktop.crash import crash_report, log


def show_crash(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None, log_file: Path
) -> QMessageBox:
    """A dialog saying what happened and where the log is; details are redacted."""
    message, details = crash_report(kind, error, trace, log_file)
    box = QMessageBox(QMessageBox.Icon.Critical, "Smarketing Desktop", message)
    box.setDetailedText(details)
    box.setAccessibleName("Unexpected error")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box


def install_crash_handler(app: QApplication, log_file: Path) -> None:
    """Errors on the UI thread show the dialog; errors on worker threads are logged."""
    shown: list[QMessageBox] = []  # keep dialogs alive while open

    def on_ui_error(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            app.quit()
            return
        shown.append(show_crash(kind, error, trace, log_file))

    def on_thread_error(args: threading.ExceptHookArgs) -> None:
        error = args.exc_value or args.exc_type()
        log.critical(
            "Unexpected error in %s",
            args.thread.name if args.thread else "a worker",
            exc_info=(args.exc_type, error, args.exc_traceback),
        )

    sys.excepthook = on_ui_error
    threading.excepthook = on_thread_error
