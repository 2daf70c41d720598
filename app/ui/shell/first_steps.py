"""What happens between a successful sign-in and the main window.

A person with a temporary password chooses their own, then anyone who has not yet accepted
the current confidentiality agreement reads and accepts it. Cancelling either signs out.
The dialogs are opened (not exec'd), so locking or tests can reach them while they are up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.services import settings
from app.services.context import SignedIn
from app.services.install import session_events
from app.services.people import InvalidInput
from app.services.staff import agreement, staff
from app.ui import operations, theme
from app.ui.errors import message_for, show_error
from app.ui.operations import guarded
from app.ui.shell.idle import IdleWatcher
from app.ui.widgets.forms import FieldErrors, PasswordFields, field_with_error, password_edit
from app.ui.widgets.messages import FieldError


class ChangePasswordDialog(QDialog):
    """Choosing one's own password, in place of the temporary one a manager gave."""

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None, first_time: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Confide — Choose your password")
        self.setAccessibleName("Choose your password")
        intro = QLabel(
            "Your manager gave you a temporary password. Choose your own now: at least 12 "
            "characters; a few unrelated words make a good password that is easy to remember."
            if first_time else "Choose a new password.",
            self,
        )
        intro.setWordWrap(True)
        self.general = FieldError(self)
        self.errors = FieldErrors(self.general)
        form = QFormLayout()
        self.current = password_edit("Temporary password" if first_time else "Current password", self)
        current_box, current_error = field_with_error(self.current, self)
        form.addRow("&Temporary password:" if first_time else "&Current password:", current_box)
        self.errors.add("current", current_error, self.current)
        self.passwords = PasswordFields(form, self.errors, "New password", self)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Save password", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName("Save password")
        cancel = buttons.addButton("Sign out" if first_time else "Cancel",
                                   QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName(cancel.text())
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(theme.heading("Choose your password", self, 1.3))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 65)

    def submit(self) -> None:
        current = self.current.text()
        password, confirm = self.passwords.values()
        self.errors.clear()
        self.ok_button.setEnabled(False)
        operations.run(self, "Saving your new password…",
                       lambda: staff.change_own_password(self.ctx, current, password, confirm),
                       self._done, self._failed)

    def _done(self, _member: object) -> None:
        self.current.clear()
        self.passwords.clear()
        self.ok_button.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, InvalidInput):
            self.errors.show(exc)
        else:
            self.errors.show_general(message_for(exc))


def _idle_minutes(ctx: SignedIn) -> float:
    # Unreadable settings: the default lock time applies, and the step after says what is wrong.
    with guarded(lambda _exc: None):
        return settings.load(ctx).idle_lock_minutes
    return settings.ServiceSettings().idle_lock_minutes


class FirstSteps(QObject):
    """Runs the steps for one sign-in; emits `ready(ctx)` or `cancelled()` (already signed out)."""

    ready = Signal(object)
    cancelled = Signal()

    def __init__(self, ctx: SignedIn, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx: SignedIn | None = ctx
        self.parent_widget = parent
        self.dialog: QDialog | None = None
        # The database is open while these dialogs wait, so walking away must sign out here too.
        self.idle = IdleWatcher(_idle_minutes(ctx), self)
        self.idle.idle.connect(self.cancel)

    def start(self) -> None:
        assert self.ctx is not None
        self.idle.start()
        if self.ctx.actor.must_change_password:
            self._open(ChangePasswordDialog(self.ctx, self.parent_widget), self._agreement)
        else:
            self._agreement()

    def _open(self, dialog: QDialog, next_step: object) -> None:
        self.dialog = dialog
        dialog.accepted.connect(next_step)
        dialog.rejected.connect(self.cancel)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _agreement(self) -> None:
        from app.ui.shell.agreement_dialog import AgreementDialog

        ctx = self.ctx
        if ctx is None:
            return
        self.dialog = None
        # Read before anyone may go on: a failure waits for OK, then signs out.
        with guarded(lambda exc: show_error(self.parent_widget, exc)) as call:
            service_name = settings.load(ctx).service_name
            text = agreement.load_agreement(service_name)
            accepted = agreement.accepted_at(ctx, text.version)
        if call.failed:
            self.cancel()
            return
        if accepted is None:
            self._open(AgreementDialog(ctx, text, service_name, self.parent_widget), self._finish)
        else:
            self._finish()

    def _finish(self) -> None:
        self.idle.stop()
        ctx, self.ctx, self.dialog = self.ctx, None, None
        if ctx is not None:
            self.ready.emit(ctx)

    def cancel(self) -> None:
        """Close whatever step is showing and sign out."""
        self.idle.stop()
        ctx, self.ctx = self.ctx, None
        dialog, self.dialog = self.dialog, None
        if dialog is not None and dialog.isVisible():
            dialog.blockSignals(True)
            dialog.reject()
            dialog.deleteLater()
        if ctx is None:
            return
        # Signing out must finish even if the audit write fails: the failure is logged only.
        with guarded(message_for):
            session_events.sign_out(ctx)
        ctx.close()
        self.cancelled.emit()
