"""The Consent tab: the family's consent at a glance, its full history, and contacts with third
parties, with the actions that record, print and withdraw."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QHBoxLayout, QListWidgetItem, QPushButton, QWidget

from app.services.cases.cases import CaseView
from app.services.cases.fields import NoteKind
from app.services.cases.notes import BreachOutcome
from app.services.consent import consent, scanned_pages
from app.services.consent.consent import ThirdPartyContactView
from app.services.consent.records import ConsentKind, ConsentRecordView, ConsentState, ConsentStatus, Party
from app.services.consent.withdrawal import KeepDetailsWithdrawal
from app.services.context import SignedIn
from app.ui import theme
from app.ui.cases.consent_dialogs import ConsentDialog, ContactDialog, ScannedFormDialog, WithdrawalDialog
from app.ui.cases.tab_base import CaseTab, day, moment, record_list
from app.ui.operations import guarded
from app.ui.widgets.files import save_file, save_pdf
from app.ui.widgets.messages import help_label, tone

STATE_WORDS = {ConsentState.GRANTED: "✔ Granted", ConsentState.WITHDRAWN: "✖ Withdrawn",
               ConsentState.NOT_ASKED: "– Not asked"}
FORM_SUFFIX = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def status_line(status: ConsentStatus, today: date) -> str:
    line = f"{STATE_WORDS[status.state]}: {status.title}"
    latest = status.latest
    if latest is not None:
        line += f" · {latest.method}, {day(latest.given_on)}"
        if latest.recorded_by:
            line += f", recorded by {latest.recorded_by}"
        if latest.review_date and status.state is ConsentState.GRANTED:
            due = " (review due)" if status.review_due(today) else ""
            line += f" · review {day(latest.review_date)}{due}"
    return line


def history_line(record: ConsentRecordView) -> str:
    what = f"Contact {record.party.describe()}" if record.party else record.kind.label
    parts = [day(record.given_on), "Given" if record.granted else "Withdrawn", what, record.method,
             f"recorded by {record.recorded_by or 'a former colleague'} on {moment(record.recorded_at)}"]
    if record.review_date:
        parts.append(f"review {day(record.review_date)}")
    if record.has_form:
        parts.append("scanned form kept")
    return " · ".join(parts)


def contact_line(contact: ThirdPartyContactView, case: CaseView) -> str:
    line = (f"{moment(contact.at)} · {contact.purpose.value} · {contact.party.describe()} · "
            f"{contact.channel} · by {contact.recorded_by or 'a former colleague'}")
    if contact.overridden_by_breach_note is not None:
        note = next((n for n in case.notes if n.id == contact.overridden_by_breach_note), None)
        when = f" of {day(note.at)}" if note else ""
        shared = (f" to share with {note.breach.agencies_contacted}"
                  if note and note.breach and note.breach.outcome is BreachOutcome.SHARED else "")
        line += f"\n⚠ Made without the family's consent, under the breach decision{when}{shared}."
    return f"{line}\n{contact.summary}" if contact.summary else line


class ConsentTab(CaseTab):
    destroyed = Signal(str)  # the reference of a case whose details were destroyed

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Consent", parent)
        self.column.addWidget(theme.heading("Current consent", self, 1.15))
        self.states = record_list(self, "Current consent, one line each")
        self.states.itemDoubleClicked.connect(lambda _item: self.record(True))
        self.column.addWidget(self.states, 3)
        actions = QHBoxLayout()
        self.record_button = QPushButton("Record &consent…", self)
        self.record_button.clicked.connect(lambda: self.record(True))
        self.withdraw_button = QPushButton("Record a &withdrawal…", self)
        self.withdraw_button.clicked.connect(lambda: self.record(False))
        self.print_button = QPushButton("Save consent for&m to print…", self)
        self.print_button.setToolTip("A form with the family's details and a Yes/No box for each "
                                     "consent, for them to sign")
        self.print_button.clicked.connect(lambda: self.print_form(None))
        for button in (self.record_button, self.withdraw_button, self.print_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.column.addLayout(actions)
        self.column.addWidget(help_label("Select a line first to record a change to it. Which phone "
                                         "numbers may be used is on the People tab.", self))

        self.column.addWidget(theme.heading("History", self, 1.15))
        self.history = record_list(self, "Consent history, newest first")
        self.history.currentItemChanged.connect(lambda *_: self._history_selected())
        self.column.addWidget(self.history, 3)
        history_row = QHBoxLayout()
        self.view_form_button = QPushButton("View &scanned form…", self)
        self.view_form_button.setEnabled(False)
        self.view_form_button.clicked.connect(self.view_form)
        self.keep_button = QPushButton("Withdraw consent to &keep details…", self)
        self.keep_button.setToolTip("The family no longer wants their details kept: destroys them")
        self.keep_button.clicked.connect(self.withdraw_keep_details)
        history_row.addWidget(self.view_form_button)
        history_row.addStretch(1)
        history_row.addWidget(self.keep_button)
        self.column.addLayout(history_row)

        self.column.addWidget(theme.heading("Contacts with third parties", self, 1.15))
        self.contacts = record_list(self, "Contacts, referrals and letters to third parties, newest first")
        self.column.addWidget(self.contacts, 2)
        contact_row = QHBoxLayout()
        self.contact_button = QPushButton("Log a contact with a th&ird party…", self)
        self.contact_button.clicked.connect(self.log_contact)
        contact_row.addWidget(self.contact_button)
        contact_row.addStretch(1)
        self.column.addLayout(contact_row)

    # -- showing ----------------------------------------------------------------------------

    def show_case(self, case: CaseView) -> None:
        super().show_case(case)
        today = date.today()
        self.states.clear()
        for status in (*case.consent.family, *case.consent.third_parties):
            item = QListWidgetItem(status_line(status, today))
            item.setData(Qt.ItemDataRole.UserRole, (status.kind.value, status.party))
            item.setForeground(QBrush(self._colour(status.state)))
            self.states.addItem(item)
        self.history.clear()
        for record in case.consent.history:
            item = QListWidgetItem(history_line(record))
            item.setData(Qt.ItemDataRole.UserRole, record.id if record.has_form else None)
            self.history.addItem(item)
        self.contacts.clear()
        for contact in case.third_party_contacts:
            self.contacts.addItem(contact_line(contact, case))
        if not case.third_party_contacts:
            self.contacts.addItem("No contacts with third parties are recorded on this case.")
        self._history_selected()

    def _colour(self, state: ConsentState) -> object:
        if state is ConsentState.GRANTED:
            return tone(self, "ok")
        if state is ConsentState.WITHDRAWN:
            return tone(self, "error")
        return self.palette().color(QPalette.ColorRole.PlaceholderText)

    def _history_selected(self) -> None:
        item = self.history.currentItem()
        self.view_form_button.setEnabled(item is not None and item.data(Qt.ItemDataRole.UserRole) is not None)

    def _selected_status(self) -> tuple[ConsentKind | None, Party | None]:
        item = self.states.currentItem()
        if item is None:
            return None, None
        kind, party = item.data(Qt.ItemDataRole.UserRole)
        return ConsentKind(kind), party

    # -- actions ----------------------------------------------------------------------------

    def record(self, granted: bool) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        kind, party = self._selected_status()
        if kind is ConsentKind.KEEP_DETAILS and not granted:
            self.withdraw_keep_details()
            return
        parties = tuple(s.party for s in self.case.consent.third_parties if s.party)
        dialog = ConsentDialog(self, granted, kind, party, parties)

        def recorded(_view: object) -> None:
            self.changed.emit()
            self.notice.show_text("Consent recorded." if dialog.given_button.isChecked()
                                  else "Withdrawal recorded; it applies straight away.", "ok")

        self.run_dialog(dialog, lambda: consent.record_consent(self.ctx, case_id, dialog.entry()), recorded)

    def print_form(self, extra: Party | None) -> None:
        if self.case is None:
            return
        case_id, reference = self.case.id, self.case.reference
        extra_parties = [extra] if extra is not None else []

        def saved(path: Path) -> None:
            self.notice.show_text(f"Consent form saved to {path}. Print it, then delete the file "
                                  "once the family has signed the paper copy.", "ok")

        save_pdf(self, "Save the consent form to print", f"consent-form-{reference}.pdf",
                 lambda: consent.printable_consent_form(self.ctx, case_id, extra_parties), saved,
                 self.notice.show_problem, "Making the consent form…")

    def view_form(self) -> None:
        item = self.history.currentItem()
        consent_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if consent_id is None:
            self.notice.show_text("Select a record with a scanned form first.", "info")
            return
        with guarded(self.notice.show_problem) as call:
            form = consent.scanned_form(self.ctx, consent_id)
        if call.failed:
            return
        suffix = FORM_SUFFIX.get(form.media_type, "bin")

        def save_copy() -> None:
            save_file(self, "Save a copy of the scanned form", f"consent-form-{consent_id}.{suffix}",
                      form.content, lambda _path: None, self.notice.show_problem)

        dialog = ScannedFormDialog(scanned_pages.pictures(form.content, form.media_type),
                                   "Scanned consent form", save_copy, self)
        self.show_dialog(dialog)

    def log_contact(self) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        # Only a decision to share can stand in for consent; one not to share is not offered.
        breach_notes = tuple(n for n in self.case.notes if n.kind is NoteKind.BREACH_DECISION
                             and n.breach is not None and n.breach.outcome is BreachOutcome.SHARED)
        dialog = ContactDialog(self, self.case.consent.consented_parties(), breach_notes, self.print_form)

        def recorded(_view: object) -> None:
            self.changed.emit()
            self.notice.show_text("Contact recorded.", "ok")

        self.run_dialog(dialog, lambda: consent.log_third_party_contact(self.ctx, case_id, dialog.details()),
                        recorded)

    def withdraw_keep_details(self) -> None:
        if self.case is None:
            return
        with guarded(self.notice.show_problem) as call:
            flow = KeepDetailsWithdrawal(self.ctx, self.case.id)
        if call.failed:
            return
        dialog = WithdrawalDialog(flow, self)
        self.run_dialog_slowly(
            dialog, "Destroying the family's details…",
            lambda: (dialog.method.currentData() or None, dialog.reference.text()),
            lambda typed: flow.confirm(*typed), lambda done: self.destroyed.emit(done.case_reference))

    def clear(self) -> None:
        super().clear()
        for widget in (self.states, self.history, self.contacts):
            widget.clear()
