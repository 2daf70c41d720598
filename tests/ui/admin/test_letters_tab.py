"""Admin → Letters: a manager changes a template's wording, sees it for a made-up family, resets it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.context import SignedIn
from app.services.letters import letterhead, letters
from app.ui.admin import AdminPage

pytestmark = pytest.mark.gui


def test_change_preview_and_reset_a_template(qtbot, manager: SignedIn) -> None:
    page = AdminPage(manager)
    qtbot.addWidget(page)
    page.show()
    tab = page.letters_tab
    page.tabs.setCurrentWidget(tab)
    closure = next(i for i in range(tab.list.count()) if tab.list.item(i).text() == "Case closure letter")
    tab.list.setCurrentRow(closure)
    assert tab.title_edit.text() == "Case closure letter" and not tab.reset_button.isEnabled()
    tab.body.setPlainText("{salutation}\n\nWe are closing the case for {child_name} today.")
    tab._update_preview()
    shown = tab.preview.toPlainText()
    assert "Dear Mrs Example," in shown and "Sam Example" in shown and "STRICTLY PRIVATE" in shown
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "is saved" in tab.notice.text()
    assert tab.list.currentItem().text() == "Case closure letter (your wording)"
    saved = next(t for t in letters.templates(manager) if t.key == "case_closure")
    assert saved.customised and "today" in saved.body

    tab.body.setPlainText("")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "cannot be left empty" in tab.errors.message("body")
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert "original wording" in tab.notice.text()
    assert not next(t for t in letters.templates(manager) if t.key == "case_closure").customised


def test_a_logo_that_is_not_a_picture_is_refused(qtbot, manager: SignedIn) -> None:
    page = AdminPage(manager)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.letters_tab)
    page.letters_tab.set_logo(b"not a picture")
    assert "PNG or JPEG" in page.letters_tab.notice.text()
    assert letterhead.current_logo(manager) is None
