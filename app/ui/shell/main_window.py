"""The main window: navigation column, pages, toolbar with Lock and who is signed in, and locking.

Locking tears down everything that could show a record: drafts are saved, other windows are
closed, pages are destroyed, our clipboard text is cleared, the database is closed and the
SignedIn dropped. Only the service name (a plain string) stays, on the lock screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.services import access, drafts, settings
from app.services.context import SignedIn
from app.services.install import session_events
from app.services.install.vault import Vault
from app.services.people import StaffMember
from app.ui import operations, theme
from app.ui.operations import guarded
from app.ui.shell.about_dialog import ABOUT_SHORTCUT, AboutDialog
from app.ui.shell.first_steps import FirstSteps
from app.ui.shell.idle import IdleWatcher
from app.ui.shell.lock_screen import LockScreen, close_other_windows
from app.ui.shell.pages import Page
from app.ui.shell.work_area import WorkArea, scrub
from app.ui.widgets import clipboard

log = logging.getLogger("confide")
NEUTRAL_TITLE = "Confide"


def _everyone(actor: StaffMember) -> bool:
    return True


def _managers(actor: StaffMember) -> bool:
    return actor.is_manager


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: Callable[[SignedIn, QWidget], Page]
    # Who the page is built for, by the services' own access rules: coordinators never see a
    # name, so pages holding family records are not built for them. The services refuse the
    # rest whatever a page shows; this only keeps a page from offering what will be refused.
    shown_to: Callable[[StaffMember], bool] = _everyone


def _admin_page(ctx: SignedIn, parent: QWidget) -> Page:
    from app.ui.admin import AdminPage

    return AdminPage(ctx, parent)


def _cases_page(ctx: SignedIn, parent: QWidget) -> Page:
    from app.ui.cases import CasesPage

    return CasesPage(ctx, parent)


def _letters_page(ctx: SignedIn, parent: QWidget) -> Page:
    from app.ui.letters import LettersPage

    return LettersPage(ctx, parent)


def _reports_page(ctx: SignedIn, parent: QWidget) -> Page:
    from app.ui.reports import ReportsPage

    return ReportsPage(ctx, parent)


def _calls_page(ctx: SignedIn, parent: QWidget) -> Page:
    from app.ui.calls import CallsPage

    return CallsPage(ctx, parent)


def _diary_page(ctx: SignedIn, parent: QWidget) -> Page:
    from app.ui.diary import DiaryPage

    return DiaryPage(ctx, parent)


def default_page_specs() -> list[PageSpec]:
    return [
        PageSpec("calls", "Calls", _calls_page, access.sees_families),
        PageSpec("cases", "Cases", _cases_page, access.sees_families),
        PageSpec("diary", "Diary", _diary_page),
        PageSpec("letters", "Letters", _letters_page, access.sees_families),
        PageSpec("reports", "Reports", _reports_page, access.makes_reports),
        PageSpec("admin", "Admin", _admin_page, _managers),
    ]


class MainWindow(QMainWindow):
    """Emits `signed_out` after Sign out; the application then shows the sign-in window."""

    signed_out = Signal()
    # Closed by the person (not by signing out): the application ends.
    closed = Signal()

    def __init__(self, vault: Vault, ctx: SignedIn, page_specs: list[PageSpec] | None = None,
                 parent: QWidget | None = None, idle_ms: int | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.ctx: SignedIn | None = None
        self.page_specs = page_specs if page_specs is not None else default_page_specs()
        # For tests and demos: a fixed idle time instead of the service setting.
        self.idle_ms = idle_ms
        self.service_name = ""
        self.username: str | None = None
        self.work: WorkArea | None = None
        self.lock_screen: LockScreen | None = None
        self.first_steps: FirstSteps | None = None
        self.about_dialog: QDialog | None = None
        self._shown_notices: set[str] = set()
        self._current_key: str | None = None
        self._signing_out = False
        self.setWindowIcon(theme.icon("confide"))
        self.setAccessibleName("Confide")
        self.idle = IdleWatcher(5, self)
        self.idle.idle.connect(lambda: self.lock("idle"))
        self._build_actions()
        self.central = QStackedWidget(self)
        self.setCentralWidget(self.central)
        self.idle_hint = QLabel(self)
        self.statusBar().addPermanentWidget(self.idle_hint)
        self.resize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().lineSpacing() * 36)
        self._enter(ctx)

    # -- menus and toolbar -----------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object], shortcut: str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        label = text.replace("&", "").rstrip("…")
        action.setToolTip(f"{tip or label} ({shortcut})" if shortcut else (tip or label))
        action.setStatusTip(tip or label)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.lock_action = self._action("&Lock", lambda: self.lock("asked"), "Ctrl+L",
                                        "Lock Confide now")
        self.lock_action.setIcon(theme.icon("lock"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.switch_action = self._action("S&witch user…", self.switch_user,
                                          tip="Lock, and let a colleague sign in")
        self.sign_out_action = self._action("Sign &out", self.sign_out, tip="Sign out of Confide")
        self.quit_action = self._action("&Quit", self.quit, "Ctrl+Q", "Close Confide")
        self.about_action = self._action("&About Confide", self.show_about, ABOUT_SHORTCUT,
                                         "Version, licence and the libraries in use")
        self.about_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.new_call_action = self._action("&New call", lambda: self.new_call(), "Ctrl+N",
                                            "Log a new call, from any page")
        self.new_call_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        menu = self.menuBar().addMenu("&Confide")
        menu.addAction(self.new_call_action)
        menu.addSeparator()
        for action in (self.lock_action, self.switch_action, self.sign_out_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        go = self.menuBar().addMenu("&Go")
        self.page_actions: dict[str, QAction] = {}
        for number, spec in enumerate(self.page_specs, start=1):
            shortcut = f"Ctrl+{number}" if number <= 9 else None
            action = self._action(spec.title,
                                  lambda _checked=False, key=spec.key: self.show_page(key),
                                  shortcut, f"Go to {spec.title}")
            go.addAction(action)
            self.page_actions[spec.key] = action
        self.menuBar().addMenu("&Help").addAction(self.about_action)

        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setAccessibleName("Main toolbar")
        # Icons grow with the font, so a larger desktop font does not leave them tiny.
        side = round(self.fontMetrics().height() * 1.4)
        self.toolbar.setIconSize(QSize(side, side))
        self.toolbar.addAction(self.new_call_action)
        self.toolbar.addAction(self.lock_action)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        spacer.setAccessibleName("")
        self.toolbar.addWidget(spacer)
        self.user_label = QLabel(self.toolbar)
        self.user_label.setContentsMargins(8, 0, 8, 0)
        self.toolbar.addWidget(self.user_label)
        self.addToolBar(self.toolbar)

    def _set_unlocked_actions(self, unlocked: bool) -> None:
        for action in (self.lock_action, self.sign_out_action):
            action.setEnabled(unlocked)
        self.new_call_action.setEnabled(False)
        for action in self.page_actions.values():
            action.setEnabled(False)
        self.toolbar.setVisible(unlocked)

    # -- entering (after sign-in or unlock) ------------------------------------------------

    def _enter(self, ctx: SignedIn) -> None:
        self.ctx = ctx
        previous_user, self.username = self.username, ctx.actor.username
        # Read before the pages are built: showing them can move focus to the navigation
        # list, which selects its first row and would overwrite the page to come back to.
        keep_page = self._current_key if previous_user == ctx.actor.username else None
        service = settings.ServiceSettings()  # the defaults, if the saved ones cannot be read
        with guarded(parent=self):
            service = settings.load(ctx)
        self.service_name = service.service_name
        specs = [spec for spec in self.page_specs if spec.shown_to(ctx.actor)]
        notices = [n for n in ctx.notices if n not in self._shown_notices]
        self._shown_notices.update(notices)
        self.work = WorkArea(ctx, specs, notices, self.central)
        self.work.page_changed.connect(self._page_changed)
        for page in self.work.pages:
            # Optional page signals: Admin's settings form and its restore of a backup.
            if hasattr(page, "settings_saved"):
                page.settings_saved.connect(self._settings_saved)
            if hasattr(page, "restored"):
                page.restored.connect(self._database_replaced)
            # Calls and Cases hand work to each other through the window, never directly.
            if hasattr(page, "new_call_requested"):
                page.new_call_requested.connect(self.new_call)
            if hasattr(page, "case_opened_requested"):
                page.case_opened_requested.connect(self.open_case)
            if hasattr(page, "letter_requested"):
                page.letter_requested.connect(self.write_letter)
        self.central.addWidget(self.work)
        self.central.setCurrentWidget(self.work)
        self._drop_lock_screen()
        self._restore_drafts(ctx)
        self._set_unlocked_actions(True)
        for spec in specs:
            self.page_actions[spec.key].setEnabled(True)
        self.new_call_action.setEnabled(any(spec.key == "calls" for spec in specs))
        who = f"{ctx.actor.full_name} · {ctx.actor.role.label}"
        self.user_label.setText(who)
        self.user_label.setAccessibleName(f"Signed in as {who}")
        self.work.show_page(keep_page or (specs[0].key if specs else ""))
        self._apply_idle_minutes(service.idle_lock_minutes)
        self.idle.start()
        self.statusBar().showMessage("Signed in.", 4000)

    def _apply_idle_minutes(self, minutes: int) -> None:
        self.idle.set_idle_ms(self.idle_ms if self.idle_ms is not None else minutes * 60_000)
        unit = "minute" if minutes == 1 else "minutes"
        self.idle_hint.setText(f"Locks after {minutes} {unit} without use · Ctrl+L locks now")

    def _settings_saved(self, saved: settings.ServiceSettings) -> None:
        self.service_name = saved.service_name
        self._apply_idle_minutes(saved.idle_lock_minutes)

    def _database_replaced(self) -> None:
        """A backup was restored: the old session is gone, so everyone signs in afresh."""
        if self.ctx is not None:
            self._tear_down(None, save_drafts=False)
        self.sign_out()

    def _restore_drafts(self, ctx: SignedIn) -> None:
        assert self.work is not None
        with guarded(parent=self) as call:
            kept = drafts.take(ctx)
        if call.failed:
            return
        for form, state in kept.items():
            page = self.work.page_for_draft(form)
            if page is not None:
                try:
                    page.restore_draft(state)
                    continue
                except Exception as exc:
                    # A page's own code, not a service call: whatever goes wrong in it, the other
                    # drafts are still restored and this one is kept for next time. The type
                    # only is logged: the message could quote the draft.
                    log.error("page %s could not restore its draft: %s", page.title,
                              type(exc).__name__)
            # No page for it now (another role, say) or it failed: keep it rather than lose it.
            self._guarded("keeping a draft", lambda form=form, state=state: drafts.save(ctx, form, state))

    def _page_changed(self, key: str, title: str) -> None:
        self._current_key = key
        self.setWindowTitle(f"{NEUTRAL_TITLE} — {title}" if title else NEUTRAL_TITLE)

    def show_page(self, key: str) -> None:
        if self.work is not None:
            self.work.show_page(key)

    def current_page(self) -> Page | None:
        return self.work.current_page() if self.work is not None else None

    def page(self, key: str) -> Page | None:
        if self.work is None or key not in self.work.keys:
            return None
        return self.work.pages[self.work.keys.index(key)]

    def new_call(self, case_id: int | None = None) -> None:
        """Ctrl+N from anywhere, or "New call" on a case: the Calls page opens its form."""
        calls_page = self.page("calls")
        if calls_page is None or not hasattr(calls_page, "start_new_call"):
            return
        self.show_page("calls")
        calls_page.start_new_call(case_id)

    def write_letter(self, case_id: int) -> None:
        """From the Letters page: the case opens (a manager gives a reason), then the composer."""
        cases_page = self.page("cases")
        if cases_page is None or not hasattr(cases_page, "open_case"):
            return
        self.show_page("cases")

        def start() -> None:
            view = cases_page.view
            view.tabs.setCurrentWidget(view.letters)
            view.letters.write()

        cases_page.open_case(case_id, start)

    def open_case(self, case_id: int) -> None:
        cases_page = self.page("cases")
        if cases_page is None or not hasattr(cases_page, "open_case"):
            return
        self.show_page("cases")
        cases_page.open_case(case_id)

    # -- locking ---------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.ctx is None

    def lock(self, reason: str = "asked") -> None:
        if self.ctx is None:
            return
        self._tear_down(lambda ctx: session_events.lock(ctx, reason))
        self._show_lock_screen(self.username)

    def _tear_down(self, audit_event: Callable[[SignedIn], None] | None,
                   save_drafts: bool = True) -> None:
        """Everything locking and signing out share; each step runs even if one before failed."""
        ctx, self.ctx = self.ctx, None
        assert ctx is not None
        self.idle.stop()
        # Work still running (a PDF, a preview) reports to screens about to go.
        operations.abandon_all()
        work, self.work = self.work, None
        states: list[tuple[str, dict[str, Any]]] = []
        if work is not None and save_drafts:
            self._guarded("keeping drafts", lambda: states.extend(work.draft_states()))
        self._guarded("closing windows", self._close_other_windows)
        if work is not None:
            self._guarded("clearing pages", work.clear_pages)
            self.central.removeWidget(work)
            self._guarded("emptying widgets", lambda: scrub(work))
            work.hide()
            work.deleteLater()
        self._guarded("clearing the clipboard", clipboard.clear_if_ours)

        def finish() -> None:
            # After any running work, which still holds the database (and may hold the writer
            # lock these need): the screen is already clear, this only waits to write and close.
            if states:
                MainWindow._guarded("saving drafts", lambda: MainWindow._save_drafts(ctx, states))
            if audit_event is not None:
                MainWindow._guarded("recording the lock", lambda: audit_event(ctx))
            MainWindow._guarded("closing the database", ctx.close)

        operations.when_idle(finish)
        self.user_label.clear()
        self.user_label.setAccessibleName("")
        self.statusBar().clearMessage()
        self.idle_hint.clear()
        self.setWindowTitle(NEUTRAL_TITLE)
        self._set_unlocked_actions(False)

    @staticmethod
    def _guarded(what: str, step: Callable[[], object]) -> None:
        try:
            step()
        except Exception as exc:
            # Locking must run every step (save drafts, record the lock, close the database)
            # even if one fails, and shows nothing: the lock screen is already up. The type
            # only is logged: the message could hold record text.
            log.error("while locking, %s failed: %s", what, type(exc).__name__)

    @staticmethod
    def _save_drafts(ctx: SignedIn, states: list[tuple[str, dict[str, Any]]]) -> None:
        for key, state in states:
            drafts.save(ctx, key, state)

    def _close_other_windows(self) -> None:
        if self.first_steps is not None:
            self.first_steps.cancel()
        close_other_windows(self)

    def _show_lock_screen(self, username: str | None) -> None:
        self._drop_lock_screen()
        screen = LockScreen(self.vault, self.service_name, username, self.central)
        screen.unlocked.connect(self._unlocked)
        self.lock_screen = screen
        self.central.addWidget(screen)
        self.central.setCurrentWidget(screen)
        screen.start()

    def _drop_lock_screen(self) -> None:
        screen, self.lock_screen = self.lock_screen, None
        if screen is not None:
            self.central.removeWidget(screen)
            screen.form.forget()
            screen.hide()
            screen.deleteLater()

    def _unlocked(self, ctx: SignedIn) -> None:
        steps = FirstSteps(ctx, self)
        self.first_steps = steps
        steps.ready.connect(self._steps_done)
        steps.cancelled.connect(self._steps_cancelled)
        steps.start()

    def _steps_done(self, ctx: SignedIn) -> None:
        self.first_steps = None
        self._enter(ctx)

    def _steps_cancelled(self) -> None:
        self.first_steps = None
        if self.lock_screen is not None:
            self.lock_screen.form.forget()

    def switch_user(self) -> None:
        if self.ctx is not None:
            self.lock("switch user")
        if self.lock_screen is not None:
            self.lock_screen.switch_user()

    # -- leaving ---------------------------------------------------------------------------

    def sign_out(self) -> None:
        if self.ctx is not None:
            self._tear_down(session_events.sign_out)
        self.username = None
        self._drop_lock_screen()
        self._signing_out = True
        self.signed_out.emit()
        self.close()

    def quit(self) -> None:
        self.close()
        QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx is not None:
            self._tear_down(session_events.sign_out)
        if self.first_steps is not None:
            self.first_steps.cancel()
        self._drop_lock_screen()
        event.accept()
        if not self._signing_out:
            self.closed.emit()

    def show_about(self) -> None:
        """F1 or Help → About: never shows a record, so it works locked as well as signed in."""
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self)
            self.about_dialog.finished.connect(self._about_closed)
        self.about_dialog.open()
        self.about_dialog.raise_()

    def _about_closed(self) -> None:
        dialog, self.about_dialog = self.about_dialog, None
        if dialog is not None:
            dialog.deleteLater()
