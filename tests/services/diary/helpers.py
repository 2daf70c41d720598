"""A small office for the diary tests: an adviser with a family, and the people who must not see it.

- alice holds the Quillfeather case and books a meeting on it with a private purpose;
- bob is a colleague with no part in the case;
- carol is an adviser with a case of her own (another family);
- cora is the coordinator;
- the manager sees everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.services.calls.calls import CallDetails, NamedCall, log_named_call
from app.services.context import SignedIn
from app.services.diary import diary
from app.services.diary.fields import AppointmentDetails, AppointmentKind, Venue
from app.services.people import Role
from tests.services.case_helpers import YES, family, open_case_for

# A Monday; the tests travel here so "next week" means the same thing on every run.
NOW = datetime(2026, 11, 16, 8, 0)
MEETING_START = datetime(2026, 11, 18, 10, 0)
MEETING_END = datetime(2026, 11, 18, 11, 30)
PURPOSE = "Talk through the draft EHC plan before the exclusion appeal"
SURNAME = "Quillfeather"
# Everything about the family that must never reach someone without a right to it.
PRIVATE_WORDS = (SURNAME, "Jane", "Poppy", "exclusion appeal", "EHC plan", "Dyslexia",
                 "Northfield Primary", "MK6 1AA")


@dataclass
class Office:
    manager: SignedIn
    alice: SignedIn
    bob: SignedIn
    carol: SignedIn
    coordinator: SignedIn
    case_id: int
    case_reference: str
    carol_case_id: int
    appointment_id: int

    @property
    def private_words(self) -> tuple[str, ...]:
        return (*PRIVATE_WORDS, self.case_reference, "P.Q.")


def meeting(ctx: SignedIn, start: datetime = MEETING_START, end: datetime = MEETING_END,
            **values: object) -> AppointmentDetails:
    fields: dict[str, object] = {"adviser_id": ctx.actor.id, "starts_at": start, "ends_at": end,
                                 "kind": AppointmentKind.PARENT_MEETING, "venue": Venue.OFFICE,
                                 "room": "Interview room 1"}
    fields.update(values)
    return AppointmentDetails(**fields)  # type: ignore[arg-type]


def build_office(manager: SignedIn, alice: SignedIn, bob: SignedIn, coordinator: SignedIn,
                 sign_in_as: Callable[..., SignedIn]) -> Office:
    """The office around the shared `adviser` (alice), `second_adviser` (bob) and `coordinator`."""
    carol = sign_in_as(Role.ADVISER, "carol")
    # The child is Poppy Quillfeather, born 03/2015, so the coded reference is P.Q. 03/2015.
    parents, children = family(SURNAME, child="Poppy")
    record = log_named_call(alice, NamedCall(call=CallDetails(), consent=YES, parents=parents,
                                             children=children))
    carol_record = open_case_for(carol, "Ashdown")
    booked = diary.book(alice, meeting(alice, case_id=record.case_id, purpose=PURPOSE))
    assert record.case_id is not None and record.case_reference is not None
    assert carol_record.case_id is not None
    return Office(manager, alice, bob, carol, coordinator, record.case_id, record.case_reference,
                  carol_record.case_id, booked.id)
