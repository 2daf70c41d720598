"""Small form pieces shared by the setup wizard, sign-in, recovery and password dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.services.people import MIN_PASSWORD_LENGTH, InvalidInput, password_strength
from app.ui import theme


class FieldError(QWidget):
    """A message shown right under the field it is about, with a warning icon and red text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        )
        self.icon.setAccessibleName("Warning")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        theme.set_error_style(self.text)
        layout.addWidget(self.icon, 0)
        layout.addWidget(self.text, 1)
        self.setAccessibleName("Error message")
        self.hide()

    def show_message(self, message: str) -> None:
        self.text.setText(message)
        self.text.setAccessibleName(message)
        self.setAccessibleDescription(message)
        self.show()

    def clear(self) -> None:
        self.text.clear()
        self.text.setAccessibleName("")
        self.hide()

    def message(self) -> str:
        return self.text.text() if self.isVisibleTo(self.parentWidget()) else ""


def field_with_error(field: QWidget, parent: QWidget | None = None) -> tuple[QWidget, FieldError]:
    """The field with an (initially hidden) error line under it, for a QFormLayout row."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    field.setParent(box)
    layout.addWidget(field)
    error = FieldError(box)
    layout.addWidget(error)
    return box, error


class FormErrors:
    """Puts an InvalidInput message next to the field it names, or in the general line."""

    def __init__(self, general: FieldError) -> None:
        self.general = general
        self.fields: dict[str, FieldError] = {}
        self.widgets: dict[str, QWidget] = {}

    def add(self, name: str, error: FieldError, widget: QWidget | None = None) -> None:
        self.fields[name] = error
        if widget is not None:
            self.widgets[name] = widget

    def clear(self) -> None:
        self.general.clear()
        for error in self.fields.values():
            error.clear()

    def show(self, exc: InvalidInput | Exception) -> None:
        self.clear()
        field = getattr(exc, "field", None)
        target = self.fields.get(field or "", self.general)
        target.show_message(str(exc))
        widget = self.widgets.get(field or "")
        if widget is not None:
            widget.setFocus()

    def show_general(self, message: str) -> None:
        self.clear()
        self.general.show_message(message)


def password_edit(accessible_name: str, parent: QWidget | None = None) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible_name)
    return edit


class PasswordFields(QObject):
    """A new password typed twice, with a live strength hint. Errors named password/confirm."""

    changed = Signal()

    def __init__(self, form: QFormLayout, errors: FormErrors, label: str = "Password",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password = password_edit(label, parent)
        self.password.setPlaceholderText(f"At least {MIN_PASSWORD_LENGTH} characters")
        self.confirm = password_edit(f"{label} again", parent)
        self.hint = QLabel(parent)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Password strength")
        password_box, password_error = field_with_error(self.password, parent)
        confirm_box, confirm_error = field_with_error(self.confirm, parent)
        form.addRow(f"{label}:", password_box)
        form.addRow("", self.hint)
        form.addRow(f"{label} again:", confirm_box)
        errors.add("password", password_error, self.password)
        errors.add("confirm", confirm_error, self.confirm)
        self.password.textChanged.connect(self._update_hint)
        self.password.textChanged.connect(self.changed)
        self.confirm.textChanged.connect(self.changed)
        self._update_hint("")

    def _update_hint(self, text: str) -> None:
        score, hint = password_strength(text)
        bar = "●" * score + "○" * (4 - score)
        self.hint.setText(f"Strength {bar}  {hint}")
        self.hint.setAccessibleDescription(hint)

    def values(self) -> tuple[str, str]:
        return self.password.text(), self.confirm.text()

    def clear(self) -> None:
        self.password.clear()
        self.confirm.clear()


def save_pdf(parent: QWidget, title: str, file_name: str,
             make_pdf: Callable[[], bytes] | bytes) -> Path | None:
    """Ask where to save, then write the PDF there only: Confide keeps no other copy."""
    return save_file(parent, title, file_name, make_pdf, "PDF documents (*.pdf)")


def save_file(parent: QWidget, title: str, file_name: str, make: Callable[[], bytes] | bytes,
              file_filter: str = "") -> Path | None:
    """Ask where to save, then write an owner-only file there; the suffix of `file_name` is kept."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    suffix = Path(file_name).suffix
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / file_name),
                                            file_filter or f"{suffix[1:].upper()} files (*{suffix})")
    if not chosen:
        return None
    path = Path(chosen)
    if suffix and path.suffix.casefold() != suffix.casefold():
        path = path.with_suffix(suffix)
    try:
        write_private(path, make() if callable(make) else make)
    except OSError as exc:
        QMessageBox.warning(parent, "Confide",
                            f"The file could not be saved there ({exc.strerror or 'the folder refused it'}). "
                            "Choose another folder, such as Documents.")
        return None
    return path


def write_private(path: Path, data: bytes) -> None:
    """Owner-only on creation: a recovery sheet opens the whole database to whoever reads it."""
    import os

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
