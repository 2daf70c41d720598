"""The Backup and restore tab: make an encrypted backup, restore one, see the automatic copies.

File dialogs go through `ask_backup_path` / `ask_restore_path` so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.clock import now
from app.services.context import SignedIn
from app.services.install import backup
from app.services.install.backup import BackupInfo
from app.services.people import InvalidInput
from app.ui import operations
from app.ui.admin.audit_model import format_when, local_time
from app.ui.admin.backup_dialogs import BackupDialog, RestoreDialog
from app.ui.widgets.forms import DialogHost
from app.ui.widgets.messages import Notice, help_label, tell

FILE_FILTER = f"Confide backups (*{backup.BACKUP_SUFFIX});;All files (*)"
RESTORED = "Restored. Please sign in again."


def readable_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _why(path: Path) -> str:
    if path.name.startswith("before-restore"):
        return "Before a restore"
    if path.name.startswith("before-upgrade"):
        return "Before an upgrade of Confide"
    return "Safety copy"


class BackupTab(QWidget, DialogHost):
    restored = Signal()

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Backup and restore")
        self.column = column = QVBoxLayout(self)

        make = QGroupBox("Make a backup", self)
        make_column = QVBoxLayout(make)
        make_column.addWidget(help_label(
            "Make a backup regularly (at least once a week) and keep it away from this computer. "
            "A backup is one file, encrypted with a passphrase you choose.", make))
        self.backup_button = QPushButton("&Make a backup…", make)
        self.backup_button.setAccessibleName("Make a backup")
        make_column.addLayout(self._row(self.backup_button))
        self.notice = Notice("Backup result", make)
        make_column.addWidget(self.notice)
        column.addWidget(make)

        restore = QGroupBox("Restore", self)
        restore_column = QVBoxLayout(restore)
        restore_column.addWidget(help_label(
            "If the data here is lost or damaged, put back a backup. Everything now in Confide "
            "is replaced by what is in the backup.", restore))
        self.restore_button = QPushButton("&Restore from a backup…", restore)
        self.restore_button.setAccessibleName("Restore from a backup")
        restore_column.addLayout(self._row(self.restore_button))
        self.restore_notice = Notice("Restore result", restore)
        restore_column.addWidget(self.restore_notice)
        column.addWidget(restore)

        self.copies_group = copies = QGroupBox("Automatic safety copies", self)
        copies_column = QVBoxLayout(copies)
        copies_column.addWidget(help_label(
            "Confide copies the database by itself before upgrading and before a restore. These "
            "copies stay on this computer, in Confide's data folder, encrypted; they are not a "
            "replacement for your own backups.", copies))
        self.copies = QTreeWidget(copies)
        self.copies.setAccessibleName("Automatic safety copies")
        self.copies.setHeaderLabels(["Made on", "Why", "Size", "File"])
        self.copies.setRootIsDecorated(False)
        self.copies.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.copies.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.copies.header().setStretchLastSection(True)
        copies_column.addWidget(self.copies, 1)
        self.copies_note = Notice("Safety copies", copies)
        copies_column.addWidget(self.copies_note)
        self.put_back_button = QPushButton("&Put this copy back…", copies)
        self.put_back_button.setAccessibleName("Put the selected safety copy back")
        copies_column.addLayout(self._row(self.put_back_button))
        column.addWidget(copies, 1)
        self.spacer = QWidget(self)
        column.addWidget(self.spacer, 1)

        self.backup_button.clicked.connect(self.make_backup)
        self.restore_button.clicked.connect(self.restore_from_file)
        self.put_back_button.clicked.connect(self.put_back_copy)
        self.copies.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _row(self, button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        return row

    # -- file dialogs (tests replace these) ------------------------------------------------

    def ask_backup_path(self, suggested: Path | None) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the backup as", str(suggested or self._suggested_path()), FILE_FILTER)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix else path.with_name(path.name + backup.BACKUP_SUFFIX)

    def ask_restore_path(self, current: Path | None) -> Path | None:
        folder = str(current.parent) if current else self._documents()
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose the backup to restore", folder,
                                                FILE_FILTER)
        return Path(chosen) if chosen else None

    @staticmethod
    def _documents() -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def _suggested_path(self) -> Path:
        return Path(self._documents()) / backup.default_backup_name(local_time(now()))

    # -- state -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.copies.clear()
        try:
            paths = backup.list_automatic_copies(self.ctx)
        except OSError:
            paths = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            made = datetime.fromtimestamp(stat.st_mtime).strftime("%d %b %Y %H:%M")
            item = QTreeWidgetItem([made, _why(path), readable_size(stat.st_size), path.name])
            item.setData(0, Qt.ItemDataRole.UserRole, str(path))
            self.copies.addTopLevelItem(item)
        # An empty list would be a large blank box; say so in words instead.
        self.copies.setVisible(bool(paths))
        self.put_back_button.setVisible(bool(paths))
        self.spacer.setVisible(not paths)
        self.column.setStretchFactor(self.copies_group, 1 if paths else 0)
        if paths:
            self.copies_note.clear_text()
        else:
            self.copies_note.show_text("No safety copies yet.", "info")
        self._update_buttons()

    def clear(self) -> None:
        self.close_dialog()
        self.copies.clear()
        self.notice.clear_text()
        self.restore_notice.clear_text()

    def selected_copy(self) -> Path | None:
        items = self.copies.selectedItems()
        return Path(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def _update_buttons(self) -> None:
        self.put_back_button.setEnabled(self.selected_copy() is not None)

    def _show(self, dialog: QDialog) -> None:
        self.notice.clear_text()
        self.restore_notice.clear_text()
        self.show_dialog(dialog)

    # -- making a backup -------------------------------------------------------------------

    def make_backup(self) -> None:
        destination = self.ask_backup_path(None)
        if destination is None:
            return
        dialog = BackupDialog(destination, self.ask_backup_path, self)

        def submit() -> None:
            path = dialog.destination.path
            passphrase, confirm = dialog.passphrase.text(), dialog.confirm.text()
            if path is None:
                dialog.failed(InvalidInput("Choose where to save the backup.", "destination"))
                return
            operations.run(self, "Making the backup…",
                           lambda: backup.create_backup(self.ctx, path, passphrase, confirm),
                           self._backed_up, self.failure_in(dialog, self.notice))

        dialog.submit = submit
        self._show(dialog)

    def _backed_up(self, info: BackupInfo) -> None:
        self.close_dialog()
        self.notice.show_text(
            f"Backup made {format_when(info.created_at)}: {info.path} ({readable_size(info.size)}). "
            "Keep the passphrase somewhere apart from it.", "ok")

    # -- restoring -------------------------------------------------------------------------

    def restore_from_file(self) -> None:
        source = self.ask_restore_path(None)
        if source is None:
            return
        dialog = RestoreDialog(source, self.ask_restore_path, True, self)

        def submit() -> None:
            path = dialog.source.path
            passphrase = dialog.passphrase.text() if dialog.passphrase else ""

            def work() -> Path:
                assert path is not None
                backup.verify_backup(path, passphrase)
                return backup.restore_backup(self.ctx, path, passphrase)

            operations.run(self, "Checking and restoring the backup…", work, self._restored,
                           self._restore_failure(dialog))

        dialog.submit = submit
        self._show(dialog)

    def put_back_copy(self) -> None:
        source = self.selected_copy()
        if source is None:
            return
        item = self.copies.selectedItems()[0]
        about = (f"This puts back the safety copy made on {item.text(0)} "
                 f"({item.text(1).lower()}).")
        dialog = RestoreDialog(source, None, False, self, about)

        def submit() -> None:
            operations.run(self, "Putting the safety copy back…",
                           lambda: backup.restore_automatic_copy(self.ctx, source),
                           self._restored, self._restore_failure(dialog))

        dialog.submit = submit
        self._show(dialog)

    def _restore_failure(self, dialog: RestoreDialog) -> Callable[[BaseException], None]:
        failed = self.failure_in(dialog, self.restore_notice)

        def handle(exc: BaseException) -> None:
            if not isinstance(exc, backup.RestoreNotFinished):
                failed(exc)
                return
            # The data is as it was, but the database was already closed for the swap:
            # the only way on is to sign in again, as after a restore.
            self.close_dialog()
            for button in (self.backup_button, self.restore_button, self.put_back_button):
                button.setEnabled(False)
            self.track(tell(self, "Backup not restored", f"{exc.user_message}\n\nPlease sign in again.",
                            on_closed=self.restored.emit))

        return handle

    def _restored(self, _safety_copy: Path) -> None:
        self.close_dialog()
        # The database is closed now; nothing on this page can work until they sign in again.
        self.restore_notice.show_text(RESTORED, "ok")
        for button in (self.backup_button, self.restore_button, self.put_back_button):
            button.setEnabled(False)
        box = tell(self, "Backup restored",
                   "Restored. Please sign in again.\n\nConfide now holds the data from the backup. "
                   "A safety copy of the data it replaced has been kept.",
                   on_closed=self.restored.emit)
        self.track(box)
