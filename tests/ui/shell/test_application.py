"""Starting the GUI: which window first, the log file, and the safety net for bugs."""

from __future__ import annotations

import logging
import logging.handlers
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services.install.vault import Vault
from app.ui.errors import APOLOGY
from app.ui.shell import application
from app.ui.shell.setup_wizard import SetupWizard
from app.ui.shell.sign_in import SignInWindow

pytestmark = pytest.mark.gui


def test_first_window_depends_on_setup(qtbot, vault: Vault, isolated_data_dir: Path) -> None:
    wizard = application.build_start_window(isolated_data_dir)
    qtbot.addWidget(wizard)
    assert isinstance(wizard, SetupWizard)
    from tests.conftest import setup_details

    vault.set_up(setup_details())
    sign_in = application.build_start_window(isolated_data_dir)
    qtbot.addWidget(sign_in)
    assert isinstance(sign_in, SignInWindow)


@pytest.fixture
def no_log_file_left() -> Iterator[None]:
    yield
    log = logging.getLogger("confide")
    for handler in [h for h in log.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
        log.removeHandler(handler)
        handler.close()


def test_a_bug_is_logged_without_its_message_and_apologised_for(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_log_file_left: None) -> None:
    log_path = application.configure_logging(tmp_path / "data")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    try:
        raise ValueError("about Jamie Quillfeather, 12 Elm Road")
    except ValueError:
        application.excepthook(*sys.exc_info())
    for handler in logging.getLogger("confide").handlers:
        handler.flush()
    logged = log_path.read_text("utf-8")
    assert "ValueError" in logged and "test_application.py" in logged
    assert "Quillfeather" not in logged and "Elm Road" not in logged
    assert shown == [APOLOGY]
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_path.parent.stat().st_mode) == 0o700


def test_a_known_problem_shows_its_own_message(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.people import InvalidInput

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    application.excepthook(InvalidInput, InvalidInput("Enter a username."), None)
    assert shown == ["Enter a username."]


@pytest.mark.gui
def test_a_second_copy_on_the_same_data_says_so_and_stops(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QMessageBox

    from app.ui.shell import application

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    first = QLockFile(str(data_dir / "confide.lock"))
    assert first.tryLock(100)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    try:
        assert application.run_gui(data_dir) == 1
    finally:
        first.unlock()
    assert told and "already open" in told[0]


def test_retention_runs_once_after_the_first_sign_in_before_the_main_window(
        qtbot, manager, vault: Vault, isolated_data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta

    import time_machine
    from PySide6.QtWidgets import QApplication

    from app.services import audit
    from app.services.retention import retention
    from app.ui.shell import main_window
    from tests.conftest import MANAGER_PASSWORD
    from tests.services.retention.test_retention import family_case, status_of

    start = datetime(2026, 1, 10, 9, 30)
    with time_machine.travel(start, tick=False):
        case_id = family_case(manager, "Startupton")
    seen: list[str | None] = []
    real = main_window.MainWindow

    class Watching(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            seen.append(status_of(manager, case_id))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(main_window, "MainWindow", Watching)
    shell = application.Shell(isolated_data_dir)
    with time_machine.travel(start + timedelta(days=200), tick=False):
        ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
        shell._open_main(ctx)
        assert seen == ["archived"]  # archived before the main window was built
        window = shell.main_window
        assert window is not None
        qtbot.addWidget(window)
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        assert any(retention.COPIES_ELSEWHERE not in b.text() and "1 case archived" in b.text()
                   for b in boxes)
        for box in boxes:
            box.close()
        again = vault.sign_in("margaret", MANAGER_PASSWORD)
        shell._open_main(again)  # a second sign-in in the same start: no second run
        qtbot.addWidget(shell.main_window)
    runs = audit.list_events(manager, audit.AuditFilter(action="retention run"))
    assert len(runs) == 1
    for signed_in in (ctx, again):
        signed_in.close()
