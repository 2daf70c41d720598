"""The main window: pages per role, shortcuts, honest empty pages, notices, larger fonts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QWidget,
)

from app.services import audit, settings
from app.services.audit import AuditFilter
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.services.people import Role
from app.ui.shell.main_window import MainWindow, PageSpec, default_page_specs
from app.ui.shell.pages import Page
from app.ui.shell.work_area import UnavailablePage
from tests.conftest import MANAGER_PASSWORD
from tests.ui.helpers import accept_agreement, flush_deletions

pytestmark = pytest.mark.gui


@pytest.fixture
def open_window(qtbot, vault: Vault) -> Iterator:
    windows: list[MainWindow] = []

    def make(ctx: SignedIn, specs: list[PageSpec] | None = None) -> MainWindow:
        accept_agreement(ctx)
        window = MainWindow(vault, ctx, specs)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make


def nav_titles(window: MainWindow) -> list[str]:
    assert window.work is not None
    return [window.work.nav.item(i).text() for i in range(window.work.nav.count())]


def test_manager_sees_every_page_and_their_name(open_window, manager: SignedIn) -> None:
    window = open_window(manager)
    assert nav_titles(window) == ["Calls", "Cases", "Diary", "Letters", "Reports", "Admin"]
    assert window.user_label.text() == "Margaret Manager · Manager"
    assert window.windowTitle() == "Confide — Calls"
    assert all(action.isEnabled() for action in window.page_actions.values())


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        # Reports are for coordinators and managers.
        (Role.ADVISER, ["Calls", "Cases", "Diary", "Letters"]),
        # Coordinators never see a name: only the anonymised diary and reports.
        (Role.COORDINATOR, ["Diary", "Reports"]),
    ],
)
def test_pages_follow_the_role(open_window, sign_in_as: Callable[..., SignedIn], role: Role,
                               pages: list[str]) -> None:
    window = open_window(sign_in_as(role))
    assert nav_titles(window) == pages
    enabled = [key for key, action in window.page_actions.items() if action.isEnabled()]
    assert enabled == [p.lower() for p in pages]
    assert window.user_label.text() == f"Test {role.label} · {role.label}"


def test_ctrl_number_switches_pages(qtbot, open_window, manager: SignedIn) -> None:
    window = open_window(manager)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=1000)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is not None and window.current_page().title == "Diary"
    assert window.windowTitle() == "Confide — Diary"
    assert window.work is not None
    assert window.work.nav.item(1).toolTip() == "Cases (Ctrl+2)"
    assert window.page_actions["admin"].shortcut().toString() == "Ctrl+6"
    assert window.lock_action.shortcut().toString() == "Ctrl+L"


def test_every_page_is_a_real_one(open_window, manager: SignedIn) -> None:
    window = open_window(manager)
    assert window.work is not None
    titles = [page.title for page in window.work.pages]
    assert titles == ["Calls", "Cases", "Diary", "Letters", "Reports", "Admin"]
    assert not [page for page in window.work.pages if type(page).__module__.endswith("empty_pages")]


def test_notices_show_once(open_window, manager: SignedIn, vault: Vault, qtbot) -> None:
    manager.notices.append("Confide is protected by passwords only on this computer.")
    window = open_window(manager)
    assert window.work is not None and window.work.banner is not None
    assert window.work.banner.isVisible()
    window.lock()
    flush_deletions()
    screen = window.lock_screen
    assert screen is not None
    screen.form.password.setText(MANAGER_PASSWORD)
    screen.form.submit()
    assert window.work is not None and window.work.banner is None


def test_sign_out_closes_the_database_and_is_audited(qtbot, open_window, manager: SignedIn,
                                                     vault: Vault) -> None:
    window = open_window(manager)
    with qtbot.waitSignal(window.signed_out, timeout=1000):
        window.sign_out_action.trigger()
    assert not manager.is_open
    ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
    events = audit.list_events(ctx, AuditFilter(action="signed out"))
    ctx.close()
    assert len(events) == 1


def test_a_page_that_cannot_open_says_so(open_window, manager: SignedIn) -> None:
    def broken(ctx: SignedIn, parent: QWidget) -> Page:
        raise settings.InvalidInput("The service settings could not be read.")

    window = open_window(manager, [PageSpec("calls", "Calls", broken)])
    page = window.current_page()
    assert isinstance(page, UnavailablePage)
    assert window.ctx is not None


def test_new_idle_time_from_admin_applies_at_once(open_window, manager: SignedIn) -> None:
    window = open_window(manager)
    window._settings_saved(settings.ServiceSettings(service_name="Northfield SEN Advice",
                                                    idle_lock_minutes=7))
    assert window.idle.interval_ms() == 7 * 60_000
    assert "7 minutes" in window.idle_hint.text()


def _unnamed_controls(root: QWidget) -> list[str]:
    unnamed = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) and not (widget.accessibleName() or widget.text()):
            if widget.parent() is not None and type(widget).__name__ != "QToolButton":
                unnamed.append(type(widget).__name__)
        elif (isinstance(widget, QLineEdit | QComboBox | QListWidget) and not widget.accessibleName()
              and not isinstance(widget.parentWidget(), QComboBox)):
            unnamed.append(type(widget).__name__)
    return unnamed


def test_controls_have_accessible_names(open_window, manager: SignedIn, vault: Vault) -> None:
    specs = [s for s in default_page_specs() if s.key != "admin"]
    window = open_window(manager, specs)
    assert _unnamed_controls(window) == []
    window.lock()
    flush_deletions()
    assert _unnamed_controls(window) == []
    assert window.lock_screen is not None
    window.lock_screen.switch_user()
    assert _unnamed_controls(window) == []


def test_layout_survives_a_larger_font(qtbot, open_window, manager: SignedIn) -> None:
    app = QApplication.instance()
    original = QFont(app.font())
    bigger = QFont(original)
    bigger.setPointSizeF(original.pointSizeF() * 1.5)
    app.setFont(bigger)
    try:
        window = open_window(manager)
        window.grab()
        assert window.work is not None
        nav = window.work.nav
        assert nav.width() >= nav.sizeHintForColumn(0)
        assert window.user_label.width() >= window.user_label.sizeHint().width()
        window.lock()
        flush_deletions()
        window.grab()
        screen = window.lock_screen
        assert screen is not None
        assert screen.form.button.width() >= screen.form.button.sizeHint().width()
        assert screen.service.height() >= screen.service.heightForWidth(screen.service.width()) - 1
    finally:
        app.setFont(original)
