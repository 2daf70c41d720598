"""What Confide says to the person in a window: notices, warnings, messages under fields,
questions and plain messages.

Colours are picked from the widget's palette lightness, so red and green text stay readable on
both light and dark themes; nothing relies on colour alone (every notice also says it in words).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QStyle, QWidget

from app.ui import theme
from app.ui.errors import message_for

# (light theme, dark theme); errors use the app-wide red from theme.error_colour.
_TONES = {
    "ok": ("#1b6e20", "#8fd694"),
    "warning": ("#8a5300", "#ffc46b"),
}


def tone(widget: QWidget, kind: str) -> QColor:
    palette = widget.palette()
    if kind == "error":
        return theme.error_colour(palette)
    light, dark = _TONES[kind]
    return QColor(dark if theme.is_dark(palette) else light)


def wrapped_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def help_label(text: str, parent: QWidget | None = None) -> QLabel:
    """Explanatory text under a field, a little quieter than the field's own label."""
    label = wrapped_label(text, parent)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setAccessibleName(text)
    return label


class Notice(QLabel):
    """A one-line result or problem, in words first and colour second."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(name)
        self.kind = ""
        self.hide()

    def show_text(self, text: str, kind: str = "ok") -> None:
        marks = {"ok": "✔ ", "error": "⚠ ", "warning": "⚠ ", "info": ""}
        # An empty QPalette sets nothing, so "info" text inherits the normal colour.
        palette = QPalette()
        if kind in ("error", *_TONES):
            palette.setColor(QPalette.ColorRole.WindowText, tone(self, kind))
        self.setPalette(palette)
        self.setText(marks.get(kind, "") + text)
        self.kind = kind
        self.setAccessibleDescription(text)
        self.show()

    def show_problem(self, exc: BaseException) -> None:
        """A failure as the person should read it (see app/ui/errors.py); a failure handler."""
        self.show_text(message_for(exc), "error")

    def show_message(self, message: str) -> None:
        self.show_text(message, "error")

    def clear_text(self) -> None:
        self.kind = ""
        self.setText("")
        self.setAccessibleDescription("")
        self.hide()

    def clear_message(self) -> None:
        self.clear_text()


class FieldError(QWidget):
    """A message shown right under the field it is about, with a warning icon and red text."""

    def __init__(self, parent: QWidget | None = None, name: str = "Error message") -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        )
        self.icon.setAccessibleName("Warning")
        self.text = wrapped_label("", self)
        theme.set_error_style(self.text)
        layout.addWidget(self.icon, 0)
        layout.addWidget(self.text, 1)
        self.setAccessibleName(name)
        self.hide()

    def show_message(self, message: str) -> None:
        self.text.setText(message)
        self.text.setAccessibleName(message)
        self.setAccessibleDescription(message)
        self.show()

    def show_problem(self, exc: BaseException) -> None:
        self.show_message(message_for(exc))

    def clear(self) -> None:
        self.text.clear()
        self.text.setAccessibleName("")
        self.setAccessibleDescription("")
        self.hide()

    def clear_message(self) -> None:
        self.clear()

    def message(self) -> str:
        return self.text.text() if self.isVisibleTo(self.parentWidget()) else ""


class WarningBox(QFrame):
    """A framed warning with the standard warning icon: for things a person must not miss."""

    def __init__(self, text: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warningBox")
        self.setAccessibleName(name)
        border = tone(self, "warning")
        # A translucent tint of the border colour reads as "amber" on light and dark themes.
        self.setStyleSheet(
            f"QFrame#warningBox {{ border: 1px solid {border.name()}; border-radius: 4px;"
            f" background-color: rgba({border.red()}, {border.green()}, {border.blue()}, 28); }}"
        )
        row = QHBoxLayout(self)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                       .pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(icon)
        self.text_label = wrapped_label(text, self)
        self.text_label.setAccessibleName(text)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.text_label, 1)

    def set_text(self, text: str) -> None:
        self.text_label.setText(text)
        self.text_label.setAccessibleName(text)


def ask_to_confirm(parent: QWidget, title: str, question: str, detail: str, action: str,
                   on_yes: Callable[[], None]) -> QMessageBox:
    """A window-modal question that does not block: `on_yes` runs only if they press `action`.

    Cancel is the default button, so pressing Enter by habit changes nothing.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setInformativeText(detail)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done() -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.buttonClicked.connect(lambda _button: done())
    box.open()
    return box


def tell(parent: QWidget, title: str, text: str, on_closed: Callable[[], None] | None = None,
         icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    """A window-modal message that does not block the event loop (tests can press OK)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_closed is not None:
        box.finished.connect(lambda _result: on_closed())
    box.open()
    return box
