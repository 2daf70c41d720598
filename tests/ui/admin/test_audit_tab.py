"""The Audit trail tab: events newest first, filters, and the check that nothing was altered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.people import Role
from app.services.staff import staff
from app.ui.admin import AdminPage
from app.ui.admin.audit_model import format_detail, local_time
from app.ui.admin.audit_tab import LIMIT, AuditTab

pytestmark = pytest.mark.gui

PASSWORD = "paper lantern orchard"


def shown_actions(tab: AuditTab) -> list[str]:
    return [tab.model.index(row, 3).data() for row in range(tab.model.rowCount())]


def show_audit(page: AdminPage, manager: SignedIn) -> AuditTab:
    staff.add_staff(manager, "Adam Adviser", "adam", Role.ADVISER, PASSWORD, PASSWORD)
    staff.add_staff(manager, "Chloe Coordinator", "chloe", Role.COORDINATOR, PASSWORD, PASSWORD)
    page.tabs.setCurrentWidget(page.audit_tab)  # each tab reloads when shown
    return page.audit_tab


def test_events_newest_first_in_local_time(page: AdminPage, manager: SignedIn) -> None:
    tab = show_audit(page, manager)
    entries = tab.model.entries
    assert len(entries) >= 4
    assert [e.id for e in entries] == sorted((e.id for e in entries), reverse=True)
    assert shown_actions(tab)[0] == "staff account created"
    assert "signed in" in shown_actions(tab)
    newest = entries[0]
    assert tab.model.index(0, 1).data() == local_time(newest.at).strftime("%d %b %Y %H:%M:%S")
    assert tab.model.index(0, 2).data() == "Margaret Manager (margaret)"
    assert tab.model.index(0, 5).data() == "role: coordinator"
    assert f"{len(entries)} events shown" in tab.count_note.text()


def test_filter_by_action_and_by_actor(qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    tab = show_audit(page, manager)
    combo = tab.action_combo
    combo.setCurrentIndex(combo.findData("staff account created"))
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert set(shown_actions(tab)) == {"staff account created"}
    assert tab.model.rowCount() == 3  # margaret at setup, then adam and chloe

    tab.actor_combo.setCurrentIndex(tab.actor_combo.findData("confide"))
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 0
    assert "No events match" in tab.count_note.text()

    qtbot.mouseClick(tab.clear_button, Qt.MouseButton.LeftButton)
    assert len(set(shown_actions(tab))) > 1


def test_enter_in_the_search_box_applies_the_filters(qtbot: QtBot, page: AdminPage,
                                                     manager: SignedIn) -> None:
    tab = show_audit(page, manager)
    chloe = next(m for m in staff.list_staff(manager) if m.username == "chloe")
    qtbot.keyClicks(tab.search, f"staff:{chloe.id}")
    assert len(set(shown_actions(tab))) > 1  # typing alone does not filter
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 4).data() == f"Staff account: {chloe.full_name}"


def test_date_filters(qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    tab = show_audit(page, manager)
    everything = tab.model.rowCount()
    today = local_time(tab.model.entries[0].at).date()
    tab.from_check.setChecked(True)
    tab.from_date.setDate(QDate(today))
    assert tab.model.rowCount() == everything
    tab.from_date.setDate(QDate(today + timedelta(days=1)))
    assert tab.model.rowCount() == 0
    tab.from_check.setChecked(False)
    tab.to_check.setChecked(True)
    tab.to_date.setDate(QDate(today - timedelta(days=1)))
    assert tab.model.rowCount() == 0
    tab.to_date.setDate(QDate(today))
    assert tab.model.rowCount() == everything


def test_a_note_says_when_more_events_exist(page: AdminPage, manager: SignedIn,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    tab = show_audit(page, manager)
    monkeypatch.setattr("app.ui.admin.audit_tab.LIMIT", 2)
    tab.apply_filters()
    assert tab.model.rowCount() == 2
    assert "newest 2 events" in tab.count_note.text()
    assert LIMIT == 500


def test_check_reports_intact_then_broken_after_tampering(qtbot: QtBot, page: AdminPage,
                                                          manager: SignedIn) -> None:
    tab = show_audit(page, manager)
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    assert tab.verify_result.kind == "ok"
    assert "intact" in tab.verify_result.text()

    victim = tab.model.entries[1].id
    connection = storage_access.database_of(manager).raw_connection()
    try:
        connection.execute("DROP TRIGGER audit_event_no_update")
        connection.execute("UPDATE audit_event SET detail = '{}' WHERE id = ?", (victim,))
    finally:
        connection.close()
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    assert tab.verify_result.kind == "error"
    assert "altered" in tab.verify_result.text()
    assert f"Event No. {victim} " in tab.verify_result.text()


def test_details_are_readable() -> None:
    assert format_detail('{"reactivated": false, "fields": ["a", "b"]}') == "reactivated: no; fields: a, b"
    assert format_detail("") == ""
    assert format_detail("not json") == "not json"
