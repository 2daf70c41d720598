"""The Staff tab: adding, changing, deactivating and resetting accounts through the dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.services import audit
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.services.people import Role, StaffMember
from app.services.staff import staff
from app.ui.admin import AdminPage
from app.ui.admin.staff_dialogs import AddStaffDialog, ChangeRoleDialog, ResetPasswordDialog
from app.ui.admin.staff_tab import StaffTab

pytestmark = pytest.mark.gui

TEMP_PASSWORD = "paper lantern orchard"


def usernames(tab: StaffTab) -> list[str]:
    return [m.username for m in tab.model.members]


def open_add_dialog(qtbot: QtBot, tab: StaffTab) -> AddStaffDialog:
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert isinstance(tab.dialog, AddStaffDialog)
    return tab.dialog


def fill_add(qtbot: QtBot, dialog: AddStaffDialog, name: str, username: str, password: str,
             confirm: str, role: Role = Role.ADVISER) -> None:
    qtbot.keyClicks(dialog.full_name, name)
    qtbot.keyClicks(dialog.username, username)
    dialog.role.setCurrentIndex(dialog.role.findData(role))
    qtbot.keyClicks(dialog.new_password.password, password)
    qtbot.keyClicks(dialog.new_password.confirm, confirm)


def add_directly(ctx: SignedIn, name: str = "Adam Adviser", username: str = "adam") -> StaffMember:
    return staff.add_staff(ctx, name, username, Role.ADVISER, TEMP_PASSWORD, TEMP_PASSWORD)


def select(tab: StaffTab, username: str) -> None:
    tab.refresh()
    member = next(m for m in tab.model.members if m.username == username)
    tab.select(member.id)
    assert tab.selected() == member


def test_add_staff_member_through_the_dialog(qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    tab = page.staff_tab
    assert usernames(tab) == ["margaret"]
    dialog = open_add_dialog(qtbot, tab)
    fill_add(qtbot, dialog, "Chloe Coordinator", "chloe", TEMP_PASSWORD, TEMP_PASSWORD,
             Role.COORDINATOR)
    assert "anonymous" in dialog.role.explanation.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert tab.dialog is None
    assert "chloe" in usernames(tab)
    added = next(m for m in tab.model.members if m.username == "chloe")
    assert added.role is Role.COORDINATOR and added.must_change_password
    assert tab.selected() == added
    assert "Chloe Coordinator" in tab.notice.text()
    row = tab.model.members.index(added)
    assert tab.model.index(row, 4).data() == "Yes"  # must change password at first sign-in
    assert any(m.username == "chloe" for m in staff.list_staff(manager))


@pytest.mark.parametrize(
    ("username", "password", "confirm", "field", "words"),
    [
        ("bella", "short", "short", "password", "at least 12"),
        ("bella", TEMP_PASSWORD, TEMP_PASSWORD + "x", "confirm", "not the same"),
        ("Margaret", TEMP_PASSWORD, TEMP_PASSWORD, "username", "already in use"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_the_form_stays_filled(
        qtbot: QtBot, page: AdminPage, manager: SignedIn, username: str, password: str,
        confirm: str, field: str, words: str) -> None:
    tab = page.staff_tab
    dialog = open_add_dialog(qtbot, tab)
    fill_add(qtbot, dialog, "Bella Adviser", username, password, confirm)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert tab.dialog is dialog and dialog.isVisible()
    assert words in dialog.errors.message(field)
    others = set(dialog.errors.fields) - {field}
    assert all(dialog.errors.message(other) == "" for other in others)
    assert dialog.full_name.text() == "Bella Adviser"
    assert dialog.username.text() == username
    assert dialog.new_password.password.text() == password
    assert dialog.ok_button.isEnabled()
    assert [m.username for m in staff.list_staff(manager)] == ["margaret"]


def test_strength_hint_follows_the_password(qtbot: QtBot, page: AdminPage) -> None:
    dialog = open_add_dialog(qtbot, page.staff_tab)
    qtbot.keyClicks(dialog.new_password.password, "abc")
    assert "Too short" in dialog.new_password.hint.text()
    qtbot.keyClicks(dialog.new_password.password, "-Harbour-Kettle-99")
    assert "Strong" in dialog.new_password.hint.text()


def test_change_role(qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    adam = add_directly(manager)
    tab = page.staff_tab
    select(tab, "adam")
    qtbot.mouseClick(tab.role_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ChangeRoleDialog)
    dialog.role.setCurrentIndex(dialog.role.findData(Role.MANAGER))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert tab.dialog is None
    assert next(m for m in staff.list_staff(manager) if m.id == adam.id).role is Role.MANAGER
    assert tab.selected() is not None and tab.selected().role is Role.MANAGER
    row = tab.model.members.index(tab.selected())
    assert tab.model.index(row, 2).data() == "Manager"


def test_the_last_manager_cannot_be_demoted_and_is_told_why(qtbot: QtBot, page: AdminPage,
                                                            manager: SignedIn) -> None:
    tab = page.staff_tab
    select(tab, "margaret")
    qtbot.mouseClick(tab.role_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ChangeRoleDialog)
    dialog.role.setCurrentIndex(dialog.role.findData(Role.ADVISER))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "at least one active manager" in dialog.general.text()
    assert staff.list_staff(manager)[0].role is Role.MANAGER


def _confirm_box(tab: StaffTab) -> tuple[QMessageBox, QPushButton]:
    box = tab.dialog
    assert isinstance(box, QMessageBox)
    button = next(b for b in box.buttons() if b.text() == "Deactivate")
    assert isinstance(button, QPushButton)
    return box, button


def test_deactivate_after_confirming(qtbot: QtBot, page: AdminPage, manager: SignedIn,
                                     vault: Vault) -> None:
    adam = add_directly(manager)
    tab = page.staff_tab
    select(tab, "adam")
    assert tab.deactivate_button.isEnabled()
    qtbot.mouseClick(tab.deactivate_button, Qt.MouseButton.LeftButton)
    box, button = _confirm_box(tab)
    assert "Adam Adviser" in box.text()
    assert "no longer be able to sign in" in box.informativeText()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    member = next(m for m in staff.list_staff(manager) if m.id == adam.id)
    assert not member.active
    row = tab.model.members.index(member)
    assert tab.model.index(row, 3).data().startswith("No")
    assert not tab.deactivate_button.isEnabled()  # already inactive
    assert "can no longer sign in" in tab.notice.text()
    assert "staff account deactivated" in audit.known_actions(manager)


def test_cancelling_deactivate_changes_nothing(qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    adam = add_directly(manager)
    tab = page.staff_tab
    select(tab, "adam")
    qtbot.mouseClick(tab.deactivate_button, Qt.MouseButton.LeftButton)
    box, _button = _confirm_box(tab)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert next(m for m in staff.list_staff(manager) if m.id == adam.id).active


def test_you_cannot_deactivate_yourself(page: AdminPage) -> None:
    tab = page.staff_tab
    select(tab, "margaret")
    assert not tab.deactivate_button.isEnabled()
    assert tab.reset_button.isEnabled()


def test_reset_password_makes_a_new_key_that_signs_in(qtbot: QtBot, page: AdminPage,
                                                      manager: SignedIn, vault: Vault) -> None:
    add_directly(manager)
    tab = page.staff_tab
    select(tab, "adam")
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ResetPasswordDialog)
    assert "creates a new key" in dialog.explanation.text()
    assert "Adam Adviser" in dialog.windowTitle()
    new_password = "granite meadow whistle"
    qtbot.keyClicks(dialog.new_password.password, new_password)
    qtbot.keyClicks(dialog.new_password.confirm, new_password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert tab.dialog is None
    assert "new temporary password" in tab.notice.text()
    signed_in = vault.sign_in("adam", new_password)
    try:
        assert signed_in.actor.username == "adam"
        assert signed_in.actor.must_change_password
    finally:
        signed_in.close()
    assert not vault.check_password("adam", TEMP_PASSWORD)


def test_reset_password_refuses_a_mismatch_next_to_the_field(qtbot: QtBot, page: AdminPage,
                                                             manager: SignedIn, vault: Vault) -> None:
    add_directly(manager)
    tab = page.staff_tab
    select(tab, "adam")
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ResetPasswordDialog)
    qtbot.keyClicks(dialog.new_password.password, "granite meadow whistle")
    qtbot.keyClicks(dialog.new_password.confirm, "granite meadow whistler")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.errors.message("confirm")
    assert vault.check_password("adam", TEMP_PASSWORD)
