"""Turning exceptions into what a person should see: a plain message, never a traceback.

Which problems are known (and so shown as their own message) is decided once, in
app.services.errors; anything else is a bug, logged without personal data and apologised for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.crash_log import log_unexpected
from app.services.errors import known_problem_message

APOLOGY = (
    "Sorry, something went wrong and Confide could not finish that. Nothing already saved "
    "has been lost. Please try again; if it happens again, note the time and tell your "
    "manager (the details are in Confide's log file)."
)

__all__ = ["APOLOGY", "known_problem_message", "message_for", "show_error", "tell_error"]

# Message boxes without a parent window, kept here until closed: nothing else holds them.
_orphans: set[QMessageBox] = set()


def message_for(exc: BaseException) -> str:
    known = known_problem_message(exc)
    if known is not None:
        return known
    log_unexpected(exc)
    return APOLOGY


def _box(parent: QWidget | None, exc: BaseException, title: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message_for(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Confide") -> None:
    """The message in a box that waits for OK (the last-resort hook uses it)."""
    _box(parent, exc, title).exec()


def tell_error(parent: QWidget | None, exc: BaseException, title: str = "Confide") -> QMessageBox:
    """The message in a window-modal box that does not block the event loop: where a failure
    goes when the caller has no better place for it."""
    box = _box(parent, exc, title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        _orphans.add(box)
        box.finished.connect(lambda _result: _orphans.discard(box))
    box.open()
    return box
