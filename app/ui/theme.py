"""Look and feel: the OS palette (light or dark) with a few palette-aware touches.

Colours are never hard-coded on their own: anything coloured is picked from the palette, or
chosen to suit whether the palette is light or dark, so dark mode stays readable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.paths import resources_dir

# Styles that draw only a light palette: on a dark desktop Fusion follows the scheme instead.
_LIGHT_ONLY_STYLES = {"windows", "windowsvista"}


def apply(app: QApplication) -> None:
    """Follow the desktop's light or dark scheme, switching to Fusion only when needed."""
    hints = QGuiApplication.styleHints()
    dark = hints.colorScheme() == Qt.ColorScheme.Dark
    if dark and app.style().name().casefold() in _LIGHT_ONLY_STYLES:
        app.setStyle("Fusion")
    app.setWindowIcon(icon("confide"))


def icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_colour(palette: QPalette) -> QColor:
    """A red that keeps enough contrast on the palette's own background."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def warning_background(palette: QPalette) -> QColor:
    return QColor("#4a3c10") if is_dark(palette) else QColor("#fff4ce")


def set_error_style(label: QLabel) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, error_colour(palette))
    label.setPalette(palette)


def set_banner_style(widget: QWidget) -> None:
    """A soft yellow (or dark amber) strip for notices, text in the palette's own colour."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, warning_background(palette))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#f5f0e1" if is_dark(palette) else "#2b2100"))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    """The widget's font, larger by `factor`, so headings grow with the user's font size."""
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    return font


def heading(text: str, parent: QWidget | None = None, factor: float = 1.5) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(label, factor, bold=True))
    label.setAccessibleName(text)
    label.setWordWrap(True)
    return label


def monospace(widget: QWidget, factor: float = 1.0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    base = widget.font().pointSizeF()
    if base > 0:
        font.setPointSizeF(base * factor)
    return font
