"""The staff diary: clashes, who sees what, follow-ups, and the audit trail."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from app.models.cases import Case
from app.models.diary import Appointment
from app.services import audit, settings
from app.services.access import ReasonRequired
from app.services.calls import calls
from app.services.calls.calls import CallDetails
from app.services.context import SignedIn
from app.services.diary import diary
from app.services.diary.diary import AdviserBusy, DiarySlot, RoomTaken
from app.services.diary.fields import AppointmentKind, Venue
from app.services.people import InvalidInput, PermissionRefused, Role
from tests.services.diary.helpers import (
    MEETING_END,
    MEETING_START,
    NOW,
    PURPOSE,
    Office,
    meeting,
)

WEEK_START = datetime(2026, 11, 16)
WEEK_END = WEEK_START + timedelta(days=7)




def leaks(value: object, office: Office) -> list[str]:
    text = repr(value).casefold()
    return [word for word in office.private_words if word.casefold() in text]


# -- the anonymised type --------------------------------------------------------------------


def test_the_team_diary_type_has_no_private_field() -> None:
    names = {f.name for f in dataclasses.fields(DiarySlot)}
    for forbidden in ("case", "family", "child", "purpose", "kind", "name", "reference", "parent"):
        assert not any(forbidden in name for name in names - {"adviser", "adviser_id"}), names


@pytest.mark.parametrize("who", ["bob", "carol", "coordinator"])
def test_outsiders_never_receive_the_private_fields(office: Office, who: str) -> None:
    ctx: SignedIn = getattr(office, who)
    slots = diary.team_diary(ctx, WEEK_START, WEEK_END)
    assert [s.appointment_id for s in slots] == [office.appointment_id]
    assert slots[0].label == "Busy" and slots[0].venue == "Office, Interview room 1"
    assert slots[0].adviser == "Test Adviser" and not slots[0].mine
    assert diary.appointment_details(ctx, WEEK_START, WEEK_END) == []
    assert diary.my_follow_ups(ctx, WEEK_START.date(), WEEK_END.date()) == []
    with pytest.raises(PermissionRefused):
        diary.appointment(ctx, office.appointment_id)
    with pytest.raises(PermissionRefused):
        diary.case_appointments(ctx, office.case_id)
    with pytest.raises(PermissionRefused):
        diary.cancel(ctx, office.appointment_id)
    clashes = []
    if who != "coordinator":
        clashes = diary.check_clashes(ctx, meeting(ctx))
        assert [c.kind for c in clashes] == ["room"]
    for value in (slots, clashes, [c.describe() for c in clashes]):
        assert leaks(value, office) == []


def test_coordinator_cannot_book_or_list_cases(office: Office) -> None:
    with pytest.raises(PermissionRefused):
        diary.book(office.coordinator, meeting(office.coordinator))
    with pytest.raises(PermissionRefused):
        diary.bookable_cases(office.coordinator)
    with pytest.raises(PermissionRefused):
        diary.book(office.coordinator, meeting(office.alice, start=datetime(2026, 11, 20, 9),
                                               end=datetime(2026, 11, 20, 10)))


def test_owner_co_adviser_and_manager_see_the_details(office: Office, manager: SignedIn) -> None:
    from app.services.cases import cases

    cases.assign_adviser(manager, office.case_id, office.bob.actor.id)
    for ctx in (office.alice, office.bob, manager):
        [view] = diary.appointment_details(ctx, WEEK_START, WEEK_END)
        assert view.purpose == PURPOSE and view.case_reference == office.case_reference
        assert view.coded_reference == "P.Q. 03/2015"
        assert view.title == f"Meeting with parent · {office.case_reference} · P.Q. 03/2015"
        assert diary.team_diary(ctx, WEEK_START, WEEK_END)[0].mine
    # Only the manager's look at a colleague's appointments is recorded.
    viewed = audit.list_events(manager,
                               audit.AuditFilter(action="diary details viewed"))
    assert {e.actor for e in viewed} == {"margaret", "bob"}


def test_case_tab_lists_the_case_appointments_including_cancelled(office: Office) -> None:
    diary.cancel(office.alice, office.appointment_id)
    [view] = diary.case_appointments(office.alice, office.case_id)
    assert view.cancelled_at == NOW and view.purpose == PURPOSE
    assert diary.team_diary(office.bob, WEEK_START, WEEK_END) == []


# -- clashes --------------------------------------------------------------------------------


def test_same_adviser_clash_is_flagged_before_saving(office: Office) -> None:
    alice = office.alice
    overlapping = meeting(alice, start=MEETING_START + timedelta(minutes=30),
                          end=MEETING_END + timedelta(hours=1), room="")
    with pytest.raises(AdviserBusy) as refused:
        diary.book(alice, overlapping)
    assert [c.slot.appointment_id for c in refused.value.clashes] == [office.appointment_id]
    assert refused.value.field == "starts_at"
    assert len(diary.team_diary(alice, WEEK_START, WEEK_END)) == 1  # nothing was saved
    booked = diary.book(alice, overlapping, accept_clashes=True)
    assert len(diary.team_diary(alice, WEEK_START, WEEK_END)) == 2
    events = audit.list_events(office.manager,
                               audit.AuditFilter(action="appointment booked"))
    assert f"appointment:{booked.id}" in {e.target for e in events}
    assert any('"clash_accepted": true' in e.detail for e in events)


def test_back_to_back_appointments_do_not_clash(office: Office) -> None:
    alice = office.alice
    after = meeting(alice, start=MEETING_END, end=MEETING_END + timedelta(hours=1))
    before = meeting(alice, start=MEETING_START - timedelta(hours=1), end=MEETING_START)
    assert diary.check_clashes(alice, after) == diary.check_clashes(alice, before) == []
    diary.book(alice, after)
    diary.book(alice, before)


@pytest.mark.parametrize(("start", "end"), [
    # Overlapping the tail of a late session that runs past midnight.
    (datetime(2026, 11, 20, 0, 30), datetime(2026, 11, 20, 2, 0)),
    # Starting the evening before and running into it.
    (datetime(2026, 11, 19, 22, 0), datetime(2026, 11, 20, 0, 15)),
    # A two-day tribunal wrapped round it.
    (datetime(2026, 11, 19, 9, 0), datetime(2026, 11, 21, 17, 0)),
])
def test_clashes_across_midnight(office: Office, start: datetime, end: datetime) -> None:
    alice = office.alice
    diary.book(alice, meeting(alice, start=datetime(2026, 11, 19, 23, 0),
                              end=datetime(2026, 11, 20, 1, 0), kind=AppointmentKind.TRAINING,
                              venue=Venue.OTHER, venue_name="County Hall", room=""))
    clashes = diary.check_clashes(alice, meeting(alice, start=start, end=end, room=""))
    assert [c.kind for c in clashes] == ["adviser"]


def test_next_morning_after_a_late_session_is_free(office: Office) -> None:
    alice = office.alice
    diary.book(alice, meeting(alice, start=datetime(2026, 11, 19, 23, 0), end=datetime(2026, 11, 20, 1, 0),
                              room=""))
    assert diary.check_clashes(alice, meeting(alice, start=datetime(2026, 11, 20, 1, 0),
                                              end=datetime(2026, 11, 20, 2, 0), room="")) == []


def test_same_room_is_refused_even_when_clashes_are_accepted(office: Office) -> None:
    bob = office.bob
    wanted = meeting(bob, start=MEETING_START + timedelta(minutes=45),
                     end=MEETING_END + timedelta(minutes=45), room="interview ROOM 1")
    with pytest.raises(RoomTaken) as refused:
        diary.book(bob, wanted, accept_clashes=True)
    assert refused.value.field == "room"
    assert "Interview room 1 is already booked then, by Test Adviser" in str(refused.value)
    assert PURPOSE not in str(refused.value)
    # Another room, or no room, at the same time is fine: Bob himself is free.
    diary.book(bob, dataclasses.replace(wanted, room="Interview room 2"))


def test_room_clash_across_midnight(office: Office) -> None:
    alice, bob = office.alice, office.bob
    diary.book(alice, meeting(alice, start=datetime(2026, 11, 21, 22, 0), end=datetime(2026, 11, 22, 1, 0),
                              room="Interview room 2"))
    with pytest.raises(RoomTaken):
        diary.book(bob, meeting(bob, start=datetime(2026, 11, 22, 0, 0), end=datetime(2026, 11, 22, 3, 0),
                                room="Interview room 2"))


def test_cancelled_appointments_free_the_slot_and_room(office: Office) -> None:
    diary.cancel(office.alice, office.appointment_id)
    assert diary.check_clashes(office.bob, meeting(office.bob)) == []


def test_moving_an_appointment_checks_clashes_but_not_against_itself(office: Office) -> None:
    alice = office.alice
    view = diary.appointment(alice, office.appointment_id)
    moved = diary.change(alice, view.id, dataclasses.replace(
        diary.details_of(view), starts_at=MEETING_START + timedelta(minutes=15),
        ends_at=MEETING_END + timedelta(minutes=15)))
    assert moved.starts_at == MEETING_START + timedelta(minutes=15)
    assert moved.case_id == office.case_id and moved.purpose == PURPOSE
    other = diary.book(alice, meeting(alice, start=datetime(2026, 11, 18, 14), end=datetime(2026, 11, 18, 15),
                                      room=""))
    with pytest.raises(AdviserBusy):
        diary.change(alice, other.id, dataclasses.replace(diary.details_of(other), starts_at=MEETING_START,
                                                          ends_at=MEETING_END))
    events = audit.list_events(office.manager,
                               audit.AuditFilter(action="appointment changed"))
    assert '"fields": ["ends_at", "starts_at"]' in events[0].detail


def test_only_the_owner_or_a_manager_changes_an_appointment(office: Office, manager: SignedIn) -> None:
    view = diary.appointment(manager, office.appointment_id)
    with pytest.raises(PermissionRefused):
        diary.change(office.bob, view.id, diary.details_of(view))
    with pytest.raises(PermissionRefused):
        diary.book(office.bob, meeting(office.alice, start=datetime(2026, 11, 20, 9),
                                       end=datetime(2026, 11, 20, 10)))
    diary.change(manager, view.id, dataclasses.replace(diary.details_of(view), room="Interview room 2"))
    assert diary.cancel(manager, view.id).cancelled_at is not None
    with pytest.raises(InvalidInput, match="cancelled"):
        diary.change(office.alice, view.id, diary.details_of(view))


# -- linking a case -------------------------------------------------------------------------


def test_linking_needs_a_case_the_adviser_works_on(office: Office) -> None:
    carol = office.carol
    with pytest.raises(PermissionRefused):
        diary.book(carol, meeting(carol, start=datetime(2026, 11, 20, 9), end=datetime(2026, 11, 20, 10),
                                  case_id=office.case_id))
    choices = diary.bookable_cases(office.alice)
    assert [c.id for c in choices] == [office.case_id]
    assert choices[0].text == f"{office.case_reference} · P.Q."
    with pytest.raises(PermissionRefused):
        diary.bookable_cases(carol, office.alice.actor.id)


def test_manager_linking_a_case_not_theirs_gives_a_reason(office: Office, manager: SignedIn) -> None:
    details = meeting(office.alice, start=datetime(2026, 11, 20, 9), end=datetime(2026, 11, 20, 10),
                      case_id=office.case_id, room="")
    with pytest.raises(ReasonRequired):
        diary.book(manager, details)
    booked = diary.book(manager, dataclasses.replace(details, reason="Covering for Alice's leave"))
    assert booked.adviser_id == office.alice.actor.id and booked.case_id == office.case_id


def test_appointments_go_with_their_case(office: Office) -> None:
    with office.manager.write() as session:
        session.execute(delete(Case).where(Case.id == office.case_id))
    with office.manager.write() as session:
        assert session.scalars(select(Appointment)).all() == []


# -- checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(("values", "field"), [
    ({"ends_at": MEETING_START}, "ends_at"),
    ({"ends_at": MEETING_START + timedelta(days=8)}, "ends_at"),
    ({"starts_at": datetime(1999, 1, 1), "ends_at": datetime(1999, 1, 1, 1)}, "starts_at"),
    ({"venue": Venue.HOME, "venue_name": "12 Acacia Avenue", "room": ""}, "venue_name"),
    ({"venue": Venue.SCHOOL, "venue_name": "", "room": ""}, "venue_name"),
    ({"venue": Venue.SCHOOL, "venue_name": "Oak Hill School"}, "room"),
    ({"purpose": "x" * 301}, "purpose"),
    ({"kind": "party"}, "kind"),
    ({"adviser_id": 999}, "adviser_id"),
])
def test_bad_bookings_name_their_field(office: Office, values: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        diary.book(office.manager, meeting(office.alice, **values))
    assert refused.value.field == field


def test_rooms_come_from_the_service_settings(office: Office, manager: SignedIn) -> None:
    settings.update(manager,
                    {"interview_rooms": "Blue room\n\n Green  room \nBlue room"})
    assert diary.interview_rooms(office.alice) == ("Blue room", "Green room")
    booked = diary.book(office.alice, meeting(office.alice, start=datetime(2026, 11, 20, 9),
                                              end=datetime(2026, 11, 20, 10), room="green ROOM"))
    assert booked.room == "Green room"


# -- follow-ups, staff, audit ----------------------------------------------------------------


def test_follow_ups_appear_in_the_advisers_own_diary_only(office: Office) -> None:
    call = calls.log_anonymous_call(office.alice, CallDetails(follow_up_date=date(2026, 11, 19)))
    [due] = diary.my_follow_ups(office.alice, date(2026, 11, 16), date(2026, 11, 22))
    assert due.call_id == call.id and due.due == date(2026, 11, 19) and due.case_reference is None
    assert diary.my_follow_ups(office.bob, date(2026, 11, 16), date(2026, 11, 22)) == []
    calls.mark_follow_up_done(office.alice, call.id)
    assert diary.my_follow_ups(office.alice, date(2026, 11, 16), date(2026, 11, 22)) == []


def test_diary_staff_lists_everyone_with_a_diary(office: Office) -> None:
    people = diary.diary_staff(office.coordinator)
    assert "Test Coordinator" not in {p.full_name for p in people}
    assert {office.alice.actor.id, office.manager.actor.id} <= {p.id for p in people}


def test_audit_records_carry_no_purpose_or_names(office: Office, manager: SignedIn) -> None:
    diary.cancel(office.alice, office.appointment_id)
    events = audit.list_events(manager, audit.AuditFilter())
    diary_events = [e for e in events if e.target.startswith("appointment:")]
    assert {e.action for e in diary_events} == {"appointment booked", "appointment cancelled"}
    for event in diary_events:
        assert f'"case": "{office.case_reference}"' in event.detail
        assert leaks((event.target, event.detail), office) == [office.case_reference]
    assert audit.verify(manager).ok


def test_diary_slot_for_coordinator_never_marked_mine(office: Office) -> None:
    assert all(not s.mine for s in diary.team_diary(office.coordinator, WEEK_START, WEEK_END))
    assert office.coordinator.actor.role is Role.COORDINATOR
