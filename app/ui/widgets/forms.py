"""Form pieces every feature shares: fields with their messages underneath, new passwords, and
dialogs that stay open until the service accepts what was typed.

A refusal from a service is an InvalidInput naming the field it is about (`.field`); the
message goes under that field, the cursor moves there, and everything typed stays in place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.people import MIN_PASSWORD_LENGTH, InvalidInput, password_strength
from app.ui.errors import message_for
from app.ui.widgets.messages import FieldError, Notice, help_label, tone

MessageLine = Notice | FieldError


class FieldErrors:
    """Messages shown right under the field they belong to, keyed by the services' field names.

    `aliases` maps other names the services use onto the form's fields. Anything without a
    field of its own goes in the general line (a Notice or a FieldError).
    """

    def __init__(self, general: MessageLine, aliases: dict[str, str] | None = None) -> None:
        self.general = general
        self.aliases = aliases or {}
        self.fields: dict[str, FieldError] = {}
        self.widgets: dict[str, QWidget] = {}

    def add(self, name: str, error: FieldError, widget: QWidget | None = None) -> None:
        self.fields[name] = error
        if widget is not None:
            self.widgets[name] = widget

    def field_box(self, name: str, widget: QWidget, label: str, parent: QWidget,
                  help_text: str | None = None, below: QWidget | None = None) -> QWidget:
        """The field, its help text and its (hidden) message, stacked; goes in a form row."""
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
        error = FieldError(box, f"Problem with {label.replace('&', '').rstrip(':')}")
        column.addWidget(error)
        self.add(name, error, widget)
        return box

    def clear(self) -> None:
        self.general.clear_message()
        for error in self.fields.values():
            error.clear()
        for widget in self.widgets.values():
            widget.setAccessibleDescription("")

    def show(self, exc: BaseException) -> None:
        """Put the message where it belongs and move the cursor there; keeps what was typed."""
        field = exc.field if isinstance(exc, InvalidInput) else None
        self.show_at(self.aliases.get(field, field) if field else None, message_for(exc))

    def show_at(self, field: str | None, message: str) -> None:
        self.clear()
        if field not in self.fields:
            self.general.show_message(message)
            return
        self.fields[field].show_message(message)
        reveal(self.fields[field])
        widget = self.widgets.get(field)
        if widget is not None:
            widget.setAccessibleDescription(message)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_general(self, message: str) -> None:
        self.show_at(None, message)

    def message(self, name: str) -> str:
        """The message now shown for a field ('' when none); used by tests and the page."""
        return self.fields[name].message()


def reveal(widget: QWidget) -> None:
    """Scroll every scroll area holding `widget` so it shows: a message under a field low on a
    long form (the call form at 1024×700, or at a large font) would otherwise be out of sight,
    and pressing Save would seem to do nothing."""

    def scroll() -> None:
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget, 0, parent.fontMetrics().height())
            parent = parent.parentWidget()

    # After the layout has made room for what has just been shown.
    QTimer.singleShot(0, widget, scroll)


def field_with_error(field: QWidget, parent: QWidget | None = None) -> tuple[QWidget, FieldError]:
    """The field with an (initially hidden) message under it, for a QFormLayout row."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    field.setParent(box)
    layout.addWidget(field)
    error = FieldError(box)
    layout.addWidget(error)
    return box, error


def add_row(form: QFormLayout, errors: FieldErrors, parent: QWidget, name: str, label: str,
            widget: QWidget, help_text: str | None = None, below: QWidget | None = None) -> None:
    """A labelled field with its help and its message underneath, named for screen readers."""
    widget.setAccessibleName(label.replace("&", "").rstrip(":"))
    box = errors.field_box(name, widget, label, parent, help_text, below)
    caption = QLabel(label, parent)
    caption.setBuddy(widget)
    form.addRow(caption, box)


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
        self.score = 0
        edit.textChanged.connect(self.update_for)
        self.update_for(edit.text())

    def update_for(self, text: str) -> None:
        score, hint = password_strength(text)
        self.score = score
        bar = "●" * score + "○" * (4 - score)
        self.setText(f"Strength {bar}  {hint}" if text else hint)
        self.setAccessibleDescription(hint)
        palette = QPalette()
        if text and score <= 1:
            palette.setColor(QPalette.ColorRole.WindowText, tone(self, "error"))
        elif score >= 3:
            palette.setColor(QPalette.ColorRole.WindowText, tone(self, "ok"))
        self.setPalette(palette)


class PasswordFields(QObject):
    """A new password typed twice, with the strength hint under it, as two form rows.
    The services name their messages about it "password" and "confirm"."""

    changed = Signal()

    def __init__(self, form: QFormLayout, errors: FieldErrors, label: str = "Password",
                 parent: QWidget | None = None, again: str | None = None) -> None:
        super().__init__(parent)
        owner = parent if parent is not None else form.parentWidget()
        self.password = password_edit("", owner)
        self.password.setPlaceholderText(f"At least {MIN_PASSWORD_LENGTH} characters")
        self.confirm = password_edit("", owner)
        self.hint = StrengthHint(self.password, owner)
        add_row(form, errors, owner, "password", f"{label}:", self.password, below=self.hint)
        add_row(form, errors, owner, "confirm", again or f"{label} again:", self.confirm)
        self.password.textChanged.connect(self.changed)
        self.confirm.textChanged.connect(self.changed)

    def values(self) -> tuple[str, str]:
        return self.password.text(), self.confirm.text()

    def clear(self) -> None:
        self.password.clear()
        self.confirm.clear()


class FormDialog(QDialog):
    """A form with messages under its fields and an OK button that does not close by itself.

    Pressing OK calls `submit`, which calls the service and answers with `succeeded()` or
    `failed(exc)`; on failure the message goes under its field and everything typed stays.
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
        if self.errors.widgets:
            # The cursor starts in the first field rather than wherever activation puts it.
            next(iter(self.errors.widgets.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def add_field(self, name: str, label: str, widget: QWidget, help_text: str | None = None,
                  below: QWidget | None = None) -> None:
        add_row(self.form, self.errors, self, name, label, widget, help_text, below)

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
                fallback.show_problem(exc)

        return failed
