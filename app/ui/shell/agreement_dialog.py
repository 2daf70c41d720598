"""The confidentiality agreement every staff member accepts before using Confide."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.context import SignedIn
from app.services.staff import agreement as agreement_service
from app.services.staff.agreement import Agreement
from app.ui import theme
from app.ui.operations import guarded
from app.ui.widgets.files import save_pdf

AGREE_TEXT = "I have read and understood the confidentiality agreement and agree to follow it"


class AgreementDialog(QDialog):
    """Read-only agreement text, a tick box, Accept, Print for signature, Cancel (signs out)."""

    def __init__(self, ctx: SignedIn, agreement: Agreement, service_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.agreement = agreement
        self.service_name = service_name
        self.accepted_when: datetime | None = None
        self.setWindowTitle(f"Confide — {agreement.title}")
        self.setAccessibleName(agreement.title)

        intro = QLabel(
            "Before you start, please read the service's confidentiality agreement. "
            "Confide records the date and time you accept it.",
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(agreement.body)
        self.text.setAccessibleName("Agreement text")
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 16)
        self.agree = QCheckBox(AGREE_TEXT.replace("I have", "I &have", 1), self)
        self.agree.setAccessibleName(AGREE_TEXT)

        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton("&Print for signature…",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setAccessibleName("Print for signature")
        self.print_button.setToolTip("Save the agreement as a PDF to print and sign by hand.")
        self.accept_button = buttons.addButton("&Accept", QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setAccessibleName("Accept")
        self.accept_button.setEnabled(False)
        self.cancel_button = buttons.addButton("&Cancel and sign out",
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAccessibleName("Cancel and sign out")
        self.agree.toggled.connect(self.accept_button.setEnabled)
        self.print_button.clicked.connect(self.print_for_signature)
        buttons.accepted.connect(self.record_acceptance)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(theme.heading(agreement.title, self, 1.3))
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.agree)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.agree.setFocus()

    def record_acceptance(self) -> None:
        if not self.agree.isChecked():
            return
        with guarded(parent=self) as call:
            self.accepted_when = agreement_service.accept(self.ctx, self.agreement.version)
        if not call.failed:
            self.accept()

    def print_for_signature(self) -> None:
        from app.services.staff import agreement_pdf

        name, accepted_when = self.ctx.actor.full_name, self.accepted_when

        def make() -> bytes:
            return agreement_pdf.agreement_pdf(self.service_name, self.agreement, name, accepted_when)

        save_pdf(self, "Save the agreement for printing", "Confidentiality agreement.pdf", make,
                 lambda _path: None, label="Making the agreement for signature…")
