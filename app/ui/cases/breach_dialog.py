"""Recording a confidentiality breach decision (Staffordshire 7): each part under its own label."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from app.services.cases.fields import NOTE_MAX
from app.services.cases.notes import BreachDecisionDetails
from app.services.people import InvalidInput
from app.ui.widgets.forms import FormDialog
from app.ui.widgets.messages import wrapped_label

TOLD_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y")


def _box(parent: QWidget, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(parent.fontMetrics().lineSpacing() * (lines + 1))
    return edit


class BreachDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Confidentiality breach decision", "&Record decision", parent)
        intro = wrapped_label("Record why confidentiality was (or was not) broken. Saving this also "
                              "marks the case with a safeguarding concern.", self)
        intro.setAccessibleName(intro.text())
        self.column.addWidget(intro)
        self.concern = _box(self)
        self.add_field("concern", "&Concern:", self.concern)
        self.consulted = QLineEdit(self)
        self.consulted.setMaxLength(200)
        self.consulted.setPlaceholderText("Usually your line manager")
        self.add_field("consulted", "&Who was consulted:", self.consulted)
        self.decision = _box(self)
        self.add_field("decision", "&Decision:", self.decision)
        self.agencies = QLineEdit(self)
        self.agencies.setMaxLength(400)
        self.add_field("agencies_contacted", "&Agencies contacted:", self.agencies,
                       "For example children's social care, the police; leave empty if none.")
        self.parent_told = QCheckBox("The parent was told", self)
        self.add_field("parent_told", "", self.parent_told)
        self.told_at = QLineEdit(self)
        self.told_at.setPlaceholderText("dd/mm/yyyy hh:mm")
        self.told_at.setEnabled(False)
        self.parent_told.toggled.connect(self.told_at.setEnabled)
        self.add_field("parent_told_at", "&When they were told:", self.told_at)
        self.finish_layout()

    def details(self) -> BreachDecisionDetails:
        """What was typed; InvalidInput (named after its field) for a date that cannot be read."""
        told = self.parent_told.isChecked()
        told_at = None
        typed = self.told_at.text().strip()
        if told and typed:
            for pattern in TOLD_FORMATS:
                try:
                    told_at = datetime.strptime(typed, pattern)
                    break
                except ValueError:
                    continue
            else:
                raise InvalidInput("When the parent was told: type it as day/month/year and time, "
                                   "such as 09/03/2025 14:30.", "parent_told_at")
        for name, edit in (("concern", self.concern), ("decision", self.decision)):
            if len(edit.toPlainText()) > NOTE_MAX:
                raise InvalidInput(f"Keep this under {NOTE_MAX} characters.", name)
        return BreachDecisionDetails(concern=self.concern.toPlainText(),
                                     consulted=self.consulted.text(),
                                     decision=self.decision.toPlainText(),
                                     agencies_contacted=self.agencies.text(), parent_told=told,
                                     parent_told_at=told_at)
