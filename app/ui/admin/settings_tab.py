"""The Service settings tab: a form generated from settings.SPECS, plus how this computer protects the data.

The form is the Admin page's draft: what is typed but not saved survives a lock.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import settings
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.settings import ServiceSettings, SettingSpec
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.widgets.forms import FieldErrors
from app.ui.widgets.messages import Notice, WarningBox, wrapped_label

# Settings typed over several lines; everything else textual is a single line.
MULTI_LINE = {"service_address", "interview_rooms"}

PASSWORD_ONLY_WARNING = (
    "Confide on this computer is protected by staff passwords alone, without the computer's "
    "credential store. Anyone who copies the database file could try to guess a password to "
    "open it. Make sure every password is long, and keep the recovery key and backups locked away."
)


_STORE_NAMES = {
    "Windows": "Windows Credential Manager",
    "macOS": "macOS Keychain",
    "SecretService": "GNOME Keyring or another Secret Service",
    "kwallet": "KDE Wallet",
}


def _store_name(backend: str) -> str:
    """A name a person recognises, from keyring's module path such as keyring.backends.Windows.X."""
    parts = backend.split(".")
    for part in parts:
        if part in _STORE_NAMES:
            return _STORE_NAMES[part]
    return parts[-1] if parts else backend


def _editor(spec: SettingSpec, parent: QWidget) -> QWidget:
    if isinstance(spec.default, int):
        spin = QSpinBox(parent)
        spin.setRange(spec.minimum if spec.minimum is not None else 0,
                      spec.maximum if spec.maximum is not None else 10**6)
        spin.setAccelerated(True)
        # A few digits do not need the whole width; sized from the font so it grows with it.
        spin.setMaximumWidth(spin.fontMetrics().averageCharWidth() * 14)
        return spin
    if spec.name in MULTI_LINE:
        text = QPlainTextEdit(parent)
        text.setTabChangesFocus(True)
        text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 12)
        return text
    return QLineEdit(parent)


