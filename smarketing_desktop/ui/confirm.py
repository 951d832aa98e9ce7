"""Asking before something that cannot be undone, the same way everywhere."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from smarketing_desktop.ui.a11y import accessible


def confirm_destructive(
    parent: QWidget,
    *,
    title: str,
    question: str,
    consequence: str,
    action: str,
    action_name: str,
    keep_name: str,
    on_confirm: Callable[[], None],
) -> QMessageBox:
    """A window-modal question whose safe answer (Cancel) is the default and the Escape key.

    Non-blocking (`open`, not `exec`): the answer arrives through the buttons, so background
    results keep arriving while the question is shown.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(consequence)
    confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    accessible(confirm, action_name)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    accessible(cancel, keep_name)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAccessibleName(title)

    def answered(button: QAbstractButton) -> None:
        if button is confirm:
            on_confirm()

    box.buttonClicked.connect(answered)
    box.open()
    return box
