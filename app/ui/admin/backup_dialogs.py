"""Dialogs for making a backup and for restoring one (or an automatic safety copy)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.ui.widgets.forms import FormDialog, StrengthHint, password_edit
from app.ui.widgets.messages import WarningBox, wrapped_label

CONFIRM_WORD = "RESTORE"

KEEP_PASSPHRASE_APART = (
    "Write the passphrase down and keep it apart from the backup file, for example in the "
    "office safe. Without it nobody can open the backup, not even to help you; anyone who has "
    "both can read everything in it."
)

RESTORE_REPLACES = (
    "Restoring replaces everything now in Confide with what is in the {kind}. Anything added "
    "or changed since the {kind} was made will be lost. Confide keeps a safety copy of the "
    "current data first. Everyone has to sign in again afterwards."
)


class FileField(QWidget):
    """A chosen file shown read-only, with a button to choose another."""

    def __init__(self, path: Path | None, choose: Callable[[Path | None], Path | None] | None,
                 name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.choose = choose
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setReadOnly(True)
        self.edit.setAccessibleName(name)
        row.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)
        if choose is not None:
            self.button = QPushButton("C&hoose another…", self)
            self.button.setAccessibleName(f"Choose another {name.lower()}")
            self.button.clicked.connect(self._choose)
            row.addWidget(self.button)
        self._show()

    def _show(self) -> None:
        text = str(self.path) if self.path else ""
        self.edit.setText(text)
        self.edit.setToolTip(text)
        # Scrolled to the end, so the file's own name shows when the folder path is long.
        self.edit.setCursorPosition(len(text))

    def _choose(self) -> None:
        assert self.choose is not None
        chosen = self.choose(self.path)
        if chosen is not None:
            self.path = chosen
            self._show()


class BackupDialog(FormDialog):
    def __init__(self, destination: Path, choose: Callable[[Path | None], Path | None],
                 parent: QWidget | None = None) -> None:
        super().__init__("Make a backup", "&Make backup", parent)
        self.form.addRow(wrapped_label(
            "The backup is one encrypted file holding everything in Confide. Keep it away from "
            "this computer, for example on a USB stick kept locked away.", self))
        self.destination = FileField(destination, choose, "Backup file", self)
        self.add_field("destination", "Save &to:", self.destination)
        self.passphrase = password_edit("", self)
        self.confirm = password_edit("", self)
        self.hint = StrengthHint(self.passphrase, self)
        self.add_field("passphrase", "Backup &passphrase:", self.passphrase, below=self.hint)
        self.add_field("confirm", "T&ype it again:", self.confirm)
        self.form.addRow(WarningBox(KEEP_PASSPHRASE_APART, "Keep the passphrase apart", self))
        self.finish_layout()
        self.passphrase.setFocus()


class RestoreDialog(FormDialog):
    """Restore a backup file (needs its passphrase) or an automatic copy (needs none)."""

    def __init__(self, source: Path, choose: Callable[[Path | None], Path | None] | None,
                 needs_passphrase: bool = True, parent: QWidget | None = None,
                 about: str | None = None) -> None:
        title = "Restore from a backup" if needs_passphrase else "Put back a safety copy"
        super().__init__(title, "&Restore", parent)
        kind = "backup" if needs_passphrase else "safety copy"
        self.form.addRow(WarningBox(RESTORE_REPLACES.format(kind=kind),
                                    "Restoring replaces the current data", self))
        if about:
            self.form.addRow(wrapped_label(about, self))
        self.source = FileField(source, choose, "Backup file" if needs_passphrase else "Safety copy",
                                self)
        self.add_field("source", "&File:", self.source)
        self.passphrase: QLineEdit | None = None
        if needs_passphrase:
            self.passphrase = password_edit("", self)
            self.add_field("passphrase", "Backup &passphrase:", self.passphrase,
                           "The passphrase chosen when the backup was made.")
        self.confirm_word = QLineEdit(self)
        self.add_field("confirm_word", f"T&ype {CONFIRM_WORD}:", self.confirm_word,
                       f"To make sure, type the word {CONFIRM_WORD} in capitals.")
        self.confirm_word.textChanged.connect(self._update_ok)
        self.finish_layout()
        self._update_ok()
        (self.passphrase or self.confirm_word).setFocus()

    def confirmed(self) -> bool:
        return self.confirm_word.text().strip() == CONFIRM_WORD

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.confirmed())

    def failed(self, exc: BaseException) -> None:
        super().failed(exc)
        self._update_ok()
