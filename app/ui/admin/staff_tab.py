"""The Staff tab: who has an account, and the buttons a manager uses to change that."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.context import SignedIn
from app.services.people import StaffMember
from app.services.staff import staff
from app.ui import operations
from app.ui.admin.staff_dialogs import AddStaffDialog, ChangeRoleDialog, ResetPasswordDialog
from app.ui.operations import guarded
from app.ui.widgets.forms import DialogHost
from app.ui.widgets.messages import Notice, ask_to_confirm, help_label
from app.ui.widgets.table_model import RowsModel

_Index = QModelIndex | QPersistentModelIndex


class StaffModel(RowsModel):
    HEADERS = ("Name", "Username", "Role", "Can sign in", "Must change password")

    @property
    def members(self) -> list[StaffMember]:
        return self.rows

    def set_members(self, members: list[StaffMember]) -> None:
        self.set_rows(members)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        member = self.members[index.row()]
        column = index.column()
        if column == 0:
            return member.full_name
        if column == 1:
            return member.username
        if column == 2:
            return member.role.label
        if column == 3:
            return "Yes" if member.active else "No (deactivated)"
        return "Yes" if member.must_change_password else "No"


class StaffTab(QWidget, DialogHost):
    changed = Signal()

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Staff accounts")
        column = QVBoxLayout(self)
        column.addWidget(help_label(
            "Everyone who signs in to Confide has an account here. Select a person, then use "
            "the buttons below the list.", self))

        self.model = StaffModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Staff accounts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = self._button("A&dd…", "Add a staff account", self.add_member, buttons)
        self.role_button = self._button("Change &role…", "Change the selected person's role",
                                        self.change_role, buttons)
        self.reset_button = self._button("Reset &password…", "Give the selected person a new password",
                                         self.reset_password, buttons)
        self.deactivate_button = self._button("Deac&tivate…", "Deactivate the selected person's account",
                                              self.deactivate, buttons)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.notice = Notice("Staff result", self)
        column.addWidget(self.notice)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.change_role())
        self._update_buttons()

    def _button(self, text: str, name: str, slot: Any, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        chosen = self.selected()
        with guarded(self.notice.show_problem) as call:
            members = staff.list_staff(self.ctx)
        if call.failed:
            return
        self.model.set_members(members)
        if chosen is not None:
            self.select(chosen.id)
        self._update_buttons()

    def clear(self) -> None:
        self.close_dialog()
        self.model.set_members([])
        self.notice.clear_text()

    def selected(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.members[rows[0].row()]

    def select(self, staff_id: int) -> None:
        for row, member in enumerate(self.model.members):
            if member.id == staff_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        member = self.selected()
        self.role_button.setEnabled(member is not None and member.active)
        self.reset_button.setEnabled(member is not None)
        self.deactivate_button.setEnabled(
            member is not None and member.active and member.id != self.ctx.actor.id
        )

    def _done(self, text: str, member: StaffMember | None = None) -> None:
        self.close_dialog()
        self.refresh()
        if member is not None:
            self.select(member.id)
        self.notice.show_text(text, "ok")
        self.changed.emit()

    def _show(self, dialog: QDialog) -> None:
        self.notice.clear_text()
        self.show_dialog(dialog)

    # -- actions ---------------------------------------------------------------------------

    def add_member(self) -> None:
        dialog = AddStaffDialog(self)

        def submit() -> None:
            values = dialog.values()
            operations.run(
                self, "Adding the account…",
                lambda: staff.add_staff(self.ctx, **values),  # type: ignore[arg-type]
                lambda member: self._done(
                    f"Account added for {member.full_name}. They sign in as “{member.username}”.",
                    member),
                self.failure_in(dialog, self.notice),
            )

        dialog.submit = submit
        self._show(dialog)

    def change_role(self) -> None:
        member = self.selected()
        if member is None or not member.active:
            return
        dialog = ChangeRoleDialog(member, self)

        def submit() -> None:
            with guarded(dialog.failed) as call:
                updated = staff.change_role(self.ctx, member.id, dialog.role.role())
            if not call.failed:
                    self._done(f"{updated.full_name} is now: {updated.role.label}.", updated)

        dialog.submit = submit
        self._show(dialog)

    def reset_password(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = ResetPasswordDialog(member, member.id == self.ctx.actor.id, self)

        def submit() -> None:
            password = dialog.new_password.password.text()
            confirm = dialog.new_password.confirm.text()
            operations.run(
                self, "Setting the new password…",
                lambda: staff.reset_password(self.ctx, member.id, password, confirm),
                lambda updated: self._done(
                    f"{updated.full_name} has a new temporary password; their old one no "
                    "longer works.", updated),
                self.failure_in(dialog, self.notice),
            )

        dialog.submit = submit
        self._show(dialog)

    def deactivate(self) -> None:
        member = self.selected()
        if member is None or not member.active:
            return

        def confirmed() -> None:
            self.dialog = None
            with guarded(self.notice.show_problem) as call:
                updated = staff.deactivate(self.ctx, member.id)
            if not call.failed:
                self._done(f"{updated.full_name}'s account is deactivated: they can no longer sign in.",
                           updated)

        self.close_dialog()
        self.notice.clear_text()
        box = ask_to_confirm(
            self, "Deactivate account",
            f"Deactivate the account of {member.full_name} ({member.username})?",
            f"{member.full_name} will no longer be able to sign in to Confide, and their "
            "password will stop opening the database straight away. Their past work and the "
            "audit trail are kept. You can turn the account back on later by giving them a new "
            "password (Reset password…).",
            "Deactivate", confirmed,
        )
        self.track(box)
