"""The Letters tab of a case: every letter sent, reprinted exactly, and new ones written."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QWidget

from app.services.cases.cases import CaseView
from app.services.context import SignedIn
from app.services.letters import letters
from app.services.letters.letters import LetterView
from app.ui.cases.tab_base import CaseTab, moment
from app.ui.letters.composer import LetterComposer, send_to_printer
from app.ui.widgets.files import save_pdf
from app.ui.widgets.messages import help_label


def letter_line(letter: LetterView) -> str:
    pages = f"{letter.pages} pages" if letter.pages > 1 else "1 page"
    return (f"{moment(letter.created_at)} · {letter.template_title} · to {letter.addressee} "
            f"({letter.addressee_kind.value}) · {pages} · by {letter.author or 'a former colleague'}"
            f"\n{letter.subject}")


class LettersTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Letters", parent)
        self.column.addWidget(help_label("Every letter is marked STRICTLY PRIVATE AND CONFIDENTIAL and "
                                         "kept here exactly as it was sent.", self))
        self.list = QListWidget(self)
        self.list.setAccessibleName("Letters on this case, newest first")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(lambda *_: self._selected())
        self.column.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.write_button = QPushButton("&Write a letter…", self)
        self.write_button.clicked.connect(self.write)
        self.copy_button = QPushButton("&Save a copy…", self)
        self.copy_button.clicked.connect(self.save_copy)
        self.reprint_button = QPushButton("Print &again…", self)
        self.reprint_button.clicked.connect(self.reprint)
        row.addWidget(self.write_button)
        row.addStretch(1)
        row.addWidget(self.copy_button)
        row.addWidget(self.reprint_button)
        self.column.addLayout(row)
        self._selected()

    def show_case(self, case: CaseView) -> None:
        super().show_case(case)
        self.list.clear()
        for letter in case.letters:
            item = QListWidgetItem(letter_line(letter))
            item.setData(Qt.ItemDataRole.UserRole, letter.id)
            self.list.addItem(item)
        if not case.letters:
            self.list.addItem("No letters have been written for this family yet.")
        self._selected()

    def _selected_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _selected(self) -> None:
        chosen = self._selected_id() is not None
        self.copy_button.setEnabled(chosen)
        self.reprint_button.setEnabled(chosen)

    def write(self) -> None:
        if self.case is None:
            return
        composer = LetterComposer(self.ctx, self.case, self)

        def finished(result: int) -> None:
            if composer.done_text:
                self.changed.emit()
                self.notice.show_text(composer.done_text, "ok")

        composer.finished.connect(finished)
        self.show_dialog(composer)

    def save_copy(self) -> None:
        letter_id = self._selected_id()
        if letter_id is None or self.case is None:
            return
        reference = self.case.reference
        save_pdf(self, "Save a copy of the letter", f"letter-{reference}-{letter_id}.pdf",
                 lambda: letters.letter_pdf_bytes(self.ctx, letter_id),
                 lambda path: self.notice.show_text(
                     f"Copy saved to {path}. Delete it when you no longer need it.", "ok"),
                 self.notice.show_problem, "Saving a copy of the letter…")

    def reprint(self) -> None:
        letter_id = self._selected_id()
        if letter_id is None:
            return
        self.track(send_to_printer(
            self.ctx, self, lambda: letters.letter_pdf_bytes(self.ctx, letter_id), 1,
            lambda text: self.notice.show_text(text, "ok"), self.notice.show_problem))

    def clear(self) -> None:
        super().clear()
        self.list.clear()
