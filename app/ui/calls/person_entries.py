"""One parent/carer or one child being entered for a new case, each with its own field errors."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.services.cases.contact import ContactPreferences
from app.services.cases.family import ChildDetails, ParentDetails, clean_child, clean_parent
from app.services.cases.fields import YEAR_GROUPS, ContactMethod
from app.services.people import InvalidInput
from app.ui.calls.widgets import capitalised, choice_box, choose, chosen, row
from app.ui.widgets.forms import FieldErrors
from app.ui.widgets.messages import FieldError

RELATIONSHIPS = ("mother", "father", "carer", "grandparent", "foster carer", "step-parent",
                 "guardian", "other")

_PARENT_TEXT = (("full_name", "Name:"), ("title", "Title:"), ("address_line1", "Address:"),
                ("address_line2", ""), ("town", "Town:"), ("postcode", "Postcode:"),
                ("phone_mobile", "Mobile:"), ("phone_home", "Home phone:"),
                ("phone_work", "Work phone:"), ("email", "Email:"))
_PREFERENCES = (("use_mobile", "Mobile may be used"), ("use_home", "Home phone may be used"),
                ("use_work", "Work phone may be used"), ("voicemail_allowed", "Voicemail may be left"),
                ("message_with_colleague_allowed", "A message may be left with someone else"),
                ("email_allowed", "Email may be used"))


class PersonEntry(QGroupBox):
    """Shared by parent and child entries: a titled box with a Remove button and field errors."""

    removed = Signal(QWidget)
    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general = FieldError(self)
        self.errors = FieldErrors(self.general)

    def retitle(self, title: str) -> None:
        """A new number after another entry was removed; screen readers hear it too."""
        self.setTitle(title)
        self.setAccessibleName(title)
        if hasattr(self, "remove"):
            self.remove.setAccessibleName(f"Remove {title}")

    def has_typing(self) -> bool:
        return False

    def values(self) -> dict[str, Any]:
        return {}

    def set_values(self, values: dict[str, Any]) -> None:
        """Put drafted values back; each kind of entry knows its own fields."""

    def finish(self) -> None:
        # Made last so it is last in the Tab order too, after the person's fields.
        self.remove = QPushButton(f"Remove this {self.title().split()[0].lower()}", self)
        self.remove.setAccessibleName(f"Remove {self.title()}")
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        self.form.addRow(self.general)
        self.form.addRow("", self.remove)

    def line(self, name: str, label: str, accessible: str) -> QLineEdit:
        # No maximum length: an over-long entry gets a message rather than being cut short.
        edit = QLineEdit(self)
        edit.setAccessibleName(accessible)
        edit.textChanged.connect(self.changed)
        row(self.form, label, edit, self.errors, name, self)
        return edit


class ParentEntry(PersonEntry):
    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(f"Parent/carer {number}", parent)
        self.edits: dict[str, QLineEdit] = {}
        for name, label in _PARENT_TEXT[:2]:
            self.edits[name] = self.line(name, label, label.strip(":&") or "Address line 2")
        self.relationship = QComboBox(self)
        self.relationship.setEditable(True)
        self.relationship.addItems(["", *RELATIONSHIPS])
        self.relationship.setAccessibleName("Relationship to the child")
        row(self.form, "Relationship:", self.relationship, self.errors, "relationship", self)
        for name, label in _PARENT_TEXT[2:]:
            accessible = label.strip(":&") or "Address line 2"
            self.edits[name] = self.line(name, label, accessible)
        self.edits["postcode"].setPlaceholderText("Full postcode, such as MK6 1AA")
        prefs = QGroupBox("Contact preferences (ask the parent)", self)
        grid = QGridLayout(prefs)
        self.prefs: dict[str, QCheckBox] = {}
        for index, (name, label) in enumerate(_PREFERENCES):
            box = QCheckBox(label, prefs)
            box.setAccessibleName(label)
            grid.addWidget(box, index // 2, index % 2)
            self.prefs[name] = box
        self.preferred = choice_box("Preferred method",
                                    [(capitalised(m.value), m.value) for m in ContactMethod],
                                    prefs, "No preference")
        preferred_label = QLabel("Preferred method:", prefs)
        preferred_label.setBuddy(self.preferred)
        grid.addWidget(preferred_label, 3, 0)
        grid.addWidget(self.preferred, 3, 1)
        self.form.addRow(prefs)
        for name in ("use_mobile", "use_home", "use_work", "email_allowed", "preferred_method"):
            self.errors.add(name, self.general)
        self.finish()

    def details(self) -> ParentDetails:
        """The typed details, checked; InvalidInput is shown next to the field and re-raised."""
        method = chosen(self.preferred)
        wanted = ContactPreferences(**{name: box.isChecked() for name, box in self.prefs.items()},
                                    preferred_method=ContactMethod(method) if method else None)
        details = ParentDetails(**{name: edit.text() for name, edit in self.edits.items()},
                                relationship=self.relationship.currentText(), preferences=wanted)
        try:
            clean_parent(details)
            self._check_preferences(details, wanted)
        except InvalidInput as exc:
            self.errors.show(exc)
            raise
        return details

    @staticmethod
    def _check_preferences(details: ParentDetails, wanted: ContactPreferences) -> None:
        # The service checks this too, but only here can the message name the right parent.
        for allowed, number in ((wanted.use_mobile, details.phone_mobile),
                                (wanted.use_home, details.phone_home),
                                (wanted.use_work, details.phone_work),
                                (wanted.email_allowed, details.email)):
            if allowed and not number.strip():
                raise InvalidInput("A contact preference allows a number or email that is not "
                                   "filled in; add it or untick the preference.", "use_mobile")

    def has_typing(self) -> bool:
        return any(edit.text().strip() for edit in self.edits.values())

    def values(self) -> dict[str, Any]:
        return {**{name: edit.text() for name, edit in self.edits.items()},
                "relationship": self.relationship.currentText(),
                "prefs": {name: box.isChecked() for name, box in self.prefs.items()},
                "preferred": chosen(self.preferred)}

    def set_values(self, values: dict[str, Any]) -> None:
        for name, edit in self.edits.items():
            edit.setText(str(values.get(name, "")))
        self.relationship.setCurrentText(str(values.get("relationship", "")))
        for name, box in self.prefs.items():
            box.setChecked(bool(values.get("prefs", {}).get(name)))
        choose(self.preferred, values.get("preferred", ""))


class ChildEntry(PersonEntry):
    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(f"Child {number}", parent)
        self.name = self.line("full_name", "Name:", "Child's name")
        self.born = self.line("date_of_birth", "Date of birth:", "Date of birth")
        self.born.setPlaceholderText("day/month/year, such as 09/03/2015")
        self.gender = self.line("gender", "Gender:", "Gender")
        self.school = self.line("school", "School:", "School")
        self.year_group = choice_box("Year group", [(y, y) for y in YEAR_GROUPS], self, "Not known")
        row(self.form, "Year group:", self.year_group, self.errors, "year_group", self)
        self.needs = QPlainTextEdit(self)
        self.needs.setAccessibleName("Needs")
        self.needs.setTabChangesFocus(True)
        self.needs.setFixedHeight(self.fontMetrics().lineSpacing() * 3)
        self.needs.textChanged.connect(self.changed)
        row(self.form, "Needs:", self.needs, self.errors, "needs", self)
        self.finish()

    def details(self) -> ChildDetails:
        details = ChildDetails(full_name=self.name.text(), date_of_birth=self.born.text() or None,
                               gender=self.gender.text(), school=self.school.text(),
                               year_group=chosen(self.year_group), needs=self.needs.toPlainText())
        try:
            clean_child(details)
        except InvalidInput as exc:
            self.errors.show(exc)
            raise
        return details

    def has_typing(self) -> bool:
        return bool(self.name.text().strip() or self.needs.toPlainText().strip())

    def values(self) -> dict[str, Any]:
        return {"full_name": self.name.text(), "date_of_birth": self.born.text(),
                "gender": self.gender.text(), "school": self.school.text(),
                "year_group": chosen(self.year_group), "needs": self.needs.toPlainText()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.name.setText(str(values.get("full_name", "")))
        self.born.setText(str(values.get("date_of_birth", "")))
        self.gender.setText(str(values.get("gender", "")))
        self.school.setText(str(values.get("school", "")))
        choose(self.year_group, values.get("year_group", ""))
        self.needs.setPlainText(str(values.get("needs", "")))
