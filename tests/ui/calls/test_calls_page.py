"""The Calls page in the main window: Ctrl+N from anywhere, drafts over a lock, Calls ↔ Cases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.calls import calls
from app.services.cases.fields import ConsentMethod
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.ui.shell.main_window import MainWindow, PageSpec, default_page_specs
from app.ui.shell.pages import Page
from tests.conftest import MANAGER_PASSWORD
from tests.services.case_helpers import open_case_for
from tests.ui.calls.conftest import calls_page, click, new_call_form, type_into
from tests.ui.helpers import accept_agreement, flush_deletions, texts_containing

pytestmark = pytest.mark.gui

DRAFT_SUMMARY = "Half-typed: worried about the Zephyrine Academy transfer"


def test_ctrl_n_from_another_page_opens_an_empty_anonymous_form(qtbot, window: MainWindow) -> None:
    window.show_page("reports")
    assert window.current_page() is not calls_page(window)
    assert window.new_call_action.shortcut().toString() == "Ctrl+N"
    assert window.new_call_action in window.toolbar.actions()
    form = new_call_form(qtbot, window)
    assert form.anonymous.isChecked() and form.fields.summary.toPlainText() == ""
    # Ctrl+N again while typing keeps what is typed rather than starting over.
    form.fields.summary.setPlainText("keep me")
    window.show_page("admin")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert calls_page(window).is_form_open() and form.fields.summary.toPlainText() == "keep me"


def test_draft_survives_lock_and_nothing_holds_it_while_locked(qtbot, window: MainWindow,
                                                               manager: SignedIn) -> None:
    form = new_call_form(qtbot, window)
    click(qtbot, form.named)
    click(qtbot, form.consent.explained)
    click(qtbot, form.consent.agreed)
    form.consent.method.setCurrentIndex(form.consent.method.findData(ConsentMethod.EMAIL.value))
    type_into(qtbot, form.new_case_panel.parents[0].edits["full_name"], "Ada Zephyrine")
    type_into(qtbot, form.fields.summary, DRAFT_SUMMARY)
    form.fields.duration.setValue(17)
    assert texts_containing("Zephyrine")

    window.lock_action.trigger()
    flush_deletions()
    assert window.is_locked and texts_containing("Zephyrine") == []
    screen = window.lock_screen
    assert screen is not None
    screen.form.password.setText(MANAGER_PASSWORD)
    qtbot.mouseClick(screen.form.button, Qt.MouseButton.LeftButton)
    assert not window.is_locked

    page = calls_page(window)
    assert page.is_form_open() and window.current_page() is page
    restored = page.form
    assert restored is not form
    assert restored.named.isChecked() and restored.consent.is_yes()
    assert restored.fields.summary.toPlainText() == DRAFT_SUMMARY
    assert restored.fields.duration.value() == 17
    assert restored.new_case_panel.parents[0].edits["full_name"].text() == "Ada Zephyrine"
    assert calls.recent_calls(window.ctx) == []


def test_cancel_asks_before_discarding(qtbot, window: MainWindow, monkeypatch) -> None:
    form = new_call_form(qtbot, window)
    form.fields.summary.setPlainText("Something typed")
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(title)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.keyClick(form.fields.summary, Qt.Key.Key_Escape)
    assert calls_page(window).is_form_open() and form.fields.summary.toPlainText() == "Something typed"
    click(qtbot, form.cancel_button)
    assert not calls_page(window).is_form_open() and asked == ["Discard this call?"] * 2
    assert form.fields.summary.toPlainText() == ""


class FakeCasesPage(Page):
    """Stands in for the Cases page: the same two-way contract the real one offers."""

    title = "Cases"
    new_call_requested = Signal(int)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.opened: list[int] = []

    def open_case(self, case_id: int) -> None:
        self.opened.append(case_id)


def test_calls_and_cases_hand_over_through_the_window(qtbot, vault: Vault, manager: SignedIn) -> None:
    accept_agreement(manager)
    specs = [spec if spec.key != "cases" else PageSpec("cases", "Cases", FakeCasesPage, spec.shown_to)
             for spec in default_page_specs()]
    existing = open_case_for(manager, surname="Marchbank")
    window = MainWindow(vault, manager, specs)
    qtbot.addWidget(window)
    window.show()
    cases_page = window.page("cases")
    assert isinstance(cases_page, FakeCasesPage)

    window.show_page("cases")
    cases_page.new_call_requested.emit(existing.case_id)
    page = calls_page(window)
    assert window.current_page() is page and page.is_form_open()
    assert page.form.named.isChecked() and page.form.attach.isChecked()
    chosen = page.form.picker.selected()
    assert chosen is not None and chosen.id == existing.case_id

    # From the recent-calls list, "Open the case" goes back to the Cases page.
    page.form.reset()
    page.show_list()
    page.list.recent.selectRow(0)
    assert page.list.selected(page.list.recent).case_id == existing.case_id
    click(qtbot, page.list.recent_open)
    assert window.current_page() is cases_page and cases_page.opened == [existing.case_id]


def test_open_the_case_after_saving_a_named_call(qtbot, vault: Vault, manager: SignedIn) -> None:
    accept_agreement(manager)
    specs = [spec if spec.key != "cases" else PageSpec("cases", "Cases", FakeCasesPage, spec.shown_to)
             for spec in default_page_specs()]
    existing = open_case_for(manager, surname="Marchbank")
    window = MainWindow(vault, manager, specs)
    qtbot.addWidget(window)
    window.show()
    window.new_call(existing.case_id)
    page = calls_page(window)
    form = page.form
    click(qtbot, form.consent.explained)
    click(qtbot, form.consent.agreed)
    form.consent.method.setCurrentIndex(1)
    click(qtbot, form.save_button)
    assert not page.is_form_open() and page.list.notice_open.isVisible()
    click(qtbot, page.list.notice_open)
    cases_page = window.page("cases")
    assert isinstance(cases_page, FakeCasesPage)
    assert window.current_page() is cases_page and cases_page.opened == [existing.case_id]
