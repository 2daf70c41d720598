"""The Admin page as a whole: keyboard access, accessible names, locking, non-managers."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.services.people import Role
from app.services.staff import staff
from app.ui.admin import AdminPage
from app.ui.admin.staff_dialogs import AddStaffDialog

pytestmark = pytest.mark.gui

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit)


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text)
    return found.group(1).casefold() if found else None


def controls(widget: QWidget) -> list[QWidget]:
    found = [w for w in widget.findChildren(QWidget) if isinstance(w, CONTROLS)]
    # Parts Qt builds inside other controls (the spin box's line edit, the tab bar's scroll
    # buttons, a combo's pop-up list) are named through their owner.
    return [w for w in found if not isinstance(w.parentWidget(), CONTROLS)
            and w.window() is widget.window()
            and w.objectName() not in {"qt_spinbox_lineedit", "ScrollLeftButton", "ScrollRightButton"}
            and type(w).__name__ != "QTabBar"]


def test_tab_titles_have_distinct_mnemonics_that_switch_tabs(qtbot: QtBot, page: AdminPage) -> None:
    assert page.tabs is not None
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert [t.replace("&", "") for t in titles] == [
        "Staff", "Service settings", "Retention", "Audit trail", "Backup and restore", "Letters and logo"]
    letters = [mnemonic(t) for t in titles]
    assert None not in letters and len(set(letters)) == 6

    # No button or label on any tab steals a tab's letter.
    for tab in (page.staff_tab, page.settings_tab, page.retention_tab, page.audit_tab,
                page.backup_tab, page.letters_tab):
        own = {mnemonic(w.text()) for w in tab.findChildren(QAbstractButton)}
        own |= {mnemonic(w.text()) for w in tab.findChildren(QLabel)}
        assert not own & set(letters), tab.accessibleName()

    page.activateWindow()
    for index, letter in reversed(list(enumerate(letters))):
        assert letter is not None
        qtbot.keyClick(page, letter, Qt.KeyboardModifier.AltModifier)
        assert page.tabs.currentIndex() == index


def test_every_control_has_an_accessible_name(qtbot: QtBot, page: AdminPage, manager: SignedIn) -> None:
    staff.add_staff(manager, "Adam Adviser", "adam", Role.ADVISER, "paper lantern orchard",
                    "paper lantern orchard")
    page.refresh()
    unnamed = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}"
               for w in controls(page) if not w.accessibleName()]
    assert unnamed == []

    tab = page.staff_tab
    tab.select(next(m.id for m in tab.model.members if m.username == "adam"))
    for button in (tab.add_button, tab.role_button, tab.reset_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = tab.dialog
        assert isinstance(dialog, QDialog)
        unnamed = [type(w).__name__ for w in controls(dialog) if not w.accessibleName()]
        assert unnamed == [], dialog.windowTitle()
        dialog.reject()


def test_clear_forgets_what_the_page_showed(page: AdminPage) -> None:
    assert page.tabs is not None
    page.tabs.setCurrentWidget(page.audit_tab)
    page.clear()
    texts: list[str] = []
    for widget in page.findChildren(QWidget):
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
    joined = "\n".join(texts)
    for secret in ("Margaret", "margaret", "Northfield", "01908"):
        assert secret not in joined
    assert page.staff_tab.model.rowCount() == 0
    assert page.audit_tab.model.rowCount() == 0
    assert page.draft_state() is None


def test_open_dialogs_close_at_clear(qtbot: QtBot, page: AdminPage) -> None:
    qtbot.mouseClick(page.staff_tab.add_button, Qt.MouseButton.LeftButton)
    dialog = page.staff_tab.dialog
    assert dialog is not None and dialog.isVisible()
    page.clear()
    assert page.staff_tab.dialog is None
    assert not dialog.isVisible()


def test_non_managers_see_only_a_plain_sentence(qtbot: QtBot, manager: SignedIn, vault: Vault) -> None:
    password = "paper lantern orchard"
    staff.add_staff(manager, "Adam Adviser", "adam", Role.ADVISER, password, password)
    adviser = vault.sign_in("adam", password)
    try:
        page = AdminPage(adviser)
        qtbot.addWidget(page)
        assert page.tabs is None
        assert any("Only a manager" in label.text() for label in page.findChildren(QLabel))
        assert page.draft_state() is None
    finally:
        adviser.close()


def focus_chain(dialog: QDialog, start: QWidget) -> list[QWidget]:
    chain, widget = [], start
    for _ in range(200):
        tabbable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if tabbable and widget.isVisibleTo(dialog) and widget.isEnabled():
            chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is start:
            break
    return chain


def test_tab_goes_through_the_fields_in_order_then_the_buttons(qtbot: QtBot, page: AdminPage) -> None:
    qtbot.mouseClick(page.staff_tab.add_button, Qt.MouseButton.LeftButton)
    dialog = page.staff_tab.dialog
    assert isinstance(dialog, AddStaffDialog)
    # The cursor starts in the first field, not on a button.
    assert dialog.focusWidget() is dialog.full_name
    fields = [dialog.full_name, dialog.username, dialog.role, dialog.new_password.password,
              dialog.new_password.confirm]
    chain = focus_chain(dialog, dialog.full_name)
    assert chain[:5] == fields
    assert set(chain[5:]) == set(dialog.buttons.buttons())
