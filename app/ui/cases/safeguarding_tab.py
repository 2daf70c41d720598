"""Safeguarding: the case's concern flag and its confidentiality breach decisions."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QListWidget, QPushButton, QWidget

from app.services.cases import cases
from app.services.cases.fields import NoteKind
from app.services.context import SignedIn
from app.ui.cases.breach_dialog import BreachDialog
from app.ui.cases.notes_tab import note_body, note_heading
from app.ui.cases.tab_base import CaseTab
from app.ui.widgets.messages import help_label


class SafeguardingTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Safeguarding", parent)
        self.state = help_label("", self)
        self.column.addWidget(self.state)
        row = QHBoxLayout()
        self.flag_button = QPushButton("Mark a safeguarding &concern", self)
        self.flag_button.clicked.connect(lambda: self.set_flag(True))
        self.clear_button = QPushButton("Clear the safeguarding fl&ag", self)
        self.clear_button.setToolTip("Managers only")
        self.clear_button.clicked.connect(lambda: self.set_flag(False))
        self.breach_button = QPushButton("Record a breach &decision…", self)
        self.breach_button.clicked.connect(self.record_breach)
        for button in (self.flag_button, self.clear_button, self.breach_button):
            row.addWidget(button)
        row.addStretch(1)
        self.column.addLayout(row)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Breach decisions and safeguarding notes")
        self.list.setWordWrap(True)
        self.column.addWidget(self.list, 1)

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        self.state.setText("This case is marked with a safeguarding concern." if case.safeguarding
                           else "No safeguarding concern is marked on this case.")
        self.flag_button.setEnabled(not case.safeguarding)
        self.clear_button.setVisible(self.ctx.actor.is_manager)
        self.clear_button.setEnabled(case.safeguarding)
        self.list.clear()
        for note in case.notes:
            if note.kind in (NoteKind.BREACH_DECISION, NoteKind.SAFEGUARDING):
                self.list.addItem(f"{note_heading(note)}\n{note_body(note)}")
        if self.list.count() == 0:
            self.list.addItem("No breach decisions or safeguarding notes yet.")

    def set_flag(self, concern: bool) -> None:
        if self.case is not None:
            case_id = self.case.id
            self.attempt(lambda: cases.set_safeguarding_flag(self.ctx, case_id, concern),
                         "Safeguarding concern marked." if concern else "Safeguarding flag cleared.")

    def record_breach(self) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        dialog = BreachDialog(self)

        def recorded(_note: object) -> None:
            self.changed.emit()
            self.notice.show_text("Breach decision recorded.", "ok")

        self.run_dialog(dialog, lambda: cases.record_breach_decision(self.ctx, case_id, dialog.details()),
                        recorded)

    def clear(self) -> None:
        super().clear()
        self.list.clear()
        self.state.clear()
