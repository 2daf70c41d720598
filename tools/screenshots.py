"""Render the shell's windows offscreen: the README screenshots and a full set for review.

    .venv/bin/python -m tools.screenshots            # README images into docs/screenshots/
    .venv/bin/python -m tools.screenshots --all DIR  # every window, normal and 150% font, into DIR
    .venv/bin/python -m tools.screenshots --diary    # only docs/screenshots/diary-team-week.png

Everything happens in a throwaway data folder with an in-memory credential store; nothing
touches real data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring

ROOT = Path(__file__).resolve().parent.parent
README_DIR = ROOT / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


def prepared_app(font_scale: float):  # type: ignore[no-untyped-def]
    """The application, themed, with the font scaled, slow work run at once, cheap key
    derivation and an in-memory credential store; returns it with the font to put back."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from app.services.install import key_slots
    from app.services.install.memory_keyring import MemoryKeyring
    from app.ui import operations, theme

    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply(app)
    base = QFont(app.font())
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * font_scale)
    app.setFont(font)
    operations.run_immediately(True)
    key_slots.set_default_params(key_slots.ScryptParams(n=2**12, r=8, p=1))
    keyring.set_keyring(MemoryKeyring())
    return app, base


def settle(app) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


def new_service(folder: Path):  # type: ignore[no-untyped-def]
    """A new made-up service in `folder`, signed in as its manager, Margaret Okafor."""
    from app.services.install.vault import SetupDetails, Vault

    vault = Vault(folder)
    vault.set_up(SetupDetails("Northfield SEN Information and Advice",
                              "The Old School House\n1 High Street\nNorthfield\nMK6 1AA",
                              "01908 000000", "Margaret Okafor", "margaret", PASSWORD, PASSWORD))
    return vault.sign_in("margaret", PASSWORD)


def render(out: Path, font_scale: float, suffix: str, wanted: set[str] | None) -> None:
    from PySide6.QtWidgets import QWidget, QWizard

    from app.ui.shell.application import Shell
    from app.ui.shell.main_window import MainWindow

    app, base = prepared_app(font_scale)

    def shot(name: str, widget: QWidget) -> None:
        if wanted is not None and name not in wanted:
            return
        settle(app)
        out.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(out / f"{name}{suffix}.png"))

    def scaled(width: int, height: int) -> tuple[int, int]:
        return round(width * font_scale), round(height * font_scale)

    with tempfile.TemporaryDirectory() as temp:
        shell = Shell(Path(temp) / "data")
        wizard = shell.start()
        assert isinstance(wizard, QWizard)
        wizard.resize(*scaled(760, 560))
        pages = wizard.service_page, wizard.manager_page, wizard.key_page, wizard.confirm_page
        pages[0].name.setText("Northfield SEN Information and Advice")
        pages[0].address.setPlainText("The Old School House\n1 High Street\nNorthfield\nMK6 1AA")
        pages[0].phone.setText("01908 000000")
        shot("setup-wizard", wizard)
        wizard.next()
        pages[1].full_name.setText("Margaret Okafor")
        pages[1].username.setText("margaret")
        pages[1].passwords.password.setText(PASSWORD)
        pages[1].passwords.confirm.setText(PASSWORD)
        shot("wizard-2-manager", wizard)
        wizard.next()
        settle(app)
        shot("wizard-3-recovery-key", wizard)
        wizard.next()
        groups = wizard.flow.recovery_groups()
        first = wizard.flow.check_groups[0]
        pages[3].edits[first].setText(groups[first - 1])
        shot("wizard-4-type-back", wizard)
        for number, edit in pages[3].edits.items():
            edit.setText(groups[number - 1])
        wizard.accept()
        settle(app)
        steps = shell.first_steps
        assert steps is not None and steps.dialog is not None
        steps.dialog.resize(*scaled(700, 560))
        shot("agreement", steps.dialog)
        steps.dialog.agree.setChecked(True)
        steps.dialog.record_acceptance()
        settle(app)
        main = shell.main_window
        assert isinstance(main, MainWindow)
        main.resize(*scaled(980, 640))
        shot("main-window-calls", main)
        main.show_page("admin")
        shot("main-window", main)
        main.lock()
        shot("lock-screen", main)
        main.sign_out()
        settle(app)
        sign_in = shell.sign_in_window
        assert sign_in is not None
        sign_in.resize(*scaled(520, 300))
        shot("sign-in", sign_in)
        sign_in.close()
    app.setFont(base)


