"""Print my day and Export to calendar: the adviser's own appointments, nothing of anyone else's."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from app.services.calls import calls
from app.services.calls.calls import CallDetails
from app.services.diary import diary
from app.services.diary import export as diary_export
from app.services.diary.fields import Venue
from app.services.people import PermissionRefused
from tests.services.diary.helpers import PURPOSE, Office, meeting


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_file_is_rfc5545_and_holds_only_coded_references(office: Office) -> None:
    alice = office.alice
    diary.book(alice, meeting(alice, start=datetime(2026, 11, 19, 13), end=datetime(2026, 11, 19, 14),
                              venue=Venue.SCHOOL, venue_name="Northfield Primary, Lower; School " * 2,
                              room="", case_id=office.case_id, purpose="Jane Quillfeather's worries"))
    diary.book(office.bob, meeting(office.bob, start=datetime(2026, 11, 19, 9),
                                   end=datetime(2026, 11, 19, 10), room=""))
    text = diary_export.export_calendar(alice, datetime(2026, 11, 16), datetime(2026, 11, 23))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)  # the long place name was folded
    lines = unfold(text)
    assert lines.count("BEGIN:VEVENT") == 2  # Bob's appointment is not in Alice's file
    assert "DTSTART:20261118T100000Z" in lines and "DTEND:20261118T113000Z" in lines
    assert "SUMMARY:Meeting with parent · P.Q. 03/2015" in lines
    assert "LOCATION:Office\\, Interview room 1" in lines
    assert any(line.startswith("LOCATION:School: Northfield Primary\\, Lower\\; School") for line in lines)
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 2 and all(uid.endswith("@confide") for uid in uids)
    assert all(line == "DTSTAMP:20261116T080000Z" for line in lines if line.startswith("DTSTAMP"))
    for private in ("Quillfeather", "Jane", "Poppy", office.case_reference, PURPOSE, "worries"):
        assert private not in text.replace("\r\n ", "")


def test_calendar_export_is_the_same_uid_next_time(office: Office) -> None:
    window = datetime(2026, 11, 16), datetime(2026, 11, 23)
    first = [x for x in unfold(diary_export.export_calendar(office.alice, *window)) if x.startswith("UID")]
    again = [x for x in unfold(diary_export.export_calendar(office.alice, *window)) if x.startswith("UID")]
    assert first == again


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "Siân's " * 30
    folded = diary_export.fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
        physical.encode("utf-8").decode("utf-8")
    assert folded.replace("\r\n ", "") == line


def test_print_my_day_has_the_header_on_every_page(office: Office) -> None:
    alice = office.alice
    day = date(2026, 11, 18)
    start = datetime(2026, 11, 18, 6, 0)
    for slot in range(40):  # a crowded day, so the table runs over several pages
        at = start + timedelta(minutes=15 * slot + 5)
        if at < datetime(2026, 11, 18, 11, 30) and at + timedelta(minutes=10) > datetime(2026, 11, 18, 10):
            continue
        diary.book(alice, meeting(alice, start=at, end=at + timedelta(minutes=10), room="",
                                  purpose="A long private purpose line " * 8))
    calls.log_anonymous_call(alice, CallDetails(follow_up_date=day))
    pdf = diary_export.print_my_day(alice, day)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "STRICTLY PRIVATE AND CONFIDENTIAL" in page.extract_text()
    everything = " ".join(page.extract_text() for page in reader.pages)
    assert "My day: Wednesday 18 November 2026" in everything
    assert office.case_reference in everything and "P.Q. 03/2015" in everything
    assert "Follow-ups due" in everything
    assert "Quillfeather" not in everything  # coded references only, even on paper


def test_print_my_day_holds_only_my_own_appointments(office: Office) -> None:
    pdf = diary_export.print_my_day(office.bob, date(2026, 11, 18))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "No appointments booked for this day." in text
    assert office.case_reference not in text and "EHC" not in text


def test_coordinator_prints_and_exports_nothing(office: Office) -> None:
    with pytest.raises(PermissionRefused):
        diary_export.print_my_day(office.coordinator, date(2026, 11, 18))
    with pytest.raises(PermissionRefused):
        diary_export.export_calendar(office.coordinator, datetime(2026, 11, 16), datetime(2026, 11, 23))
