"""Named calls: refused until consent is a yes, then a new case or an existing one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from app.services.calls import calls
from app.services.cases import cases
from app.services.cases.fields import ConsentMethod
from app.services.context import SignedIn
from app.ui.calls.call_form import CallForm
from app.ui.calls.case_picker import DEBOUNCE_MS
from app.ui.shell.main_window import MainWindow
from tests.services.case_helpers import open_case_for
from tests.ui.calls.conftest import calls_page, click, new_call_form, type_into

pytestmark = pytest.mark.gui


def give_consent(qtbot, form: CallForm) -> None:
    click(qtbot, form.consent.explained)
    click(qtbot, form.consent.agreed)
    form.consent.method.setCurrentIndex(form.consent.method.findData(ConsentMethod.VERBAL.value))


def fill_family(qtbot, form: CallForm, born: str = "09/03/2015", postcode: str = "MK6 1AA") -> None:
    parent = form.new_case_panel.parents[0]
    type_into(qtbot, parent.edits["full_name"], "Jane Quillfeather")
    type_into(qtbot, parent.edits["postcode"], postcode)
    type_into(qtbot, parent.edits["phone_mobile"], "07700 900123")
    parent.relationship.setCurrentText("mother")
    child = form.new_case_panel.children[0]
    type_into(qtbot, child.name, "Jamie Quillfeather")
    type_into(qtbot, child.born, born)


def test_named_call_refused_without_consent_then_saved(qtbot, window: MainWindow,
                                                       manager: SignedIn) -> None:
    form = new_call_form(qtbot, window)
    click(qtbot, form.named)
    assert form.named_area.isVisible() and not form.details.isEnabled()
    assert not form.fields.hint.isVisible()
    # The named fields cannot take typing until consent is answered.
    qtbot.keyClicks(form.new_case_panel.parents[0].edits["full_name"], "Jane")
    assert form.new_case_panel.parents[0].edits["full_name"].text() == ""
    type_into(qtbot, form.fields.summary, "Wants help with an annual review.")
    click(qtbot, form.consent.explained)
    click(qtbot, form.save_button)
    assert "caller has not agreed" in form.consent.error.message()
    assert calls.recent_calls(manager) == [] and calls_page(window).is_form_open()
    assert form.fields.summary.toPlainText() == "Wants help with an annual review."

    click(qtbot, form.consent.agreed)
    click(qtbot, form.save_button)
    assert "how consent was given" in form.consent.error.message().casefold()
    form.consent.method.setCurrentIndex(form.consent.method.findData(ConsentMethod.SIGNED_FORM.value))
    assert form.details.isEnabled() and not form.consent.error.message()
    fill_family(qtbot, form)
    click(qtbot, form.save_button)

    page = calls_page(window)
    assert not page.is_form_open()
    record = calls.recent_calls(manager)[0]
    assert not record.anonymous and record.case_reference
    assert page.list.notice_open.isVisible() and record.case_reference in page.list.notice_text.text()
    view = cases.open_case(manager, record.case_id)
    assert [p.full_name for p in view.parents] == ["Jane Quillfeather"]
    assert view.parents[0].postcode == "MK6 1AA" and view.parents[0].relationship == "mother"
    assert [(c.full_name, c.date_of_birth) for c in view.children] == [("Jamie Quillfeather",
                                                                       date(2015, 3, 9))]
    assert view.consents[0].method == ConsentMethod.SIGNED_FORM.value
    assert view.consents[0].recorded_by == "Margaret Manager"


@pytest.mark.parametrize(("born", "postcode", "entry", "field", "words"), [
    ((date.today() + timedelta(days=3)).strftime("%d/%m/%Y"), "MK6 1AA", "children", "date_of_birth",
     "future"),
    ("31/02/2015", "MK6 1AA", "children", "date_of_birth", "not a real date"),
    ("09/03/2015", "MK6", "parents", "postcode", "full UK postcode"),
])
def test_people_errors_next_to_the_field(qtbot, window: MainWindow, manager: SignedIn, born: str,
                                         postcode: str, entry: str, field: str, words: str) -> None:
    form = new_call_form(qtbot, window)
    click(qtbot, form.named)
    give_consent(qtbot, form)
    fill_family(qtbot, form, born=born, postcode=postcode)
    click(qtbot, form.save_button)
    person = getattr(form.new_case_panel, entry)[0]
    assert words in person.errors.fields[field].message()
    assert calls.recent_calls(manager) == [] and calls_page(window).is_form_open()
    assert form.new_case_panel.parents[0].edits["full_name"].text() == "Jane Quillfeather"


def test_attach_to_an_existing_case_by_search(qtbot, window: MainWindow, manager: SignedIn) -> None:
    existing = open_case_for(manager, surname="Brackenbury")
    other = open_case_for(manager, surname="Smith")
    form = new_call_form(qtbot, window)
    click(qtbot, form.named)
    give_consent(qtbot, form)
    click(qtbot, form.attach)
    assert form.picker.isVisible()
    type_into(qtbot, form.picker.search, "bracken")
    assert form.picker.results.count() == 0  # debounced: nothing until typing pauses
    qtbot.waitUntil(lambda: form.picker.results.count() == 1, timeout=DEBOUNCE_MS * 8)
    shown = form.picker.results.item(0).text()
    assert existing.case_reference in shown and "Jane Brackenbury" in shown and "John Brackenbury" in shown
    click(qtbot, form.save_button)
    assert "choose it in the list" in form.picker.error.message()
    form.picker.results.setCurrentRow(0)
    qtbot.keyClick(form.picker.results, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not calls_page(window).is_form_open()
    [record] = [c for c in calls.recent_calls(manager) if c.id not in (existing.id, other.id)]
    assert record.case_id == existing.case_id and not record.anonymous
    assert len(cases.open_case(manager, existing.case_id).parents) == 1
