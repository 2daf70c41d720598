"""Operations: failures shown by default, slow work off the GUI thread behind a progress
indicator, and what changed announced on the GUI thread (app/ui/operations.py)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog, QWidget

from app.services import changes
from app.services.people import InvalidInput
from app.ui import operations
from app.ui.errors import APOLOGY

pytestmark = pytest.mark.gui


class Listener(QWidget):
    """A page stand-in: notes each change it hears and on which thread."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str, bool]] = []
        self.stop = operations.listen(self.changed)

    def changed(self, change: changes.Change) -> None:
        on_gui_thread = QThread.currentThread() == QApplication.instance().thread()
        self.heard.append((change.kind, on_gui_thread))


@pytest.fixture
def window(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def listener(qtbot) -> Iterator[Listener]:  # type: ignore[no-untyped-def]
    page = Listener()
    qtbot.addWidget(page)
    yield page
    page.stop()


@pytest.fixture
def threaded() -> Iterator[None]:
    operations.run_immediately(False)
    yield
    operations.run_immediately(True)


def shown_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def close_boxes() -> None:
    for box in shown_boxes():
        box.close()


def refuse() -> None:
    raise InvalidInput("Enter the family's surname.", "surname")


def test_a_known_problem_is_shown_over_the_window_when_no_handler_is_given(window: QWidget) -> None:
    operations.run(window, "Saving…", refuse)
    boxes = shown_boxes()
    try:
        assert [box.text() for box in boxes] == ["Enter the family's surname."]
        assert boxes[0].parentWidget() is window
    finally:
        close_boxes()


def test_a_bug_is_logged_without_its_message_and_apologised_for(
        window: QWidget, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise RuntimeError("about Jamie Quillfeather, 12 Elm Road")

    with caplog.at_level(logging.ERROR, logger="confide"):
        operations.run(window, "Saving…", broken)
    try:
        assert [box.text() for box in shown_boxes()] == [APOLOGY]
    finally:
        close_boxes()
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged and "Quillfeather" not in logged and "Elm Road" not in logged


def test_a_handler_given_takes_the_failure_instead(window: QWidget) -> None:
    failures: list[BaseException] = []
    done: list[object] = []
    operations.run(window, "Saving…", refuse, done.append, failures.append)
    assert shown_boxes() == [] and done == []
    assert isinstance(failures[0], InvalidInput) and failures[0].field == "surname"


def test_immediate_mode_runs_at_once_on_the_calling_thread_then_announces(
        window: QWidget, listener: Listener) -> None:
    order: list[str] = []

    def work() -> str:
        order.append("work on " + threading.current_thread().name)
        changes.publish(changes.CASE_CHANGED, "C-1")
        assert listener.heard == []  # announced when the operation ends, not while it works
        return "result"

    operations.run(window, "Saving…", work, lambda result: order.append(f"done {result}"))
    assert order == [f"work on {threading.current_thread().name}", "done result"]
    assert listener.heard == [(changes.CASE_CHANGED, True)]
    assert not operations.busy()


def test_changes_from_a_worker_thread_are_announced_on_the_gui_thread_after_on_done(
        qtbot, window: QWidget, listener: Listener, threaded: None) -> None:  # type: ignore[no-untyped-def]
    threads: list[str] = []
    heard_at_done: list[int] = []

    def work() -> int:
        threads.append(threading.current_thread().name)
        changes.publish(changes.DIARY_CHANGED)
        changes.publish(changes.CALL_LOGGED)
        return 7

    def done(result: int) -> None:
        heard_at_done.append(len(listener.heard))

    operations.run(window, "Saving…", work, done)
    assert operations.busy()
    qtbot.waitUntil(lambda: len(listener.heard) == 2, timeout=5000)
    assert threads and threads[0] != threading.current_thread().name
    assert heard_at_done == [0]
    assert listener.heard == [(changes.DIARY_CHANGED, True), (changes.CALL_LOGGED, True)]
    assert not operations.busy()


def test_a_failed_operation_still_announces_what_it_changed_before_failing(
        qtbot, window: QWidget, listener: Listener, threaded: None) -> None:  # type: ignore[no-untyped-def]
    failures: list[BaseException] = []

    def work() -> None:
        changes.publish(changes.CASE_DESTROYED, "C-2")  # committed before the failure
        refuse()

    operations.run(window, "Destroying…", work, on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert listener.heard == [(changes.CASE_DESTROYED, True)]


def test_a_change_outside_any_operation_is_announced_at_once(listener: Listener) -> None:
    changes.publish(changes.NOTE_CHANGED, "C-3")
    assert listener.heard == [(changes.NOTE_CHANGED, True)]
    listener.stop()
    listener.stop()  # stopping twice is harmless
    changes.publish(changes.NOTE_CHANGED, "C-3")
    assert len(listener.heard) == 1


def test_a_deleted_page_hears_nothing_and_breaks_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    import shiboken6

    page = Listener()
    shiboken6.delete(page)
    changes.publish(changes.CASE_CHANGED, "C-4")  # no error: Qt dropped the connection


def test_slow_work_shows_a_progress_indicator_until_it_ends(
        qtbot, window: QWidget, threaded: None, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    done: list[str] = []

    def slow() -> str:
        release.wait(10)
        return "made"

    operations.run(window, "Making the consent form…", slow, done.append)

    def progress() -> list[QProgressDialog]:
        return [w for w in window.findChildren(QProgressDialog) if w.isVisible()]

    qtbot.waitUntil(lambda: bool(progress()), timeout=5000)
    shown = progress()[0]
    assert shown.labelText() == "Making the consent form…"
    assert shown.accessibleName() == "Making the consent form…"
    assert shown.isModal()
    assert shown.grab().save(str(tmp_path / "progress.png"))
    release.set()
    qtbot.waitUntil(lambda: done == ["made"], timeout=5000)
    assert progress() == []


def test_quick_work_never_flashes_a_progress_indicator(
        qtbot, window: QWidget, threaded: None) -> None:  # type: ignore[no-untyped-def]
    done: list[int] = []
    operations.run(window, "Saving…", lambda: 1, done.append)
    qtbot.waitUntil(lambda: done == [1], timeout=5000)
    time.sleep(operations.SHOW_PROGRESS_AFTER_MS / 1000 + 0.1)
    QApplication.processEvents()
    assert not any(w.isVisible() for w in window.findChildren(QProgressDialog))


def test_guarded_sends_a_failure_to_its_handler_and_says_so(window: QWidget) -> None:
    label = QLabel(window)
    with operations.guarded(lambda exc: label.setText(str(exc))) as call:
        refuse()
        label.setText("not reached")
    assert call.failed and isinstance(call.error, InvalidInput)
    assert label.text() == "Enter the family's surname."
    with operations.guarded(lambda exc: label.setText("failed")) as call:
        label.setText("fine")
    assert not call.failed and call.error is None and label.text() == "fine"


def test_guarded_without_a_handler_shows_the_message_over_its_parent(window: QWidget) -> None:
    with operations.guarded(parent=window) as call:
        refuse()
    try:
        assert call.failed
        assert [box.text() for box in shown_boxes()] == ["Enter the family's surname."]
    finally:
        close_boxes()


def test_guarded_lets_interrupts_through(window: QWidget) -> None:
    with pytest.raises(KeyboardInterrupt), operations.guarded(lambda exc: None):
        raise KeyboardInterrupt
