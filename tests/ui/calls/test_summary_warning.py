"""A summary that looks identifying keeps the form open: edit it and save, or save anyway."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from app.services import audit
from app.services.calls import calls
from app.services.context import SignedIn
from app.ui.calls.call_form import CallForm
from app.ui.shell.main_window import MainWindow
from tests.ui.calls.conftest import calls_page, click, new_call_form, type_into

pytestmark = pytest.mark.gui

IDENTIFYING = "Jamie's mum rang from 07700 900123 about transport."


def press_save(qtbot, form: CallForm) -> None:
    qtbot.keyClick(form.fields.summary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_edit_the_summary_and_save_again(qtbot, window: MainWindow, manager: SignedIn) -> None:
    form = new_call_form(qtbot, window)
    assert not form.fields.save_anyway.isVisible()
    type_into(qtbot, form.fields.summary, IDENTIFYING)
    press_save(qtbot, form)

    assert calls_page(window).is_form_open() and calls.recent_calls(manager) == []
    message = form.errors.message("summary")
    assert "This looks like a phone number: 07700 900123" in message
    assert "Jamie looks like a name" in message
    assert form.fields.summary.toPlainText() == IDENTIFYING
    assert form.fields.save_anyway.isVisible()

    # Still a name after editing: Ctrl+S checks again, and says what is left.
    form.fields.summary.selectAll()
    type_into(qtbot, form.fields.summary, "Jamie's mum rang about transport.")
    assert not form.fields.save_anyway.isVisible()
    press_save(qtbot, form)
    assert calls_page(window).is_form_open()
    assert "phone" not in form.errors.message("summary")
    assert "Jamie looks like a name" in form.errors.message("summary")

    form.fields.summary.selectAll()
    type_into(qtbot, form.fields.summary, "Mum rang about transport.")
    press_save(qtbot, form)
    assert not calls_page(window).is_form_open()
    assert calls.recent_calls(manager)[0].summary == "Mum rang about transport."


def test_save_anyway_keeps_the_summary_and_audits_the_kinds(qtbot, window: MainWindow,
                                                             manager: SignedIn) -> None:
    form = new_call_form(qtbot, window)
    type_into(qtbot, form.fields.summary, IDENTIFYING)
    press_save(qtbot, form)
    assert form.fields.save_anyway.isVisible()
    click(qtbot, form.fields.save_anyway)

    assert not calls_page(window).is_form_open()
    assert calls.recent_calls(manager)[0].summary == IDENTIFYING
    logged = audit.list_events(manager, audit.AuditFilter(action="call logged"))[0]
    assert "phone number" in logged.detail and "name" in logged.detail
    assert "Jamie" not in logged.detail and "07700" not in logged.detail
    # The next call starts without the offer.
    form = new_call_form(qtbot, window)
    assert not form.fields.save_anyway.isVisible()


def test_what_was_found_and_save_anyway_come_into_view_on_a_small_screen(
        qtbot, window: MainWindow) -> None:
    """At 1024×700 the summary is the last field; Ctrl+S must not seem to do nothing."""
    window.resize(1024, 700)
    form = new_call_form(qtbot, window)
    type_into(qtbot, form.fields.summary, IDENTIFYING)
    press_save(qtbot, form)

    area = form.findChild(QScrollArea)
    assert area is not None

    def on_screen(widget) -> bool:  # type: ignore[no-untyped-def]
        bottom = widget.mapTo(area.viewport(), QPoint(0, widget.height())).y()
        return widget.isVisible() and 0 <= bottom <= area.viewport().height()

    qtbot.waitUntil(lambda: on_screen(form.fields.save_anyway))
    assert on_screen(form.errors.fields["summary"])
