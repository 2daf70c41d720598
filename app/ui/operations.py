"""Service calls from the GUI: failures shown, slow work off the GUI thread, changes announced.

Modelled on Anki's operations (qt/aqt/operations):

- `run(parent, label, work, on_done, on_error)` runs `work` on a worker thread behind a
  progress indicator (shown only if it takes a moment), then calls `on_done(result)` on the
  GUI thread. If it fails, `on_error(exc)` is called instead; without one, the failure is
  shown in a message box over `parent` (a known problem as its own message, a bug logged
  without personal data and apologised for; see app/ui/errors.py).
- `guarded(on_error)` is the same failure path for a quick call made on the GUI thread.
- `abandon_all()` and `when_idle(callback)` are for locking and signing out: the screens the
  running work would report to are gone, so its results are dropped (a bug is still logged),
  and the database is closed only once the work has let go of it.
- `listen(slot)` is how a page hears that something changed. Services publish through
  app/services/changes.py on whichever thread did the work; this module is the one listener
  there, and hands each change to the GUI thread. Changes published by an operation's work are
  announced when it ends, after its `on_done` or `on_error`, as Anki does.

Tests call `run_immediately(True)`, so the work happens at once on the calling thread, with
the same callbacks in the same order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.crash_log import log_unexpected
from app.services import changes
from app.services.errors import known_problem_message
from app.ui.errors import tell_error

Failure = Callable[[BaseException], None]

# The progress indicator appears only for work that takes longer than this.
SHOW_PROGRESS_AFTER_MS = 300

_immediate = False


def run_immediately(flag: bool) -> None:
    global _immediate
    _immediate = flag


# -- what changed ------------------------------------------------------------------------------


class _Announcer(QObject):
    # Always emitted on the GUI thread, where this object lives.
    changed = Signal(object)
    # Emitted on any thread; Qt queues it to the GUI thread when it comes from another one.
    arrived = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.arrived.connect(self.changed)


_announcer: _Announcer | None = None
# Per thread: the changes published by the operation now running on it (None outside one).
_collecting = threading.local()


def _heard(change: changes.Change) -> None:
    collected = getattr(_collecting, "changes", None)
    if collected is not None:
        collected.append(change)
    elif _announcer is not None:
        _announcer.arrived.emit(change)


def listen(slot: Callable[[changes.Change], None]) -> Callable[[], None]:
    """Call `slot(change)` on the GUI thread after each change a service publishes.

    Make `slot` a method of a widget: Qt drops the connection when the widget is deleted.
    Returns a function that stops listening; calling it twice does no harm.
    """
    global _announcer
    if _announcer is None:
        # Made on the GUI thread by the first page that listens; it lasts as long as the app.
        _announcer = _Announcer()
        changes.subscribe(_heard)
    signal = _announcer.changed
    signal.connect(slot)
    listening = [True]

    def stop() -> None:
        if listening[0]:
            listening[0] = False
            signal.disconnect(slot)

    return stop


def _announce(collected: list[changes.Change]) -> None:
    if _announcer is not None:
        for change in collected:
            _announcer.changed.emit(change)


# -- failures ----------------------------------------------------------------------------------


class Attempt:
    """What `guarded` saw: `failed` is True (and `error` set) when the call raised."""

    failed = False
    error: Exception | None = None


def default_failure(parent: QWidget | None) -> Failure:
    """The failure handler used when a caller gives none: a message box over `parent`."""

    def show(exc: BaseException) -> None:
        tell_error(parent if parent is not None and shiboken6.isValid(parent) else None, exc)

    return show


@contextmanager
def guarded(on_error: Failure | None = None, parent: QWidget | None = None) -> Iterator[Attempt]:
    """A quick service call on the GUI thread, with the failure path `run` uses:

        with guarded(self.notice.show_problem) as call:
            members = staff.list_staff(self.ctx)
        if call.failed:
            return

    A failure goes to `on_error`, or a message box over `parent`, and does not escape.
    """
    attempt = Attempt()
    try:
        yield attempt
    except Exception as exc:  # every quick call's failure is caught here, then shown, never lost
        attempt.failed, attempt.error = True, exc
        (on_error or default_failure(parent))(exc)


# -- slow work ---------------------------------------------------------------------------------


def _attempt(work: Callable[[], Any]) -> tuple[bool, Any, list[changes.Change]]:
    """Run `work`, keeping what it changed; returns instead of raising."""
    previous = getattr(_collecting, "changes", None)
    _collecting.changes = collected = []
    try:
        return True, work(), collected
    except BaseException as exc:  # handed to the GUI thread: shown if an Exception, else re-raised
        return False, exc, collected
    finally:
        _collecting.changes = previous


class _Operation(QObject):
    """One `run`: lives on the GUI thread, so its slots run there whichever thread emits."""

    ended = Signal(bool, object, object)

    def __init__(self, parent: QWidget | None, label: str, on_done: Callable[[Any], None] | None,
                 on_error: Failure | None) -> None:
        super().__init__()
        self.parent_widget = parent
        self.on_done = on_done
        self.on_error = on_error or default_failure(parent)
        # Set when the session it belongs to ended (locked, signed out) while it ran.
        self.abandoned = False
        self.progress: QProgressDialog | None = None
        self.ended.connect(self._ended)
        if not _immediate:
            self.progress = _progress(parent, label)

    def _ended(self, ok: bool, value: Any, collected: list[changes.Change]) -> None:
        _running.discard(self)
        progress, self.progress = self.progress, None
        if progress is not None and shiboken6.isValid(progress):
            progress.close()
            progress.deleteLater()
        try:
            if not ok and not isinstance(value, Exception):
                raise value  # KeyboardInterrupt, SystemExit: not a failure to show
            if self.abandoned:
                # Nobody is left to tell, and the lock screen must show nothing; a bug is still
                # worth knowing about.
                if not ok and known_problem_message(value) is None:
                    log_unexpected(value)
            elif ok:
                if self.on_done is not None:
                    self.on_done(value)
            else:
                self.on_error(value)
        finally:
            _announce(collected)
            if not _running:
                _run_idle_waiters()


def _progress(parent: QWidget | None, label: str) -> QProgressDialog:
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setWindowTitle("Confide")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setAccessibleName(label)
    # Wide enough that the label reads as a sentence rather than a cramped caption.
    progress.setMinimumWidth(progress.fontMetrics().averageCharWidth() * 56)
    progress.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
    # Qt 6 starts the show-after timer only when a value is set: without this it never shows.
    progress.setValue(0)
    return progress


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], operation: _Operation) -> None:
        super().__init__()
        self.work = work
        self.operation = operation

    def run(self) -> None:
        self.operation.ended.emit(*_attempt(self.work))


_running: set[_Operation] = set()
_idle_waiters: list[Callable[[], None]] = []


def busy() -> bool:
    """Whether work is running on a worker thread (locking now would pull the database away)."""
    return bool(_running)


def abandon_all() -> None:
    """The session the running work belongs to has ended: drop its results when it ends."""
    for operation in _running:
        operation.abandoned = True


def when_idle(callback: Callable[[], None]) -> None:
    """Call `callback` on the GUI thread now, or once the last running work has ended."""
    if _running:
        _idle_waiters.append(callback)
    else:
        callback()


def _run_idle_waiters() -> None:
    while _idle_waiters and not _running:
        _idle_waiters.pop(0)()


def run(parent: QWidget | None, label: str, work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None, on_error: Failure | None = None) -> None:
    """Run `work` off the GUI thread behind a progress indicator saying `label`; then, on the
    GUI thread, `on_done(result)` or `on_error(exc)` (by default a message over `parent`),
    then the changes the work published are announced."""
    operation = _Operation(parent, label, on_done, on_error)
    if _immediate:
        operation._ended(*_attempt(work))
        return
    _running.add(operation)
    QThreadPool.globalInstance().start(_Job(work, operation))
