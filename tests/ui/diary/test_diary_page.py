"""The Diary page: what colleagues can read on it, the views, the keyboard, and the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from app.services.calls import calls
from app.services.calls.calls import CallDetails
from app.services.diary import diary
from app.services.diary.fields import Venue
from app.ui.diary import TEAM, DiaryPage
from app.ui.diary.period import ViewKind
from tests.services.diary.helpers import PURPOSE, Office, meeting
from tests.ui.helpers import all_texts

pytestmark = pytest.mark.gui
MakePage = Callable[..., DiaryPage]


def team_week(make_page: MakePage, ctx) -> DiaryPage:  # type: ignore[no-untyped-def]
    page = make_page(ctx)
    page.show_person(TEAM)
    assert page.period.kind is ViewKind.WEEK and page.period.first_day == date(2026, 11, 16)
    return page


def leaked(office: Office, page: QWidget) -> list[str]:
    texts = all_texts(page)
    return [word for word in office.private_words for text in texts if word.casefold() in text.casefold()]


@pytest.mark.parametrize("who", ["bob", "carol", "coordinator"])
def test_team_week_shows_outsiders_only_busy_time_and_venue(make_page: MakePage, office: Office,
                                                            who: str) -> None:
    page = team_week(make_page, getattr(office, who))
    alice_chips = [c for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    assert [c.label.text() for c in alice_chips] == ["10:00–11:30 Busy · Office, Interview room 1"]
    assert alice_chips[0].toolTip() == "Test Adviser: Busy, 10:00 to 11:30, Office, Interview room 1"
    assert leaked(office, page) == []
    # Clicking a colleague's appointment opens nothing.
    alice_chips[0]._activate()
    assert page.dialog is None


def test_every_view_keeps_outsiders_out(make_page: MakePage, office: Office) -> None:
    page = team_week(make_page, office.bob)
    for kind in ViewKind:
        page.set_view(kind)
        page.period = page.period.__class__(kind, date(2026, 11, 18))
        page.refresh()
        assert any("Busy" in c.label.text() for c in page.grid.chips), kind
        assert leaked(office, page) == []


def test_owner_sees_their_own_appointment_in_full(make_page: MakePage, office: Office) -> None:
    page = team_week(make_page, office.alice)
    [chip] = [c for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    assert chip.label.text() == (f"10:00–11:30 Meeting with parent · {office.case_reference} · P.Q. 03/2015"
                                 "\nOffice, Interview room 1")
    assert PURPOSE in chip.toolTip()
    assert "Quillfeather" not in " ".join(all_texts())  # coded references only, even for the owner


def test_follow_ups_show_in_my_row_only(make_page: MakePage, office: Office) -> None:
    calls.log_anonymous_call(office.alice, CallDetails(follow_up_date=date(2026, 11, 19)))
    page = team_week(make_page, office.alice)
    [due] = [c for c in page.grid.chips if c.entry.style == "follow-up"]
    assert due.label.text() == "Follow-up due · anonymous call" and due.entry.day == date(2026, 11, 19)
    other = team_week(make_page, office.bob)
    assert not [c for c in other.grid.chips if c.entry.style == "follow-up"]


def test_an_appointment_past_midnight_shows_on_both_days(make_page: MakePage, office: Office) -> None:
    diary.book(office.alice, meeting(office.alice, start=datetime(2026, 11, 19, 22), room="",
                                     end=datetime(2026, 11, 20, 1), venue=Venue.ONLINE))
    page = team_week(make_page, office.bob)
    texts = [c.label.text() for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    assert "22:00–20/11 01:00 Busy · Online" in texts and "from 19/11 22:00–01:00 Busy · Online" in texts


def test_keyboard_moves_between_periods(qtbot, make_page: MakePage, office: Office) -> None:  # type: ignore[no-untyped-def]
    page = team_week(make_page, office.alice)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.staff.setFocus()
    qtbot.keyClick(page.staff, Qt.Key.Key_PageDown)
    assert page.period.first_day == date(2026, 11, 23)
    assert page.period_label.text() == "Week of 23–29 November 2026"
    qtbot.keyClick(page.staff, Qt.Key.Key_PageUp)
    qtbot.keyClick(page.staff, Qt.Key.Key_PageUp)
    assert page.period.first_day == date(2026, 11, 9)
    qtbot.keyClick(page.staff, Qt.Key.Key_T)
    assert page.period.anchor == date(2026, 11, 16)
    qtbot.keyClick(page.staff, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    # A mnemonic "animates" the click, which lands a moment later.
    qtbot.waitUntil(lambda: page.period.kind is ViewKind.MONTH)
    assert page.period_label.text() == "November 2026"
    qtbot.keyClick(page.staff, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.dialog is not None and page.dialog.windowTitle() == "New appointment"
    assert "(Ctrl+Shift+A)" in page.new_button.text() and "(PgDn)" in page.next_button.text()


def test_booking_keeps_the_form_on_error_then_saves(qtbot, make_page: MakePage, office: Office) -> None:  # type: ignore[no-untyped-def]
    page = team_week(make_page, office.bob)
    dialog = page.new_appointment()
    assert dialog is not None
    dialog.venue.setCurrentIndex(dialog.venue.findData(Venue.SCHOOL.value))
    dialog.purpose.setPlainText("Visit to see the provision")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "type the name of the school" in dialog.errors.message("venue_name")
    assert dialog.purpose.toPlainText() == "Visit to see the provision" and dialog.isVisible()
    dialog.place.setText("Oak Hill School")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.dialog is None
    assert any("Oak Hill School" in c.label.text() for c in page.grid.chips)


def test_a_taken_room_is_refused_under_the_room(qtbot, make_page: MakePage, office: Office) -> None:  # type: ignore[no-untyped-def]
    page = team_week(make_page, office.bob)
    page.period = page.period.__class__(ViewKind.WEEK, date(2026, 11, 18))
    dialog = page.new_appointment()
    assert dialog is not None
    dialog.room.setCurrentIndex(dialog.room.findData("Interview room 1"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Interview room 1 is already booked then" in dialog.errors.message("room")
    assert PURPOSE not in dialog.errors.message("room")


def test_own_clash_asks_save_anyway(qtbot, make_page: MakePage, office: Office) -> None:  # type: ignore[no-untyped-def]
    page = team_week(make_page, office.alice)
    page.period = page.period.__class__(ViewKind.WEEK, date(2026, 11, 18))
    dialog = page.new_appointment()
    assert dialog is not None
    dialog.venue.setCurrentIndex(dialog.venue.findData(Venue.TELEPHONE.value))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    box = dialog.clash_box
    assert isinstance(box, QMessageBox) and "already has an appointment" in box.text()
    anyway = next(b for b in box.buttons() if b.text().replace("&", "") == "Save anyway")
    qtbot.mouseClick(anyway, Qt.MouseButton.LeftButton)
    assert page.dialog is None
    mine = [c for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    assert len(mine) == 2


def test_moving_and_cancelling_from_the_diary(qtbot, make_page: MakePage, office: Office) -> None:  # type: ignore[no-untyped-def]
    page = team_week(make_page, office.alice)
    [chip] = [c for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    chip.setFocus()
    qtbot.keyClick(chip, Qt.Key.Key_Return)
    dialog = page.dialog
    assert dialog is not None and dialog.windowTitle() == "Change appointment"
    assert dialog.purpose.toPlainText() == PURPOSE
    dialog.starts.setDateTime(dialog.starts.dateTime().addSecs(3600))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    [chip] = [c for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    assert chip.label.text().startswith("11:00–12:30 ")
    chip._activate()
    dialog = page.dialog
    assert dialog is not None and dialog.cancel_button is not None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    yes = next(b for b in dialog.cancel_box.buttons() if b.text().replace("&", "") == "Cancel appointment")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    assert not [c for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    assert "cancelled" in page.notice.text()


def test_coordinator_has_no_booking_buttons(make_page: MakePage, office: Office) -> None:
    page = make_page(office.coordinator)
    assert page.staff.currentData() == TEAM
    assert not page.new_button.isVisible() and not page.print_button.isVisible()
    assert page.new_appointment() is None


def test_export_writes_an_ics_with_coded_references(make_page: MakePage, office: Office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = make_page(office.alice)
    path = page.export(tmp_path / "mine")
    assert path is not None and path.suffix == ".ics"
    text = path.read_text("utf-8")
    assert "P.Q. 03/2015" in text and "Quillfeather" not in text and PURPOSE not in text


def test_month_view_sends_a_crowded_day_to_the_day_view(make_page: MakePage, office: Office) -> None:
    for hour in (13, 14, 15, 16):
        diary.book(office.alice, meeting(office.alice, start=datetime(2026, 11, 18, hour),
                                         end=datetime(2026, 11, 18, hour, 45), room=""))
    page = make_page(office.alice)
    page.set_view(ViewKind.MONTH)
    more = [b for b in page.grid.findChildren(QPushButton) if b.text() == "+2 more"]
    assert len(more) == 1
    more[0].click()
    assert page.period.kind is ViewKind.DAY and page.period.anchor == date(2026, 11, 18)
    assert len(page.grid.chips) == 5


def test_page_survives_a_larger_font_and_a_dark_palette(make_page: MakePage, office: Office) -> None:
    from PySide6.QtGui import QColor, QFont, QPalette

    from app.ui.diary.grid import Colours

    light = Colours(QApplication.palette())
    dark = Colours(QPalette(QColor("#202020")))
    assert dark.fills["follow-up"] != light.fills["follow-up"] and dark.line != light.line
    app = QApplication.instance()
    base = QFont(app.font())
    big = QFont(base)
    big.setPointSizeF(base.pointSizeF() * 1.5)
    app.setFont(big)
    try:
        page = team_week(make_page, office.alice)
        page.resize(1000, 700)
        QApplication.processEvents()
        for chip in page.grid.chips:
            assert chip.label.height() >= chip.label.heightForWidth(chip.label.width()) - 1
    finally:
        app.setFont(base)


def test_lock_clears_the_page(make_page: MakePage, office: Office) -> None:
    page = team_week(make_page, office.alice)
    page.clear()
    assert page.grid.chips == [] and page.details == {}


def test_case_view_lists_the_family_appointments(qtbot, office: Office) -> None:  # type: ignore[no-untyped-def]
    from app.ui.cases import CasesPage

    page = CasesPage(office.alice)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.open_case(office.case_id)
    tab = page.view.diary
    assert tab.list.count() == 1
    assert tab.list.item(0).text() == ("Wed 18/11/2026 10:00–11:30 · Meeting with parent · Office, "
                                       f"Interview room 1 · Test Adviser\n{PURPOSE}")
    tab.book()
    dialog = tab.dialog
    assert dialog is not None and dialog.case.currentData() == office.case_id
    dialog.venue.setCurrentIndex(dialog.venue.findData(Venue.HOME.value))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.view.diary.list.count() == 2
    diary.cancel(office.alice, office.appointment_id)
    page.reload()
    assert any(page.view.diary.list.item(i).text().startswith("Cancelled: Wed 18/11/2026")
               for i in range(page.view.diary.list.count()))


def test_every_control_and_chip_has_an_accessible_name(make_page: MakePage, office: Office) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QDateTimeEdit, QLineEdit, QPlainTextEdit

    from app.ui.diary.grid import Chip

    page = team_week(make_page, office.alice)
    dialog = page.new_appointment()
    assert dialog is not None
    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QDateTimeEdit, Chip)
    for root in (page, dialog):
        found = [w for w in root.findChildren(QWidget) if isinstance(w, kinds)
                 and not isinstance(w.parentWidget(), kinds) and w.window() is root.window()
                 and w.objectName() != "qt_spinbox_lineedit"]
        unnamed = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}" for w in found
                   if not w.accessibleName()]
        assert found and unnamed == []


def test_manager_linking_a_colleagues_case_is_asked_for_a_reason(qtbot, make_page: MakePage,  # type: ignore[no-untyped-def]
                                                                 office: Office) -> None:
    page = team_week(make_page, office.manager)
    page.period = page.period.__class__(ViewKind.WEEK, date(2026, 11, 20))
    page.show_person(office.alice.actor.id)
    dialog = page.new_appointment()
    assert dialog is not None and dialog.adviser.currentData() == office.alice.actor.id
    dialog.case.setCurrentIndex(dialog.case.findData(office.case_id))
    dialog.venue.setCurrentIndex(dialog.venue.findData(Venue.TELEPHONE.value))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "reason" in dialog.errors.message("reason").casefold()
    dialog.reason.setText("Alice is off sick; booking her return call")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.dialog is None
    # Managers see every appointment in full: Alice's meeting of the 18th and this one.
    assert len([c for c in page.grid.chips if c.entry.style == "mine"]) == 2


def test_co_adviser_reads_a_colleagues_appointment_on_a_shared_case(make_page: MakePage,
                                                                    office: Office) -> None:
    from app.services.cases import cases

    cases.assign_adviser(office.manager, office.case_id, office.bob.actor.id)
    page = team_week(make_page, office.bob)
    [chip] = [c for c in page.grid.chips if c.entry.adviser_id == office.alice.actor.id]
    assert chip.entry.style == "mine" and PURPOSE in chip.toolTip()
    chip._activate()
    dialog = page.dialog
    assert dialog is not None and dialog.windowTitle() == "Appointment in Test Adviser's diary"
    assert not dialog.ok_button.isEnabled() and not dialog.general.isVisible()
    assert dialog.case.currentData() == office.case_id
