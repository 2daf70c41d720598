"""The call form: anonymous by default; named only after consent, then a case found or opened.

It lives inside the Calls page rather than a dialog, so a half-typed call survives a lock as
a draft (dialogs are closed at lock).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.calls import calls, topics
from app.services.calls.calls import CallRecord, IdentifyingSummary, NamedCall, ReferralDetails
from app.services.context import SignedIn
from app.services.people import InvalidInput
from app.ui import theme
from app.ui.calls.call_fields import CallFields
from app.ui.calls.case_picker import CasePicker
from app.ui.calls.consent_panel import ConsentPanel
from app.ui.calls.new_case_panel import NewCasePanel, focusable
from app.ui.operations import guarded
from app.ui.widgets.forms import FieldErrors, field_with_error, reveal
from app.ui.widgets.messages import FieldError

ANONYMOUS_LABEL = "Anon&ymous"
NAMED_LABEL = "&Named (the caller agrees to us keeping their details)"
_REFERRAL_FIELDS = {"referred_by", "parent_permission_confirmed"}


class CallForm(QWidget):
    """`saved(record)` after a call is stored; `closed()` when the adviser leaves the form."""

    saved = Signal(object)
    closed = Signal()

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("New call")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading = theme.heading("New call", self)
        outer.addWidget(self.heading)
        self.anonymous = QRadioButton(ANONYMOUS_LABEL, self)
        self.anonymous.setAccessibleName("Anonymous call")
        self.named = QRadioButton(NAMED_LABEL, self)
        self.named.setAccessibleName("Named call: the caller agrees to us keeping their details")
        kind = QButtonGroup(self)
        kind.addButton(self.anonymous)
        kind.addButton(self.named)
        toggle = QHBoxLayout()
        toggle.addWidget(self.anonymous)
        toggle.addWidget(self.named)
        toggle.addStretch(1)
        outer.addLayout(toggle)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        scroll.setWidget(body)
        columns = QHBoxLayout(body)
        self.general = FieldError(self)
        self.errors = FieldErrors(self.general)
        self.fields = CallFields(topics.list_topics(ctx), self.errors, body)
        columns.addWidget(self.fields, 1, Qt.AlignmentFlag.AlignTop)
        self.named_area = self._named_area(body)
        columns.addWidget(self.named_area, 1, Qt.AlignmentFlag.AlignTop)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.general)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save call", self)
        self.save_button.setToolTip("Save the call (Ctrl+S)")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Leave without saving (Esc)")
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        self.fields.save_anyway.clicked.connect(self.save_anyway)
        for keys, slot in ((QKeySequence.StandardKey.Save, self.save), ("Esc", self.cancel)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.anonymous.toggled.connect(self._kind_changed)
        self.new_case_panel.people_changed.connect(self._order_tabs)
        self.reset()

    def _named_area(self, parent: QWidget) -> QWidget:
        area = QWidget(parent)
        layout = QVBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.consent = ConsentPanel(self.ctx.actor.full_name, area)
        self.errors.add("consent", self.consent.error, self.consent.explained)
        layout.addWidget(self.consent)
        self.details = QGroupBox("Who called", area)
        details = QVBoxLayout(self.details)
        self.attach = QRadioButton("A &case we already have", self.details)
        self.new_case = QRadioButton("Open a ne&w case", self.details)
        which = QButtonGroup(self.details)
        which.addButton(self.attach)
        which.addButton(self.new_case)
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.attach)
        choose_row.addWidget(self.new_case)
        choose_row.addStretch(1)
        details.addLayout(choose_row)
        self.people_stack = QStackedWidget(self.details)
        self.picker = CasePicker(self.ctx, self.people_stack)
        self.reason = QLineEdit(self.picker)
        self.reason.setAccessibleName("Your reason for opening a case not assigned to you")
        self.reason.setPlaceholderText("Managers: why you are adding to a case not assigned to you")
        reason_box, reason_error = field_with_error(self.reason, self.picker)
        self.picker.layout().addWidget(reason_box)
        self.errors.add("reason", reason_error, self.reason)
        self.errors.add("case_id", self.picker.error, self.picker.search)
        self.new_case_panel = NewCasePanel(self.people_stack)
        self.errors.add("parents", self.new_case_panel.error)
        self.people_stack.addWidget(self.picker)
        self.people_stack.addWidget(self.new_case_panel)
        details.addWidget(self.people_stack)
        self.referred = QCheckBox("Referred &by someone else", self.details)
        self.referred_by = QLineEdit(self.details)
        self.referred_by.setAccessibleName("Who referred them")
        self.referred_by.setPlaceholderText("Who referred them, such as a school SENCo")
        self.permission = QCheckBox("The parent's permission to be referred was confirmed", self.details)
        referral = QFormLayout()
        referral.addRow(self.referred)
        box, error = field_with_error(self.referred_by, self.details)
        referral.addRow("Referred by:", box)
        self.errors.add("referred_by", error, self.referred_by)
        box, error = field_with_error(self.permission, self.details)
        referral.addRow("", box)
        self.errors.add("parent_permission_confirmed", error, self.permission)
        details.addLayout(referral)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.consent.answered.connect(self._consent_changed)
        self.attach.toggled.connect(lambda on: self.people_stack.setCurrentIndex(0 if on else 1))
        self.referred.toggled.connect(self._referral_changed)
        self.picker.chosen.connect(self._case_chosen)
        return area

    def _order_tabs(self) -> None:
        """Left column, then the named details top to bottom, then Cancel and Save.

        People's boxes are made and remade after the rest of the form, so without this Tab
        would visit the Save button before the parent's name."""
        chain = [self.fields.summary, self.fields.save_anyway, *focusable(self.consent), self.attach,
                 self.new_case, *focusable(self.picker), *self.new_case_panel.focus_order(), self.referred,
                 self.referred_by, self.permission, self.cancel_button, self.save_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- state -----------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        named = self.named.isChecked()
        self.named_area.setVisible(named)
        self.heading.setText("New named call" if named else "New anonymous call")
        self.fields.hint.setVisible(not named)
        self.fields.offer_save_anyway(False)

    def _consent_changed(self, yes: bool) -> None:
        self.details.setEnabled(yes)

    def _referral_changed(self, on: bool) -> None:
        self.referred_by.setEnabled(on)
        self.permission.setEnabled(on)

    def _case_chosen(self, case_id: int) -> None:
        case = self.picker.selected() if case_id else None
        needs_reason = case is not None and not case.assigned_to_me
        self.reason.parentWidget().setVisible(needs_reason)

    def start(self, case_id: int | None = None, search: str = "") -> None:
        """A fresh form; with `case_id`, named and attached to that case (search shows it)."""
        self.reset()
        if case_id is not None:
            self.named.setChecked(True)
            self.attach.setChecked(True)
            self.picker.set_values({"search": search, "case_id": case_id})
        self.fields.duration.setFocus()

    def reset(self) -> None:
        self.errors.clear()
        self.fields.reset()
        self.consent.reset()
        self.picker.reset()
        self.new_case_panel.reset()
        self.reason.clear()
        self.referred.setChecked(False)
        self.referred_by.clear()
        self.permission.setChecked(False)
        self.anonymous.setChecked(True)
        self.new_case.setChecked(True)
        self.people_stack.setCurrentIndex(1)
        self._kind_changed()
        self._consent_changed(False)
        self._referral_changed(False)
        self._case_chosen(0)

    def has_typing(self) -> bool:
        return (self.fields.has_typing() or self.consent.has_typing() or self.picker.has_typing()
                or self.new_case_panel.has_typing() or bool(self.referred_by.text().strip()))

    def values(self) -> dict[str, Any]:
        return {"named": self.named.isChecked(), "fields": self.fields.values(),
                "consent": self.consent.values(), "attach": self.attach.isChecked(),
                "picker": self.picker.values(), "reason": self.reason.text(),
                "new_case": self.new_case_panel.values(), "referred": self.referred.isChecked(),
                "referred_by": self.referred_by.text(), "permission": self.permission.isChecked()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.reset()
        self.fields.set_values(values.get("fields", {}))
        (self.named if values.get("named") else self.anonymous).setChecked(True)
        self.consent.set_values(values.get("consent", {}))
        (self.attach if values.get("attach") else self.new_case).setChecked(True)
        self.new_case_panel.set_values(values.get("new_case", {}))
        self.picker.set_values(values.get("picker", {}))
        self.reason.setText(str(values.get("reason", "")))
        self.referred.setChecked(bool(values.get("referred")))
        self.referred_by.setText(str(values.get("referred_by", "")))
        self.permission.setChecked(bool(values.get("permission")))

    # -- saving and leaving ----------------------------------------------------------------

    def save(self) -> None:
        """Save; an anonymous summary that looks identifying is checked again each time."""
        self._store(save_anyway=False)

    def save_anyway(self) -> None:
        """Save an anonymous call whose summary was found to look identifying, as it is."""
        self._store(save_anyway=True)

    def _store(self, save_anyway: bool) -> None:
        self.errors.clear()
        self.fields.offer_save_anyway(False)
        # A refusal goes under its field (or in the general line) and the form stays filled.
        with guarded(self._refused) as call:
            record = self._save(save_anyway)
        if not call.failed and record is not None:
            self.saved.emit(record)

    def _refused(self, exc: BaseException) -> None:
        self.errors.show(exc)
        if isinstance(exc, IdentifyingSummary):
            # What was found is under the summary: edit it, or save it anyway.
            self.fields.offer_save_anyway(True)
            reveal(self.fields.save_anyway)

    def _save(self, save_anyway: bool = False) -> CallRecord | None:
        details = self.fields.details()
        if self.anonymous.isChecked():
            return calls.log_anonymous_call(self.ctx, details, save_anyway=save_anyway)
        calls.check_consent(self.consent.consent())
        referral = None
        if self.referred.isChecked():
            referral = ReferralDetails(self.referred_by.text(), self.permission.isChecked())
        if self.attach.isChecked():
            case = self.picker.selected()
            if case is None:
                raise InvalidInput("Find the case and choose it in the list, or open a new case.",
                                   "case_id")
            named = NamedCall(details, self.consent.consent(), case_id=case.id, referral=referral,
                              reason=self.reason.text() or None)
        else:
            try:
                parents, children = self.new_case_panel.people()
            except InvalidInput:
                return None  # shown next to the field in that person's box
            named = NamedCall(details, self.consent.consent(), parents=parents, children=children,
                              referral=referral)
        return calls.log_named_call(self.ctx, named)

    def cancel(self) -> None:
        if self.has_typing() and not self.confirm_discard():
            return
        self.reset()
        self.closed.emit()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, "Discard this call?",
            "This call has not been saved. Discard what you have typed?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

