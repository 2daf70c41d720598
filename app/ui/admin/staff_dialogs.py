"""Dialogs for staff accounts: add one, change a role, give a new temporary password.

Each dialog stays open until the service accepts what was typed; a refusal appears under the
field it concerns and everything typed stays in place. The tab passes a `submit` callback that
calls the service and reports back through `succeeded` / `failed`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.services.people import Role, StaffMember
from app.ui.widgets.forms import FormDialog, PasswordFields
from app.ui.widgets.messages import help_label, wrapped_label

# One line for each role, from the design brief's "People and what they do".
ROLE_EXPLANATIONS = {
    Role.ADVISER: "Logs calls and keeps the records of the families assigned to them.",
    Role.MANAGER: "Everything an adviser does, for any family (every look is recorded), "
                  "plus staff accounts, settings, letters and backups.",
    Role.COORDINATOR: "Sees only anonymous usage reports and the anonymised team diary; "
                      "never a family's name, address or notes.",
}


class _RolePicker(QComboBox):
    def __init__(self, parent: QWidget, current: Role = Role.ADVISER) -> None:
        super().__init__(parent)
        for role in (Role.ADVISER, Role.MANAGER, Role.COORDINATOR):
            self.addItem(role.label, role)
        self.setCurrentIndex(self.findData(current))
        self.explanation = help_label(ROLE_EXPLANATIONS[current], parent)
        self.currentIndexChanged.connect(self._explain)

    def role(self) -> Role:
        return Role(self.currentData())

    def _explain(self) -> None:
        text = ROLE_EXPLANATIONS[self.role()]
        self.explanation.setText(text)
        self.explanation.setAccessibleName(text)


class AddStaffDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a staff account", "&Add account", parent)
        self.full_name = QLineEdit(self)
        self.full_name.setMaxLength(120)
        self.username = QLineEdit(self)
        self.username.setMaxLength(64)
        self.role = _RolePicker(self)
        self.add_field("full_name", "Full &name:", self.full_name)
        self.add_field("username", "&Username:", self.username,
                       "What they type to sign in: letters, digits, dots, dashes or underscores.")
        self.add_field("role", "&Role:", self.role, below=self.role.explanation)
        self.new_password = PasswordFields(self.form, self.errors, "Temporary &password", self,
                                           "T&ype it again:")
        self.form.addRow(wrapped_label(
            "Give them this temporary password in person, not by email. The first time they "
            "sign in, Confide asks them to choose their own.", self))
        self.finish_layout()

    def values(self) -> dict[str, object]:
        return {
            "full_name": self.full_name.text(),
            "username": self.username.text(),
            "role": self.role.role(),
            "password": self.new_password.password.text(),
            "confirm": self.new_password.confirm.text(),
        }


class ChangeRoleDialog(FormDialog):
    def __init__(self, member: StaffMember, parent: QWidget | None = None) -> None:
        super().__init__(f"Change the role of {member.full_name}", "&Change role", parent)
        self.member = member
        self.form.addRow(wrapped_label(
            f"{member.full_name} ({member.username}) is now: {member.role.label}.", self))
        self.role = _RolePicker(self, member.role)
        self.add_field("role", "New &role:", self.role, below=self.role.explanation)
        self.form.addRow(wrapped_label(
            "The change takes effect the next time they sign in or unlock Confide.", self))
        self.finish_layout()


class ResetPasswordDialog(FormDialog):
    def __init__(self, member: StaffMember, is_self: bool, parent: QWidget | None = None) -> None:
        super().__init__(f"New password for {member.full_name}", "&Set new password", parent)
        self.member = member
        lines = [
            f"This gives {member.full_name} ({member.username}) a new temporary password and "
            "creates a new key for them: their old password stops working straight away.",
        ]
        if is_self:
            lines.append("This is your own account, so the new password is simply yours.")
        else:
            lines.append("Give them the new password in person. The first time they sign in "
                         "with it, Confide asks them to choose their own.")
        if not member.active:
            lines.append("Their account is deactivated; this turns it back on.")
        self.explanation = wrapped_label(" ".join(lines), self)
        self.form.addRow(self.explanation)
        self.new_password = PasswordFields(self.form, self.errors, "New temporary &password", self,
                                           "T&ype it again:")
        self.finish_layout()
