"""The Backup and restore tab, with the file dialogs answered by the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.context import SignedIn
from app.services.install import backup
from app.services.install.vault import Vault
from app.services.people import Role
from app.services.staff import staff
from app.ui import operations
from app.ui.admin import AdminPage
from app.ui.admin.backup_dialogs import BackupDialog, RestoreDialog
from app.ui.admin.backup_tab import RESTORED, BackupTab
from tests.conftest import MANAGER_PASSWORD

pytestmark = pytest.mark.gui

PASSPHRASE = "blue heron at low tide"
PASSWORD = "paper lantern orchard"


@pytest.fixture
def tab(page: AdminPage) -> BackupTab:
    page.tabs.setCurrentWidget(page.backup_tab)
    return page.backup_tab


def make_backup(qtbot: QtBot, tab: BackupTab, destination: Path, passphrase: str = PASSPHRASE,
                confirm: str = PASSPHRASE) -> BackupDialog:
    tab.ask_backup_path = lambda _suggested: destination  # type: ignore[method-assign]
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, BackupDialog)
    assert dialog.destination.edit.text() == str(destination)
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClicks(dialog.confirm, confirm)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog


def open_restore(qtbot: QtBot, tab: BackupTab, source: Path, passphrase: str) -> RestoreDialog:
    tab.ask_restore_path = lambda _current: source  # type: ignore[method-assign]
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RestoreDialog)
    assert dialog.passphrase is not None
    qtbot.keyClicks(dialog.passphrase, passphrase)
    assert not dialog.ok_button.isEnabled()  # not until they type the word
    qtbot.keyClicks(dialog.confirm_word, "RESTORE")
    assert dialog.ok_button.isEnabled()
    return dialog


def test_suggested_backup_name(tab: BackupTab) -> None:
    name = tab._suggested_path().name
    assert name.startswith("confide-backup-") and name.endswith(backup.BACKUP_SUFFIX)


def test_backup_then_restore(qtbot: QtBot, page: AdminPage, tab: BackupTab, manager: SignedIn,
                             vault: Vault, tmp_path: Path) -> None:
    destination = tmp_path / "weekly.confide-backup"
    make_backup(qtbot, tab, destination)
    assert tab.dialog is None
    assert destination.is_file()
    assert "Backup made" in tab.notice.text() and str(destination) in tab.notice.text()

    # Something added after the backup is gone once the backup is restored.
    staff.add_staff(manager, "Late Arrival", "late", Role.ADVISER, PASSWORD, PASSWORD)
    dialog = open_restore(qtbot, tab, destination, PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    box = tab.dialog
    assert isinstance(box, QMessageBox)
    assert RESTORED in box.text()
    assert RESTORED in tab.restore_notice.text()
    assert not tab.backup_button.isEnabled()
    with qtbot.waitSignal(page.restored):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert [m.username for m in staff.list_staff(again)] == ["margaret"]
        copies = backup.list_automatic_copies(again)
        assert copies and copies[0].name.startswith("before-restore")
        # A page built after signing in again lists the safety copy with its date.
        fresh = AdminPage(again)
        qtbot.addWidget(fresh)
        fresh.tabs.setCurrentWidget(fresh.backup_tab)
        item = fresh.backup_tab.copies.topLevelItem(0)
        assert item.text(1) == "Before a restore"
        assert item.text(3) == copies[0].name
        assert item.text(0)[:2].isdigit()
    finally:
        again.close()


def test_wrong_passphrase_restore_is_refused_plainly(qtbot: QtBot, tab: BackupTab,
                                                     manager: SignedIn, tmp_path: Path) -> None:
    destination = tmp_path / "weekly.confide-backup"
    make_backup(qtbot, tab, destination)
    staff.add_staff(manager, "Still Here", "still", Role.ADVISER, PASSWORD, PASSWORD)

    dialog = open_restore(qtbot, tab, destination, "not the right passphrase")
    with qtbot.assertNotEmitted(tab.restored):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is dialog and dialog.isVisible()
    assert "could not be opened" in dialog.general.text()
    assert "Nothing has been changed" in dialog.general.text()
    assert dialog.ok_button.isEnabled()
    # The live database is still open and unchanged.
    assert "still" in [m.username for m in staff.list_staff(manager)]


def test_backup_passphrase_problems_show_next_to_the_field(qtbot: QtBot, tab: BackupTab,
                                                           tmp_path: Path) -> None:
    destination = tmp_path / "weekly.confide-backup"
    dialog = make_backup(qtbot, tab, destination, "too short", "too short")
    assert "at least 12" in dialog.errors.message("passphrase")
    assert not destination.exists()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirm.setText(PASSPHRASE + "!")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.errors.message("confirm")
    assert dialog.errors.message("passphrase") == ""


def test_an_existing_file_is_never_overwritten(qtbot: QtBot, tab: BackupTab, tmp_path: Path) -> None:
    destination = tmp_path / "weekly.confide-backup"
    destination.write_text("keep me")
    dialog = make_backup(qtbot, tab, destination)
    assert "already a file" in dialog.errors.message("destination")
    assert destination.read_text() == "keep me"
    # Choosing another name from the dialog works without retyping the passphrase.
    other = tmp_path / "other.confide-backup"
    dialog.destination.choose = lambda _current: other
    qtbot.mouseClick(dialog.destination.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert other.is_file()
    assert tab.dialog is None


def test_cancelled_file_dialog_does_nothing(qtbot: QtBot, tab: BackupTab) -> None:
    tab.ask_backup_path = lambda _suggested: None  # type: ignore[method-assign]
    tab.ask_restore_path = lambda _current: None  # type: ignore[method-assign]
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None
    assert "No safety copies yet" in tab.copies_note.text()


def test_put_back_an_automatic_copy(qtbot: QtBot, page: AdminPage, tab: BackupTab, manager: SignedIn,
                                    vault: Vault, tmp_path: Path) -> None:
    destination = tmp_path / "weekly.confide-backup"
    make_backup(qtbot, tab, destination)
    staff.add_staff(manager, "Late Arrival", "late", Role.ADVISER, PASSWORD, PASSWORD)
    qtbot.mouseClick(open_restore(qtbot, tab, destination, PASSPHRASE).ok_button,
                     Qt.MouseButton.LeftButton)
    tab.dialog.close()  # type: ignore[union-attr]

    # The copy taken just before the restore still has "late" in it: put it back.
    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        fresh = AdminPage(again)
        qtbot.addWidget(fresh)
        fresh.tabs.setCurrentWidget(fresh.backup_tab)
        copies_tab = fresh.backup_tab
        assert not copies_tab.put_back_button.isEnabled()
        copies_tab.copies.setCurrentItem(copies_tab.copies.topLevelItem(0))
        qtbot.mouseClick(copies_tab.put_back_button, Qt.MouseButton.LeftButton)
        dialog = copies_tab.dialog
        assert isinstance(dialog, RestoreDialog) and dialog.passphrase is None
        qtbot.keyClicks(dialog.confirm_word, "RESTORE")
        with qtbot.waitSignal(fresh.restored):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            box = copies_tab.dialog
            assert isinstance(box, QMessageBox)
            box.accept()
    finally:
        again.close()
    third = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert "late" in [m.username for m in staff.list_staff(third)]
    finally:
        third.close()


def test_backup_runs_off_the_gui_thread(qtbot: QtBot, tab: BackupTab, tmp_path: Path) -> None:
    operations.run_immediately(False)
    destination = tmp_path / "threaded.confide-backup"
    make_backup(qtbot, tab, destination)
    qtbot.waitUntil(lambda: "Backup made" in tab.notice.text(), timeout=10_000)
    assert destination.is_file()
    assert tab.dialog is None


def test_a_restore_that_could_not_swap_the_file_still_asks_to_sign_in_again(
        qtbot: QtBot, page: AdminPage, tab: BackupTab, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    destination = tmp_path / "weekly.confide-backup"
    make_backup(qtbot, tab, destination)

    def swap_failed(*_args: object) -> None:
        raise backup.RestoreNotFinished("rename refused")

    monkeypatch.setattr(backup, "restore_backup", swap_failed)
    dialog = open_restore(qtbot, tab, destination, PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    box = tab.dialog
    assert isinstance(box, QMessageBox)
    assert "sign in again" in box.text()
    assert not tab.restore_button.isEnabled()
    with qtbot.waitSignal(page.restored):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
