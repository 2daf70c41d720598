"""Copied text is marked secret and cleared again, but only if it is still ours."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.ui.widgets import clipboard

pytestmark = pytest.mark.gui


def test_copied_text_carries_the_secret_hint(qtbot) -> None:
    clipboard.copy_text("C-2026-0042")
    mime = QApplication.clipboard().mimeData()
    assert mime.text() == "C-2026-0042"
    assert bytes(mime.data(clipboard.SECRET_HINT)) == b"secret"
    assert clipboard.holds_ours()
    assert clipboard.clear_if_ours()
    assert QApplication.clipboard().text() == ""


def test_cleared_after_the_time_runs_out(qtbot) -> None:
    clipboard.copy_text("01908 000000", clear_after_ms=100)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=2000)
    assert not clipboard.holds_ours()


def test_someone_elses_later_copy_is_left_alone(qtbot) -> None:
    clipboard.copy_text("01908 000000", clear_after_ms=100)
    QApplication.clipboard().setText("their own text")
    qtbot.wait(250)
    assert QApplication.clipboard().text() == "their own text"
    assert not clipboard.clear_if_ours()
    assert QApplication.clipboard().text() == "their own text"


def test_a_second_copy_restarts_the_time(qtbot) -> None:
    clipboard.copy_text("first", clear_after_ms=300)
    qtbot.wait(200)
    clipboard.copy_text("second", clear_after_ms=300)
    qtbot.wait(200)
    assert QApplication.clipboard().text() == "second"
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=2000)
