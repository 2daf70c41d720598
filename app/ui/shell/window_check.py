"""`confide self-test --window`: prove Qt works in this installation, not only the database.

The plain self-test never imports Qt, so it passes on a server with no display; a packaged
build whose Qt libraries or plugins were left out would pass it too. This draws real screens
off screen: the setup wizard for an empty throwaway folder (nothing is saved) and the About
box, and checks the SVG icons render (they need Qt's SVG plugins, easily missed by a bundler).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QApplication, QWidget

from app.services.install.self_test import SelfTestFailed
from app.services.install.vault import Vault
from app.ui import theme
from app.ui.shell.about_dialog import AboutDialog
from app.ui.shell.setup_wizard import SetupWizard

log = logging.getLogger("confide")


def _to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # The offscreen platform warns about window hints it cannot apply; keep the output to the
    # steps, and anything Qt says in the log file.
    log.info("Qt (%s): %s", kind.name, message)


def _application() -> QApplication:
    existing = QCoreApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Drawn off screen whatever the desktop: this checks the installation, not the display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication(sys.argv[:1])


def run_window_check(report: Callable[[str], None]) -> None:
    previous = qInstallMessageHandler(_to_log)
    try:
        _check(_application(), report)
    finally:
        qInstallMessageHandler(previous)


def _check(app: QApplication, report: Callable[[str], None]) -> None:
    report(f"Qt {qVersion()} started ({app.platformName()} platform)")
    formats = {bytes(name.data()).decode() for name in QImageReader.supportedImageFormats()}
    if "svg" not in formats:
        raise SelfTestFailed("Qt cannot read SVG images here: the SVG image plugin is missing.")
    for name in ("confide", "lock"):
        if theme.icon(name).pixmap(32, 32).isNull():
            raise SelfTestFailed(f"The {name} icon could not be drawn: resources or the SVG icon "
                                 "plugin are missing from this installation.")
    theme.apply(app)
    report("icons drawn")
    with tempfile.TemporaryDirectory(prefix="confide-window-check-") as folder:
        wizard = SetupWizard(Vault(Path(folder) / "data"))
        _draw(app, wizard, "setup wizard")
        wizard.close()
        wizard.deleteLater()
    report("setup wizard drawn")
    about = AboutDialog()
    info = about.info
    _draw(app, about, "About box")
    about.close()
    about.deleteLater()
    app.processEvents()
    report(f"About box drawn (Confide {info.version}, SQLCipher {info.sqlcipher})")


def _draw(app: QApplication, widget: QWidget, what: str) -> None:
    widget.show()
    app.processEvents()
    image = widget.grab().toImage()
    if image.isNull() or image.width() < 100 or image.height() < 50:
        raise SelfTestFailed(f"The {what} could not be drawn.")
