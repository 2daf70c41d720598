"""Help → About Confide (F1): version, licence and the versions of the libraries really loaded."""

from __future__ import annotations

import platform

import pytest
import sqlcipher3
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QAbstractButton

from app import __version__
from app.services.context import SignedIn
from app.services.install.about import about_info
from app.services.install.vault import Vault
from app.ui.shell.about_dialog import AboutDialog
from app.ui.shell.main_window import MainWindow
from tests.ui.helpers import accept_agreement, flush_deletions

pytestmark = pytest.mark.gui


def cipher_version() -> str:
    connection = sqlcipher3.connect(":memory:")
    try:
        return connection.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def window(qtbot, vault: Vault, manager: SignedIn) -> MainWindow:  # type: ignore[no-untyped-def]
    accept_agreement(manager)
    main = MainWindow(vault, manager)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def test_f1_opens_about_with_version_licence_and_libraries(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.about_action.shortcut().toString() == "F1"
    assert "(F1)" in window.about_action.toolTip()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.about_action in help_menu.actions()

    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog)
    qtbot.waitExposed(dialog)
    shown = dialog.text()
    assert f"Confide {__version__}" in shown
    assert "GPL-3.0-or-later" in shown
    assert dialog.values["SQLCipher"].text() == cipher_version()
    assert dialog.values["SQLite"].text() == sqlcipher3.sqlite_version
    assert dialog.values["Qt"].text() == qVersion()
    assert dialog.values["PySide6"].text() == pyside_version
    assert dialog.values["Python"].text().startswith(platform.python_version())
    assert "WITHOUT ANY WARRANTY" in dialog.notice.text()


def test_about_closes_with_its_button_and_opens_again(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.about_action.trigger()
    first = window.about_dialog
    assert first is not None
    buttons = [b.text() for b in first.findChildren(QAbstractButton) if b.text()]
    assert buttons == ["&Close"]
    qtbot.mouseClick(first.close_button, Qt.MouseButton.LeftButton)
    assert window.about_dialog is None
    flush_deletions()
    window.about_action.trigger()
    assert window.about_dialog is not None and window.about_dialog.isVisible()


def test_about_works_while_locked_and_locking_closes_it(window: MainWindow) -> None:
    window.about_action.trigger()
    assert window.about_dialog is not None
    window.lock()
    assert window.about_dialog is None  # every dialog goes when Confide locks
    window.about_action.trigger()
    assert window.about_dialog is not None and window.about_dialog.isVisible()


def test_version_matches_pyproject() -> None:
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text("utf-8"))
    assert about_info().version == pyproject["project"]["version"]
    assert about_info().licence_id == pyproject["project"]["license"]
