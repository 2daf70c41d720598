"""A signed-in main window showing the real Calls page, and helpers to drive the call form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QWidget

from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.ui.calls import CallsPage
from app.ui.calls.call_form import CallForm
from app.ui.shell.main_window import MainWindow
from tests.ui.helpers import accept_agreement


@pytest.fixture
def window(qtbot, vault: Vault, manager: SignedIn) -> MainWindow:
    accept_agreement(manager)
    main = MainWindow(vault, manager)
    qtbot.addWidget(main)
    main.show()
    return main


def calls_page(window: MainWindow) -> CallsPage:
    page = window.page("calls")
    assert isinstance(page, CallsPage)
    return page


def new_call_form(qtbot, window: MainWindow) -> CallForm:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = calls_page(window)
    assert window.current_page() is page and page.is_form_open()
    return page.form


def type_into(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def click(qtbot, widget: QWidget) -> None:
    """A mouse click on a button; tick boxes and choices are pressed with Space, as by keyboard."""
    if isinstance(widget, QCheckBox | QRadioButton):
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Space)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


