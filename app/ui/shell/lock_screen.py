"""What a locked Confide shows: the service's name, a password field and Unlock. Nothing else."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressDialog,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.services.install.vault import Vault
from app.ui import theme
from app.ui.shell.sign_in import CredentialsForm

LOCKED_TEXT = "Confide is locked. Enter your password to carry on where you left off."
SWITCH_TEXT = (
    "Sign in as another member of staff. Anything the last person had half-typed is kept "
    "for them, and only they will see it again."
)


class LockScreen(QWidget):
    """Emits `unlocked(SignedIn)`; the person may be the one who locked it or a colleague."""

    unlocked = Signal(object)

    def __init__(self, vault: Vault, service_name: str, username: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Locked")
        logo = QLabel(self)
        logo.setPixmap(theme.icon("lock").pixmap(48, 48))
        logo.setAccessibleName("Locked")
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service = theme.heading(service_name or "Confide", self, 1.6)
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info = QLabel(LOCKED_TEXT, self)
        self.info.setWordWrap(True)
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info.setAccessibleName("Locked")
        self.form = CredentialsForm(vault, "Unlock", self)
        self.form.set_fixed_username(username)
        self.form.signed_in.connect(self.unlocked)
        self.switch_button = QPushButton("S&witch user…", self)
        self.switch_button.setAccessibleName("Switch user")
        self.switch_button.setToolTip("Let a colleague sign in here.")
        self.switch_button.clicked.connect(self.switch_user)
        if username is None:
            self._show_switch_text()

        panel = QWidget(self)
        panel.setMaximumWidth(max(420, self.fontMetrics().averageCharWidth() * 60))
        column = QVBoxLayout(panel)
        column.setSpacing(14)
        column.addWidget(logo)
        column.addWidget(self.service)
        column.addWidget(self.info)
        column.addWidget(self.form)
        switch_row = QHBoxLayout()
        switch_row.addStretch(1)
        switch_row.addWidget(self.switch_button)
        switch_row.addStretch(1)
        column.addLayout(switch_row)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setTabOrder(self.form.button, self.switch_button)

    def _show_switch_text(self) -> None:
        self.info.setText(SWITCH_TEXT)
        self.switch_button.hide()
        # A colleague is signing in, not unlocking someone else's session.
        self.form.button.setText("Sign in")
        self.form.button.setAccessibleName("Sign in")

    def switch_user(self) -> None:
        """Reveal the username field so a colleague can sign in."""
        self.form.ask_for_username()
        self._show_switch_text()

    def start(self) -> None:
        self.form.check_wait()
        self.form.focus_first()


def close_other_windows(keep: QWidget) -> None:
    """Hide every window but `keep`: dialogs and windows may show records while locked."""
    QToolTip.hideText()
    for widget in QApplication.topLevelWidgets():
        if widget is keep:
            continue
        if isinstance(widget, QMenu | QProgressDialog):
            # A progress dialog belongs to work still running; it holds no record text.
            widget.hide()
        elif isinstance(widget, QDialog):
            if widget.isVisible():
                widget.reject()
                widget.hide()
            # Qt's own dialogs (message boxes, file dialogs) live on the stack of the call
            # that opened them and go when it returns; deleting those here would crash.
            if shiboken6.createdByPython(widget):
                widget.deleteLater()
        elif widget.isVisible():
            widget.close()
            widget.hide()