def render_reports(out: Path, font_scale: float, suffix: str, wanted: set[str] | None) -> None:
    """The Reports page over a year of fictional demo data, and page 1 of its PDF.

    The PDF page is turned into an image with poppler's pdftoppm (`apt-get install
    poppler-utils`); without it only the page screenshot is made.
    """
    import shutil
    import subprocess

    from app.demo.data import build_demo, read_accounts
    from app.services.install.vault import Vault
    from app.services.reports import report
    from app.services.staff import agreement
    from app.ui.shell.main_window import MainWindow

    app, base = prepared_app(font_scale)

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "demo"
        build_demo(folder, "year")
        account = next(a for a in read_accounts(folder) if a.role == "coordinator")
        vault = Vault(folder)
        ctx = vault.sign_in(account.username, account.password)
        agreement.accept(ctx, agreement.load_agreement("").version)
        window = MainWindow(vault, ctx)
        window.resize(round(1000 * font_scale), round(760 * font_scale))
        window.show()
        window.show_page("reports")
        page = window.page("reports")
        assert page is not None
        settle(app)
        page.preview()  # at once, rather than after the pause for typing
        settle(app)
        out.mkdir(parents=True, exist_ok=True)
        if wanted is None or "report-page" in wanted:
            window.grab().save(str(out / f"report-page{suffix}.png"))
        pdftoppm = shutil.which("pdftoppm")
        if (wanted is None or "report-pdf" in wanted) and page.report is not None:
            if pdftoppm is None:
                print("pdftoppm not found (poppler-utils): report-pdf.png not made", file=sys.stderr)
            else:
                pdf = Path(temp) / "report.pdf"
                pdf.write_bytes(report.render(page.report, report.ReportFormat.PDF))
                subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                                str(out / f"report-pdf{suffix}")], check=True)
        window.close()
        settle(app)
    app.setFont(base)


def render_diary(out: Path, font_scale: float, suffix: str, dark: bool = False) -> None:
    """The team week of the Diary page in the main window, on a small demo database."""
    from PySide6.QtGui import QColor, QPalette

    from app.demo.data import build_demo, read_accounts
    from app.services.install.vault import Vault
    from app.ui.diary import TEAM
    from app.ui.shell.main_window import MainWindow

    app, base_font = prepared_app(font_scale)
    base_palette = app.palette()
    if dark:
        app.setStyle("Fusion")
        palette = QPalette(QColor("#2b2b2b"))
        palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8e8e8"))
        palette.setColor(QPalette.ColorRole.ButtonText, QColor("#e8e8e8"))
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#3d8ee0"))
        app.setPalette(palette)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "demo"
        build_demo(folder, "small")
        account = next(a for a in read_accounts(folder) if a.username == "kwame")
        vault = Vault(folder)
        ctx = vault.sign_in(account.username, account.password)
        window = MainWindow(vault, ctx)
        window.resize(round(1500 * font_scale), round(1040 * font_scale))
        window.show()
        window.show_page("diary")
        page = window.page("diary")
        assert page is not None
        page.show_person(TEAM)  # type: ignore[attr-defined]
        for _ in range(3):
            app.processEvents()
        out.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out / f"diary-team-week{suffix}.png"))
        window.close()
        app.processEvents()
    app.setFont(base_font)
    app.setPalette(base_palette)


README_SHOTS = {"setup-wizard", "sign-in", "main-window", "lock-screen", "report-page", "report-pdf"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", metavar="DIR", type=Path,
                        help="render every window at normal and 150%% font into DIR")
    parser.add_argument("--diary", action="store_true",
                        help="only the diary screenshot for the README")
    args = parser.parse_args(argv)
    jobs: list[Callable[[], None]]
    if args.all:
        jobs = [lambda: render(args.all, 1.0, "", None),
                lambda: render(args.all, 1.5, "-150", None),
                lambda: render_reports(args.all, 1.0, "", None),
                lambda: render_reports(args.all, 1.5, "-150", None),
                lambda: render_diary(args.all, 1.0, ""),
                lambda: render_diary(args.all, 1.5, "-150"),
                lambda: render_diary(args.all, 1.0, "-dark", dark=True)]
    elif args.diary:
        jobs = [lambda: render_diary(README_DIR, 1.0, "")]
    else:
        jobs = [lambda: render(README_DIR, 1.0, "", README_SHOTS),
                lambda: render_reports(README_DIR, 1.0, "", README_SHOTS),
                lambda: render_diary(README_DIR, 1.0, "")]
    for job in jobs:
        job()
    return 0


if __name__ == "__main__":
    sys.exit(main())
