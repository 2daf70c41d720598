"""Help → About Confide (F1): the version, the licence and the libraries this copy really runs on.

Support asks "which version have you got?"; every figure here is read from the running program
(services.about for Confide, SQLCipher, SQLite and Python; Qt itself for Qt and PySide6), and
can be selected and copied.
"""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.services.install.about import AboutInfo, about_info
from app.ui import theme

ABOUT_SHORTCUT = "F1"


def version_lines(info: AboutInfo) -> list[tuple[str, str]]:
    """Every line of the versions table, Qt's own included."""
    return [
        ("Confide", info.version),
        ("Licence", f"{info.licence_name} ({info.licence_id})"),
        ("SQLCipher", info.sqlcipher),
        ("SQLite", info.sqlite),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("Python", info.python),
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, info: AboutInfo | None = None) -> None:
        super().__init__(parent)
        self.info = info or about_info()
        self.setWindowTitle("About Confide")
        self.setAccessibleName("About Confide")

        logo = QLabel(self)
        side = round(self.fontMetrics().height() * 3.5)
        logo.setPixmap(theme.icon("confide").pixmap(side, side))
        logo.setAccessibleName("Confide logo")
        title = QVBoxLayout()
        title.addWidget(theme.heading(f"Confide {self.info.version}", self, 1.4))
        summary = QLabel("Offline, encrypted call logging and case records for SEN advice services.",
                         self)
        summary.setWordWrap(True)
        title.addWidget(summary)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(title, 1)

        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, value in version_lines(self.info):
            label = QLabel(value, self)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            label.setAccessibleName(f"{name}: {value}")
            label.setWordWrap(True)
            form.addRow(f"{name}:", label)
            self.values[name] = label

        self.notice = QLabel(self.info.licence_notice, self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Licence notice")

        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton("&Close", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAccessibleName("Close")
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def text(self) -> str:
        """Everything shown, as plain lines (for tests and for reading out)."""
        lines = [f"Confide {self.info.version}"]
        lines += [f"{name}: {label.text()}" for name, label in self.values.items()]
        return "\n".join([*lines, self.notice.text()])
