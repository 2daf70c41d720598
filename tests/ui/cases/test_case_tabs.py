"""The case view's Status and Advisers tabs, driven through their buttons."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.cases import cases
from app.services.cases.fields import CaseStatus
from app.services.context import SignedIn
from app.services.people import Role
from app.services.staff import staff
from tests.services.case_helpers import open_case_for
from tests.ui.cases.test_case_view import opened

pytestmark = pytest.mark.gui


def press(qtbot, box: object, text: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(box, QMessageBox)
    button = next(b for b in box.buttons() if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_close_then_reopen_after_confirming(qtbot, make_page, adviser: SignedIn) -> None:  # type: ignore[no-untyped-def]
    page, case_id = opened(make_page, adviser)
    tab = page.view.status
    page.view.tabs.setCurrentWidget(tab)
    assert tab.close_button.isEnabled() and not tab.reopen_button.isEnabled()

    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    press(qtbot, tab.dialog, "Cancel")
    assert cases.reload_case(adviser, case_id).status is CaseStatus.OPEN

    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    press(qtbot, tab.dialog, "Close case")
    assert cases.reload_case(adviser, case_id).status is CaseStatus.CLOSED
    assert tab.reopen_button.isEnabled() and not tab.close_button.isEnabled()

    qtbot.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    press(qtbot, tab.dialog, "Reopen case")
    view = cases.reload_case(adviser, case_id)
    assert view.status is CaseStatus.OPEN and view.reopened
    assert "reopened" in page.view.title.text()
    assert any("reopened" in tab.list.item(row).text() for row in range(tab.list.count()))


def test_manager_assigns_and_unassigns_an_adviser(qtbot, make_page, manager: SignedIn,  # type: ignore[no-untyped-def]
                                                  adviser: SignedIn) -> None:
    colleague = staff.add_staff(manager, "Bea Backup", "bea", Role.ADVISER,
                                "bea's own password 1", "bea's own password 1")
    page, case_id = opened(make_page, manager)
    tab = page.view.advisers
    page.view.tabs.setCurrentWidget(tab)
    tab.people.setCurrentIndex(tab.people.findData(colleague.id))
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    assigned = {a.id for a in cases.reload_case(manager, case_id).advisers}
    assert colleague.id in assigned
    names = [tab.list.item(row).text() for row in range(tab.list.count())]
    assert "Bea Backup" in names

    tab.list.setCurrentRow(names.index("Bea Backup"))
    qtbot.mouseClick(tab.unassign_button, Qt.MouseButton.LeftButton)
    assert colleague.id not in {a.id for a in cases.reload_case(manager, case_id).advisers}


def test_an_adviser_cannot_change_who_is_assigned(qtbot, make_page, adviser: SignedIn) -> None:  # type: ignore[no-untyped-def]
    page, _ = opened(make_page, adviser)
    tab = page.view.advisers
    page.view.tabs.setCurrentWidget(tab)
    assert not tab.assign_button.isVisible() and not tab.unassign_button.isVisible()


def test_mark_a_follow_up_done_from_the_case(qtbot, make_page, adviser: SignedIn) -> None:  # type: ignore[no-untyped-def]
    record = open_case_for(adviser, "Quillfeather", follow_up_date=date.today())
    page = make_page(adviser)
    page.open_case(record.case_id or 0)
    tab = page.view.follow_ups
    page.view.tabs.setCurrentWidget(tab)
    assert tab.list.count() == 1 and tab.list.item(0).text().startswith("Due ")

    qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    assert "Select a follow-up" in tab.notice.text()
    assert cases.reload_case(adviser, record.case_id or 0).follow_ups

    tab.list.setCurrentRow(0)
    qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    assert cases.reload_case(adviser, record.case_id or 0).follow_ups == ()
    qtbot.waitUntil(lambda: tab.list.item(0).text().startswith("Done "), timeout=2000)
    tab.list.setCurrentRow(0)
    qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    assert "still due" in tab.notice.text()
