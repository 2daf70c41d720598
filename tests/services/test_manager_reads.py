"""What a manager is shown of families not assigned to them is recorded, by case reference.

A manager needs no reason to search, list cases, calls, follow-ups and letters, or to look at
the diary in full, and each of those shows families' names and details. Each such read records
one event listing the references of the cases shown that are not assigned to the manager
(`access.record_shown`); an adviser's own reads list nothing, and opening an appointment is
recorded like opening a case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.models.cases import Case, CaseAssignment, Parent
from app.services import access, audit
from app.services.calls import calls
from app.services.cases import cases
from app.services.cases.finding import CaseFilter
from app.services.context import SignedIn
from app.services.diary import diary
from app.services.diary.fields import AppointmentDetails
from app.services.letters import letters
from app.services.letters.letters import Addressee
from tests.services.case_helpers import open_case_for

NOW = datetime(2026, 11, 16, 8, 0)
MEETING = datetime(2026, 11, 18, 10, 0)
WEEK = (datetime(2026, 11, 16), datetime(2026, 11, 23))
SURNAME = "Quillfeather"
NAMES = (SURNAME, "Jane", "John", "Northfield", "MK6")


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass(frozen=True)
class Family:
    """Family X: alice's case, with a follow-up due today, a letter and an appointment."""

    adviser: SignedIn
    case_id: int
    reference: str
    appointment_id: int


@pytest.fixture
def family_x(adviser: SignedIn) -> Family:
    record = open_case_for(adviser, SURNAME, follow_up_date=NOW.date())
    assert record.case_id is not None and record.case_reference is not None
    with adviser.read() as session:
        parent_id = session.scalars(select(Parent.id).where(Parent.case_id == record.case_id)).one()
    draft = letters.draft_letter(adviser, record.case_id, "blank", Addressee(parent_id=parent_id))
    words = dict.fromkeys(letters.unfilled(draft.subject, draft.body), "Support plan")
    letters.issue_letter(adviser, record.case_id, draft, letters.fill(draft.subject, words),
                         letters.fill(draft.body, words))
    booked = diary.book(adviser, AppointmentDetails(
        adviser_id=adviser.actor.id, starts_at=MEETING, ends_at=MEETING + timedelta(hours=1),
        case_id=record.case_id, purpose="Talk through the plan"))
    return Family(adviser, record.case_id, record.case_reference, booked.id)


Read = Callable[[SignedIn, Family], object]
# Each read a manager may make without a reason, by the action its audit event records.
READS: dict[str, Read] = {
    "cases searched": lambda ctx, x: cases.find_cases(ctx, SURNAME),
    "cases listed": lambda ctx, x: cases.list_cases(ctx, CaseFilter(mine=False)),
    "calls listed": lambda ctx, x: calls.recent_calls(ctx, everyone=True),
    "follow-ups listed": lambda ctx, x: calls.follow_ups_due(ctx, everyone=True),
    "letters listed": lambda ctx, x: letters.recent_letters(ctx),
    "diary details viewed": lambda ctx, x: diary.appointment_details(ctx, *WEEK),
    "appointment viewed": lambda ctx, x: diary.appointment(ctx, x.appointment_id),
    "bookable cases listed": lambda ctx, x: diary.bookable_cases(ctx, x.adviser.actor.id),
}


def new_events(manager: SignedIn, since: int) -> list[audit.AuditEntry]:
    return [e for e in audit.list_events(manager, audit.AuditFilter(limit=10_000)) if e.id > since]


def last_id(manager: SignedIn) -> int:
    return max((e.id for e in audit.list_events(manager, audit.AuditFilter(limit=1))), default=0)


@pytest.mark.parametrize("action", list(READS))
def test_a_managers_read_names_the_cases_of_other_advisers_families(
        manager: SignedIn, family_x: Family, action: str) -> None:
    before = last_id(manager)
    shown = READS[action](manager, family_x)
    assert family_x.reference in repr(shown)  # the read does show family X to the manager
    events = [e for e in new_events(manager, before) if e.action == action]
    assert len(events) == 1
    detail = json.loads(events[0].detail)
    assert detail["cases"] == [family_x.reference]
    recorded = events[0].target + events[0].detail
    assert not [name for name in NAMES if name in recorded]


@pytest.mark.parametrize("action", list(READS))
def test_an_advisers_own_reads_list_no_cases(manager: SignedIn, family_x: Family, action: str) -> None:
    before = last_id(manager)
    READS[action](family_x.adviser, family_x)
    for event in new_events(manager, before):
        assert "cases" not in (json.loads(event.detail) if event.detail else {}), event


def test_a_managers_own_cases_are_not_listed(manager: SignedIn, family_x: Family) -> None:
    own = open_case_for(manager, "Ashdown")
    before = last_id(manager)
    found = cases.find_cases(manager, "Ashdown").cases
    assert [c.reference for c in found] == [own.case_reference]
    [event] = [e for e in new_events(manager, before) if e.action == "cases searched"]
    assert json.loads(event.detail) == {"found": 1}


def test_opening_an_appointment_is_recorded_for_everyone(manager: SignedIn, family_x: Family) -> None:
    before = last_id(manager)
    diary.appointment(family_x.adviser, family_x.appointment_id)
    [event] = [e for e in new_events(manager, before) if e.action == "appointment viewed"]
    assert event.actor == family_x.adviser.actor.username
    assert event.target == f"appointment:{family_x.appointment_id}"
    assert json.loads(event.detail) == {"case": family_x.reference}


def test_a_long_list_records_the_first_cases_and_the_count(manager: SignedIn, adviser: SignedIn) -> None:
    total = access.SHOWN_LISTED_MAX + 5
    with manager.write() as session:
        rows = [Case(reference=f"C-2025-{n:04d}", year=2025, sequence=n, status="open",
                     opened_at=NOW, last_activity_at=NOW, safeguarding=False)
                for n in range(1, total + 2)]
        session.add_all(rows)
        session.flush()
        # The last is the manager's own, so it is shown but not listed.
        session.add(CaseAssignment(case_id=rows[-1].id, staff_id=manager.actor.id, assigned_at=NOW))
        session.flush()
        access.record_shown(session, manager.actor, "cases listed", [r.id for r in rows])
        access.record_shown(session, adviser.actor, "cases listed", [r.id for r in rows])
    [event] = audit.list_events(manager, audit.AuditFilter(action="cases listed"))
    detail = json.loads(event.detail)
    assert detail["cases"] == [f"C-2025-{n:04d}" for n in range(1, access.SHOWN_LISTED_MAX + 1)]
    assert detail["cases_total"] == total and detail["cases_not_listed"] == 5
