"""Starting the GUI: the QApplication, the log file, the safety net for bugs, and which window.

A new data folder gets the setup wizard; a set-up one the sign-in window. Heavy modules (the
main window, the wizard, the database layer, PDF making) are imported only when needed, so
the first window is quick to appear; once it has, `warm_up` loads what signing in needs.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLockFile, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from app import paths
from app.crash_log import log_unexpected
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.ui import operations, theme

log = logging.getLogger("confide")
LOG_NAME = "confide.log"
DEMO_FOLDER = "Confide-demo"


def configure_logging(data_dir: Path) -> Path:
    """Log to <data>/logs/confide.log. Only events and error types go there, never record text."""
    import logging.handlers  # ~10 ms (sockets, pickle) that the first window need not wait for

    paths.ensure_private_dir(Path(data_dir))
    folder = paths.ensure_private_dir(Path(data_dir) / "logs")
    path = folder / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                                   encoding="utf-8")
    if os.name == "posix":
        os.chmod(path, 0o600)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in [h for h in log.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
        log.removeHandler(old)
        old.close()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


_showing = False


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected error (type and place only) and show the plain apology, not a crash."""
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    from app.ui.errors import APOLOGY, known_problem_message

    message = known_problem_message(exc)
    if message is None:
        log_unexpected(exc)
        message = APOLOGY
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        box = QMessageBox(QMessageBox.Icon.Warning, "Confide", message, QMessageBox.StandardButton.Ok,
                          QApplication.activeWindow())
        box.setAccessibleName("Confide")
        box.exec()
    finally:
        _showing = False


class Shell(QObject):
    """Which top-level window is showing: wizard, sign-in, or main window."""

    def __init__(self, data_dir: Path, page_specs: list | None = None) -> None:
        super().__init__()
        self.vault = Vault(data_dir)
        self.page_specs = page_specs
        self.wizard: QWidget | None = None
        self.sign_in_window: QWidget | None = None
        self.main_window: QWidget | None = None
        self.first_steps: QObject | None = None
        # Retention runs after the first sign-in of each start, not after every unlock.
        self.retention_done = False
        self.demo = False

    def first_window(self) -> QWidget:
        return self._make_sign_in() if self.vault.is_set_up() else self._make_wizard()

    def start(self) -> QWidget:
        window = self.first_window()
        window.show()
        return window

    # -- the two ways in -------------------------------------------------------------------

    def _make_wizard(self) -> QWidget:
        from app.ui.shell.setup_wizard import SetupWizard

        wizard = SetupWizard(self.vault)
        wizard.completed.connect(self._setup_completed)
        wizard.rejected.connect(_quit)
        self.wizard = wizard
        return wizard

    def _make_sign_in(self) -> QWidget:
        from app.ui.shell.sign_in import SignInWindow

        window = SignInWindow(self.vault)
        window.signed_in.connect(lambda ctx: self._signed_in(ctx, window))
        window.demo_requested.connect(lambda: self.open_demo(window))
        window.closed.connect(_quit)
        self.sign_in_window = window
        return window

    def open_demo(self, from_window: QWidget) -> None:
        """Build (first time) or open the demo folder beside the real one, never the real one."""
        from app.demo import data as demo_data

        folder = self.vault.data_dir.parent / DEMO_FOLDER
        if folder.resolve() == self.vault.data_dir.resolve():
            return

        def build() -> None:
            if not Vault(folder).is_set_up():
                demo_data.build_demo(folder, "year")

        def built(_: object) -> None:
            if not demo_data.is_demo_folder(folder):
                QMessageBox.warning(from_window, "Confide", f"{folder} is not a demo folder.")
                return
            accounts = "\n".join(f"{a.username}  —  {a.password}  ({a.role})"
                                  for a in demo_data.read_accounts(folder))
            self.vault = Vault(folder)
            self.demo = True
            self.retention_done = False  # another database: its own rules apply at its sign-in
            old, self.sign_in_window = self.sign_in_window, None
            self.show_sign_in()
            if old is not None:
                old.hide()
                old.deleteLater()
            box = QMessageBox(QMessageBox.Icon.Information, "Confide demo (fictional data)",
                              "This demo database holds fictional families only. Sign in with "
                              f"one of these accounts:\n\n{accounts}\n\nThe demo is kept in "
                              f"{folder}. Restart Confide to go back to your own data.",
                              QMessageBox.StandardButton.Ok, self.sign_in_window)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.setAccessibleName("Demo accounts")
            box.open()
            self.demo_box = box

        # A failure is shown over the window that asked for the demo (operations' default).
        operations.run(from_window, "Preparing the demo database (about a minute the first time)…",
                       build, built)

    def show_sign_in(self) -> None:
        self._make_sign_in().show()

    def _setup_completed(self, username: str, password: str) -> None:
        wizard = self.wizard

        def failed(exc: BaseException) -> None:
            # Setup worked; only the automatic sign-in did not. The sign-in window can retry.
            from app.ui.errors import show_error

            show_error(None, exc)
            self.show_sign_in()

        operations.run(wizard, "Signing in…", lambda: self.vault.sign_in(username, password),
                       lambda ctx: self._signed_in(ctx, wizard), failed)

    def _signed_in(self, ctx: SignedIn, from_window: QWidget | None) -> None:
        from app.ui.shell.first_steps import FirstSteps

        steps = FirstSteps(ctx, from_window or self._holder())
        self.first_steps = steps
        steps.ready.connect(self._open_main)
        steps.cancelled.connect(self._steps_cancelled)
        steps.start()

    def _holder(self) -> QWidget:
        # The wizard may have closed already; the steps need some window to sit over.
        if self.sign_in_window is None:
            self._make_sign_in().show()
        assert self.sign_in_window is not None
        return self.sign_in_window

    def _steps_cancelled(self) -> None:
        self.first_steps = None
        if self.sign_in_window is None or not self.sign_in_window.isVisible():
            self.show_sign_in()

    def _open_main(self, ctx: SignedIn) -> None:
        """Retention runs first, once per start, so the main window never shows a record that
        its rules say should be gone. It runs off the GUI thread behind a progress dialog."""
        from app.services.retention import retention

        self.first_steps = None
        if self.retention_done:
            self._show_main(ctx)
            return

        def done(summary: retention.RetentionSummary) -> None:
            self.retention_done = True
            self._show_main(ctx, summary)

        def failed(exc: BaseException) -> None:
            # Retention must not lock staff out of their work; it tries again next start.
            log.error("retention at start failed: %s", type(exc).__name__)
            self._show_main(ctx, retention_failed=exc)

        holder = self.sign_in_window or self.wizard
        operations.run(holder, "Applying the retention rules…", lambda: retention.run(ctx),
                       done, failed)

    def _show_main(self, ctx: SignedIn, summary: object = None,
                   retention_failed: BaseException | None = None) -> None:
        from app.ui.shell.main_window import MainWindow

        window = MainWindow(self.vault, ctx, self.page_specs)
        if self.demo:
            window.statusBar().addPermanentWidget(QLabel("DEMO — fictional data", window))
        window.signed_out.connect(self._signed_out)
        window.closed.connect(_quit)
        self.main_window = window
        window.show()
        for old in (self.sign_in_window, self.wizard):
            if old is not None:
                old.hide()
                old.deleteLater()
        self.sign_in_window = self.wizard = None
        if ctx.actor.is_manager:
            from app.ui.widgets.retention_summary import tell_manager

            tell_manager(window, summary, retention_failed)

    def _signed_out(self) -> None:
        window, self.main_window = self.main_window, None
        self.show_sign_in()
        if window is not None:
            window.deleteLater()


