"""The setup wizard end to end: details, manager, recovery key, typing it back, signing in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import shiboken6
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QWizard

from app.services.install.vault import Vault
from app.ui.shell.agreement_dialog import AgreementDialog
from app.ui.shell.application import Shell
from app.ui.shell.main_window import MainWindow
from app.ui.shell.setup_wizard import SetupWizard
from tests.conftest import MANAGER_PASSWORD

pytestmark = pytest.mark.gui

ADDRESS = "1 High Street\nNorthfield\nMK6 1AA"


@pytest.fixture
def shell(qtbot, isolated_data_dir: Path) -> Iterator[Shell]:
    started = Shell(isolated_data_dir)
    started.start()
    yield started
    for window in (started.main_window, started.sign_in_window, started.wizard):
        if window is not None and shiboken6.isValid(window):
            window.hide()
            if isinstance(window, MainWindow):
                window.close()


def wizard_of(shell: Shell) -> SetupWizard:
    assert isinstance(shell.wizard, SetupWizard)
    return shell.wizard


def fill_service(wizard: SetupWizard) -> None:
    page = wizard.service_page
    page.name.setText("Northfield SEN Advice")
    page.address.setPlainText(ADDRESS)
    page.phone.setText("01908 000000")


def fill_manager(wizard: SetupWizard, password: str = MANAGER_PASSWORD) -> None:
    page = wizard.manager_page
    page.full_name.setText("Margaret Manager")
    page.username.setText("margaret")
    page.passwords.password.setText(password)
    page.passwords.confirm.setText(password)


def click(qtbot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def to_confirm_page(qtbot, wizard: SetupWizard) -> None:
    fill_service(wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_manager(wizard)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.key_page, timeout=3000)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.confirm_page


def test_first_start_shows_the_wizard(shell: Shell) -> None:
    wizard = wizard_of(shell)
    assert wizard.isVisible()
    assert wizard.currentPage() is wizard.service_page


def test_wizard_end_to_end(qtbot, shell: Shell, isolated_data_dir: Path) -> None:
    wizard = wizard_of(shell)
    to_confirm_page(qtbot, wizard)
    vault = Vault(isolated_data_dir)
    assert vault.is_set_up()

    page = wizard.confirm_page
    groups = wizard.flow.recovery_groups()
    first, second = wizard.flow.check_groups
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    page.edits[first].setText(groups[first - 1])
    wrong = groups[second % len(groups)]
    page.edits[second].setText(wrong)
    assert not finish.isEnabled()
    assert f"not group {second}" in page.hints[second].message()

    page.edits[second].setText(groups[second - 1].lower())
    assert finish.isEnabled()
    assert page.hints[second].message() == ""
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)

    # Signed straight in; the agreement comes first.
    assert shell.first_steps is not None
    dialog = shell.first_steps.dialog
    assert isinstance(dialog, AgreementDialog)
    dialog.agree.setChecked(True)
    dialog.record_acceptance()
    main = shell.main_window
    assert isinstance(main, MainWindow)
    assert main.user_label.text() == "Margaret Manager · Manager"
    assert shell.wizard is None
    main.close()
    # The manager can sign in with the password chosen in the wizard.
    ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
    ctx.close()


def test_errors_appear_next_to_the_field_and_the_form_stays_filled(qtbot, shell: Shell,
                                                                   isolated_data_dir: Path) -> None:
    wizard = wizard_of(shell)
    fill_service(wizard)
    wizard.service_page.name.clear()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.service_page
    assert "cannot be left empty" in wizard.service_page.errors.fields["service_name"].message()
    assert wizard.service_page.address.toPlainText() == ADDRESS

    wizard.service_page.name.setText("Northfield SEN Advice")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.service_page.errors.fields["service_name"].message() == ""
    fill_manager(wizard, password="too short")
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentPage() is wizard.manager_page
    assert "at least 12" in wizard.manager_page.errors.fields["password"].message()
    assert wizard.manager_page.full_name.text() == "Margaret Manager"
    assert not Vault(isolated_data_dir).is_set_up()

    # Back and forward again: what was typed is still there.
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    assert wizard.service_page.address.toPlainText() == ADDRESS
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.manager_page.username.text() == "margaret"


def test_password_strength_hint_updates(shell: Shell) -> None:
    wizard = wizard_of(shell)
    hint = wizard.manager_page.passwords.hint
    wizard.manager_page.passwords.password.setText("short")
    assert "Too short" in hint.text()
    wizard.manager_page.passwords.password.setText("four unrelated words together")
    assert "Strong" in hint.text() or "Good" in hint.text()


def test_without_a_credential_store_the_choice_is_required(qtbot, shell: Shell,
                                                           isolated_data_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    wizard = wizard_of(shell)
    fill_service(wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.manager_page
    assert page.password_only.isVisible()
    assert "no credential store" in page.store_warning.text()
    fill_manager(wizard)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentPage() is page
    assert "Protect with passwords only" in page.errors.fields["allow_password_only"].message()

    page.password_only.setChecked(True)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.key_page, timeout=3000)
    assert Vault(isolated_data_dir).is_password_only()


def test_recovery_key_is_shown_in_groups_and_saved_only_where_chosen(
        qtbot, shell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = wizard_of(shell)
    fill_service(wizard)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    fill_manager(wizard)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.key_page, timeout=3000)
    # No way back once the database exists.
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert not (back.isVisible() and back.isEnabled())
    shown = [label.text() for label in wizard.key_page.findChildren(QLabel)]
    for group in wizard.flow.recovery_groups():
        assert group in shown

    out = tmp_path / "chosen"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(out / "recovery key"), ""))
    qtbot.mouseClick(wizard.key_page.save_button, Qt.MouseButton.LeftButton)
    saved = out / "recovery key.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert list(out.iterdir()) == [saved]