class _Sheet(QWidget):
    """The scrolled content: never squeezed below its natural height (wrapped help text would
    overlap the fields); the scroll bar takes over instead."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self.sizeHint().height()))


class SettingsTab(QWidget):
    saved = Signal(object)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Service settings")
        self._saved: dict[str, Any] = {}
        self._filling = False
        outer = QVBoxLayout(self)
        self.scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        holder = _Sheet(scroll)
        scroll.setWidget(holder)
        holder_row = QHBoxLayout(holder)
        body = QWidget(holder)
        # Lines of text much wider than this get hard to read on a big screen.
        body.setMaximumWidth(body.fontMetrics().averageCharWidth() * 110)
        holder_row.addWidget(body, 1)
        holder_row.addStretch(0)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)

        details = QGroupBox("Your service", body)
        form = QFormLayout(details)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general = Notice("Settings problem", body)
        self.errors = FieldErrors(self.general)
        self.editors: dict[str, QWidget] = {}
        for spec in settings.SPECS:
            editor = _editor(spec, details)
            editor.setAccessibleName(spec.label)
            editor.setAccessibleDescription(spec.description)
            caption = QLabel(f"{spec.label}:", details)
            caption.setWordWrap(True)
            caption.setBuddy(editor)
            form.addRow(caption, self.errors.field_box(spec.name, editor, spec.label, details,
                                                       spec.description))
            self.editors[spec.name] = editor
            self._watch(editor)
        column.addWidget(details)
        column.addWidget(self.general)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("Sav&e changes", body)
        self.save_button.setAccessibleName("Save the settings")
        self.save_button.setToolTip("Save the settings (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("&Revert to saved", body)
        self.revert_button.setAccessibleName("Undo the changes not yet saved")
        self.revert_button.clicked.connect(self.revert)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.notice = Notice("Settings result", body)
        column.addWidget(self.notice)

        protection = QGroupBox("Protection on this computer", body)
        protection_column = QVBoxLayout(protection)
        self.protection_warning = WarningBox(PASSWORD_ONLY_WARNING, "Password-only warning", protection)
        self.protection_text = wrapped_label("", protection)
        self.protection_text.setAccessibleName("Credential store")
        protection_column.addWidget(self.protection_warning)
        protection_column.addWidget(self.protection_text)
        column.addWidget(protection)
        column.addStretch(1)

        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self._update_buttons()

    def _watch(self, editor: QWidget) -> None:
        if isinstance(editor, QSpinBox):
            editor.valueChanged.connect(self._edited)
        elif isinstance(editor, QPlainTextEdit | QLineEdit):
            editor.textChanged.connect(self._edited)

    # -- values ----------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QSpinBox):
                values[name] = editor.value()
            elif isinstance(editor, QPlainTextEdit):
                values[name] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                values[name] = editor.text()
        return values

    def set_values(self, values: dict[str, Any]) -> None:
        self._filling = True
        try:
            for name, value in values.items():
                editor = self.editors.get(name)
                if isinstance(editor, QSpinBox):
                    try:
                        editor.setValue(int(value))
                    except (TypeError, ValueError):
                        continue
                elif isinstance(editor, QPlainTextEdit):
                    editor.setPlainText(str(value))
                elif isinstance(editor, QLineEdit):
                    editor.setText(str(value))
        finally:
            self._filling = False
        self._update_buttons()

    def unsaved(self) -> dict[str, Any]:
        """The fields that differ from what is saved (nothing here is ever a password)."""
        if not self._saved:
            return {}
        return {k: v for k, v in self.values().items() if self._saved.get(k) != v}

    def loaded(self) -> bool:
        return bool(self._saved)

    def _edited(self) -> None:
        if not self._filling:
            self.notice.clear_text()
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = bool(self.unsaved())
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    # -- loading and saving ----------------------------------------------------------------

    def refresh(self) -> None:
        """Reload what is saved; keeps anything typed but not yet saved."""
        pending = self.unsaved()
        with guarded(self.general.show_problem) as call:
            current = settings.load(self.ctx)
        if call.failed:
            return
        self._saved = asdict(current)
        self.set_values({**self._saved, **pending})
        self._show_protection()

    def revert(self) -> None:
        self.errors.clear()
        self.notice.clear_text()
        self.set_values(self._saved)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            if self._saved:
                self.notice.show_text("Nothing to save: no setting has been changed.", "info")
            return
        self.errors.clear()
        self.notice.clear_text()
        with guarded(self._refused) as call:
            updated: ServiceSettings = settings.update(self.ctx, self.values())
        if call.failed:
            return
        self._saved = asdict(updated)
        # Show the values as they were cleaned and stored (trimmed spaces and so on).
        self.set_values(self._saved)
        self.notice.show_text("Settings saved.", "ok")
        self.saved.emit(updated)

    def _refused(self, exc: BaseException) -> None:
        self.errors.show(exc)
        focused = self.focusWidget()
        if focused is not None:
            self.scroll.ensureWidgetVisible(focused)

    def clear(self) -> None:
        self._saved = {}
        self.set_values({name: "" for name in self.editors if not isinstance(
            self.editors[name], QSpinBox)})
        self.errors.clear()
        self.notice.clear_text()

    def _protection_unknown(self, exc: BaseException) -> None:
        self.protection_warning.set_text(message_for(exc))
        self.protection_warning.show()
        self.protection_text.hide()

    def _show_protection(self) -> None:
        with guarded(self._protection_unknown) as call:
            status = storage_access.credential_status(self.ctx)
            password_only = storage_access.is_password_only(self.ctx)
        if call.failed:
            return
        if status.changed_from:
            self.protection_warning.set_text(status.message)
            self.protection_warning.show()
        elif password_only:
            self.protection_warning.set_text(PASSWORD_ONLY_WARNING)
            self.protection_warning.show()
        else:
            self.protection_warning.hide()
        if password_only:
            self.protection_text.setText("Protection: staff passwords only.")
        else:
            self.protection_text.setText(
                "Protection: staff passwords together with this computer's credential store "
                f"({_store_name(status.backend)}). A copied database file cannot be opened on "
                "another computer without the recovery key.")
        self.protection_text.show()
