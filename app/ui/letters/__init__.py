"""The Letters page: the letters sent on the cases you may see, newest first, to reprint or open.

New letters are written from a case (Letters tab), where the family's details are to hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QTableView, QVBoxLayout, QWidget

from app.services.access import ReasonRequired
from app.services.context import SignedIn
from app.services.letters import letters
from app.services.letters.letters import LetterView
from app.services.people import InvalidInput
from app.ui import theme
from app.ui.calls.case_picker import CasePicker
from app.ui.cases.reason_dialog import ReasonDialog
from app.ui.letters.composer import send_to_printer
from app.ui.operations import guarded
from app.ui.shell.pages import Page
from app.ui.widgets.files import save_pdf
from app.ui.widgets.forms import DialogHost, FormDialog
from app.ui.widgets.messages import Notice, help_label
from app.ui.widgets.table_model import RowsModel
from app.ui.widgets.times import moment_text


class LettersModel(RowsModel):
    HEADERS = ("Sent", "Case", "Letter", "To", "Pages", "Written by")

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row: LetterView = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.subject
        return (moment_text(row.created_at), row.case_reference, row.template_title,
                f"{row.addressee} ({row.addressee_kind.value})", str(row.pages), row.author)[index.column()]


class ChooseCaseDialog(FormDialog):
    """Which case a new letter is for; the case then opens at its Letters tab."""

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__("Write a letter", "&Write the letter", parent)
        self.picker = CasePicker(ctx, self)
        self.picker.chosen.connect(lambda case_id: self.ok_button.setEnabled(case_id > 0))
        self.column.addWidget(self.picker)
        self.finish_layout()
        self.ok_button.setEnabled(False)
        self.picker.search.setFocus()

    def case_id(self) -> int | None:
        case = self.picker.selected()
        return case.id if case else None


class LettersPage(Page, DialogHost):
    title = "Letters"
    case_opened_requested = Signal(int)
    letter_requested = Signal(int)  # a case id: open it and start a letter

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(theme.heading(self.title, self))
        scope = "every case" if ctx.actor.is_manager else "the cases assigned to you"
        layout.addWidget(help_label(f"Letters sent on {scope}, newest first. A new letter is written "
                                    "from its case, where the family's details are to hand.", self))
        self.notice = Notice("Letters message", self)
        layout.addWidget(self.notice)
        self.model = LettersModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Letters sent")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _index: self.open_case())
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.open_case,
                  context=Qt.ShortcutContext.WidgetShortcut)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton("&Open the case", self)
        self.open_button.clicked.connect(self.open_case)
        self.copy_button = QPushButton("&Save a copy…", self)
        self.copy_button.clicked.connect(self.save_copy)
        self.reprint_button = QPushButton("Print &again…", self)
        self.reprint_button.clicked.connect(self.reprint)
        self.write_button = QPushButton("&Write a letter…", self)
        self.write_button.clicked.connect(self.write)
        for button in (self.write_button, self.open_button, self.copy_button, self.reprint_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def load(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        with guarded(self.notice.show_problem) as call:
            self.model.set_rows(letters.recent_letters(self.ctx))
        if call.failed:
            return
        self.table.resizeColumnsToContents()
        if not self.model.rows:
            self.notice.show_text("No letters have been sent yet.", "info")

    def _selected(self) -> LetterView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.notice.show_text("Select a letter in the list first.", "info")
            return None
        return self.model.rows[rows[0].row()]

    def write(self) -> None:
        dialog = ChooseCaseDialog(self.ctx, self)

        def submit() -> None:
            case_id = dialog.case_id()
            if case_id is None:
                dialog.failed(InvalidInput("Find the case and choose it in the list.", "case_id"))
                return
            dialog.succeeded()
            self.letter_requested.emit(case_id)

        dialog.submit = submit
        self.show_dialog(dialog)

    def open_case(self) -> None:
        letter = self._selected()
        if letter is not None:
            self.case_opened_requested.emit(letter.case_id)

    def _with_pdf(self, letter: LetterView, then: Callable[[bytes], None]) -> None:
        """The stored PDF; a manager not assigned to the case gives the reason first."""
        with guarded(self.notice.show_problem) as call:
            try:
                pdf = letters.letter_pdf_bytes(self.ctx, letter.id)
            except ReasonRequired:
                self._ask_reason(letter, then)
                return
        if not call.failed:
            then(pdf)

    def _ask_reason(self, letter: LetterView, then: Callable[[bytes], None]) -> None:
        dialog = ReasonDialog(letter.case_reference, self)

        def submit() -> None:
            with guarded(dialog.failed) as call:
                pdf = letters.letter_pdf_bytes(self.ctx, letter.id, dialog.text())
            if not call.failed:
                dialog.succeeded()
                then(pdf)

        dialog.submit = submit
        self.show_dialog(dialog)

    def save_copy(self) -> None:
        letter = self._selected()
        if letter is None:
            return

        def save(pdf: bytes) -> None:
            save_pdf(self, "Save a copy of the letter", f"letter-{letter.case_reference}-{letter.id}.pdf",
                     pdf, lambda path: self.notice.show_text(
                         f"Copy saved to {path}. Delete it when you no longer need it.", "ok"),
                     self.notice.show_problem, "Saving a copy of the letter…")

        self._with_pdf(letter, save)

    def reprint(self) -> None:
        letter = self._selected()
        if letter is None:
            return
        self._with_pdf(letter, lambda pdf: self.track(send_to_printer(
            self.ctx, self, lambda: pdf, 1, lambda text: self.notice.show_text(text, "ok"),
            self.notice.show_problem)))

    def clear(self) -> None:
        self.close_dialog()
        self.model.set_rows([])
        self.notice.clear_text()
        self._loaded = False
