"""Turning exceptions into what a person should see: a plain message, never a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.crash_log import log_unexpected
from app.models.storage import StorageError
from app.services.people import InvalidInput, PermissionRefused

APOLOGY = (
    "Sorry, something went wrong and Confide could not finish that. Nothing already saved "
    "has been lost. Please try again; if it happens again, note the time and tell your "
    "manager (the details are in Confide's log file)."
)


def known_problem_message(exc: BaseException) -> str | None:
    """The message for a problem the user can act on, or None for a bug."""
    if isinstance(exc, StorageError):
        return exc.user_message
    if isinstance(exc, InvalidInput | PermissionRefused):
        return str(exc)
    from app.services.install.vault import CredentialStoreProblem, SignInRefused
    from app.services.printouts.printing import PrintingUnavailable

    if isinstance(exc, PrintingUnavailable):
        return str(exc)

    if isinstance(exc, SignInRefused | CredentialStoreProblem):
        return str(exc)
    return None


def message_for(exc: BaseException) -> str:
    known = known_problem_message(exc)
    if known is not None:
        return known
    log_unexpected(exc)
    return APOLOGY


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Confide") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message_for(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.exec()
