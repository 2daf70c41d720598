"""The case list and search: advisers see their own cases only; managers give a reason to open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import audit
from app.services.audit import AuditFilter
from app.services.cases import cases
from app.services.context import SignedIn
from app.ui.cases import CasesPage, case_list
from app.ui.cases.case_list import SAFEGUARDING_MARK
from app.ui.cases.reason_dialog import ReasonDialog
from tests.services.case_helpers import open_case_for

pytestmark = pytest.mark.gui


def shown_column(page: CasesPage, column: int) -> list[str]:
    model = page.list.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_adviser_lists_and_finds_only_own_cases(qtbot, make_page, manager: SignedIn,
                                                adviser: SignedIn) -> None:
    open_case_for(adviser, "Quillfeather")
    open_case_for(manager, "Marrowby")
    page = make_page(adviser)
    for index in range(page.list.filter.count()):
        page.list.filter.setCurrentIndex(index)
        assert all("Marrowby" not in name for name in shown_column(page, 2))
    page.list.filter.setCurrentIndex(1)
    assert shown_column(page, 2) == ["Jane Quillfeather"]
    assert shown_column(page, 3) == ["John Quillfeather"]
    assert shown_column(page, 5) == ["Alex Adviser"]

    qtbot.keyClicks(page.list.search, "Marrowby")
    qtbot.waitUntil(lambda: page.list.count.text() == "No cases match.", timeout=2000)
    page.list.search.clear()
    qtbot.keyClicks(page.list.search, "Quill")
    qtbot.waitUntil(lambda: shown_column(page, 2) == ["Jane Quillfeather"], timeout=2000)


def test_search_waits_for_a_pause_in_typing(qtbot, make_page, manager: SignedIn) -> None:
    open_case_for(manager, "Quillfeather")
    page = make_page(manager)
    before = len(audit.list_events(manager,
                                   AuditFilter(action="cases searched")))
    qtbot.keyClicks(page.list.search, "Quillfeather")
    qtbot.waitUntil(lambda: page.list.count.text() == "1 case found.", timeout=2000)
    assert shown_column(page, 2) == ["Jane Quillfeather"]
    after = len(audit.list_events(manager,
                                  AuditFilter(action="cases searched")))
    assert after - before == 1


def test_manager_must_give_a_reason_for_an_unassigned_case(qtbot, make_page, manager: SignedIn,
                                                           adviser: SignedIn) -> None:
    record = open_case_for(adviser, "Quillfeather")
    page = make_page(manager)
    page.list.filter.setCurrentIndex(2)  # every open case
    assert shown_column(page, 1) == [record.case_reference]
    page.list.table.selectRow(0)
    qtbot.mouseClick(page.list.open_button, Qt.MouseButton.LeftButton)

    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.reject()
    assert page.stack.currentWidget() is page.list
    assert page.view.case is None

    qtbot.mouseClick(page.list.open_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason typed
    assert dialog.isVisible() and dialog.general.text()
    dialog.reason.setText("Covering while Alex is on leave")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert page.stack.currentWidget() is page.view
    assert page.view.case is not None and page.view.case.id == record.case_id
    assert "Viewed by manager Margaret Manager: Covering while Alex is on leave" in \
        page.view.manager_views.text()
    events = audit.list_events(manager,
                               AuditFilter(action="case accessed by manager"))
    assert events[0].target == f"case:{record.case_reference}"
    assert "Covering while Alex is on leave" in str(events[0].detail)


def test_safeguarding_shows_in_the_list_in_words_and_on_the_case(qtbot, make_page,
                                                               manager: SignedIn) -> None:
    flagged = open_case_for(manager, "Quillfeather")
    open_case_for(manager, "Marrowby")
    cases.set_safeguarding_flag(manager, flagged.case_id, True)
    page = make_page(manager)
    marks = dict(zip(shown_column(page, 2), shown_column(page, 0), strict=True))
    assert marks == {"Jane Quillfeather": SAFEGUARDING_MARK, "Jane Marrowby": ""}

    page.open_case(flagged.case_id)
    assert page.view.banner.isVisible()
    assert "Safeguarding concern" in page.view.banner.label.text()


def test_a_broad_search_says_more_cases_match(qtbot, make_page, manager: SignedIn,
                                              monkeypatch) -> None:
    for surname in ("Quillfeather", "Quillon"):
        open_case_for(manager, surname)
    monkeypatch.setattr(case_list, "SHOWN", 1)
    page = make_page(manager)
    qtbot.keyClicks(page.list.search, "Quill")
    qtbot.waitUntil(lambda: "type more" in page.list.count.text(), timeout=2000)
    assert shown_column(page, 2) == ["Jane Quillon"]
    assert page.list.count.accessibleName() == page.list.count.text()
