"""Style and light/dark theme: every color the app draws comes from the palette.

Fusion looks the same on every platform and follows the palette faithfully, so one palette per
theme is all the styling there is. The color scheme is also requested from the platform (so
native dialogs and title bars follow), but not every platform honours that request, so Light and
Dark set an explicit palette too; System hands the palette back to the platform.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from smarketing_desktop import APP_ID, APP_NAME, __version__


class Theme(Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"

    @property
    def label(self) -> str:
        return {"system": "&System", "light": "&Light", "dark": "&Dark"}[self.value]

    @classmethod
    def parse(cls, value: object) -> Theme:
        """Whatever is in the settings file: an unknown value falls back to System."""
        try:
            return cls(str(value))
        except ValueError:
            return cls.SYSTEM


_SCHEMES = {
    Theme.SYSTEM: Qt.ColorScheme.Unknown,
    Theme.LIGHT: Qt.ColorScheme.Light,
    Theme.DARK: Qt.ColorScheme.Dark,
}

# Error text picked per theme for at least 4.5:1 contrast on the window and base colors.
_ERROR_ON_LIGHT = QColor("#b00020")
_ERROR_ON_DARK = QColor("#ff8a80")


def configure_application(app: QApplication) -> None:
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setStyle("Fusion")


def apply_theme(theme: Theme) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QGuiApplication.styleHints().setColorScheme(_SCHEMES[theme])
    if theme is Theme.DARK:
        app.setPalette(dark_palette())
    elif theme is Theme.LIGHT:
        app.setPalette(light_palette(app.style().standardPalette()))
    else:
        # An empty palette resolves to the platform's own, including its light/dark choice.
        app.setPalette(QPalette())


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(palette: QPalette) -> QColor:
    return QColor(_ERROR_ON_DARK if is_dark(palette) else _ERROR_ON_LIGHT)


def muted(widget: QWidget) -> None:
    """Secondary text (help lines, reasons, dates) in the palette's muted color.

    Not `setEnabled(False)`: disabled text is drawn at about 1.5:1 on Fusion's light window,
    unreadable for help a rep is meant to read; the muted color keeps 4.5:1 in both themes.
    """
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    """WCAG 2 contrast ratio; a translucent foreground is first blended onto the background."""

    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(color.redF())
            + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF())
        )

    alpha = foreground.alphaF()
    blended = QColor.fromRgbF(
        foreground.redF() * alpha + background.redF() * (1 - alpha),
        foreground.greenF() * alpha + background.greenF() * (1 - alpha),
        foreground.blueF() * alpha + background.blueF() * (1 - alpha),
    )
    lighter, darker = sorted((luminance(blended), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def light_palette(standard: QPalette) -> QPalette:
    """Fusion's light palette with muted text dark enough to read.

    Fusion draws placeholder text as half-transparent black, about 3.9:1 on its window color;
    an opaque gray keeps secondary text above WCAG's 4.5:1 on the window and on white.
    """
    palette = QPalette(standard)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#595959"))
    return palette


def dark_palette() -> QPalette:
    """A dark Fusion palette with readable disabled text, links and highlights."""
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    palette = QPalette()
    colors = {
        role.Window: "#2d2d2d",
        role.WindowText: "#f0f0f0",
        role.Base: "#1f1f1f",
        role.AlternateBase: "#383838",
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#a6a6a6",
        role.Text: "#f0f0f0",
        role.Button: "#3a3a3a",
        role.ButtonText: "#f0f0f0",
        role.BrightText: "#ffffff",
        role.Light: "#4f4f4f",
        role.Midlight: "#434343",
        role.Mid: "#2a2a2a",
        role.Dark: "#1c1c1c",
        role.Shadow: "#101010",
        role.Highlight: "#3d6fc4",
        role.HighlightedText: "#ffffff",
        role.Link: "#7cb7ff",
        role.LinkVisited: "#c3a6ff",
    }
    for color_role, value in colors.items():
        palette.setColor(color_role, QColor(value))
    for color_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, color_role, QColor("#8a8a8a"))
    palette.setColor(group.Disabled, role.Highlight, QColor("#505050"))
    return palette
