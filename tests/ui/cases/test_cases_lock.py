"""Locking with a case open: no family text is left, and a half-typed note comes back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import audit
from app.services.audit import AuditFilter
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.ui.cases import CasesPage
from app.ui.shell.main_window import MainWindow
from tests.conftest import MANAGER_PASSWORD
from tests.services.case_helpers import open_case_for
from tests.ui.helpers import accept_agreement, flush_deletions, texts_containing

pytestmark = pytest.mark.gui

HALF_TYPED = "Mum rang back: Quillfeather annual review moved to"


def cases_page(window: MainWindow) -> CasesPage:
    window.show_page("cases")
    page = window.current_page()
    assert isinstance(page, CasesPage)
    return page


def test_half_typed_note_survives_lock_and_nothing_is_left(qtbot, vault: Vault,
                                                           manager: SignedIn) -> None:
    accept_agreement(manager)
    record = open_case_for(manager, "Quillfeather")
    window = MainWindow(vault, manager)
    qtbot.addWidget(window)
    window.show()
    page = cases_page(window)
    page.open_case(record.case_id)  # type: ignore[arg-type]
    page.view.notes.editor.setPlainText(HALF_TYPED)
    for marker in ("Jane Quillfeather", "John Quillfeather", "Northfield Primary", HALF_TYPED):
        assert texts_containing(marker), marker

    window.lock_action.trigger()
    flush_deletions()
    assert window.is_locked
    for marker in ("Quillfeather", "Northfield Primary", "07700 900123"):
        assert texts_containing(marker) == [], marker

    screen = window.lock_screen
    assert screen is not None
    screen.form.password.setText(MANAGER_PASSWORD)
    qtbot.mouseClick(screen.form.button, Qt.MouseButton.LeftButton)
    assert not window.is_locked
    page = cases_page(window)
    assert page.view.case is not None and page.view.case.id == record.case_id
    assert page.view.notes.editor.toPlainText() == HALF_TYPED
    assert page.view.tabs.currentWidget() is page.view.notes
    assert window.ctx is not None
    viewed = audit.list_events(window.ctx, AuditFilter(action="case viewed"))
    assert len(viewed) >= 2  # opened before the lock and again when the draft came back
