"""Hostile input in every text field is stored exactly, or refused naming the field."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.services.calls import calls, topics
from app.services.calls.calls import CallDetails, NamedCall, ReferralDetails
from app.services.cases import cases
from app.services.cases.cases import BreachDecisionDetails, ChildDetails, ParentDetails
from app.services.consent.records import Party, PartyKind
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.people import InvalidInput, Role
from app.services.staff import staff
from tests.conftest import COLLEAGUE_PASSWORD
from tests.services.case_helpers import YES, family, open_case_for

HOSTILE = {
    "very long": "x" * 10_000,
    "nul": "before\x00after",
    "escape": "colour \x1b[31m red",
    "bell": "ring\x07",
    "carriage return": "one\rtwo",
    "sql": "Robert'); DROP TABLE case_file;--",
    "sql quotes": "' OR '1'='1",
    "emoji": "Thanks 😀👨‍👩‍👧 🏫",
    "right to left": "שלום עליכם مرحبا بكم",
    "bidi override": "abc\u202edef",
    "lone surrogate": "bad \ud800 half",
    "zero width": "Zo\u200be",
}
MUST_REFUSE = {"very long", "nul", "escape", "bell", "carriage return", "lone surrogate"}

# Each entry: (form field, store `value` and return what reading it back gives).
Store = Callable[[SignedIn, str], str]


def _case(ctx: SignedIn) -> int:
    return open_case_for(ctx).case_id or 0


def _parent_field(name: str) -> Store:
    def store(ctx: SignedIn, value: str) -> str:
        parent = cases.add_parent(ctx, _case(ctx), replace(ParentDetails("Ann Other"), **{name: value}))
        return getattr(cases.open_case(ctx, parent.case_id).parents[-1], name)
    return store


def _child_field(name: str) -> Store:
    def store(ctx: SignedIn, value: str) -> str:
        child = cases.add_child(ctx, _case(ctx), replace(ChildDetails("Ann Other"), **{name: value}))
        return getattr(cases.open_case(ctx, child.case_id).children[-1], name)
    return store


def _summary(ctx: SignedIn, value: str) -> str:
    record = calls.log_anonymous_call(ctx, CallDetails(summary=value))
    return next(c for c in calls.recent_calls(ctx) if c.id == record.id).summary


def _note(ctx: SignedIn, value: str) -> str:
    case_id = _case(ctx)
    cases.add_note(ctx, case_id, value)
    return cases.open_case(ctx, case_id).notes[0].text


def _edited_note(ctx: SignedIn, value: str) -> str:
    case_id = _case(ctx)
    note = cases.add_note(ctx, case_id, "plain")
    cases.edit_note(ctx, note.id, value)
    return cases.open_case(ctx, case_id).notes[0].text


def _breach(name: str) -> Store:
    def store(ctx: SignedIn, value: str) -> str:
        case_id = _case(ctx)
        details = replace(BreachDecisionDetails("concern", "manager", "decision", "not shared"),
                          **{name: value})
        cases.record_breach_decision(ctx, case_id, details)
        return getattr(cases.open_case(ctx, case_id).notes[0].breach, name)
    return store


def _agency(ctx: SignedIn, value: str) -> str:
    case_id = _case(ctx)
    cases.record_breach_decision(ctx, case_id, BreachDecisionDetails(
        "concern", "manager", "decision", "shared", (Party(PartyKind.OTHER, value),)))
    breach = cases.open_case(ctx, case_id).notes[0].breach
    assert breach is not None
    return breach.agencies[0].name


def _referral(ctx: SignedIn, value: str) -> str:
    parents, children = family()
    record = calls.log_named_call(ctx, NamedCall(CallDetails(), YES, parents=parents, children=children,
                                                 referral=ReferralDetails(value, True)))
    return cases.open_case(ctx, record.case_id or 0).referrals[0].referred_by


def _topic(ctx: SignedIn, value: str) -> str:
    return topics.add_topic(ctx, value).name


_usernames = itertools.count()


def _reason(ctx: SignedIn, value: str) -> str:
    username = f"other{next(_usernames)}"
    staff.add_staff(ctx, "Other Adviser", username, Role.ADVISER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
    other = storage_access.key_slots_of(ctx).sign_in(username, COLLEAGUE_PASSWORD)
    try:
        case_id = _case(other)
    finally:
        other.close()
    return cases.open_case(ctx, case_id, reason=value).manager_views[0].reason


FIELDS: dict[str, Store] = {
    **{f"parent.{n}": _parent_field(n) for n in ("full_name", "title", "relationship",
                                                  "address_line1", "address_line2", "town")},
    **{f"child.{n}": _child_field(n) for n in ("full_name", "gender", "school", "needs")},
    "call.summary": _summary,
    "note.text": _note,
    "note.text (edited)": _edited_note,
    **{f"breach.{n}": _breach(n) for n in ("concern", "consulted", "decision")},
    "breach.agencies": _agency,
    "referral.referred_by": _referral,
    "topic.name": _topic,
    "manager.reason": _reason,
}
FIELD_NAMES = {"call.summary": "summary", "note.text": "text", "note.text (edited)": "text",
               "referral.referred_by": "referred_by", "topic.name": "name", "manager.reason": "reason"}


@pytest.mark.parametrize("where", sorted(FIELDS))
def test_hostile_text(where: str, manager: SignedIn) -> None:
    expected_field = FIELD_NAMES.get(where, where.split(".")[-1])
    for label, value in HOSTILE.items():
        try:
            stored = FIELDS[where](manager, value)
        except InvalidInput as refused:
            assert refused.field == expected_field, label
            assert str(refused) and "Traceback" not in str(refused)
            continue
        assert label not in MUST_REFUSE, f"{label} was stored in {where}"
        assert stored == value, label


@pytest.mark.parametrize("typed", ["31/02/2015", "2015-02-31", "30/02/2016", "32/01/2015",
                                   "00/00/0000", "29/02/2015", "next tuesday", "1/13/2015"])
def test_impossible_dates_of_birth(manager: SignedIn, typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        cases.add_child(manager, _case(manager), ChildDetails("Ann Other", date_of_birth=typed))
    assert refused.value.field == "date_of_birth"


def test_future_and_ancient_dates_of_birth(manager: SignedIn) -> None:
    case_id = _case(manager)
    for born in (date.today() + timedelta(days=1), "01/01/1900"):
        with pytest.raises(InvalidInput) as refused:
            cases.add_child(manager, case_id, ChildDetails("Ann Other", date_of_birth=born))
        assert refused.value.field == "date_of_birth"
    parents, _ = family()
    with pytest.raises(InvalidInput) as refused:
        calls.log_named_call(manager, NamedCall(CallDetails(), YES, parents=parents, children=(
            ChildDetails("Ann Other", date_of_birth=date.today() + timedelta(days=400)),)))
    assert refused.value.field == "date_of_birth"
    assert cases.add_child(manager, case_id, ChildDetails("Ann Other", date_of_birth=date.today()))


@pytest.mark.parametrize(("overrides", "field"), [
    ({"postcode": "'; DROP TABLE parent;--"}, "postcode"),
    ({"postcode": "MK6 1AA\x00"}, "postcode"),
    ({"phone_mobile": "0770😀0900123"}, "phone_mobile"),
    ({"phone_home": "1" * 40}, "phone_home"),
    ({"phone_work": "call me"}, "phone_work"),
    ({"email": "not an email"}, "email"),
    ({"email": "a@b.c" + "x" * 200}, "email"),
    ({"full_name": ""}, "full_name"),
])
def test_structured_parent_fields(manager: SignedIn, overrides: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        cases.add_parent(manager, _case(manager), replace(ParentDetails("Ann Other"), **overrides))
    assert refused.value.field == field


def test_hostile_search_text_finds_nothing_and_breaks_nothing(manager: SignedIn) -> None:
    _case(manager)
    for value in HOSTILE.values():
        assert cases.search_cases(manager, value) == []
    assert len(cases.search_cases(manager, "Smith")) == 1
