"""The Admin page (managers only): staff accounts, service settings, retention, audit trail, backups.

The main window listens to `settings_saved` (to pick up a new idle-lock time) and `restored`
(the database is closed after a restore, so it must return to the sign-in screen).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.services.context import SignedIn
from app.ui.admin.audit_tab import AuditTab
from app.ui.admin.backup_tab import BackupTab
from app.ui.admin.letters_tab import LetterTemplatesTab
from app.ui.admin.retention_tab import RetentionTab
from app.ui.admin.settings_tab import SettingsTab
from app.ui.admin.staff_tab import StaffTab
from app.ui.shell.pages import Page
from app.ui.widgets.messages import wrapped_label

__all__ = ["AdminPage"]


class AdminPage(Page):
    title = "Admin"
    draft_key = "admin.settings"
    settings_saved = Signal(object)
    restored = Signal()

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if not ctx.actor.is_manager:
            # The main window shows Admin to managers only; this is the belt to its braces.
            layout.addWidget(wrapped_label("Only a manager can use Admin.", self))
            self.tabs = None
            return
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Admin sections")
        self.tabs.setDocumentMode(True)
        self.staff_tab = StaffTab(ctx, self.tabs)
        self.settings_tab = SettingsTab(ctx, self.tabs)
        self.retention_tab = RetentionTab(ctx, self.tabs)
        self.audit_tab = AuditTab(ctx, self.tabs)
        self.backup_tab = BackupTab(ctx, self.tabs)
        self.letters_tab = LetterTemplatesTab(ctx, self.tabs)
        # Alt+letter reaches each tab; no button on any tab uses these letters.
        self.tabs.addTab(self.staff_tab, "&Staff")
        self.tabs.addTab(self.settings_tab, "Ser&vice settings")
        self.tabs.addTab(self.retention_tab, "Retent&ion")
        self.tabs.addTab(self.audit_tab, "&Audit trail")
        self.tabs.addTab(self.backup_tab, "&Backup and restore")
        self.tabs.addTab(self.letters_tab, "Letters and lo&go")
        layout.addWidget(self.tabs)

        self.tabs.currentChanged.connect(lambda _index: self._load_current())
        self.settings_tab.saved.connect(self.settings_saved)
        self.backup_tab.restored.connect(self.restored)
        self.refresh()

    def _tabs(self) -> list[Any]:
        return [self.staff_tab, self.settings_tab, self.retention_tab, self.audit_tab, self.backup_tab,
                self.letters_tab]

    def _load_current(self) -> None:
        # Each tab reloads whenever it is shown: the others add audit events and safety
        # copies, and a colleague may have changed something since. Each load is small.
        tab = self.tabs.currentWidget() if self.tabs else None
        if tab is not None:
            tab.refresh()

    # -- Page ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.tabs is None:
            return
        # Settings load at once, so the page's draft can be compared with what is saved.
        if self.tabs.currentWidget() is not self.settings_tab:
            self.settings_tab.refresh()
        self._load_current()

    def clear(self) -> None:
        if self.tabs is None:
            return
        for tab in self._tabs():
            tab.clear()

    def draft_state(self) -> dict[str, Any] | None:
        if self.tabs is None:
            return None
        return self.settings_tab.unsaved() or None

    def restore_draft(self, state: dict[str, Any]) -> None:
        if self.tabs is None or not state:
            return
        if not self.settings_tab.loaded():
            self.settings_tab.refresh()
        known = {k: v for k, v in state.items() if k in self.settings_tab.editors}
        self.settings_tab.set_values(known)
        self.tabs.setCurrentWidget(self.settings_tab)
