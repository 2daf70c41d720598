"""The Retention tab of a case: dates, legal hold, Everything we hold and Remove this family."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from app.services.cases import cases
from app.services.cases.cases import CaseFilter
from app.services.cases.fields import CaseStatus
from app.services.context import SignedIn
from app.services.retention import retention
from app.ui.cases.retention_tab import EverythingDialog, HoldDialog, RemoveDialog
from tests.services.retention.test_retention import family_case
from tests.ui.cases.test_case_list import shown_column
from tests.ui.cases.test_case_view import opened

pytestmark = pytest.mark.gui


def test_dates_and_a_legal_hold_placed_and_lifted(qtbot, make_page, manager: SignedIn) -> None:
    page, _ = opened(make_page, manager)
    tab = page.view.retention
    page.view.tabs.setCurrentWidget(tab)
    assert "Archived on" in tab.schedule.text() and "destroyed on" in tab.schedule.text()
    qtbot.mouseClick(tab.hold_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, HoldDialog)
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.errors.message("hold_reason")  # a reason is needed
    dialog.reason.setText("Tribunal appeal pending")
    dialog.ok_button.click()
    page.reload()
    assert page.view.retention.hold_text.text() == "On legal hold: Tribunal appeal pending"
    assert "kept while the legal hold lasts" in tab.schedule.text()
    assert not tab.remove_button.isEnabled()
    qtbot.mouseClick(tab.lift_button, Qt.MouseButton.LeftButton)
    assert isinstance(tab.dialog, HoldDialog)
    tab.dialog.reason.setText("Appeal decided")
    tab.dialog.ok_button.click()
    page.reload()
    assert tab.hold_text.text() == "Not on legal hold."


def test_everything_we_hold_redacts_the_ticked_notes(qtbot, make_page, manager: SignedIn) -> None:
    page, case_id = opened(make_page, manager)
    cases.add_note(manager, case_id, "Neighbour Agatha says things")
    page.reload()
    tab = page.view.retention
    page.view.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.everything_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, EverythingDialog)
    dialog.notes.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.redacted_ids() == [page.view.case.notes[0].id]
    assert dialog.make_pdf().startswith(b"%PDF")
    unnamed = [w for w in dialog.findChildren(QAbstractButton) if not w.accessibleName()]
    assert unnamed == []
    dialog.reject()


def test_remove_this_family_goes_back_to_the_list(qtbot, make_page, manager: SignedIn) -> None:
    page, _ = opened(make_page, manager)
    tab = page.view.retention
    page.view.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RemoveDialog)
    dialog.reference.setText("C-1999-0001")
    dialog.ok_button.click()
    assert dialog.isVisible() and "Type the case reference" in dialog.errors.message("reference")
    dialog.reference.setText(page.view.case.reference)
    with qtbot.waitSignal(page.view.case_destroyed):
        dialog.ok_button.click()
    assert cases.list_cases(manager, CaseFilter(mine=False)) == []


def test_advisers_see_dates_but_not_the_managers_buttons(make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    tab = page.view.retention
    assert all(not b.isVisibleTo(tab) for b in (tab.hold_button, tab.lift_button,
                                                tab.everything_button, tab.remove_button))
    assert "Archived on" in tab.schedule.text()


def test_archived_cases_show_as_read_only_and_only_managers_find_them(
        qtbot, make_page, manager: SignedIn, adviser: SignedIn) -> None:
    start = datetime(2026, 1, 10, 9, 30)
    with time_machine.travel(start, tick=False):
        case_id = family_case(adviser, "Archerby")
    with time_machine.travel(start + timedelta(days=200), tick=False):
        retention.run(manager)
    adviser_page = make_page(adviser)
    own = adviser_page.list.filter
    assert "Archived cases" not in [own.itemText(i) for i in range(own.count())]
    page = make_page(manager)
    page.list.filter.setCurrentIndex(page.list.filter.findText("Archived cases"))
    assert shown_column(page, 2) == ["Jane Archerby"]
    page.open_case(case_id)
    dialog = page.dialog
    assert dialog is not None
    dialog.reason.setText("Family rang again")  # type: ignore[attr-defined]
    dialog.ok_button.click()  # type: ignore[attr-defined]
    assert page.view.case is not None and page.view.case.status is CaseStatus.ARCHIVED
    assert page.view.archived.isVisibleTo(page.view) and not page.view.call_button.isEnabled()
