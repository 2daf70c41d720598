"""Pieces the Admin forms share: messages next to fields, password pairs, notices and warnings.

Colours are picked from the widget's palette lightness, so red and green text stay readable on
both light and dark themes; nothing relies on colour alone (every notice also says it in words).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.services.people import InvalidInput, password_strength
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

    def clear_text(self) -> None:
        self.kind = ""
        self.setText("")
        self.setAccessibleDescription("")
        self.hide()


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


class FieldErrors:
    """Messages shown right under the field they belong to, keyed by service field names.

    InvalidInput carries `.field`; `aliases` maps other names the services use onto the
    form's fields. Anything without a field of its own goes in the general notice.
    """

    def __init__(self, general: Notice, aliases: dict[str, str] | None = None) -> None:
        self.general = general
        self.aliases = aliases or {}
        self.fields: dict[str, tuple[QWidget, Notice]] = {}

    def field_box(self, name: str, widget: QWidget, label: str, parent: QWidget,
                  help_text: str | None = None, below: QWidget | None = None) -> QWidget:
        """The field, its help text and its (hidden) error, stacked; goes in a form row."""
        box = QWidget(parent)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if help_text:
            column.addWidget(help_label(help_text, box))
        if below is not None:
            # Inside the field's own cell: a row with an empty label would be wrapped onto a
            # line of its own by QFormLayout, leaving a gap.
            column.addWidget(below)
        error = Notice(f"Problem with {label.replace('&', '').rstrip(':')}", box)
        column.addWidget(error)
        self.fields[name] = (widget, error)
        return box

    def clear(self) -> None:
        self.general.clear_text()
        for widget, error in self.fields.values():
            error.clear_text()
            widget.setAccessibleDescription("")

    def show(self, exc: BaseException) -> None:
        """Put the message where it belongs and move the cursor there; keeps what was typed."""
        self.clear()
        text = message_for(exc)
        field = getattr(exc, "field", None) if isinstance(exc, InvalidInput) else None
        field = self.aliases.get(field, field) if field else None
        if field in self.fields:
            widget, error = self.fields[field]
            error.show_text(text, "error")
            widget.setAccessibleDescription(text)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.general.show_text(text, "error")

    def message(self, name: str) -> str:
        """The message now shown for a field ('' when none); used by tests and the page."""
        return self.fields[name][1].accessibleDescription()


def add_row(form: QFormLayout, errors: FieldErrors, parent: QWidget, name: str, label: str,
            widget: QWidget, help_text: str | None = None) -> None:
    """A labelled field with its help and its error underneath, named for screen readers."""
    widget.setAccessibleName(label.replace("&", "").rstrip(":"))
    caption = QLabel(label, parent)
    caption.setBuddy(widget)
    form.addRow(caption, errors.field_box(name, widget, label, parent, help_text))


class FormDialog(QDialog):
    """A form with field-level errors and an OK button that does not close by itself.

    Pressing OK calls `submit`, which calls the service and answers with `succeeded()` or
    `failed(exc)`; on failure the message goes next to its field and everything typed stays.
    """

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.column = QVBoxLayout(self)
        self.form = QFormLayout()
        # Long labels go above their field instead of squeezing it (large fonts, narrow screens).
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general = Notice("Problem", self)
        self.errors = FieldErrors(self.general)
        self.ok_text = ok_text
        self.submit: Callable[[], None] = lambda: None

    def finish_layout(self) -> None:
        # The buttons are made last so that Tab reaches them after every field.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.ok_button = self.buttons.addButton(self.ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(self.ok_text.replace("&", ""))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.column.addLayout(self.form)
        self.column.addWidget(self.general)
        self.column.addStretch(1)
        self.column.addSpacing(self.fontMetrics().height() // 2)
        self.column.addWidget(self.buttons)
        if self.errors.fields:
            # The cursor starts in the first field rather than wherever activation puts it.
            first = next(iter(self.errors.fields.values()))[0]
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_field(self, name: str, label: str, widget: QWidget, help_text: str | None = None,
                  below: QWidget | None = None) -> None:
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        box = self.errors.field_box(name, widget, label, self, help_text, below)
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self.form.addRow(caption, box)

    def _submit(self) -> None:
        self.errors.clear()
        self.ok_button.setEnabled(False)
        self.submit()

    def failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.errors.show(exc)
        self.fit()

    def fit(self) -> None:
        """Grow to show every line: Qt lets a window with wrapped text shrink below it."""
        self.layout().activate()
        width = max(self.width(), self.sizeHint().width())
        height = max(self.height(), self.layout().totalHeightForWidth(width), self.sizeHint().height())
        self.resize(width, height)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def succeeded(self) -> None:
        self.accept()


class DialogHost:
    """For a tab that opens one dialog at a time, with open() rather than exec().

    No nested event loop, so locking can close the dialog cleanly, and tests can fill it in.
    `self.dialog` is the open one (or None).
    """

    dialog: QWidget | None = None

    def show_dialog(self, dialog: QDialog) -> None:
        self.close_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.track(dialog)
        dialog.open()

    def track(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._forget(dialog))

    def _forget(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.close()

    def failure_in(self, dialog: FormDialog, fallback: Notice) -> Callable[[BaseException], None]:
        """Where a slow operation's failure goes: its dialog, or the tab if that has closed."""

        def failed(exc: BaseException) -> None:
            if self.dialog is dialog:
                dialog.failed(exc)
            else:
                fallback.show_text(message_for(exc), "error")

        return failed


def password_edit(name: str, parent: QWidget | None = None) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class StrengthHint(QLabel):
    """Live strength hint under a new password, from people.password_strength."""

    def __init__(self, edit: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Password strength")
        edit.textChanged.connect(self.update_for)
        self.update_for(edit.text())

    def update_for(self, text: str) -> None:
        score, hint = password_strength(text)
        self.score = score
        self.setText(f"Strength: {hint}" if text else hint)
        self.setAccessibleDescription(self.text())
        palette = QPalette()
        if text and score <= 1:
            palette.setColor(QPalette.ColorRole.WindowText, tone(self, "error"))
        elif score >= 3:
            palette.setColor(QPalette.ColorRole.WindowText, tone(self, "ok"))
        self.setPalette(palette)


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
