"""The sign-in window, the first-sign-in steps (own password, agreement) and recovery."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.services import settings
from app.services.context import SignedIn
from app.services.install.vault import SignInRefused, Vault
from app.services.people import Role
from app.services.staff import agreement, staff
from app.ui.shell.agreement_dialog import AgreementDialog
from app.ui.shell.application import Shell
from app.ui.shell.first_steps import ChangePasswordDialog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.recovery_dialog import RecoveryDialog
from app.ui.shell.sign_in import SIGN_IN_TITLE, SignInWindow
from tests.conftest import MANAGER_PASSWORD
from tests.memory_keyring import OtherMemoryKeyring

pytestmark = pytest.mark.gui


@pytest.fixture
def shell(qtbot, vault: Vault, recovery: str) -> Iterator[Shell]:
    started = Shell(vault.data_dir)
    started.start()
    yield started
    for window in (started.main_window, started.sign_in_window, started.wizard):
        if window is not None and shiboken6.isValid(window):
            window.close()


def sign_in_window(shell: Shell) -> SignInWindow:
    window = shell.sign_in_window
    assert isinstance(window, SignInWindow)
    return window


def try_sign_in(qtbot, window: SignInWindow, username: str, password: str) -> None:
    window.form.username.setText(username)
    window.form.password.setText(password)
    qtbot.mouseClick(window.form.button, Qt.MouseButton.LeftButton)


def agreement_dialog(shell: Shell) -> AgreementDialog:
    assert shell.first_steps is not None
    dialog = shell.first_steps.dialog
    assert isinstance(dialog, AgreementDialog)
    return dialog


def test_window_is_service_neutral(shell: Shell) -> None:
    window = sign_in_window(shell)
    assert window.windowTitle() == SIGN_IN_TITLE
    assert window.isVisible()
    assert window.form.username.hasFocus() or window.focusWidget() is window.form.username


def test_wrong_password_gets_a_message_then_a_growing_wait(qtbot, shell: Shell) -> None:
    window = sign_in_window(shell)
    try_sign_in(qtbot, window, "margaret", "not my password at all")
    assert "not right" in window.form.message.message()
    assert window.form.button.isEnabled()
    assert window.form.password.text() == ""

    try_sign_in(qtbot, window, "margaret", "still not my password")
    assert not window.form.button.isEnabled()
    assert window.form.countdown.text() == "You can try again in 1 second."
    # Clicking while waiting does nothing (no third attempt recorded).
    window.form.password.setText(MANAGER_PASSWORD)
    window.form.submit()
    assert shell.first_steps is None
    qtbot.waitUntil(window.form.button.isEnabled, timeout=4000)
    assert window.form.countdown.isHidden()


def test_a_new_window_still_shows_the_wait(qtbot, vault: Vault, recovery: str) -> None:
    for _ in range(3):
        with pytest.raises(SignInRefused):
            vault.sign_in("margaret", "wrong password again")
    window = SignInWindow(vault)
    qtbot.addWidget(window)
    assert not window.form.button.isEnabled()
    assert window.form.countdown.text().startswith("You can try again in")


def test_first_sign_in_asks_for_the_agreement_once(qtbot, shell: Shell, vault: Vault) -> None:
    window = sign_in_window(shell)
    window.form.username.setText("margaret")
    window.form.password.setText(MANAGER_PASSWORD)
    qtbot.keyClick(window.form.password, Qt.Key.Key_Return)

    dialog = agreement_dialog(shell)
    assert dialog.isVisible()
    assert dialog.text.isReadOnly()
    assert "Northfield SEN Advice" in dialog.text.toPlainText()
    assert not dialog.accept_button.isEnabled()
    dialog.agree.setChecked(True)
    assert dialog.accept_button.isEnabled()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)

    main = shell.main_window
    assert isinstance(main, MainWindow) and main.isVisible()
    assert main.user_label.text() == "Margaret Manager · Manager"
    assert main.ctx is not None
    version = agreement.load_agreement("x").version
    assert agreement.accepted_at(main.ctx, version) is not None

    main.sign_out_action.trigger()
    assert shell.main_window is None
    window = sign_in_window(shell)
    assert window.isVisible()
    try_sign_in(qtbot, window, "margaret", MANAGER_PASSWORD)
    # Accepted already: straight to the main window.
    assert isinstance(shell.main_window, MainWindow)
    assert shell.first_steps is None


def test_cancelling_the_agreement_signs_out(qtbot, shell: Shell) -> None:
    window = sign_in_window(shell)
    try_sign_in(qtbot, window, "margaret", MANAGER_PASSWORD)
    dialog = agreement_dialog(shell)
    ctx = dialog.ctx
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not ctx.is_open
    assert shell.main_window is None
    assert sign_in_window(shell).isVisible()


def test_agreement_prints_for_signature(qtbot, shell: Shell, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "chosen"
    out.mkdir()
    target = out / "agreement.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    try_sign_in(qtbot, sign_in_window(shell), "margaret", MANAGER_PASSWORD)
    dialog = agreement_dialog(shell)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")
    assert list(out.iterdir()) == [target]


def test_temporary_password_must_be_changed(qtbot, shell: Shell, manager: SignedIn,
                                            vault: Vault) -> None:
    staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, "temporary password 1",
                    "temporary password 1")
    try_sign_in(qtbot, sign_in_window(shell), "ada", "temporary password 1")
    assert shell.first_steps is not None
    dialog = shell.first_steps.dialog
    assert isinstance(dialog, ChangePasswordDialog)

    dialog.current.setText("not the temporary one")
    dialog.passwords.password.setText("ada's own good passphrase")
    dialog.passwords.confirm.setText("ada's own good passphrase")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "current password is not right" in dialog.errors.fields["current"].message()
    assert dialog.passwords.password.text() == "ada's own good passphrase"

    dialog.current.setText("temporary password 1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    agreement_dialog(shell).agree.setChecked(True)
    agreement_dialog(shell).record_acceptance()
    main = shell.main_window
    assert isinstance(main, MainWindow)
    assert main.user_label.text() == "Ada Adviser · Adviser"
    assert vault.check_password("ada", "ada's own good passphrase")


def test_changed_credential_store_is_explained(qtbot, shell: Shell) -> None:
    keyring.set_keyring(OtherMemoryKeyring())
    window = sign_in_window(shell)
    try_sign_in(qtbot, window, "margaret", MANAGER_PASSWORD)
    assert "credential store has changed" in window.form.message.message()
    assert shell.first_steps is None


def test_recovery_key_opens_confide_with_a_new_password(qtbot, shell: Shell, recovery: str,
                                                        vault: Vault) -> None:
    keyring.set_keyring(OtherMemoryKeyring())
    window = sign_in_window(shell)
    qtbot.mouseClick(window.recover_button, Qt.MouseButton.LeftButton)
    dialog = window.recovery_dialog
    assert isinstance(dialog, RecoveryDialog) and dialog.isVisible()

    typo = "1" if recovery[2] != "1" else "2"
    dialog.key.setText((recovery[:2] + typo + recovery[3:]).replace("-", " ").lower())
    dialog.username.setText("margaret")
    dialog.passwords.password.setText("a brand new passphrase")
    dialog.passwords.confirm.setText("a brand new passphrase")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    key_error = dialog.errors.fields["recovery_key"].message()
    assert key_error and shell.first_steps is None

    dialog.key.setText(recovery)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    agreement_dialog(shell).agree.setChecked(True)
    agreement_dialog(shell).record_acceptance()
    main = shell.main_window
    assert isinstance(main, MainWindow) and main.ctx is not None
    assert settings.load(main.ctx).service_name == "Northfield SEN Advice"
    assert vault.check_password("margaret", "a brand new passphrase")
