"""Recording a confidentiality breach decision (Staffordshire 7): each part under its own label.

The two questions that decide what it allows are asked plainly: share information without the
family's consent or not, and with which agencies. Only a decision to share lets a contact through
without consent, and only with an agency named here, named as the contact will name it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.services.cases.fields import NOTE_MAX
from app.services.cases.notes import AGENCY_NAME_MAX, BreachDecisionDetails, BreachOutcome
from app.services.consent.records import Party, PartyKind
from app.services.people import InvalidInput
from app.ui.calls.widgets import choice_box, chosen
from app.ui.widgets.forms import FormDialog
from app.ui.widgets.messages import wrapped_label

TOLD_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y")


def _box(parent: QWidget, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(parent.fontMetrics().lineSpacing() * (lines + 1))
    return edit


AGENCY_KINDS = [(kind.value[0].upper() + kind.value[1:], kind.value) for kind in PartyKind]


class AgencyList(QWidget):
    """The agencies a decision to share names: a kind and a name each, added to a list."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.kind = choice_box("Kind of agency", AGENCY_KINDS, self, "Kind…")
        self.name = QLineEdit(self)
        self.name.setMaxLength(AGENCY_NAME_MAX)
        self.name.setPlaceholderText("For example Children's social care")
        self.name.setAccessibleName("Name of the agency")
        self.name.returnPressed.connect(self.add)
        self.add_button = QPushButton("A&dd agency", self)
        self.add_button.clicked.connect(self.add)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Agencies to be contacted")
        self.list.setFixedHeight(parent.fontMetrics().lineSpacing() * 4)
        self.remove_button = QPushButton("Re&move", self)
        self.remove_button.clicked.connect(self.remove)
        grid.addWidget(self.kind, 0, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(self.add_button, 0, 2)
        grid.addWidget(self.list, 1, 0, 1, 2)
        grid.addWidget(self.remove_button, 1, 2)
        grid.setColumnStretch(1, 1)

    def typed(self) -> Party | None:
        """The agency in the boxes, not yet added; InvalidInput when only half of it is there."""
        name = self.name.text().strip()
        kind = chosen(self.kind)
        if not name and not kind:
            return None
        if not name:
            raise InvalidInput("Type the agency's name, such as Children's social care.", "agencies")
        if not kind:
            raise InvalidInput(f"Choose what kind of agency {name} is.", "agencies")
        return Party(PartyKind(kind), name)

    def add(self) -> None:
        try:
            party = self.typed()
        except InvalidInput:
            return  # Recording the decision says what is missing, next to the field.
        if party is None:
            return
        item = QListWidgetItem(party.describe(), self.list)
        item.setData(Qt.ItemDataRole.UserRole, party)
        self.name.clear()
        self.kind.setCurrentIndex(0)

    def remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def agencies(self) -> tuple[Party, ...]:
        """Those added, and the one typed but not yet added: leaving it out would be a surprise."""
        listed = tuple(self.list.item(row).data(Qt.ItemDataRole.UserRole)
                       for row in range(self.list.count()))
        typed = self.typed()
        return (*listed, typed) if typed is not None else listed


class BreachDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Confidentiality breach decision", "&Record decision", parent)
        intro = wrapped_label("Record the decision whether to break confidentiality, and why. "
                              "Saving this also marks the case with a safeguarding concern.", self)
        intro.setAccessibleName(intro.text())
        self.column.addWidget(intro)
        self.concern = _box(self)
        self.add_field("concern", "&Concern:", self.concern)
        self.consulted = QLineEdit(self)
        self.consulted.setMaxLength(200)
        self.consulted.setPlaceholderText("Usually your line manager")
        self.add_field("consulted", "&Who was consulted:", self.consulted)
        self.share = QRadioButton(BreachOutcome.SHARED.label, self)
        self.do_not_share = QRadioButton(BreachOutcome.NOT_SHARED.label, self)
        self.outcome = QButtonGroup(self)
        answer = QWidget(self)
        answer_row = QGridLayout(answer)
        answer_row.setContentsMargins(0, 0, 0, 0)
        for column, button in enumerate((self.share, self.do_not_share)):
            self.outcome.addButton(button)
            button.setAccessibleName(button.text())
            answer_row.addWidget(button, 0, column)
        answer_row.setColumnStretch(2, 1)
        self.add_field("outcome", "The decision:", answer,
                       "Only a decision to share lets a contact or referral go ahead without the "
                       "family's consent, and only with the agencies named below.")
        self.agencies = AgencyList(self)
        self.agencies.setEnabled(False)
        self.share.toggled.connect(self.agencies.setEnabled)
        self.add_field("agencies", "&Agencies to be contacted:", self.agencies,
                       "Needed when sharing. Name each one as you will name it when you record "
                       "the contact.")
        self.decision = _box(self)
        self.add_field("decision", "&Why, and what was decided:", self.decision)
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
        sharing = self.share.isChecked()
        outcome = (BreachOutcome.SHARED if sharing
                   else BreachOutcome.NOT_SHARED if self.do_not_share.isChecked() else None)
        # Greyed out when not sharing: whatever is left in it is not part of the decision.
        agencies = self.agencies.agencies() if sharing else ()
        return BreachDecisionDetails(concern=self.concern.toPlainText(),
                                     consulted=self.consulted.text(),
                                     decision=self.decision.toPlainText(), outcome=outcome,
                                     agencies=agencies, parent_told=told, parent_told_at=told_at)
