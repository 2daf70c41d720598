"""The case view: notes with history, safeguarding, coded references and left messages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.services.cases import cases, contact
from app.services.cases.contact import ContactPreferences
from app.services.context import SignedIn
from app.ui.calls.widgets import choose
from app.ui.cases import CasesPage
from app.ui.cases.breach_dialog import BreachDialog
from app.ui.cases.people_dialogs import ChildDialog, MessageDialog
from tests.services.case_helpers import open_case_for

pytestmark = pytest.mark.gui


def opened(make_page, ctx: SignedIn, surname: str = "Quillfeather") -> tuple[CasesPage, int]:
    record = open_case_for(ctx, surname)
    assert record.case_id is not None
    page = make_page(ctx)
    page.open_case(record.case_id)
    assert page.view.case is not None
    return page, record.case_id


def note_texts(page: CasesPage) -> list[str]:
    notes = page.view.notes.list
    return [notes.item(row).text() for row in range(notes.count())]


def test_add_a_note_then_change_it_and_read_its_history(qtbot, make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    tab = page.view.notes
    page.view.tabs.setCurrentWidget(tab)
    tab.editor.setPlainText("Mum will ask the school for the SEN support plan.")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.editor.toPlainText() == ""
    assert "Mum will ask the school for the SEN support plan." in note_texts(page)[0]
    assert "by Alex Adviser" in note_texts(page)[0]

    tab.list.setCurrentRow(0)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    assert tab.editor.toPlainText() == "Mum will ask the school for the SEN support plan."
    tab.editor.setPlainText("Mum has asked the school for the SEN support plan.")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "Mum has asked" in note_texts(page)[0] and "changed" in note_texts(page)[0]

    tab.list.setCurrentRow(0)
    qtbot.mouseClick(tab.history_button, Qt.MouseButton.LeftButton)
    assert tab.history.isVisible()
    assert "Mum will ask the school for the SEN support plan." in tab.history.text()


def test_an_empty_note_is_refused_in_words(qtbot, make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    qtbot.mouseClick(page.view.notes.save_button, Qt.MouseButton.LeftButton)
    assert page.view.notes.notice.kind == "error" and page.view.notes.notice.text()
    assert note_texts(page) == ["No notes yet. Write one below."]


def test_breach_decision_is_recorded_and_raises_the_banner(qtbot, make_page,
                                                           adviser: SignedIn) -> None:
    page, case_id = opened(make_page, adviser)
    assert not page.view.banner.isVisible()
    tab = page.view.safeguarding
    qtbot.mouseClick(tab.breach_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, BreachDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("concern")  # nothing typed: the concern is asked for first
    dialog.concern.setPlainText("Child said they are afraid to go home.")
    dialog.consulted.setText("Margaret Manager (line manager)")
    dialog.decision.setPlainText("Refer to children's social care today.")
    dialog.share.setChecked(True)
    dialog.agencies.name.setText("Children's social care")
    choose(dialog.agencies.kind, "social care")
    dialog.parent_told.setChecked(True)
    dialog.told_at.setText("31/02/2024 10:00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("parent_told_at")
    dialog.told_at.setText("01/02/2024 10:00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert tab.dialog is None
    assert page.view.banner.isVisible()
    assert "Safeguarding concern" in page.view.banner.label.text()
    assert "by Alex Adviser" in page.view.banner.label.text()
    breach = [n.breach for n in cases.reload_case(adviser, case_id).notes if n.breach]
    assert breach and breach[0].consulted == "Margaret Manager (line manager)"
    assert breach[0].parent_told and breach[0].parent_told_at is not None
    assert "Refer to children's social care today." in tab.list.item(0).text()


def test_copy_coded_reference_never_copies_the_name(qtbot, make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    child = page.view.case.children[0]  # type: ignore[union-attr]
    page.view.people.copy_coded_reference(child.id)
    copied = QGuiApplication.clipboard().text()
    assert copied == "J.Q. 03/2015"
    assert "John" not in copied and "Quillfeather" not in copied


def test_leave_a_message_is_refused_when_preferences_forbid(qtbot, make_page,
                                                            adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    parent_id = page.view.case.parents[0].id  # type: ignore[union-attr]
    page.view.people.leave_message(parent_id)
    dialog = page.view.people.dialog
    assert isinstance(dialog, MessageDialog)
    assert "No contact preferences are recorded" in dialog.shown_text()
    dialog.reject()

    contact.set_contact_preferences(adviser, parent_id, ContactPreferences(
        use_mobile=True, voicemail_allowed=True))
    page.view.people.leave_message(parent_id)
    dialog = page.view.people.dialog
    assert isinstance(dialog, MessageDialog)
    assert dialog.shown_text() == ("This is a message for Mrs Quillfeather. Alex called. "
                                   "Please ring back on 01908 000000.")
    dialog.way.setCurrentIndex(1)  # with someone else: not agreed
    assert "has not agreed to a message being left with a colleague" in dialog.shown_text()
    assert "Quillfeather" not in dialog.shown_text()


def test_child_form_shows_errors_next_to_fields(qtbot, make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    qtbot.mouseClick(page.view.people.add_child_button, Qt.MouseButton.LeftButton)
    dialog = page.view.people.dialog
    assert isinstance(dialog, ChildDialog)
    dialog.full_name.setText("Poppy Quillfeather")
    dialog.date_of_birth.setText("31/02/2016")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not a real date" in dialog.errors.message("date_of_birth")
    dialog.date_of_birth.setText("14/07/2016")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert [c.full_name for c in page.view.case.children] == [  # type: ignore[union-attr]
        "John Quillfeather", "Poppy Quillfeather"]


def test_log_a_call_button_asks_for_a_call_on_this_case(qtbot, make_page, adviser: SignedIn) -> None:
    page, case_id = opened(make_page, adviser)
    with qtbot.waitSignal(page.new_call_requested) as signal:
        qtbot.mouseClick(page.view.call_button, Qt.MouseButton.LeftButton)
    assert signal.args == [case_id]
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.view.tabs.setFocus()
    with qtbot.waitSignal(page.new_call_requested) as signal:
        qtbot.keyClick(page.view.tabs, Qt.Key.Key_N,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert signal.args == [case_id]


def test_every_tab_has_its_own_letter(make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    labels = [page.view.tabs.tabText(i) for i in range(page.view.tabs.count())]
    assert [label.replace("&", "") for label in labels] == [
        "People", "Calls", "Notes", "Follow-ups", "Advisers", "Status", "Safeguarding", "Consent",
        "Diary", "Letters", "Retention"]
    letters = [label[label.index("&") + 1].casefold() for label in labels]
    assert len(set(letters)) == len(letters)


def test_no_button_on_a_tab_takes_a_tab_letter(make_page, adviser: SignedIn) -> None:
    import re as _re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    def letter(text: str) -> str | None:
        found = _re.search(r"&([^&])", text)
        return found.group(1).casefold() if found else None

    page, _ = opened(make_page, adviser)
    tabs = page.view.tabs
    taken = {letter(tabs.tabText(i)) for i in range(tabs.count())} | {letter(page.view.back_button.text())}
    for index in range(tabs.count()):
        tab = tabs.widget(index)
        own = [w.text() for w in tab.findChildren(QAbstractButton) + tab.findChildren(QLabel)]
        clashes = [text for text in own if letter(text) in taken]
        assert clashes == [], tabs.tabText(index)
