"""Every button and tick box on the sign-in, lock and agreement screens has a visible shortcut.

The default button (Sign in, Unlock) is pressed with Enter and needs none.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QWidget

from app.services import settings
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.services.staff import agreement
from app.ui.shell.agreement_dialog import AgreementDialog
from app.ui.shell.lock_screen import LockScreen
from app.ui.shell.sign_in import SignInWindow


def buttons_without_shortcut(window: QWidget, default: set[str]) -> list[str]:
    return [b.text() for b in window.findChildren(QAbstractButton)
            if b.text() and "&" not in b.text() and b.text() not in default]


@pytest.mark.gui
def test_sign_in_and_lock_screens(qtbot, vault: Vault, recovery: str) -> None:  # type: ignore[no-untyped-def]
    window = SignInWindow(vault)
    qtbot.addWidget(window)
    assert buttons_without_shortcut(window, {"Sign in"}) == []
    lock = LockScreen(vault, "Northfield SEN Advice", "margaret")
    qtbot.addWidget(lock)
    assert buttons_without_shortcut(lock, {"Unlock"}) == []
    lock.switch_user()
    assert lock.form.button.text() == "Sign in"


@pytest.mark.gui
def test_agreement_dialog(qtbot, manager: SignedIn) -> None:  # type: ignore[no-untyped-def]
    name = settings.load(manager).service_name
    dialog = AgreementDialog(manager, agreement.load_agreement(name), name)
    qtbot.addWidget(dialog)
    assert buttons_without_shortcut(dialog, set()) == []
