"""Signing in: the username and password form (also used by the lock screen) and its window.

Wrong passwords get a plain message; after a few, the vault asks for a growing wait, shown
as a countdown with the button disabled, so nobody is left wondering why nothing happens.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.context import SignedIn
from app.services.install.vault import CredentialStoreProblem, SignInRefused, Vault
from app.ui import operations, theme
from app.ui.errors import message_for
from app.ui.widgets.forms import password_edit
from app.ui.widgets.messages import FieldError

SIGN_IN_TITLE = "Confide — Sign in"


def _seconds_text(seconds: int) -> str:
    return "1 second" if seconds == 1 else f"{seconds} seconds"


class CredentialsForm(QWidget):
    """Username (optional), password and a button; emits `signed_in` with the new SignedIn."""

    signed_in = Signal(object)

    def __init__(self, vault: Vault, button_text: str = "Sign in",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        # The username of a locked session lives here, never in a widget.
        self._fixed_username: str | None = None
        self._wait_until = 0.0
        self._busy = False

        self.username = QLineEdit(self)
        self.username.setAccessibleName("Username")
        self.password = password_edit("Password", self)
        self.username_label = QLabel("&Username:", self)
        self.username_label.setBuddy(self.username)
        password_label = QLabel("&Password:", self)
        password_label.setBuddy(self.password)
        self.button = QPushButton(button_text, self)
        self.button.setAccessibleName(button_text)
        self.button.setDefault(True)
        self.button.setAutoDefault(True)
        self.message = FieldError(self)
        self.countdown = QLabel(self)
        self.countdown.setAccessibleName("Waiting time")
        self.countdown.setWordWrap(True)
        self.countdown.hide()

        form = QFormLayout()
        form.addRow(self.username_label, self.username)
        form.addRow(password_label, self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.countdown)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout.addLayout(buttons)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.button)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self.button.clicked.connect(self.submit)
        self.username.returnPressed.connect(self._next_or_submit)
        self.password.returnPressed.connect(self.submit)

    # -- username shown or kept ------------------------------------------------------------

    def set_fixed_username(self, username: str | None) -> None:
        """Sign in as `username` without showing it (the lock screen), or ask for it (None)."""
        self._fixed_username = username
        shown = username is None
        self.username.setVisible(shown)
        self.username_label.setVisible(shown)
        self.username.clear()

    def ask_for_username(self) -> None:
        self.set_fixed_username(None)
        self.username.setFocus()

    def focus_first(self) -> None:
        if self.username.isVisibleTo(self) and not self.username.text():
            self.username.setFocus()
        else:
            self.password.setFocus()

    def _next_or_submit(self) -> None:
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    # -- waiting ---------------------------------------------------------------------------

    def check_wait(self) -> None:
        """Show a countdown when the vault still asks to wait (after a restart, say)."""
        try:
            wait = self.vault.seconds_to_wait()
        except CredentialStoreProblem as exc:
            self.message.show_message(str(exc))
            return
        if wait > 0:
            self._start_wait(wait)

    def _start_wait(self, seconds: float) -> None:
        self._wait_until = time.monotonic() + seconds
        self._timer.start()
        self._tick()

    def waiting(self) -> bool:
        return time.monotonic() < self._wait_until

    def _tick(self) -> None:
        left = self._wait_until - time.monotonic()
        if left <= 0:
            self._timer.stop()
            self.countdown.hide()
            self.countdown.clear()
            self.button.setEnabled(not self._busy)
            return
        self.button.setEnabled(False)
        self.countdown.setText(f"You can try again in {_seconds_text(int(left) + 1)}.")
        self.countdown.show()

    # -- signing in ------------------------------------------------------------------------

    def submit(self) -> None:
        if self._busy or self.waiting():
            return
        username = self._fixed_username or self.username.text().strip()
        password = self.password.text()
        if not username:
            self.message.show_message("Enter your username.")
            self.username.setFocus()
            return
        if not password:
            self.message.show_message("Enter your password.")
            self.password.setFocus()
            return
        self._busy = True
        self.button.setEnabled(False)
        self.message.clear()
        operations.run(self.window(), "Signing in…",
                       lambda: self.vault.sign_in(username, password), self._done, self._failed)

    def _done(self, ctx: SignedIn) -> None:
        self._busy = False
        self.password.clear()
        self.button.setEnabled(True)
        self.signed_in.emit(ctx)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.password.clear()
        self.button.setEnabled(True)
        if isinstance(exc, SignInRefused):
            # The countdown line says how long to wait, so the message need not.
            self.message.show_message(str(exc).partition(" You can try again in")[0])
            if exc.wait_seconds > 0:
                self._start_wait(exc.wait_seconds)
        else:
            self.message.show_message(message_for(exc))
        self.password.setFocus()

    def forget(self) -> None:
        """Empty every field (used once the form is no longer needed)."""
        self.username.clear()
        self.password.clear()
        self.message.clear()


class SignInWindow(QWidget):
    """The first window on later starts. Service-neutral: the database is still locked."""

    signed_in = Signal(object)
    closed = Signal()
    demo_requested = Signal()

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setWindowTitle(SIGN_IN_TITLE)
        self.setAccessibleName(SIGN_IN_TITLE)
        self.setWindowIcon(theme.icon("confide"))

        logo = QLabel(self)
        logo.setPixmap(theme.icon("confide").pixmap(64, 64))
        logo.setAccessibleName("Confide logo")
        title = theme.heading("Sign in to Confide", self)
        intro = QLabel("Use the username and password your manager gave you.", self)
        intro.setWordWrap(True)
        self.form = CredentialsForm(vault, "Sign in", self)
        self.form.signed_in.connect(self.signed_in)
        self.recover_button = QPushButton("Use &recovery key…", self)
        self.recover_button.setAccessibleName("Use recovery key")
        self.recover_button.setToolTip(
            "For a manager, when passwords no longer open Confide on this computer."
        )
        self.recover_button.clicked.connect(self.open_recovery)
        self.demo_button = QPushButton("Open a &demo database…", self)
        self.demo_button.setAccessibleName("Open a demo database")
        self.demo_button.setToolTip("Try Confide on fictional families, in a separate demo folder. "
                                    "Your own data is not touched.")
        self.demo_button.clicked.connect(self.demo_requested)

        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        heading_box = QVBoxLayout()
        heading_box.addWidget(title)
        heading_box.addWidget(intro)
        top.addLayout(heading_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.form)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.recover_button)
        bottom.addStretch(1)
        bottom.addWidget(self.demo_button)
        layout.addLayout(bottom)
        self.setTabOrder(self.form.button, self.recover_button)
        self.setTabOrder(self.recover_button, self.demo_button)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.form.check_wait()
        self.form.focus_first()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.form.forget()
        event.accept()
        self.closed.emit()

    def open_recovery(self) -> None:
        from app.ui.shell.recovery_dialog import RecoveryDialog

        dialog = RecoveryDialog(self.vault, self)
        dialog.recovered.connect(self.signed_in)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.recovery_dialog = dialog
