"""Putting an anonymous call on a case once the caller agrees; the call keeps its date."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.access import ReasonRequired
from app.services.calls import calls
from app.services.calls.calls import CallRecord
from app.services.context import SignedIn
from app.services.people import InvalidInput
from app.ui.calls.case_picker import CasePicker
from app.ui.calls.consent_panel import ConsentPanel
from app.ui.operations import guarded
from app.ui.widgets.messages import FieldError


class LinkCallDialog(QDialog):
    def __init__(self, ctx: SignedIn, call_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.call_id = ctx, call_id
        self.linked: CallRecord | None = None
        self.setWindowTitle("Link the call to a case")
        # Wide enough for a result line (reference · family · child) without scrolling sideways.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        layout = QVBoxLayout(self)
        intro = QLabel("The call keeps its original date and statistics. Ask for consent first.", self)
        intro.setWordWrap(True)
        self.consent = ConsentPanel(ctx.actor.full_name, self)
        self.picker = CasePicker(ctx, self)
        self.picker.setEnabled(False)
        self.consent.answered.connect(self.picker.setEnabled)
        # Shown only when a manager links to a case they are not assigned to.
        self.reason_label = QLabel("&Reason for adding to a case you are not assigned to:", self)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason")
        self.reason_label.setBuddy(self.reason)
        self.reason_label.hide()
        self.reason.hide()
        self.general = FieldError(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.link_button = buttons.addButton("&Link the call", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.link)
        buttons.rejected.connect(self.reject)
        for widget in (intro, self.consent, self.picker, self.reason_label, self.reason, self.general,
                       buttons):
            layout.addWidget(widget)

    def link(self) -> None:
        self.general.clear()
        with guarded(self.general.show_problem) as call:
            try:
                calls.check_consent(self.consent.consent())
                case = self.picker.selected()
                if case is None:
                    raise InvalidInput("Find the case and choose it in the list.", "case_id")
                reason = self.reason.text() if self.reason.isVisible() else None
                self.linked = calls.link_call_to_case(self.ctx, self.call_id, case.id,
                                                      self.consent.consent(), reason)
            except ReasonRequired as exc:
                self.reason_label.show()
                self.reason.show()
                self.reason.setFocus()
                self.general.show_message(str(exc))
                return
            except InvalidInput as exc:
                target = {"consent": self.consent.error, "case_id": self.picker.error}.get(exc.field or "",
                                                                                          self.general)
                target.show_message(str(exc))
                return
        if not call.failed:
            self.accept()