def _quit() -> None:
    app = QApplication.instance()
    if app is not None:
        app.quit()


_shells: list[Shell] = []


def build_start_window(data_dir: Path) -> QWidget:
    """The first window for `data_dir`, not yet shown."""
    shell = Shell(data_dir)
    _shells.append(shell)
    return shell.first_window()


def run_gui(data_dir: Path) -> int:
    log_path = configure_logging(data_dir)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Confide")
    app.setOrganizationName("Confide")
    theme.apply(app)
    # The shell decides when Confide ends: between two windows (wizard, then the agreement,
    # then the main window) there can be a moment with none showing.
    app.setQuitOnLastWindowClosed(False)
    sys.excepthook = excepthook
    lock = QLockFile(str(data_dir / "confide.lock"))
    lock.setStaleLockTime(0)  # a lock left by a crashed Confide is noticed by its dead process id
    if not lock.tryLock(100):
        # Two copies on one database could each restore or lock away data under the other.
        QMessageBox.information(None, "Confide",
                                "Confide is already open on this computer. Use the window that "
                                "is already open (look in the taskbar).")
        return 1
    log.info("Confide starting; log at %s", log_path.name)
    from app.services.printouts import printing

    # Only now, holding the lock: another Confide may be printing from this folder.
    if printing.sweep(data_dir):
        log.info("removed print files left by an earlier run")
    shell = Shell(data_dir)
    _shells.append(shell)
    shell.start()
    from app.ui.shell import warm_up

    QTimer.singleShot(warm_up.DELAY_MS, warm_up.start)
    app.aboutToQuit.connect(_on_quit)
    code = app.exec()
    printing.sweep(data_dir)
    lock.unlock()
    log.info("Confide closed")
    return int(code)


def _on_quit() -> None:
    from app.ui.widgets import clipboard

    clipboard.clear_if_ours()
