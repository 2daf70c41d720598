"""Locking: nothing readable is left, drafts come back to their owner only, idle time locks."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout

from app.services import audit
from app.services.audit import AuditFilter
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.services.people import Role
from app.services.staff import staff
from app.ui import operations
from app.ui.shell.agreement_dialog import AgreementDialog
from app.ui.shell.first_steps import ChangePasswordDialog
from app.ui.shell.main_window import NEUTRAL_TITLE, MainWindow
from app.ui.widgets import clipboard
from tests.conftest import MANAGER_PASSWORD
from tests.ui.helpers import (
    FormPage,
    accept_agreement,
    flush_deletions,
    specs_with_form,
    texts_containing,
)

pytestmark = pytest.mark.gui

DRAFT_TEXT = "Half-typed note about Jamie Quillfeather"
CLIPBOARD_TEXT = "Quillfeather 07700 900123"
DIALOG_TEXT = "Dialog showing Quillfeather's school"
COLLEAGUE_PASSWORD = "temporary colleague pass"
COLLEAGUE_OWN_PASSWORD = "colleague's own long passphrase"


@pytest.fixture
def window(qtbot, vault: Vault, manager: SignedIn) -> MainWindow:
    accept_agreement(manager)
    main = MainWindow(vault, manager, specs_with_form())
    qtbot.addWidget(main)
    main.show()
    return main


def form_page(window: MainWindow) -> FormPage:
    window.show_page("form")
    page = window.current_page()
    assert isinstance(page, FormPage)
    return page


def unlock(qtbot, window: MainWindow, password: str, username: str | None = None) -> None:
    screen = window.lock_screen
    assert screen is not None
    if username is not None:
        screen.switch_user()
        screen.form.username.setText(username)
    screen.form.password.setText(password)
    qtbot.mouseClick(screen.form.button, Qt.MouseButton.LeftButton)


def test_ctrl_l_leaves_no_record_text_anywhere(qtbot, window: MainWindow, manager: SignedIn) -> None:
    form_page(window).edit.setText(DRAFT_TEXT)
    window.show_page("admin")
    clipboard.copy_text(CLIPBOARD_TEXT)
    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QLabel(DIALOG_TEXT, dialog))
    dialog.show()
    markers = ["Margaret Manager", "1 High Street", DRAFT_TEXT, DIALOG_TEXT]
    # The markers really are on screen before the lock, so their absence afterwards means something.
    for marker in markers:
        assert texts_containing(marker), marker

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    flush_deletions()

    assert window.is_locked
    for marker in markers:
        assert texts_containing(marker) == [], marker
    assert window.windowTitle() == NEUTRAL_TITLE
    assert not manager.is_open
    assert window.ctx is None
    assert QApplication.clipboard().text() == ""
    # Rejected, and deleted since Confide made it.
    assert not shiboken6.isValid(dialog)
    assert window.lock_screen is not None and window.lock_screen.isVisible()
    assert texts_containing("Northfield SEN Advice")
    assert not window.toolbar.isVisible()


def test_clipboard_text_someone_else_copied_is_left_alone(qtbot, window: MainWindow) -> None:
    clipboard.copy_text(CLIPBOARD_TEXT)
    QApplication.clipboard().setText("the person's own shopping list")
    window.lock()
    assert QApplication.clipboard().text() == "the person's own shopping list"


def test_draft_comes_back_after_unlock_and_lock_is_audited(qtbot, window: MainWindow,
                                                           vault: Vault) -> None:
    form_page(window).edit.setText(DRAFT_TEXT)
    window.lock_action.trigger()
    flush_deletions()
    assert window.is_locked

    unlock(qtbot, window, MANAGER_PASSWORD)

    assert not window.is_locked
    assert form_page(window).edit.text() == DRAFT_TEXT
    assert window.user_label.text() == "Margaret Manager · Manager"
    assert window.ctx is not None
    events = audit.list_events(window.ctx, AuditFilter(action="locked"))
    assert len(events) == 1


def test_wrong_password_keeps_it_locked(qtbot, window: MainWindow) -> None:
    window.lock()
    unlock(qtbot, window, "not the password at all")
    assert window.is_locked
    assert window.lock_screen is not None
    assert "not right" in window.lock_screen.form.message.message()


def test_switch_user_keeps_drafts_with_their_owner(qtbot, window: MainWindow, manager: SignedIn,
                                                   vault: Vault) -> None:
    staff.add_staff(manager, "Colin Colleague", "colin", Role.MANAGER, COLLEAGUE_PASSWORD,
                    COLLEAGUE_PASSWORD)
    form_page(window).edit.setText(DRAFT_TEXT)

    window.switch_action.trigger()
    flush_deletions()
    assert window.is_locked
    unlock(qtbot, window, COLLEAGUE_PASSWORD, username="colin")

    # New account: choose a password, then accept the agreement, then the main window.
    steps = window.first_steps
    assert steps is not None and isinstance(steps.dialog, ChangePasswordDialog)
    change = steps.dialog
    change.current.setText(COLLEAGUE_PASSWORD)
    change.passwords.password.setText(COLLEAGUE_OWN_PASSWORD)
    change.passwords.confirm.setText(COLLEAGUE_OWN_PASSWORD)
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert isinstance(steps.dialog, AgreementDialog)
    steps.dialog.agree.setChecked(True)
    qtbot.mouseClick(steps.dialog.accept_button, Qt.MouseButton.LeftButton)

    assert not window.is_locked
    assert window.ctx is not None and window.ctx.actor.username == "colin"
    assert form_page(window).edit.text() == ""
    assert texts_containing(DRAFT_TEXT) == []

    window.switch_user()
    unlock(qtbot, window, MANAGER_PASSWORD, username="margaret")
    assert window.ctx is not None and window.ctx.actor.username == "margaret"
    assert form_page(window).edit.text() == DRAFT_TEXT


def test_cancelling_a_colleagues_first_steps_stays_locked(qtbot, window: MainWindow,
                                                          manager: SignedIn) -> None:
    staff.add_staff(manager, "Colin Colleague", "colin", Role.ADVISER, COLLEAGUE_PASSWORD,
                    COLLEAGUE_PASSWORD)
    window.switch_user()
    unlock(qtbot, window, COLLEAGUE_PASSWORD, username="colin")
    steps = window.first_steps
    assert steps is not None and steps.dialog is not None
    opened = steps.ctx
    steps.dialog.reject()
    assert window.is_locked
    assert opened is not None and not opened.is_open


def test_idle_time_locks(qtbot, vault: Vault, manager: SignedIn) -> None:
    accept_agreement(manager)
    window = MainWindow(vault, manager, specs_with_form(), idle_ms=150)
    qtbot.addWidget(window)
    window.show()
    form_page(window).edit.setText(DRAFT_TEXT)
    qtbot.waitUntil(lambda: window.is_locked, timeout=3000)
    flush_deletions()
    assert texts_containing(DRAFT_TEXT) == []
    assert not manager.is_open


def test_activity_postpones_the_idle_lock(qtbot, vault: Vault, manager: SignedIn) -> None:
    accept_agreement(manager)
    window = MainWindow(vault, manager, specs_with_form(), idle_ms=400)
    qtbot.addWidget(window)
    window.show()
    edit = form_page(window).edit
    for _ in range(6):
        qtbot.wait(100)
        qtbot.keyClick(edit, Qt.Key.Key_A)
    assert not window.is_locked
    qtbot.waitUntil(lambda: window.is_locked, timeout=3000)


def test_unlock_comes_back_to_the_page_left_even_with_focus_in_the_window(
        qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.show_page("admin")
    window.lock("asked")
    # With the window active the password field has focus; showing the pages again moves
    # focus to the navigation list, which on its own would pick the first page.
    assert window.lock_screen is not None and window.lock_screen.form.password.hasFocus()
    unlock(qtbot, window, MANAGER_PASSWORD)
    assert not window.is_locked
    assert window.windowTitle() == f"{NEUTRAL_TITLE} — Admin"


class UnrestorablePage(FormPage):
    """A page with a bug in restore_draft."""

    def restore_draft(self, state: dict) -> None:
        raise ValueError("a bug in the page")


def test_a_draft_a_page_cannot_take_back_is_kept_and_the_window_still_opens(
        qtbot, vault: Vault, manager: SignedIn) -> None:
    from app.services import drafts
    from app.ui.shell.main_window import PageSpec, default_page_specs

    accept_agreement(manager)
    drafts.save(manager, FormPage.draft_key, {"text": DRAFT_TEXT})
    specs = [*default_page_specs(), PageSpec("form", "Test form", UnrestorablePage)]
    main = MainWindow(vault, manager, specs)
    qtbot.addWidget(main)
    main.show()
    assert not main.is_locked and main.lock_action.isEnabled()
    assert main.idle._timer.isActive()
    assert main.ctx is not None and drafts.has_drafts(main.ctx)


def test_locking_while_work_runs_shows_nothing_and_closes_the_database_only_after_it(
        qtbot, window: MainWindow, manager: SignedIn) -> None:
    """Lock pressed before a slow job's progress shows: the screen clears at once, the job's
    result reaches no screen, and the database stays open until the job has let go of it."""
    page = form_page(window)
    page.edit.setText(DRAFT_TEXT)
    release = threading.Event()
    shown: list[object] = []

    def slow_read() -> int:
        release.wait(10)
        with manager.read() as session:
            return len(audit.list_events(manager, AuditFilter()) or [session])

    operations.run_immediately(False)
    try:
        operations.run(page, "Making the PDF…", slow_read, shown.append)
        window.lock()
        assert window.lock_screen is not None and window.is_locked
        flush_deletions()
        assert texts_containing("Quillfeather") == []
        assert manager.is_open  # the job still has it
        release.set()
        qtbot.waitUntil(lambda: not operations.busy(), timeout=10_000)
    finally:
        release.set()
        operations.run_immediately(True)
    assert shown == []
    assert not manager.is_open
    unlock(qtbot, window, MANAGER_PASSWORD)
    window.show_page("form")
    restored = window.current_page()
    assert isinstance(restored, FormPage) and restored.edit.text() == DRAFT_TEXT
