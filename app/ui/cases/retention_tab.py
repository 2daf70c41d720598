"""The Retention tab of a case: when the rules archive and destroy it, the legal hold, and the
family's requests to see everything held ("Everything we hold…") or to be removed
("Remove this family…"). The last three are a manager's; advisers see the dates and the hold.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.cases.cases import CaseView
from app.services.cases.notes import NoteView
from app.services.consent import consent
from app.services.context import SignedIn
from app.services.retention import legal_hold, retention, subject_access
from app.ui import theme
from app.ui.cases.tab_base import CaseTab, day, moment, plain_label
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.widgets.files import save_pdf
from app.ui.widgets.forms import FormDialog
from app.ui.widgets.messages import Notice, help_label, wrapped_label


def schedule_words(schedule: retention.CaseSchedule, status: str) -> str:
    lines = [f"Rules: {schedule.rules_title}."]
    if status == "archived":
        lines.append("Archived: read-only, and off the case lists. A manager can reopen it on the "
                     "Status tab.")
    elif schedule.archive is not None:
        lines.append(f"Archived on {day(schedule.archive.on)} ({schedule.archive.rule}) unless "
                     "there is activity before then.")
    else:
        lines.append("Not archived automatically.")
    if schedule.destroy is None:
        lines.append("Not destroyed automatically.")
    elif schedule.legal_hold_reason:
        lines.append(f"Due to be destroyed on {day(schedule.destroy.on)} ({schedule.destroy.rule}), "
                     "but kept while the legal hold lasts.")
    else:
        lines.append(f"The family's details are destroyed on {day(schedule.destroy.on)} "
                     f"({schedule.destroy.rule}); the calls stay as anonymous statistics.")
    return "\n".join(lines)


class HoldDialog(FormDialog):
    def __init__(self, placing: bool, reference: str, parent: QWidget) -> None:
        title = "Place on legal hold" if placing else "Lift the legal hold"
        super().__init__(title, "Place on &hold" if placing else "L&ift the hold", parent)
        self.column.addWidget(wrapped_label(
            f"While case {reference} is on legal hold, retention never destroys it and nobody can "
            "remove the family's details. Say why (for example a tribunal appeal or a complaint)."
            if placing else
            f"Once the hold is lifted, the retention rules apply to case {reference} again from "
            "the next start. Say why the hold is over.", self))
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(legal_hold.HOLD_REASON_MAX)
        self.add_field("hold_reason" if placing else "lift_reason", "&Reason:", self.reason)
        self.finish_layout()


class EverythingDialog(QDialog):
    """Choose the notes to redact, then save the pack where the manager chooses."""

    def __init__(self, ctx: SignedIn, case: CaseView, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.case = ctx, case
        self.setWindowTitle("Everything we hold")
        self.setAccessibleName("Everything we hold")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        column = QVBoxLayout(self)
        column.addWidget(theme.heading(f"Everything we hold · case {case.reference}", self, 1.15))
        column.addWidget(wrapped_label(
            "A PDF of all the information held about this family and their children: people, "
            "calls, notes with their earlier text, consent history, contacts with other "
            "organisations, and who has looked at the record. Every page is marked STRICTLY "
            "PRIVATE AND CONFIDENTIAL.", self))
        column.addWidget(wrapped_label(
            "Tick the notes written by or about someone outside the family (another parent, a "
            "relative, a professional) whose words should not be shared. They show as "
            f"{subject_access.REDACTED} in the pack; their date and author stay.", self))
        self.notes = QListWidget(self)
        self.notes.setAccessibleName("Notes: tick to redact")
        self.notes.setWordWrap(True)
        for note in reversed(case.notes):
            item = QListWidgetItem(_note_line(note))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.notes.addItem(item)
        if not case.notes:
            self.notes.addItem("There are no notes on this case.")
        column.addWidget(self.notes, 1)
        self.notice = Notice("Everything we hold message", self)
        column.addWidget(self.notice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.save_button = buttons.addButton("&Save the PDF…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save the PDF")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def redacted_ids(self) -> list[int]:
        ids = []
        for index in range(self.notes.count()):
            item = self.notes.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def make_pdf(self, redacted: list[int] | None = None) -> bytes:
        return subject_access.everything_we_hold_pdf(
            self.ctx, self.case.id, self.redacted_ids() if redacted is None else redacted)

    def save(self) -> None:
        # The ticks are read here, on the GUI thread; the PDF is made off it.
        redacted = self.redacted_ids()
        save_pdf(self, "Save everything we hold", f"everything-we-hold-{self.case.reference}.pdf",
                 lambda: self.make_pdf(redacted), lambda _path: self.accept(), self.notice.show_problem,
                 "Making the pack of everything we hold…")


def _note_line(note: NoteView) -> str:
    first = " ".join(note.text.split())
    first = first if len(first) <= 90 else first[:89] + "…"
    return f"{moment(note.at)} · {note.author or 'former colleague'}: {first}"


class RemoveDialog(FormDialog):
    def __init__(self, preview: consent.WithdrawalPreview, parent: QWidget) -> None:
        super().__init__("Remove this family", "Re&move the family's details", parent)
        self.column.addWidget(theme.heading(f"Remove this family · case {preview.reference}", self,
                                            1.15))
        self.column.addWidget(wrapped_label(
            f"The family asked for their details to be removed. This destroys for good "
            f"{preview.parents} parent or carer record(s), {preview.children} child record(s), "
            f"{preview.notes} note(s), {preview.consent_records} consent record(s) and "
            f"{preview.third_party_contacts} contact(s) with other organisations. "
            f"{preview.calls_kept} call(s) stay as anonymous statistics. The destruction register "
            "keeps only the case reference, its dates and \u201cerased on request\u201d.", self))
        if preview.safeguarding:
            self.column.addWidget(help_label(
                "This case has a safeguarding concern: make sure nothing needs to be kept before "
                "removing it.", self))
        self.reference = QLineEdit(self)
        self.add_field("reference", "T&ype the case reference to confirm:", self.reference)
        self.finish_layout()


class RetentionTab(CaseTab):
    destroyed = Signal(str)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Retention", parent)
        self.schedule = plain_label("", self, "When this case is archived and destroyed")
        self.column.addWidget(theme.heading("How long this record is kept", self, 1.15))
        self.column.addWidget(self.schedule)
        hold = QGroupBox("Legal hold", self)
        hold_column = QVBoxLayout(hold)
        self.hold_text = plain_label("", hold, "Legal hold")
        hold_column.addWidget(self.hold_text)
        row = QHBoxLayout()
        self.hold_button = QPushButton("Place on legal &hold…", hold)
        self.hold_button.setAccessibleName("Place on legal hold")
        self.hold_button.clicked.connect(lambda: self.ask_hold(True))
        self.lift_button = QPushButton("L&ift the legal hold…", hold)
        self.lift_button.setAccessibleName("Lift the legal hold")
        self.lift_button.clicked.connect(lambda: self.ask_hold(False))
        row.addWidget(self.hold_button)
        row.addWidget(self.lift_button)
        row.addStretch(1)
        hold_column.addLayout(row)
        self.column.addWidget(hold)
        requests = QGroupBox("The family's requests", self)
        requests_column = QVBoxLayout(requests)
        requests_column.addWidget(help_label(
            "A family may ask to see everything held about them and their children, or to be "
            "removed. A manager answers both.", requests))
        row = QHBoxLayout()
        self.everything_button = QPushButton("Everything &we hold…", requests)
        self.everything_button.setAccessibleName("Everything we hold")
        self.everything_button.setToolTip("Save a PDF of all the data held about this family")
        self.everything_button.clicked.connect(self.everything)
        self.remove_button = QPushButton("Re&move this family…", requests)
        self.remove_button.setAccessibleName("Remove this family")
        self.remove_button.setToolTip("Destroy the family's details at their request")
        self.remove_button.clicked.connect(self.ask_remove)
        row.addWidget(self.everything_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        requests_column.addLayout(row)
        self.column.addWidget(requests)
        self.column.addStretch(1)
        if not ctx.actor.is_manager:
            for button in (self.hold_button, self.lift_button, self.everything_button,
                           self.remove_button):
                button.hide()
            hold_column.addWidget(help_label("Only a manager can place or lift a legal hold.", hold))

    def show_case(self, case: CaseView) -> None:
        super().show_case(case)
        with guarded(lambda exc: self.schedule.setText(message_for(exc))) as call:
            schedule = retention.case_schedule(self.ctx, case.id)
        if not call.failed:
            self.schedule.setText(schedule_words(schedule, case.status.value))
        self.schedule.setAccessibleName(self.schedule.text())
        held = case.legal_hold_reason
        self.hold_text.setText(f"On legal hold: {held}" if held else "Not on legal hold.")
        self.hold_text.setAccessibleName(self.hold_text.text())
        self.hold_button.setText("Change the legal &hold reason…" if held else "Place on legal &hold…")
        self.lift_button.setEnabled(bool(held))
        self.remove_button.setEnabled(not held)
        self.remove_button.setToolTip("Lift the legal hold first" if held else
                                      "Destroy the family's details at their request")

    def ask_hold(self, placing: bool) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        dialog = HoldDialog(placing, self.case.reference, self)
        if placing and self.case.legal_hold_reason:
            dialog.reason.setText(self.case.legal_hold_reason)

        def work() -> object:
            if placing:
                return legal_hold.set_legal_hold(self.ctx, case_id, dialog.reason.text())
            return legal_hold.lift_legal_hold(self.ctx, case_id, dialog.reason.text())

        def done(_result: object) -> None:
            self.changed.emit()
            self.notice.show_text("Legal hold placed." if placing else "Legal hold lifted.", "ok")

        self.run_dialog(dialog, work, done)

    def everything(self) -> None:
        if self.case is not None:
            self.show_dialog(EverythingDialog(self.ctx, self.case, self))

    def ask_remove(self) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        with guarded(self.notice.show_problem) as call:
            preview = consent.withdrawal_preview(self.ctx, case_id)
        if call.failed:
            return
        dialog = RemoveDialog(preview, self)
        self.run_dialog_slowly(
            dialog, "Removing the family's details…", dialog.reference.text,
            lambda typed: subject_access.erase_on_request(self.ctx, case_id, typed),
            lambda done: self.destroyed.emit(done.case_reference))

    def clear(self) -> None:
        super().clear()
        self.schedule.clear()
        self.hold_text.clear()
