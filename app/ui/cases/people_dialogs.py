"""Adding or changing a parent/carer or a child, and the words of a message that may be left."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.cases.contact import ContactPreferences, MessageWay
from app.services.cases.family import ChildDetails, ChildView, ParentDetails, ParentView
from app.services.cases.fields import YEAR_GROUPS, ContactMethod
from app.ui.cases.tab_base import day
from app.ui.widgets.forms import FormDialog
from app.ui.widgets.messages import Notice, help_label


def _line(parent: QWidget, value: str = "", limit: int = 120) -> QLineEdit:
    edit = QLineEdit(value, parent)
    edit.setMaxLength(limit)
    return edit


class ParentDialog(FormDialog):
    TEXT_FIELDS = (("full_name", "&Name:"), ("title", "&Title:"), ("relationship", "&Relationship:"),
                   ("address_line1", "&Address:"), ("address_line2", "Address line &2:"),
                   ("town", "To&wn:"), ("postcode", "&Postcode:"), ("phone_mobile", "&Mobile:"),
                   ("phone_home", "&Home phone:"), ("phone_work", "W&ork phone:"), ("email", "&Email:"))
    PREFERENCES = (("use_mobile", "The mobile number may be used"),
                   ("use_home", "The home number may be used"),
                   ("use_work", "The work number may be used"),
                   ("voicemail_allowed", "A voicemail may be left"),
                   ("message_with_colleague_allowed", "A message may be left with someone else"),
                   ("email_allowed", "Email may be used"))

    def __init__(self, parent: QWidget | None, person: ParentView | None = None) -> None:
        title = "Change parent or carer" if person else "Add a parent or carer"
        super().__init__(title, "&Save" if person else "&Add", parent)
        self.edits: dict[str, QLineEdit] = {}
        for name, label in self.TEXT_FIELDS:
            self.edits[name] = _line(self, getattr(person, name, "") if person else "")
            self.add_field(name, label, self.edits[name])
        self.edits["postcode"].setPlaceholderText("Full postcode, such as MK6 1AA")
        self.column.addWidget(help_label("Contact preferences: ask the parent; "
                                         "nothing is allowed until they say so.", self))
        prefs = person.preferences if person and person.preferences else ContactPreferences()
        self.checks: dict[str, QCheckBox] = {}
        for name, label in self.PREFERENCES:
            box = QCheckBox(label, self)
            box.setChecked(bool(getattr(prefs, name)))
            self.checks[name] = box
            self.add_field(name, "", box)
        self.method = QComboBox(self)
        self.method.addItem("No preference", None)
        for method in ContactMethod:
            self.method.addItem(method.value.capitalize(), method)
        if prefs.preferred_method is not None:
            self.method.setCurrentIndex(self.method.findData(prefs.preferred_method))
        self.add_field("preferred_method", "Pre&ferred method:", self.method)
        self.finish_layout()

    def details(self) -> ParentDetails:
        values = {name: edit.text() for name, edit in self.edits.items()}
        checks = {name: box.isChecked() for name, box in self.checks.items()}
        return ParentDetails(**values, preferences=ContactPreferences(
            **checks, preferred_method=self.method.currentData()))


class ChildDialog(FormDialog):
    def __init__(self, parent: QWidget | None, child: ChildView | None = None) -> None:
        super().__init__("Change child" if child else "Add a child", "&Save" if child else "&Add", parent)
        self.full_name = _line(self, child.full_name if child else "")
        self.add_field("full_name", "&Name:", self.full_name)
        self.date_of_birth = _line(self, day(child.date_of_birth) if child else "", 10)
        self.date_of_birth.setPlaceholderText("dd/mm/yyyy")
        self.add_field("date_of_birth", "&Date of birth:", self.date_of_birth,
                       "Needed for the coded reference used on insecure channels.")
        self.gender = _line(self, child.gender if child else "", 40)
        self.add_field("gender", "&Gender:", self.gender)
        self.school = _line(self, child.school if child else "")
        self.add_field("school", "&School:", self.school)
        self.year_group = QComboBox(self)
        self.year_group.addItem("Not recorded", "")
        for year in YEAR_GROUPS:
            self.year_group.addItem(year, year)
        if child and child.year_group:
            self.year_group.setCurrentIndex(self.year_group.findData(child.year_group))
        self.add_field("year_group", "&Year group:", self.year_group)
        self.needs = QPlainTextEdit(child.needs if child else "", self)
        self.needs.setTabChangesFocus(True)
        self.needs.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.add_field("needs", "N&eeds:", self.needs)
        self.finish_layout()

    def details(self) -> ChildDetails:
        return ChildDetails(full_name=self.full_name.text(),
                            date_of_birth=self.date_of_birth.text(), gender=self.gender.text(),
                            school=self.school.text(), year_group=self.year_group.currentData(),
                            needs=self.needs.toPlainText())


# Given the way, answers (words to say, True) or (why not, False).
MessageFetcher = Callable[[MessageWay], tuple[str, bool]]


class MessageDialog(QDialog):
    """The only words that may be left for a parent, or why none may be left."""

    def __init__(self, parent: QWidget | None, fetch: MessageFetcher) -> None:
        super().__init__(parent)
        self.setWindowTitle("Leave a message")
        self.setAccessibleName("Leave a message")
        self.fetch = fetch
        column = QVBoxLayout(self)
        self.way = QComboBox(self)
        self.way.addItem("On voicemail", MessageWay.VOICEMAIL)
        self.way.addItem("With someone who answers", MessageWay.WITH_COLLEAGUE)
        self.way.setAccessibleName("How the message is left")
        caption = QLabel("&How:", self)
        caption.setBuddy(self.way)
        column.addWidget(caption)
        column.addWidget(self.way)
        column.addWidget(help_label("Say these words only, nothing more about the case.", self))
        self.words = Notice("Message", self)
        self.words.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        column.addWidget(self.words)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.way.currentIndexChanged.connect(lambda _i: self.update_words())
        self.update_words()

    def update_words(self) -> None:
        text, allowed = self.fetch(MessageWay(self.way.currentData()))
        self.words.show_text(text, "info" if allowed else "error")

    def shown_text(self) -> str:
        return self.words.accessibleDescription()


