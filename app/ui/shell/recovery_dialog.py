"""Opening Confide with the recovery key: a manager gets a new password and a new key slot."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.context import SignedIn
from app.services.install import credential_store
from app.services.install.vault import Vault
from app.services.people import InvalidInput
from app.ui import operations, theme
from app.ui.errors import message_for
from app.ui.widgets.forms import FieldErrors, PasswordFields, field_with_error
from app.ui.widgets.messages import FieldError


class RecoveryDialog(QDialog):
    """Recovery key, a manager's username and a new password; emits `recovered(SignedIn)`."""

    recovered = Signal(object)

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setWindowTitle("Confide — Use the recovery key")
        self.setAccessibleName("Use the recovery key")
        self.setModal(True)

        intro = QLabel(
            "Type the recovery key from the sheet that was printed when Confide was set up, "
            "and the username of a manager. That manager then chooses a new password. Use "
            "this on a new computer, or when passwords no longer open Confide here.",
            self,
        )
        intro.setWordWrap(True)
        self.general = FieldError(self)
        self.errors = FieldErrors(self.general)
        form = QFormLayout()
        self.key = QLineEdit(self)
        self.key.setAccessibleName("Recovery key")
        self.key.setFont(theme.monospace(self.key, 1.1))
        self.key.setPlaceholderText("11 groups of five, such as 7ADDV-HP6C8-…")
        key_box, key_error = field_with_error(self.key, self)
        form.addRow("Recovery &key:", key_box)
        self.errors.add("recovery_key", key_error, self.key)
        self.username = QLineEdit(self)
        self.username.setAccessibleName("Manager's username")
        user_box, user_error = field_with_error(self.username, self)
        form.addRow("Manager's &username:", user_box)
        self.errors.add("username", user_error, self.username)
        self.passwords = PasswordFields(form, self.errors, "New password", self)

        self.password_only = QCheckBox("Protect with passwords only (less safe)", self)
        self.password_only.setAccessibleName("Protect with passwords only (less safe)")
        status = credential_store.status()
        self.store_warning = QLabel(status.message, self)
        self.store_warning.setWordWrap(True)
        theme.set_error_style(self.store_warning)
        needs_choice = not status.available
        self.store_warning.setVisible(needs_choice)
        self.password_only.setVisible(needs_choice)

        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Open Confide", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName("Open Confide")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(theme.heading("Use the recovery key", self, 1.3))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.store_warning)
        layout.addWidget(self.password_only)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 75)

    def submit(self) -> None:
        self.errors.clear()
        key, username = self.key.text(), self.username.text()
        password, confirm = self.passwords.values()
        allow = self.password_only.isChecked()
        if self.password_only.isVisibleTo(self) and not allow:
            self.errors.show_general(
                "Tick “Protect with passwords only” to continue on this computer, or set up a "
                "credential store first."
            )
            return
        self.ok_button.setEnabled(False)
        operations.run(
            self, "Opening Confide with the recovery key…",
            lambda: self.vault.recover(key, username, password, confirm, allow_password_only=allow),
            self._done, self._failed,
        )

    def _done(self, ctx: SignedIn) -> None:
        self.ok_button.setEnabled(True)
        self.key.clear()
        self.passwords.clear()
        self.accept()
        self.recovered.emit(ctx)

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, InvalidInput):
            self.errors.show(exc)
        else:
            self.errors.show_general(message_for(exc))
