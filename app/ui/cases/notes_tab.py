"""Notes on a case: add one, change one (the old text stays in its history), read the history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.cases import cases
from app.services.cases.fields import NOTE_MAX, NoteKind
from app.services.cases.notes import BreachOutcome, NoteView
from app.services.context import SignedIn
from app.ui.cases.tab_base import CaseTab, moment, plain_label

KIND_LABELS = {NoteKind.NOTE: "Note", NoteKind.SAFEGUARDING: "Safeguarding note",
               NoteKind.BREACH_DECISION: "Confidentiality breach decision",
               NoteKind.DISCLOSURE_REQUEST: "Disclosure request"}
WRITABLE_KINDS = (NoteKind.NOTE, NoteKind.SAFEGUARDING, NoteKind.DISCLOSURE_REQUEST)


def note_heading(note: NoteView) -> str:
    edited = f" · changed {moment(note.edited_at)}" if note.edited_at else ""
    return f"{moment(note.at)} · {KIND_LABELS[note.kind]} · by {note.author or 'unknown'}{edited}"


def note_body(note: NoteView) -> str:
    breach = note.breach
    if breach is None:
        return note.text
    told = (f"yes, {moment(breach.parent_told_at)}" if breach.parent_told and breach.parent_told_at
            else "yes" if breach.parent_told else "no")
    if breach.outcome is BreachOutcome.SHARED:
        outcome = f"Share information without consent, with {breach.agencies_contacted}"
    else:
        # Decisions from before the question was asked keep the agencies as they were typed.
        written = f" (agencies written: {breach.agencies_contacted})" if breach.agencies_contacted else ""
        outcome = f"Do not share; no contact is made without consent under it{written}"
    return (f"Concern: {breach.concern}\nConsulted: {breach.consulted}\nOutcome: {outcome}\n"
            f"Decision: {breach.decision}\nParent told: {told}")


def history_text(note: NoteView) -> str:
    if not note.history:
        return "This note has not been changed since it was written."
    parts = [f"Text written {moment(rev.written_at)}, replaced {moment(rev.replaced_at)} by "
             f"{rev.replaced_by or 'unknown'}:\n{rev.text}" for rev in reversed(note.history)]
    return "Earlier versions, newest first:\n\n" + "\n\n".join(parts)


class NotesTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Notes", parent)
        self.editing: int | None = None
        split = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(split)
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(top)
        self.list.setAccessibleName("Notes, newest first")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.currentRowChanged.connect(lambda _row: self._selection_changed())
        top_column.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.edit_button = QPushButton("&Change selected note", top)
        self.edit_button.clicked.connect(self.start_edit)
        self.history_button = QPushButton("Show &history", top)
        self.history_button.setCheckable(True)
        self.history_button.toggled.connect(lambda _on: self._selection_changed())
        row.addWidget(self.edit_button)
        row.addWidget(self.history_button)
        row.addStretch(1)
        top_column.addLayout(row)
        self.history = plain_label("", top, "Note history")
        self.history.hide()
        top_column.addWidget(self.history)
        bottom = QWidget(split)
        form = QVBoxLayout(bottom)
        form.setContentsMargins(0, 0, 0, 0)
        self.editor_title = QLabel("Ne&w note:", bottom)
        self.kind = QComboBox(bottom)
        for kind in WRITABLE_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.setAccessibleName("Kind of note")
        self.editor = QPlainTextEdit(bottom)
        self.editor.setAccessibleName("Note text")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(f"Short, factual, dated automatically (up to {NOTE_MAX} characters)")
        self.editor_title.setBuddy(self.editor)
        heading = QHBoxLayout()
        heading.addWidget(self.editor_title)
        heading.addStretch(1)
        kind_label = QLabel("&Kind:", bottom)
        kind_label.setBuddy(self.kind)
        heading.addWidget(kind_label)
        heading.addWidget(self.kind)
        form.addLayout(heading)
        form.addWidget(self.editor, 1)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Add note", bottom)
        self.save_button.setToolTip("Save the note (Ctrl+Enter)")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel change", bottom)
        self.cancel_button.clicked.connect(self.stop_edit)
        self.cancel_button.hide()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        form.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.save,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.column.addWidget(split, 1)
        self._selection_changed()

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        current = self.selected_note()
        self.list.clear()
        for note in case.notes:
            item = QListWidgetItem(f"{note_heading(note)}\n{note_body(note)}")
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.list.addItem(item)
            if current is not None and note.id == current.id:
                self.list.setCurrentItem(item)
        if not case.notes:
            self.list.addItem("No notes yet. Write one below.")
        self._selection_changed()

    def selected_note(self) -> NoteView | None:
        item = self.list.currentItem()
        note_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if self.case is None or note_id is None:
            return None
        return next((n for n in self.case.notes if n.id == note_id), None)

    def _selection_changed(self) -> None:
        note = self.selected_note()
        self.edit_button.setEnabled(note is not None and note.kind is not NoteKind.BREACH_DECISION)
        self.history_button.setEnabled(note is not None)
        showing = note is not None and self.history_button.isChecked()
        self.history.setText(history_text(note) if showing and note else "")
        self.history.setVisible(showing)

    def start_edit(self) -> None:
        note = self.selected_note()
        if note is None:
            return
        self.editing = note.id
        self.editor.setPlainText(note.text)
        self.kind.setEnabled(False)
        self.editor_title.setText("Changing the selected note, &which keeps its earlier text:")
        self.save_button.setText("&Save change")
        self.cancel_button.show()
        self.editor.setFocus()

    def stop_edit(self) -> None:
        self.editing = None
        self.editor.clear()
        self.kind.setEnabled(True)
        self.editor_title.setText("Ne&w note:")
        self.save_button.setText("&Add note")
        self.cancel_button.hide()

    def save(self) -> None:
        if self.case is None:
            return
        case_id, text, editing = self.case.id, self.editor.toPlainText(), self.editing
        if editing is None:
            kind = NoteKind(self.kind.currentData())
            saved = self.attempt(lambda: cases.add_note(self.ctx, case_id, text, kind), "Note added.")
        else:
            saved = self.attempt(lambda: cases.edit_note(self.ctx, editing, text), "Note changed.")
        if saved is not None:
            self.stop_edit()

    # -- drafts ------------------------------------------------------------------------------

    def unsaved(self) -> dict[str, Any] | None:
        text = self.editor.toPlainText()
        if self.case is None or not text.strip():
            return None
        return {"case_id": self.case.id, "text": text, "kind": str(self.kind.currentData()),
                "note_id": self.editing}

    def put_back(self, state: dict[str, Any]) -> None:
        note_id = state.get("note_id")
        if isinstance(note_id, int) and self.case and any(n.id == note_id for n in self.case.notes):
            for row in range(self.list.count()):
                if self.list.item(row).data(Qt.ItemDataRole.UserRole) == note_id:
                    self.list.setCurrentRow(row)
            self.start_edit()
        index = self.kind.findData(NoteKind(state["kind"])) if state.get("kind") in set(NoteKind) else -1
        if index >= 0:
            self.kind.setCurrentIndex(index)
        self.editor.setPlainText(str(state.get("text", "")))

    def clear(self) -> None:
        super().clear()
        self.stop_edit()
        self.list.clear()
        self.history.clear()
