"""Writing a letter: choose the template and the addressee, edit the filled-in text beside a
live preview of the page, then save it as a PDF or print it. The letter is issued (kept on the
case) only once it is saved or sent to the printer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.cases.cases import CaseView
from app.services.consent.records import ConsentRequired
from app.services.context import SignedIn
from app.services.letters import letters
from app.services.letters.content import LetterContent
from app.services.letters.letters import Addressee, AddresseeKind, IssuedLetter, LetterDraft
from app.services.people import InvalidInput
from app.services.printouts import printing
from app.ui import operations
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.widgets.files import save_pdf
from app.ui.widgets.forms import FieldErrors, add_row
from app.ui.widgets.messages import Notice, help_label

CONFIDENTIAL = "STRICTLY PRIVATE AND CONFIDENTIAL"


def preview_html(content: LetterContent) -> str:
    """The page as a person will read it; every piece of text escaped, none read as markup."""

    def lines(values: tuple[str, ...] | list[str]) -> str:
        return "<br>".join(escape(v) for v in values)

    body = "".join(f"<p>{escape(block.strip()).replace(chr(10), '<br>')}</p>"
                   for block in content.body.split("\n\n") if block.strip())
    copy = f"<p>Copy to: {escape('; '.join(content.copy_to))}</p>" if content.copy_to else ""
    return (
        f"<p align='center'><b>{CONFIDENTIAL}</b></p><hr>"
        f"<p align='right'><b>{escape(content.service_name)}</b><br><small>{lines(content.service_lines)}"
        "</small></p>"
        f"<table width='100%'><tr><td><small><b>{CONFIDENTIAL}</b></small><br>{lines(content.address_lines)}"
        f"</td><td align='right' valign='top'>{escape(content.date_text)}<br><small>Our reference: "
        f"{escape(content.reference)}</small></td></tr></table>"
        f"<p><b>{escape(content.subject)}</b></p>{body}<p>{escape(content.closing)}</p><br>"
        f"<p><b>{escape(content.signer)}</b><br>{escape(content.signer_role)}<br>"
        f"{escape(content.service_name)}</p>{copy}"
    )


class PrintChoice(QDialog):
    """Which printer and how many copies; the system's own queue does the rest."""

    def __init__(self, parent: QWidget | None, copies: int = 1) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print")
        self.setAccessibleName("Print")
        form = QFormLayout(self)
        self.printer = QComboBox(self)
        self.printer.setAccessibleName("Printer")
        default = QPrinterInfo.defaultPrinterName()
        names = QPrinterInfo.availablePrinterNames()
        for name in names:
            self.printer.addItem(f"{name} (default)" if name == default else name, name)
        if not names:
            self.printer.addItem("The computer's default printer", "")
        if default:
            self.printer.setCurrentIndex(max(0, self.printer.findData(default)))
        label = QLabel("&Printer:", self)
        label.setBuddy(self.printer)
        form.addRow(label, self.printer)
        self.copies = QSpinBox(self)
        self.copies.setRange(1, 20)
        self.copies.setValue(copies)
        self.copies.setAccessibleName("Copies")
        copies_label = QLabel("&Copies:", self)
        copies_label.setBuddy(self.copies)
        form.addRow(copies_label, self.copies)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.addButton("P&rint", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[str | None, int]:
        return self.printer.currentData() or None, self.copies.value()


def send_to_printer(ctx: SignedIn, parent: QWidget, pdf_for: Callable[[], bytes], copies: int,
                    done: Callable[[str], None], failed: Callable[[BaseException], None]) -> QDialog:
    """Ask for the printer, then print off the GUI thread; `pdf_for` runs (there) only if they
    press Print."""
    choice = PrintChoice(parent, copies)
    choice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def go() -> None:
        printer, count = choice.chosen()
        sent = f"Sent to {printer or 'the default printer'}" + (f", {count} copies." if count > 1 else ".")
        operations.run(parent, "Sending to the printer…",
                       lambda: printing.print_pdf(ctx.folder.root, pdf_for(), printer, count),
                       lambda _result: done(sent), failed)

    choice.accepted.connect(go)
    choice.open()
    return choice


class LetterComposer(QDialog):
    """Emits `issued` with the letter once it has been saved or sent to the printer."""

    issued = Signal(object)

    def __init__(self, ctx: SignedIn, case: CaseView, parent: QWidget | None = None,
                 reason: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case = case
        self.reason = reason
        self.draft: LetterDraft | None = None
        self.base: LetterContent | None = None
        self.filled_text = ""
        self.child: QDialog | None = None
        self.setWindowTitle(f"Write a letter · case {case.reference}")
        self.setAccessibleName("Write a letter")
        self.resize(self.fontMetrics().averageCharWidth() * 170, self.fontMetrics().height() * 44)
        column = QVBoxLayout(self)
        self.general = Notice("Problem with the letter", self)
        self.errors = FieldErrors(self.general)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        form = QFormLayout(left)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)


        self.template = QComboBox(left)
        self.templates = letters.templates(ctx)
        for template in self.templates:
            self.template.addItem(template.title, template.key)
        add_row(form, self.errors, left, "template", "&Template:", self.template)
        self.to = QComboBox(left)
        for person in case.parents:
            self.to.addItem(f"{person.full_name} ({person.relationship or 'parent or carer'})",
                            ("parent", person.id))
        for party in case.consent.consented_parties():
            self.to.addItem(f"{party.name} ({party.kind.value})", ("party", party))
        add_row(form, self.errors, left, "addressee", "T&o:", self.to,
                "Parents and carers of the case, and the third parties the family has consented to.")
        self.attention = QLineEdit(left)
        self.attention.setMaxLength(letters.ADDRESS_LINE_MAX)
        self.attention.setPlaceholderText("For example Mrs A Patel, SENCo")
        add_row(form, self.errors, left, "contact_name", "For the &attention of:", self.attention)
        self.address = QPlainTextEdit(left)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.address.setPlaceholderText("Street\nTown")
        add_row(form, self.errors, left, "address_lines", "A&ddress:", self.address,
                "Up to four lines; the postcode goes below.")
        self.postcode = QLineEdit(left)
        self.postcode.setMaxLength(8)
        add_row(form, self.errors, left, "postcode", "Post&code:", self.postcode)
        self.party_rows = [self.attention, self.address, self.postcode]
        self.start_button = QPushButton("&Start the letter", left)
        self.start_button.setToolTip("Fill the template in for the person chosen")
        self.start_button.clicked.connect(self.start)
        form.addRow("", self.start_button)
        self.subject = QLineEdit(left)
        self.subject.setMaxLength(letters.SUBJECT_MAX)
        add_row(form, self.errors, left, "subject", "S&ubject:", self.subject)
        self.body = QPlainTextEdit(left)
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        add_row(form, self.errors, left, "body", "&Letter:", self.body)
        self.still_to_fill = help_label("", left)
        form.addRow("", self.still_to_fill)
        self.preview = QTextBrowser(splitter)
        self.preview.setAccessibleName("Preview of the letter")
        self.preview.setOpenLinks(False)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        column.addWidget(splitter, 1)
        column.addWidget(self.general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.addButton("Save as &PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = buttons.addButton("P&rint…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.refresh = QTimer(self)
        self.refresh.setSingleShot(True)
        self.refresh.setInterval(250)
        self.refresh.timeout.connect(self._update_preview)
        self.subject.textChanged.connect(lambda _text: self.refresh.start())
        self.body.textChanged.connect(self.refresh.start)
        self.to.currentIndexChanged.connect(self._addressee_changed)
        self.template.currentIndexChanged.connect(self._template_changed)
        self._template_changed()
        self._addressee_changed()
        if self.to.count() == 0:
            self.general.show_text("This case has nobody to write to yet: add a parent or carer with "
                                   "their address on the People tab.", "info")

    # -- choosing ---------------------------------------------------------------------------

    def _set_party_rows(self, visible: bool) -> None:
        form = self.start_button.parentWidget().layout()
        assert isinstance(form, QFormLayout)
        for widget in self.party_rows:
            form.setRowVisible(widget.parentWidget(), visible)

    def _template_changed(self) -> None:
        template = self._current_template()
        if template is not None and template.addressee is AddresseeKind.THIRD_PARTY:
            index = next((i for i in range(self.to.count()) if self.to.itemData(i)[0] == "party"), -1)
            if index >= 0:
                self.to.setCurrentIndex(index)
        self._offer_restart()

    def _addressee_changed(self) -> None:
        data = self.to.currentData()
        self._set_party_rows(bool(data) and data[0] == "party")
        self._offer_restart()

    def _offer_restart(self) -> None:
        # Typing is never thrown away silently: only an untouched letter starts again by itself.
        if self.draft is None or self.body.toPlainText() == self.filled_text:
            if self.to.count():
                self.start(quiet=True)
        else:
            self.start_button.setText("&Start again from the template")

    def _current_template(self) -> letters.TemplateView | None:
        key = self.template.currentData()
        return next((t for t in self.templates if t.key == key), None)

    def addressee(self) -> Addressee:
        data = self.to.currentData()
        if not data:
            raise InvalidInput("Choose who the letter is to.", "addressee")
        if data[0] == "parent":
            return Addressee(parent_id=data[1])
        party = data[1]
        return Addressee(party_kind=party.kind, party_name=party.name, contact_name=self.attention.text(),
                         address_lines=tuple(self.address.toPlainText().splitlines()),
                         postcode=self.postcode.text())

    def start(self, quiet: bool = False) -> None:
        """Fill the template in; a third party without its address waits until it is typed."""
        self.errors.clear()

        def failed(exc: BaseException) -> None:
            if not quiet or isinstance(exc, ConsentRequired):
                self.errors.show(exc)
            if quiet and (self.draft is None or self.body.toPlainText() == self.filled_text):
                # The old letter was for someone else: never leave it looking ready to send.
                self.draft, self.base, self.filled_text = None, None, ""
                self.subject.clear()
                self.body.clear()
                self.preview.setPlainText("Type the address and postcode, then press Start the letter.")
                self.still_to_fill.setText("Type the organisation's address and postcode, then press "
                                           "Start the letter.")

        with guarded(failed) as call:
            draft = letters.draft_letter(self.ctx, self.case.id, self.template.currentData(),
                                         self.addressee(), self.reason)
            base = letters.preview_content(self.ctx, self.case.id, draft, draft.subject, draft.body,
                                           self.reason)
        if call.failed:
            return
        self.draft, self.base = draft, base
        self.filled_text = draft.body
        self.subject.setText(draft.subject)
        self.body.setPlainText(draft.body)
        self.start_button.setText("&Start the letter")
        self._update_preview()

    def _update_preview(self) -> None:
        if self.draft is None:
            return
        subject, body = self.subject.text(), self.body.toPlainText()
        missing = letters.unfilled(subject, body)
        self.still_to_fill.setText("Still to fill in: " + ", ".join("{" + m + "}" for m in missing)
                                   + ". Type the words in their place." if missing else "")
        self.still_to_fill.setAccessibleName(self.still_to_fill.text())
        if self.base is not None:
            self.preview.setHtml(preview_html(replace(self.base, subject=subject, body=body)))

    # -- issuing ----------------------------------------------------------------------------

    def _issuing(self, result: list[IssuedLetter]) -> Callable[[], bytes]:
        """The work that issues the letter as it now reads (read here, on the GUI thread) and
        gives its PDF; the letter is kept in `result` once issued."""
        draft, subject, body = self.draft, self.subject.text(), self.body.toPlainText()

        def issue() -> bytes:
            if draft is None:
                raise InvalidInput("Choose the template and who it is to, then press Start the letter.",
                                   "template")
            result.append(letters.issue_letter(self.ctx, self.case.id, draft, subject, body, self.reason))
            return result[0].pdf

        return issue

    def _issued(self, result: list[IssuedLetter], done_text: str) -> None:
        self.issued.emit(result[0])
        self.done_text = done_text
        self.accept()

    def _check(self) -> bool:
        """Refuse before asking for a file or printer, so nothing is issued half-written."""
        self.errors.clear()
        with guarded(self.errors.show) as call:
            if self.draft is None:
                raise InvalidInput("Choose the template and who it is to, then press Start the letter.",
                                   "template")
            letters.checked_text(self.subject.text(), self.body.toPlainText())
        return not call.failed

    def save(self) -> None:
        if not self._check():
            return
        name = f"letter-{self.case.reference}-{self.template.currentData()}.pdf"
        result: list[IssuedLetter] = []
        save_pdf(self, "Save the letter", name, self._issuing(result),
                 lambda path: self._issued(result, f"Letter saved to {path} and kept on the case."),
                 self.errors.show, "Making the letter…")

    def print(self) -> None:
        if not self._check():
            return
        copies = 2 if self.draft and self.draft.copy_to else 1
        result: list[IssuedLetter] = []

        def failed(exc: BaseException) -> None:
            if result:  # issued, but the printer refused: it can be reprinted from the Letters tab
                self._issued(result, f"{message_for(exc)} The letter is kept on the case; print it "
                                     "again from the Letters tab.")
            else:
                self.errors.show(exc)

        self.child = send_to_printer(
            self.ctx, self, self._issuing(result), copies,
            lambda text: self._issued(result, f"{text} The letter is kept on the case."), failed)

    done_text = ""
