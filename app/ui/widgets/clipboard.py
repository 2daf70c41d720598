"""Copying to the clipboard without leaving confidential text there.

Text Confide copies is marked for clipboard managers as a secret (so they do not keep a
history of it) and is cleared after 30 seconds, or when Confide locks, but only if the
clipboard still holds exactly what Confide put there: a person's own later copy is left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 30_000
SECRET_HINT = "x-kde-passwordManagerHint"


class _Guard(QObject):
    def __init__(self) -> None:
        super().__init__(QGuiApplication.instance())
        self.ours: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(clear_if_ours)


_guard: _Guard | None = None


def _the_guard() -> _Guard:
    global _guard
    if _guard is None:
        _guard = _Guard()
        _guard.destroyed.connect(_forget_guard)
    return _guard


def _forget_guard() -> None:
    global _guard
    _guard = None


def _clipboard() -> QClipboard:
    return QGuiApplication.clipboard()


def copy_text(text: str, clear_after_ms: int = CLEAR_AFTER_MS) -> None:
    """Put `text` on the clipboard, marked secret, and clear it again after a while."""
    mime = QMimeData()
    mime.setText(text)
    mime.setData(SECRET_HINT, b"secret")
    _clipboard().setMimeData(mime)
    guard = _the_guard()
    guard.ours = text
    guard.timer.start(clear_after_ms)


def holds_ours() -> bool:
    guard = _guard
    return bool(guard and guard.ours is not None and _clipboard().text() == guard.ours)


def clear_if_ours() -> bool:
    """Empty the clipboard if it still holds what Confide copied. True if it did."""
    guard = _guard
    if guard is None or guard.ours is None:
        return False
    cleared = _clipboard().text() == guard.ours
    if cleared:
        _clipboard().clear()
    guard.ours = None
    guard.timer.stop()
    return cleared
