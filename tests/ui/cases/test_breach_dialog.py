"""The breach decision dialog asks whether to share and with whom, with each message next to its
field and the form still filled; the case shows what was decided."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.cases import cases
from app.services.cases.notes import BreachOutcome
from app.services.consent.records import Party, PartyKind
from app.services.context import SignedIn
from app.ui.calls.widgets import choose
from app.ui.cases import CasesPage
from app.ui.cases.breach_dialog import BreachDialog
from app.ui.cases.consent_dialogs import ContactDialog
from tests.services.case_helpers import open_case_for

pytestmark = pytest.mark.gui


def opened(make_page, ctx: SignedIn) -> tuple[CasesPage, int]:  # type: ignore[no-untyped-def]
    record = open_case_for(ctx, "Quillfeather")
    page = make_page(ctx)
    page.open_case(record.case_id)
    return page, record.case_id or 0


def breach_dialog(qtbot, page: CasesPage) -> BreachDialog:  # type: ignore[no-untyped-def]
    tab = page.view.safeguarding
    qtbot.mouseClick(tab.breach_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, BreachDialog)
    dialog.concern.setPlainText("Mum said her partner hits the children.")
    dialog.consulted.setText("Margaret Manager (line manager)")
    dialog.decision.setPlainText("Risk of harm to the children; refer today.")
    return dialog


def record(qtbot, dialog: BreachDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_the_decision_and_its_agencies_are_required(qtbot, make_page, adviser: SignedIn) -> None:
    page, case_id = opened(make_page, adviser)
    tab = page.view.safeguarding
    dialog = breach_dialog(qtbot, page)
    assert not dialog.share.isChecked() and not dialog.do_not_share.isChecked()
    assert not dialog.agencies.isEnabled()  # no agency until sharing is chosen

    record(qtbot, dialog)
    assert tab.dialog is dialog
    assert "share" in dialog.errors.message("outcome")
    assert not dialog.errors.message("agencies")
    assert dialog.concern.toPlainText() == "Mum said her partner hits the children."

    dialog.share.setChecked(True)
    assert dialog.agencies.isEnabled()
    record(qtbot, dialog)
    assert tab.dialog is dialog
    assert not dialog.errors.message("outcome")
    assert "Name each agency" in dialog.errors.message("agencies")

    dialog.agencies.name.setText("Children's social care")
    qtbot.mouseClick(dialog.agencies.add_button, Qt.MouseButton.LeftButton)
    assert dialog.agencies.list.count() == 0  # its kind is not chosen yet
    record(qtbot, dialog)
    assert "kind of agency Children's social care" in dialog.errors.message("agencies")
    choose(dialog.agencies.kind, "social care")
    qtbot.mouseClick(dialog.agencies.add_button, Qt.MouseButton.LeftButton)
    assert dialog.agencies.list.count() == 1 and dialog.agencies.name.text() == ""
    dialog.agencies.name.setText("Northfield Primary")
    choose(dialog.agencies.kind, "school")
    qtbot.mouseClick(dialog.agencies.add_button, Qt.MouseButton.LeftButton)
    dialog.agencies.list.setCurrentRow(1)
    qtbot.mouseClick(dialog.agencies.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.agencies.list.count() == 1

    record(qtbot, dialog)
    assert tab.dialog is None
    breach = cases.reload_case(adviser, case_id).notes[0].breach
    assert breach is not None and breach.outcome is BreachOutcome.SHARED
    assert breach.agencies == (Party(PartyKind.SOCIAL_CARE, "Children's social care"),)
    shown = tab.list.item(0).text()
    assert ("Outcome: Share information without consent, with Children's social care "
            "(social care)") in shown


def test_a_decision_not_to_share_shows_and_is_not_offered_for_a_contact(
        qtbot, make_page, adviser: SignedIn) -> None:
    page, case_id = opened(make_page, adviser)
    dialog = breach_dialog(qtbot, page)
    dialog.share.setChecked(True)
    dialog.agencies.name.setText("Children's social care")
    choose(dialog.agencies.kind, "social care")
    dialog.do_not_share.setChecked(True)  # changed their mind: the agency is not part of it
    record(qtbot, dialog)
    assert page.view.safeguarding.dialog is None
    breach = cases.reload_case(adviser, case_id).notes[0].breach
    assert breach is not None and breach.outcome is BreachOutcome.NOT_SHARED
    assert breach.agencies == ()
    notes = page.view.notes.list
    assert any("Outcome: Do not share" in notes.item(row).text() for row in range(notes.count()))

    consent_tab = page.view.consent
    qtbot.mouseClick(consent_tab.contact_button, Qt.MouseButton.LeftButton)
    contact = consent_tab.dialog
    assert isinstance(contact, ContactDialog)
    assert contact.override.count() == 1  # only "No: only with the family's consent"
