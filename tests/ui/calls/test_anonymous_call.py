"""An anonymous call typed through the real widgets is stored with statistics and nothing more."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

from app.models.calls import Call
from app.services.calls import calls, topics
from app.services.cases.fields import Channel, Outcome
from app.services.clock import now
from app.services.context import SignedIn
from app.ui.calls.call_fields import SUMMARY_HINT
from app.ui.shell.main_window import MainWindow
from app.ui.widgets.times import to_local
from tests.ui.calls.conftest import calls_page, click, new_call_form, type_into

pytestmark = pytest.mark.gui

SUMMARY = "Asked how long an EHC needs assessment takes; gave the 20-week timescale."


def test_anonymous_call_saved_through_the_form(qtbot, window: MainWindow, manager: SignedIn) -> None:
    window.show_page("admin")
    form = new_call_form(qtbot, window)
    assert form.anonymous.isChecked() and not form.named_area.isVisible()
    assert form.fields.hint.isVisible() and form.fields.hint.text() == SUMMARY_HINT
    # No identity field at all: nothing a name could be typed into is on screen.
    visible_names = {w.accessibleName() for w in form.findChildren(QLineEdit)
                     if w.isVisible() and not isinstance(w.parentWidget(), QAbstractSpinBox)}
    assert visible_names == {"Area (postcode district)"}

    form.fields.duration.setValue(12)
    form.fields.channel.setCurrentIndex(form.fields.channel.findData(Channel.EMAIL.value))
    wanted = topics.list_topics(manager)[:2]
    for index in range(2):
        form.fields.topics.item(index).setCheckState(Qt.CheckState.Checked)
    type_into(qtbot, form.fields.area, "mk6")
    form.fields.outcome.setCurrentIndex(form.fields.outcome.findData(Outcome.FOLLOW_UP.value))
    click(qtbot, form.fields.follow_up)
    type_into(qtbot, form.fields.summary, SUMMARY)
    follow_up = form.fields.follow_up_date.date().toPython()
    assert follow_up == to_local(now()).date() + timedelta(days=7)
    qtbot.keyClick(form.fields.summary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    page = calls_page(window)
    assert not page.is_form_open()
    stored = calls.recent_calls(manager)[0]
    assert stored.anonymous and stored.case_id is None
    assert stored.summary == SUMMARY and stored.area_district == "MK6"
    assert stored.channel is Channel.EMAIL and stored.duration_minutes == 12
    assert stored.topic_ids == tuple(t.id for t in wanted)
    assert stored.follow_up_date == follow_up
    assert "saved" in page.list.notice_text.text() and not page.list.notice_open.isVisible()
    assert page.list.recent.item(0, 5).text() == "Anonymous"
    with manager.write() as session:
        row = session.get(Call, stored.id)
        assert row is not None and row.case_id is None and row.anonymous
        values = [str(getattr(row, c.key)) for c in Call.__table__.columns]
    assert not any("Quillfeather" in value for value in values)


def test_bad_district_shown_next_to_the_field(qtbot, window: MainWindow, manager: SignedIn) -> None:
    form = new_call_form(qtbot, window)
    type_into(qtbot, form.fields.area, "MK6 1AA")
    click(qtbot, form.save_button)
    assert "first half of the postcode" in form.errors.fields["area_district"].message()
    assert form.fields.area.text() == "MK6 1AA"
    assert calls.recent_calls(manager) == []
    form.fields.area.setText("ZZ")
    click(qtbot, form.save_button)
    assert "postcode district" in form.errors.fields["area_district"].message()
    assert calls_page(window).is_form_open()


HOSTILE = [
    "Said 😀 thanks — مرحبا بكم والدة",  # emoji and right-to-left text are stored exactly
    "Robert'); DROP TABLE call;--",
    "x" * 10_000,  # too long: refused next to the field
    "bell \a character",  # control character: refused next to the field
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_summary_stored_exactly_or_refused(qtbot, window: MainWindow, manager: SignedIn,
                                                   text: str) -> None:
    form = new_call_form(qtbot, window)
    form.fields.summary.setPlainText(text)
    click(qtbot, form.save_button)
    saved = calls.recent_calls(manager)
    if saved:
        assert saved[0].summary == text
        assert not calls_page(window).is_form_open()
    else:
        assert form.errors.fields["summary"].message()
        assert form.fields.summary.toPlainText() == text
