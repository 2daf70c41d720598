"""Dialogs of the Consent tab: record a grant or withdrawal, log a contact with a third party,
show a scanned form, and withdraw consent to keep details (drawn from its Qt-free flow)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.cases.cases import NoteView
from app.services.cases.fields import SUMMARY_MAX, Channel, ConsentMethod
from app.services.consent.consent import (
    FORM_MAX_BYTES,
    ConsentEntry,
    ThirdPartyContactDetails,
    ThirdPartyPurpose,
)
from app.services.consent.records import KIND_LABELS, ConsentKind, ConsentRequired, Party, PartyKind
from app.services.consent.scanned_pages import Picture, PictureFormat
from app.services.consent.withdrawal import KeepDetailsWithdrawal, Step
from app.services.people import InvalidInput
from app.ui.calls.widgets import choice_box, chosen
from app.ui.cases.tab_base import day, scrolling
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.widgets.forms import FormDialog
from app.ui.widgets.messages import Notice, help_label, wrapped_label

METHODS = [("Signed form", ConsentMethod.SIGNED_FORM.value), ("Verbal", ConsentMethod.VERBAL.value),
           ("Email", ConsentMethod.EMAIL.value)]
PARTY_KINDS = [(kind.value[0].upper() + kind.value[1:], kind.value) for kind in PartyKind]
# Withdrawing consent to keep details has its own dialog: it destroys the record.
RECORDABLE_KINDS = [ConsentKind.THIRD_PARTY, ConsentKind.EMAIL, ConsentKind.VOICEMAIL,
                    ConsentKind.MESSAGE_WITH_COLLEAGUE, ConsentKind.QUOTES, ConsentKind.PHOTOGRAPHS,
                    ConsentKind.KEEP_DETAILS]
WHEN_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y")


def _line(parent: QWidget, limit: int, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setMaxLength(limit)
    edit.setPlaceholderText(placeholder)
    return edit


class ConsentDialog(FormDialog):
    """One grant or withdrawal. The form stays filled when the service refuses it."""

    def __init__(self, parent: QWidget | None, granted: bool, kind: ConsentKind | None = None,
                 party: Party | None = None, known_parties: tuple[Party, ...] = ()) -> None:
        super().__init__("Record consent" if granted else "Record a withdrawal of consent",
                         "&Record", parent)
        self.form_bytes: bytes | None = None
        self.kind = choice_box("What the consent is for",
                               [(KIND_LABELS[k], k.value) for k in RECORDABLE_KINDS], self)
        self.add_field("kind", "&What for:", self.kind)
        given = QRadioButton("&Given", self)
        withdrawn = QRadioButton("With&drawn", self)
        (given if granted else withdrawn).setChecked(True)
        self.answer = QButtonGroup(self)
        self.answer.addButton(given)
        self.answer.addButton(withdrawn)
        self.given_button, self.withdrawn_button = given, withdrawn
        answer_row = QWidget(self)
        row = QHBoxLayout(answer_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(given)
        row.addWidget(withdrawn)
        row.addStretch(1)
        self.add_field("granted", "The family's answer:", answer_row)
        given.setAccessibleName("Consent given")
        withdrawn.setAccessibleName("Consent withdrawn")
        self.party_kind = choice_box("Kind of third party", PARTY_KINDS, self, "Choose…")
        self.add_field("party_kind", "&Kind of third party:", self.party_kind)
        self.party_name = QComboBox(self)
        self.party_name.setEditable(True)
        self.party_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.party_name.lineEdit().setMaxLength(80)
        self.party_name.lineEdit().setPlaceholderText("For example Northfield Primary School")
        self.known = {p.name: p for p in known_parties}
        self.party_name.addItems(list(self.known))
        self.party_name.setCurrentText("")
        self.party_name.currentTextChanged.connect(self._known_party_chosen)
        self.add_field("party_name", "&Name of the organisation or person:", self.party_name)
        self.method = choice_box("How it was given", METHODS, self, "Choose…")
        self.add_field("method", "&How:", self.method)
        self.given_on = _line(self, 10, "dd/mm/yyyy")
        self.given_on.setText(datetime.now().strftime("%d/%m/%Y"))
        self.add_field("given_on", "D&ate:", self.given_on, "The day the family said so.")
        self.review = _line(self, 10, "dd/mm/yyyy (optional)")
        self.add_field("review_date", "Re&view on:", self.review,
                       "When to check with the family that this still stands.")
        self.form_label = help_label("No scanned form attached.", self)
        attach_row = QWidget(self)
        attach = QHBoxLayout(attach_row)
        attach.setContentsMargins(0, 0, 0, 0)
        self.attach_button = QPushButton("Attach scanned &form…", self)
        self.attach_button.clicked.connect(self._choose_file)
        self.remove_button = QPushButton("Re&move it", self)
        self.remove_button.clicked.connect(lambda: self.attach_bytes("", None))
        self.remove_button.setEnabled(False)
        attach.addWidget(self.attach_button)
        attach.addWidget(self.remove_button)
        attach.addStretch(1)
        self.add_field("form", "Scanned form:", attach_row, below=self.form_label)
        self.column.addWidget(help_label("The record is kept for good: a change of mind is a new "
                                         "record, and the history shows both.", self))
        if kind is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind.value)))
        if party is not None:
            self.party_kind.setCurrentIndex(max(0, self.party_kind.findData(party.kind.value)))
            self.party_name.setCurrentText(party.name)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.answer.buttonToggled.connect(lambda *_: self._kind_changed())
        self.finish_layout()
        self._kind_changed()

    def _rows_visible(self, field: str, visible: bool) -> None:
        widget = self.errors.widgets[field]
        self.form.setRowVisible(widget.parentWidget(), visible)

    def _kind_changed(self) -> None:
        third = chosen(self.kind) == ConsentKind.THIRD_PARTY.value
        self._rows_visible("party_kind", third)
        self._rows_visible("party_name", third)
        self._rows_visible("review_date", self.given_button.isChecked())
        self.fit()

    def _known_party_chosen(self, name: str) -> None:
        party = self.known.get(name)
        if party is not None:
            self.party_kind.setCurrentIndex(max(0, self.party_kind.findData(party.kind.value)))

    def _choose_file(self) -> None:
        chosen_path, _ = QFileDialog.getOpenFileName(self, "Attach a scanned form", "",
                                                     "Scanned forms (*.pdf *.png *.jpg *.jpeg)")
        if not chosen_path:
            return
        path = Path(chosen_path)
        try:
            if path.stat().st_size > FORM_MAX_BYTES:
                raise InvalidInput(f"That file is over {FORM_MAX_BYTES // (1024 * 1024)} MB; scan it "
                                   "at a lower resolution.", "form")
            self.attach_bytes(path.name, path.read_bytes())
        except OSError:
            self.errors.show(InvalidInput("That file could not be read. Choose another.", "form"))
        except InvalidInput as exc:
            self.errors.show(exc)

    def attach_bytes(self, name: str, content: bytes | None) -> None:
        """Keep the scan in memory only; it is stored inside the database when recorded."""
        self.form_bytes = content
        if content is None:
            self.form_label.setText("No scanned form attached.")
        else:
            self.form_label.setText(f"Attached: {name} ({max(1, len(content) // 1024)} KB). It is kept "
                                    "inside Confide's encrypted database; you may delete your copy.")
        self.form_label.setAccessibleName(self.form_label.text())
        self.remove_button.setEnabled(content is not None)

    def entry(self) -> ConsentEntry:
        return ConsentEntry(kind=chosen(self.kind), granted=self.given_button.isChecked(),
                            method=chosen(self.method) or None, given_on=self.given_on.text(),
                            party_kind=chosen(self.party_kind) or None,
                            party_name=self.party_name.currentText(),
                            review_date=self.review.text() if self.given_button.isChecked() else None,
                            form=self.form_bytes)


class ContactDialog(FormDialog):
    """A contact or referral to a third party; refused with the reason when consent is missing."""

    def __init__(self, parent: QWidget | None, parties: tuple[Party, ...],
                 breach_notes: tuple[NoteView, ...], print_form: Callable[[Party | None], None]) -> None:
        super().__init__("Contact with a third party", "&Record", parent)
        self.print_form = print_form
        self.party_kind = choice_box("Kind of third party", PARTY_KINDS, self, "Choose…")
        self.party_name = QComboBox(self)
        self.party_name.setEditable(True)
        self.party_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.party_name.lineEdit().setMaxLength(80)
        self.known = {p.name: p for p in parties}
        self.party_name.addItems(list(self.known))
        self.party_name.currentTextChanged.connect(self._known_party_chosen)
        self.add_field("party_name", "&Who:", self.party_name,
                       "The family has consented to those listed; anyone else is refused.")
        self.add_field("party_kind", "&Kind:", self.party_kind)
        self.purpose = choice_box("What it was", [("A contact (call, email, meeting)",
                                                   ThirdPartyPurpose.CONTACT.value),
                                                  ("A referral", ThirdPartyPurpose.REFERRAL.value)], self)
        self.add_field("purpose", "&What:", self.purpose)
        self.channel = choice_box("How", [(c.value.capitalize(), c.value) for c in Channel], self)
        self.add_field("channel", "&How:", self.channel)
        self.when = _line(self, 16, "dd/mm/yyyy hh:mm")
        self.when.setText(datetime.now().strftime("%d/%m/%Y %H:%M"))
        self.add_field("at", "Wh&en:", self.when)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.add_field("summary", "&Summary:", self.summary, "What was shared and why; keep it short.")
        self.override = QComboBox(self)
        self.override.addItem("No: only with the family's consent", None)
        for note in breach_notes:
            named = note.breach.agencies_contacted if note.breach else ""
            self.override.addItem(f"Breach decision of {day(note.at)}: share with {named}"[:120],
                                  note.id)
        self.add_field("breach_note_id", "Without &consent?", self.override,
                       "Only under a confidentiality breach decision recorded on this case "
                       "(safeguarding).")
        self._rows_visible_override(bool(breach_notes))
        self.print_button = QPushButton("&Print a consent form for them…", self)
        self.print_button.clicked.connect(self._print)
        self.print_button.hide()
        self.finish_layout()
        # Under the refusal it answers, above the dialog's own buttons.
        self.column.insertWidget(self.column.indexOf(self.general) + 1, self.print_button)
        if parties:
            self.party_name.setCurrentIndex(0)
            self._known_party_chosen(self.party_name.currentText())
        else:
            self.party_name.setCurrentText("")

    def _rows_visible_override(self, visible: bool) -> None:
        self.form.setRowVisible(self.errors.widgets["breach_note_id"].parentWidget(), visible)

    def _known_party_chosen(self, name: str) -> None:
        party = self.known.get(name)
        if party is not None:
            self.party_kind.setCurrentIndex(max(0, self.party_kind.findData(party.kind.value)))

    def _typed_party(self) -> Party | None:
        kind = chosen(self.party_kind)
        name = self.party_name.currentText().strip()
        return Party(PartyKind(kind), name) if kind and name else None

    def _print(self) -> None:
        self.print_form(self._typed_party())

    def details(self) -> ThirdPartyContactDetails:
        typed = self.when.text().strip()
        at = None
        for pattern in WHEN_FORMATS:
            try:
                at = datetime.strptime(typed, pattern)
                break
            except ValueError:
                continue
        if at is None:
            raise InvalidInput("When: type the day and time, such as 09/03/2026 14:30.", "at")
        if len(self.summary.toPlainText()) > SUMMARY_MAX:
            raise InvalidInput(f"Summary: keep it under {SUMMARY_MAX} characters.", "summary")
        return ThirdPartyContactDetails(party_kind=chosen(self.party_kind) or None,
                                        party_name=self.party_name.currentText(),
                                        purpose=chosen(self.purpose), channel=chosen(self.channel),
                                        summary=self.summary.toPlainText(), at=at,
                                        breach_note_id=self.override.currentData())

    def failed(self, exc: BaseException) -> None:
        super().failed(exc)
        # Missing consent: offer the form the family can sign, right where the refusal is read.
        self.print_button.setVisible(isinstance(exc, ConsentRequired))
        self.fit()


class WithdrawalDialog(QDialog):
    """Draws KeepDetailsWithdrawal: what will happen, then the typed confirmation."""

    def __init__(self, flow: KeepDetailsWithdrawal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setWindowTitle("Withdraw consent to keep details")
        self.setAccessibleName("Withdraw consent to keep details")
        self.setModal(True)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.submit: Callable[[], None] = lambda: None
        column = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        column.addWidget(self.pages, 1)

        explain = QWidget(self.pages)
        explain_column = QVBoxLayout(explain)
        heading = wrapped_label(f"The family on case {flow.reference} no longer agrees to their "
                                "details being kept. This is what will happen:", explain)
        explain_column.addWidget(heading)
        self.explanation = wrapped_label("\n\n".join(f"• {line}" for line in flow.explanation()), explain)
        self.explanation.setAccessibleName(self.explanation.text())
        explain_column.addWidget(self.explanation)
        self.blocked = Notice("Why this cannot be done", explain)
        explain_column.addWidget(self.blocked)
        explain_column.addStretch(1)
        self.pages.addWidget(explain)

        confirm = QWidget(self.pages)
        confirm_column = QVBoxLayout(confirm)
        confirm_column.addWidget(wrapped_label("How did the family withdraw their consent?", confirm))
        self.method = choice_box("How it was withdrawn", METHODS, confirm, "Choose…")
        confirm_column.addWidget(self.method)
        self.method_error = Notice("Problem with how it was withdrawn", confirm)
        confirm_column.addWidget(self.method_error)
        prompt = wrapped_label(f"To confirm, type the case reference {flow.reference}:", confirm)
        confirm_column.addWidget(prompt)
        self.reference = QLineEdit(confirm)
        self.reference.setMaxLength(20)
        self.reference.setAccessibleName("Case reference, typed to confirm")
        prompt.setBuddy(self.reference)
        confirm_column.addWidget(self.reference)
        self.reference_error = Notice("Problem with the case reference", confirm)
        confirm_column.addWidget(self.reference_error)
        self.general = Notice("Problem", confirm)
        confirm_column.addWidget(self.general)
        confirm_column.addStretch(1)
        self.pages.addWidget(confirm)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.rejected.connect(self.reject)
        self.back_button = buttons.addButton("&Back", QDialogButtonBox.ButtonRole.ResetRole)
        self.back_button.clicked.connect(self._back)
        self.next_button = buttons.addButton("&Continue", QDialogButtonBox.ButtonRole.ActionRole)
        self.next_button.clicked.connect(self._next)
        self.destroy_button = buttons.addButton("&Destroy the family's details",
                                                QDialogButtonBox.ButtonRole.DestructiveRole)
        self.destroy_button.clicked.connect(self._destroy)
        # Enter by habit must never destroy: no default button on this dialog.
        for button in (self.back_button, self.next_button, self.destroy_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        column.addWidget(buttons)
        self._draw()

    def _draw(self) -> None:
        problem = self.flow.blocked()
        self.blocked.show_text(problem, "error") if problem else self.blocked.clear_text()
        confirming = self.flow.step is Step.CONFIRM
        self.pages.setCurrentIndex(1 if confirming else 0)
        self.back_button.setVisible(confirming)
        self.next_button.setVisible(not confirming)
        self.next_button.setEnabled(problem is None)
        self.destroy_button.setVisible(confirming)
        (self.method if confirming else self.next_button).setFocus()

    def _next(self) -> None:
        with guarded(self.blocked.show_problem) as call:
            self.flow.go_on()
        if not call.failed:
            self._draw()

    def _back(self) -> None:
        self.flow.back()
        self._draw()

    def _destroy(self) -> None:
        for notice in (self.method_error, self.reference_error, self.general):
            notice.clear_text()
        # Pressed once: the destruction runs off the GUI thread and must not start twice.
        self.destroy_button.setEnabled(False)
        self.submit()

    def failed(self, exc: BaseException) -> None:
        self.destroy_button.setEnabled(True)
        field = getattr(exc, "field", None) if isinstance(exc, InvalidInput) else None
        target = {"method": self.method_error, "reference": self.reference_error}.get(field or "",
                                                                                     self.general)
        target.show_text(message_for(exc), "error")


class ScannedFormDialog(QDialog):
    """The pictures of a scanned form, shown from memory; nothing is written to disk."""

    def __init__(self, pictures: list[Picture], title: str, save_copy: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 40)
        column = QVBoxLayout(self)
        content = QWidget(self)
        pages = QVBoxLayout(content)
        self.shown = 0
        for number, picture in enumerate(pictures, start=1):
            image = _image(picture)
            if image.isNull():
                continue
            label = QLabel(content)
            label.setPixmap(QPixmap.fromImage(image).scaledToWidth(
                min(image.width(), self.width() - 40), Qt.TransformationMode.SmoothTransformation))
            label.setAccessibleName(f"Page {number} of the scanned form")
            pages.addWidget(label)
            self.shown += 1
        if self.shown == 0:
            pages.addWidget(wrapped_label(
                "Confide cannot show this file itself. Save a copy to open it in your PDF or picture "
                "viewer, and delete the copy when you have finished.", content))
        pages.addStretch(1)
        column.addWidget(scrolling(content, self), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        save = buttons.addButton("&Save a copy…", QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(save_copy)
        column.addWidget(buttons)


def _image(picture: Picture) -> QImage:
    if picture.format is PictureFormat.ENCODED:
        return QImage.fromData(picture.data)
    per_pixel = 1 if picture.format is PictureFormat.GREY else 3
    kind = QImage.Format.Format_Grayscale8 if per_pixel == 1 else QImage.Format.Format_RGB888
    # copy(): the QImage must own its pixels once the bytes go out of scope.
    return QImage(picture.data, picture.width, picture.height, picture.width * per_pixel, kind).copy()
