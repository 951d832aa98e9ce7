"""Text a rep reads must stay readable in both themes (WCAG's 4.5:1 for normal text)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from smarketing_desktop.db.store import Database
from smarketing_desktop.secrets import SecretStore
from smarketing_desktop.ui.settings_view import SettingsView
from smarketing_desktop.ui.tasks import TaskRunner
from smarketing_desktop.ui.theme import Theme, apply_theme, contrast_ratio, error_color

READABLE = 4.5
Role = QPalette.ColorRole


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    half_black = QColor(0, 0, 0, 128)  # blended onto white it is #7f7f7f
    assert contrast_ratio(half_black, QColor("#ffffff")) == pytest.approx(4.00, abs=0.01)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
@pytest.mark.parametrize(
    "role", [Role.WindowText, Role.Text, Role.PlaceholderText, Role.Link, Role.ButtonText]
)
def test_text_colors_are_readable_on_window_and_base(
    qapp: QApplication, theme: Theme, role: Role
) -> None:
    apply_theme(theme)
    palette = qapp.palette()
    for background in (palette.color(Role.Window), palette.color(Role.Base)):
        assert contrast_ratio(palette.color(role), background) >= READABLE, (role, background)
    assert contrast_ratio(error_color(palette), palette.color(Role.Window)) >= READABLE


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_settings_help_text_is_readable_not_drawn_disabled(
    qtbot: QtBot, qapp: QApplication, db: Database, runner: TaskRunner, theme: Theme
) -> None:
    apply_theme(theme)
    view = SettingsView(db, runner, store=SecretStore())
    qtbot.addWidget(view)
    field = next(iter(view.fields.values()))
    assert field.help.isEnabled()
    palette = field.help.palette()
    shown = palette.color(field.help.foregroundRole())
    assert contrast_ratio(shown, palette.color(Role.Window)) >= READABLE
