"""The Service settings tab, and the Admin page's draft (the unsaved settings form)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSpinBox
from pytestqt.qtbot import QtBot

from app.services import audit, settings
from app.services.audit import AuditFilter
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.settings import ServiceSettings
from app.ui.admin import AdminPage

pytestmark = pytest.mark.gui


def editor(page: AdminPage, name: str) -> QLineEdit:
    widget = page.settings_tab.editors[name]
    assert isinstance(widget, QLineEdit)
    return widget


def spin(page: AdminPage) -> QSpinBox:
    widget = page.settings_tab.editors["idle_lock_minutes"]
    assert isinstance(widget, QSpinBox)
    return widget


def test_form_is_generated_from_the_specs(page: AdminPage) -> None:
    tab = page.settings_tab
    assert list(tab.editors) == [spec.name for spec in settings.SPECS]
    assert isinstance(tab.editors["service_address"], QPlainTextEdit)
    minutes = next(s for s in settings.SPECS if s.name == "idle_lock_minutes")
    assert (spin(page).minimum(), spin(page).maximum()) == (minutes.minimum, minutes.maximum)
    assert editor(page, "service_name").text() == "Northfield SEN Advice"
    for spec in settings.SPECS:
        assert tab.editors[spec.name].accessibleName() == spec.label
    assert not tab.save_button.isEnabled()


def test_save_with_ctrl_s_updates_settings_audit_and_tells_the_window(
        qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    page.tabs.setCurrentWidget(page.settings_tab)
    name = editor(page, "service_name")
    name.selectAll()
    qtbot.keyClicks(name, "Southfield Parent Partnership")
    spin(page).setValue(12)
    assert page.settings_tab.save_button.isEnabled()
    name.setFocus()
    with qtbot.waitSignal(page.settings_saved) as saved:
        qtbot.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    stored = settings.load(manager)
    assert stored.service_name == "Southfield Parent Partnership"
    assert stored.idle_lock_minutes == 12
    assert isinstance(saved.args[0], ServiceSettings)
    assert saved.args[0].idle_lock_minutes == 12
    events = audit.list_events(manager, AuditFilter(action="settings changed"))
    assert len(events) == 1
    assert json.loads(events[0].detail) == {"fields": ["idle_lock_minutes", "service_name"]}
    assert "saved" in page.settings_tab.notice.text()
    assert page.draft_state() is None
    assert not page.settings_tab.save_button.isEnabled()


def test_idle_minutes_stay_within_bounds(qtbot: QtBot, page: AdminPage) -> None:
    minutes = spin(page)
    minutes.setValue(0)
    assert minutes.value() == 1
    minutes.setValue(500)
    assert minutes.value() == 60
    minutes.selectAll()
    qtbot.keyClicks(minutes.lineEdit(), "99")
    assert minutes.value() <= 60


def test_service_refusal_is_shown_next_to_the_field(qtbot: QtBot, page: AdminPage,
                                                    manager: SignedIn) -> None:
    name = editor(page, "service_name")
    name.clear()
    phone = editor(page, "service_phone")
    phone.setText("01908 111111")
    qtbot.mouseClick(page.settings_tab.save_button, Qt.MouseButton.LeftButton)

    errors = page.settings_tab.errors
    assert "cannot be left empty" in errors.message("service_name")
    assert errors.message("service_phone") == ""
    assert phone.text() == "01908 111111"
    assert settings.load(manager).service_name == "Northfield SEN Advice"


def test_revert_puts_back_what_is_saved(qtbot: QtBot, page: AdminPage) -> None:
    phone = editor(page, "service_phone")
    phone.setText("07000 000000")
    qtbot.mouseClick(page.settings_tab.revert_button, Qt.MouseButton.LeftButton)
    assert phone.text() == "01908 000000"
    assert page.draft_state() is None


def test_draft_round_trip(qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    assert page.draft_state() is None
    address = page.settings_tab.editors["service_address"]
    assert isinstance(address, QPlainTextEdit)
    address.setPlainText("2 Low Road\nSouthfield\nMK7 2BB")
    spin(page).setValue(9)
    state = page.draft_state()
    assert state == {"service_address": "2 Low Road\nSouthfield\nMK7 2BB", "idle_lock_minutes": 9}
    json.dumps(state)  # drafts are stored as JSON

    # The main window clears the page at lock and builds a new one after unlock.
    page.clear()
    assert editor(page, "service_name").text() == ""
    fresh = AdminPage(manager)
    qtbot.addWidget(fresh)
    assert fresh.tabs is not None and fresh.tabs.currentWidget() is fresh.staff_tab
    fresh.restore_draft(state)
    assert fresh.tabs.currentWidget() is fresh.settings_tab
    restored_address = fresh.settings_tab.editors["service_address"]
    assert isinstance(restored_address, QPlainTextEdit)
    assert restored_address.toPlainText() == "2 Low Road\nSouthfield\nMK7 2BB"
    assert fresh.draft_state() == state
    assert fresh.settings_tab.save_button.isEnabled()
    # A later refresh keeps what was typed.
    fresh.refresh()
    assert fresh.draft_state() == state


def test_draft_never_holds_a_password(qtbot: QtBot, page: AdminPage) -> None:
    qtbot.mouseClick(page.staff_tab.add_button, Qt.MouseButton.LeftButton)
    dialog = page.staff_tab.dialog
    qtbot.keyClicks(dialog.new_password.password, "secret garden gate")  # type: ignore[union-attr]
    assert page.draft_state() is None


def test_credential_store_status(page: AdminPage, manager: SignedIn,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tab = page.settings_tab
    assert tab.protection_warning.isHidden()
    assert "credential store" in tab.protection_text.text()
    monkeypatch.setattr(type(storage_access.key_slots_of(manager)), "is_password_only", lambda _self: True)
    tab.refresh()
    assert not tab.protection_warning.isHidden()
    assert "staff passwords alone" in tab.protection_warning.text_label.text()
    assert tab.protection_text.text() == "Protection: staff passwords only."
