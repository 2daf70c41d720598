"""Builders shared by the call and case service tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from app.services.calls.calls import CallDetails, CallRecord, ConsentToKeep, NamedCall, log_named_call
from app.services.cases.family import ChildDetails, ParentDetails
from app.services.cases.fields import ConsentMethod
from app.services.context import SignedIn

YES = ConsentToKeep(policy_explained=True, agreed=True, method=ConsentMethod.VERBAL)


def family(surname: str = "Smith", postcode: str = "MK6 1AA", mobile: str = "07700 900123",
           child: str = "John") -> tuple[tuple[ParentDetails, ...], tuple[ChildDetails, ...]]:
    parents = (ParentDetails(full_name=f"Jane {surname}", title="Mrs", relationship="mother",
                             address_line1="1 Test Road", town="Milton Keynes", postcode=postcode,
                             phone_mobile=mobile, email="jane@example.org"),)
    children = (ChildDetails(full_name=f"{child} {surname}", date_of_birth=date(2015, 3, 9),
                             school="Northfield Primary", year_group="Year 5", needs="Dyslexia"),)
    return parents, children


def open_case_for(ctx: SignedIn, surname: str = "Smith", **call: object) -> CallRecord:
    parents, children = family(surname)
    return log_named_call(ctx, NamedCall(call=CallDetails(**call), consent=YES,  # type: ignore[arg-type]
                                         parents=parents, children=children))


def call_statistics(ctx: SignedIn) -> list[tuple[object, ...]]:
    """Every call's statistical fields and topics: what reports count, and what destroying a
    family must leave exactly as it was."""
    with ctx.write() as session:
        return [tuple(row) for row in session.execute(text(
            "SELECT id, at, duration_minutes, direction, channel, caller_type, child_phase, "
            "child_year_group, area_district, how_heard, outcome, follow_up_date, "
            "safeguarding_concern, (SELECT group_concat(topic_id) FROM call_topic "
            "WHERE call_id = call.id) FROM call ORDER BY id"))]
