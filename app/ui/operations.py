"""Running slow service calls off the GUI thread, with results routed back to it.

Tests call `run_immediately(True)` so the work happens at once on the calling thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

_immediate = False


def run_immediately(flag: bool) -> None:
    global _immediate
    _immediate = flag


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self.relay.failed.emit(exc)
        else:
            self.relay.finished.emit(result)


_running: set[_Relay] = set()


def busy() -> bool:
    """Whether work is running on a worker thread (locking now would pull the database away)."""
    return bool(_running)


def run(
    parent: QWidget | None,
    label: str,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Run `work` on a worker thread behind a progress dialog; call back on the GUI thread."""
    if _immediate:
        try:
            result = work()
        except Exception as exc:
            on_error(exc)
        else:
            on_done(result)
        return
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAccessibleName(label)
    relay = _Relay()
    _running.add(relay)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        progress.close()
        _running.discard(relay)
        callback(value)

    relay.finished.connect(lambda value: finish(on_done, value))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(_Job(work, relay))
