"""People on a case: parents/carers with their contact preferences, and children."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.services.cases import cases, coded_reference, contact
from app.services.cases.contact import ContactPreferences, MessageWay
from app.services.cases.family import ChildView, ParentView
from app.services.context import SignedIn
from app.ui.cases.people_dialogs import ChildDialog, MessageDialog, ParentDialog
from app.ui.cases.tab_base import CaseTab, day, empty_box, plain_label, scrolling
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.widgets import clipboard
from app.ui.widgets.messages import help_label


def preferences_text(prefs: ContactPreferences | None) -> str:
    if prefs is None:
        return "Contact preferences: none recorded yet, so no message may be left and no email sent."
    numbers = [n for n, ok in (("mobile", prefs.use_mobile), ("home", prefs.use_home),
                               ("work", prefs.use_work)) if ok]
    parts = [f"numbers that may be used: {', '.join(numbers) if numbers else 'none'}",
             "voicemail " + ("allowed" if prefs.voicemail_allowed else "not allowed"),
             "message with someone else " + ("allowed" if prefs.message_with_colleague_allowed
                                             else "not allowed"),
             "email " + ("allowed" if prefs.email_allowed else "not allowed")]
    if prefs.preferred_method is not None:
        parts.append(f"prefers {prefs.preferred_method.value}")
    return "Contact preferences: " + "; ".join(parts) + "."


def parent_text(person: ParentView) -> str:
    address = ", ".join(p for p in (person.address_line1, person.address_line2, person.town,
                                    person.postcode) if p)
    phones = ", ".join(f"{label} {number}" for label, number in (
        ("mobile", person.phone_mobile), ("home", person.phone_home), ("work", person.phone_work))
        if number)
    lines = [f"Relationship: {person.relationship}" if person.relationship else "",
             f"Address: {address}" if address else "", f"Phone: {phones}" if phones else "",
             f"Email: {person.email}" if person.email else "", preferences_text(person.preferences)]
    return "\n".join(line for line in lines if line)


def child_text(child: ChildView) -> str:
    lines = [f"Date of birth: {day(child.date_of_birth) or 'not recorded'}",
             f"Gender: {child.gender}" if child.gender else "",
             f"School: {child.school}" if child.school else "",
             f"Year group: {child.year_group}" if child.year_group else "",
             f"Needs: {child.needs}" if child.needs else ""]
    return "\n".join(line for line in lines if line)


class PeopleTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "People", parent)
        buttons = QHBoxLayout()
        self.add_parent_button = QPushButton("&Add a parent or carer…", self)
        self.add_parent_button.clicked.connect(lambda: self.edit_parent(None))
        self.add_child_button = QPushButton("Add a c&hild…", self)
        self.add_child_button.clicked.connect(lambda: self.edit_child(None))
        buttons.addWidget(self.add_parent_button)
        buttons.addWidget(self.add_child_button)
        buttons.addStretch(1)
        self.column.addLayout(buttons)
        content = QWidget(self)
        self.people = QVBoxLayout(content)
        self.column.addWidget(scrolling(content, self), 1)
        self.message_dialog: MessageDialog | None = None

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        empty_box(self.people)
        owner = self.people.parentWidget()
        if not case.parents and not case.children:
            self.people.addWidget(help_label("No people are recorded on this case yet.", owner))
        for person in case.parents:
            self.people.addWidget(self._parent_box(person, owner))
        for child in case.children:
            self.people.addWidget(self._child_box(child, owner))
        self.people.addStretch(1)

    def _parent_box(self, person: ParentView, owner: QWidget) -> QGroupBox:
        title = f"{person.title} {person.full_name}".strip()
        box = _person_box(f"Parent or carer: {title}", parent_text(person), owner)
        message = _button(box, "Leave a &message…", f"Leave a message for {title}",
                          lambda: self.leave_message(person.id))
        message.setToolTip("Shows the only words you may leave, if a message is allowed")
        _button(box, "Change…", f"Change details of {title}", lambda: self.edit_parent(person))
        return box

    def _child_box(self, child: ChildView, owner: QWidget) -> QGroupBox:
        box = _person_box(f"Child: {child.full_name}", child_text(child), owner)
        copy = _button(box, "Copy &coded reference", f"Copy coded reference for {child.full_name}",
                       lambda: self.copy_coded_reference(child.id))
        copy.setToolTip("Copies initials and month of birth (such as J.S. 03/2015), never the name, "
                        "for email or other insecure channels")
        _button(box, "Change…", f"Change details of {child.full_name}", lambda: self.edit_child(child))
        return box

    # -- actions -------------------------------------------------------------------------

    def copy_coded_reference(self, child_id: int) -> None:
        self.notice.clear_text()
        with guarded(self.notice.show_problem) as call:
            code = coded_reference.case_coded_reference(self.ctx, child_id)
        if call.failed:
            return
        clipboard.copy_text(code)
        self.notice.show_text(f"Copied {code}. It is cleared from the clipboard in 30 seconds.", "ok")

    def message_words(self, parent_id: int, way: MessageWay) -> tuple[str, bool]:
        # A refusal is shown in the dialog in place of the words.
        words: list[tuple[str, bool]] = []
        with guarded(lambda exc: words.append((message_for(exc), False))):
            words.append((contact.leave_message_text(self.ctx, parent_id, way), True))
        return words[0]

    def leave_message(self, parent_id: int) -> None:
        dialog = MessageDialog(self, lambda way: self.message_words(parent_id, way))
        self.message_dialog = dialog
        self.show_dialog(dialog)

    def edit_parent(self, person: ParentView | None) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        dialog = ParentDialog(self, person)
        if person is None:
            self.run_dialog(dialog, lambda: cases.add_parent(self.ctx, case_id, dialog.details()))
        else:
            self.run_dialog(dialog, lambda: cases.update_parent(self.ctx, person.id, dialog.details()))

    def edit_child(self, child: ChildView | None) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        dialog = ChildDialog(self, child)
        if child is None:
            self.run_dialog(dialog, lambda: cases.add_child(self.ctx, case_id, dialog.details()))
        else:
            self.run_dialog(dialog, lambda: cases.update_child(self.ctx, child.id, dialog.details()))

    def clear(self) -> None:
        super().clear()
        self.message_dialog = None
        empty_box(self.people)


def _person_box(title: str, text: str, owner: QWidget) -> QGroupBox:
    """A titled box with the person's details and a row for their buttons."""
    box = QGroupBox(title, owner)
    column = QVBoxLayout(box)
    column.addWidget(plain_label(text, box))
    row = QHBoxLayout()
    row.addStretch(1)
    column.addLayout(row)
    return box


def _button(box: QGroupBox, text: str, accessible: str, action: Callable[[], object]) -> QPushButton:
    """A button added to the end of the box's button row (before the stretch)."""
    button = QPushButton(text, box)
    button.setAccessibleName(accessible)
    button.clicked.connect(action)
    row = box.layout().itemAt(1).layout()
    row.insertWidget(row.count() - 1, button)
    return button
