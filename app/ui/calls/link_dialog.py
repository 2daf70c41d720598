"""Putting an anonymous call on a case once the caller agrees; the call keeps its date."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.services import calls
from app.services.calls import CallRecord
from app.services.people import InvalidInput
from app.services.vault import SignedIn
from app.ui.calls.case_picker import CasePicker
from app.ui.calls.consent_panel import ConsentPanel
from app.ui.errors import message_for
from app.ui.forms import FieldError


class LinkCallDialog(QDialog):
    def __init__(self, ctx: SignedIn, call_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.call_id = ctx, call_id
        self.linked: CallRecord | None = None
        self.setWindowTitle("Link the call to a case")
        layout = QVBoxLayout(self)
        intro = QLabel("The call keeps its original date and statistics. Ask for consent first.", self)
        intro.setWordWrap(True)
        self.consent = ConsentPanel(ctx.actor.full_name, self)
        self.picker = CasePicker(ctx, self)
        self.picker.setEnabled(False)
        self.consent.answered.connect(self.picker.setEnabled)
        self.general = FieldError(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.link_button = buttons.addButton("&Link the call", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.link)
        buttons.rejected.connect(self.reject)
        for widget in (intro, self.consent, self.picker, self.general, buttons):
            layout.addWidget(widget)

    def link(self) -> None:
        self.general.clear()
        try:
            calls.check_consent(self.consent.consent())
            case = self.picker.selected()
            if case is None:
                raise InvalidInput("Find the case and choose it in the list.", "case_id")
            self.linked = calls.link_call_to_case(self.ctx, self.call_id, case.id, self.consent.consent())
        except InvalidInput as exc:
            target = {"consent": self.consent.error, "case_id": self.picker.error}.get(exc.field or "",
                                                                                      self.general)
            target.show_message(str(exc))
            return
        except Exception as exc:
            self.general.show_message(message_for(exc))
            return
        self.accept()
