"""Asking a manager why they are opening a case that is not assigned to them."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.access import REASON_MAX
from app.ui.widgets.forms import FormDialog
from app.ui.widgets.messages import wrapped_label


class ReasonDialog(FormDialog):
    """The reason goes on the case ("Viewed by manager …") and into the audit trail."""

    def __init__(self, reference: str, parent: QWidget | None = None) -> None:
        super().__init__("Reason for opening this case", "&Open case", parent)
        intro = wrapped_label(
            f"Case {reference} is not assigned to you. Type why you need to open it. "
            "Your reason is recorded in the audit trail and shown on the case for its advisers.",
            self)
        intro.setAccessibleName(intro.text())
        self.column.addWidget(intro)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText("For example: covering while the adviser is on leave")
        self.add_field("reason", "&Reason:", self.reason)
        self.finish_layout()

    def text(self) -> str:
        return self.reason.text()
