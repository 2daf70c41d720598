"""Logging calls: anonymous and named, consent first, linking later, follow-ups."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models.calls import Call
from app.models.cases import Referral
from app.models.consent import Consent
from app.services import audit, changes
from app.services.calls import calls, topics
from app.services.calls.calls import CallDetails, ConsentMissing, ConsentToKeep, NamedCall, ReferralDetails
from app.services.cases.fields import CallerType, Channel, ChildPhase, ConsentMethod, Direction, Outcome
from app.services.clock import now
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused
from tests.services.case_helpers import YES, family, open_case_for


def full_call(ctx: SignedIn, **overrides: object) -> CallDetails:
    topic_ids = tuple(t.id for t in topics.list_topics(ctx)[:2])
    values: dict[str, object] = dict(
        at=now().replace(microsecond=0) - timedelta(hours=1), duration_minutes=12,
        direction=Direction.IN, channel=Channel.PHONE, caller_type=CallerType.PARENT,
        topic_ids=topic_ids, child_phase=ChildPhase.PRIMARY, child_year_group="Year 5",
        area_district="mk6", how_heard="school", outcome=Outcome.FOLLOW_UP,
        follow_up_date=date.today() + timedelta(days=3), safeguarding_concern=False,
        summary="Asked about EHC needs assessment timescales.",
    )
    values.update(overrides)
    return CallDetails(**values)  # type: ignore[arg-type]


def test_anonymous_call_saved_with_statistics(manager: SignedIn) -> None:
    details = full_call(manager)
    record = calls.log_anonymous_call(manager, details)
    assert record.anonymous and record.case_id is None
    assert record.area_district == "MK6"
    assert record.topic_ids == details.topic_ids and len(record.topics) == 2
    assert record.at == details.at and record.duration_minutes == 12
    assert record.adviser == "Margaret Manager"
    assert calls.recent_calls(manager)[0] == record


def test_anonymous_call_row_has_no_identifying_value(manager: SignedIn) -> None:
    parents, children = family("Quixley", postcode="MK6 3BB", mobile="07700 900999")
    calls.log_named_call(manager, NamedCall(full_call(manager), YES, parents=parents,
                                            children=children))
    record = calls.log_anonymous_call(manager, full_call(manager))
    identifying = {parents[0].full_name, children[0].full_name, parents[0].postcode,
                   parents[0].phone_mobile, parents[0].email, parents[0].address_line1}
    with manager.write() as session:
        row = session.get(Call, record.id)
        assert row is not None
        columns = {column.name: getattr(row, column.key) for column in Call.__table__.columns}
    forbidden_words = ("name", "phone", "address", "email", "postcode", "birth")
    assert not [c for c in columns if any(word in c for word in forbidden_words)]
    assert columns["case_id"] is None and columns["anonymous"] is True
    for value in columns.values():
        assert not any(str(value) == secret or secret in str(value) for secret in identifying)


def test_named_call_opens_case_with_consent_and_referral(manager: SignedIn) -> None:
    parents, children = family()
    heard: list[changes.Change] = []
    unsubscribe = changes.subscribe(heard.append)
    try:
        record = calls.log_named_call(manager, NamedCall(
            full_call(manager, safeguarding_concern=True), YES, parents=parents, children=children,
            referral=ReferralDetails("Health visitor", parent_permission_confirmed=True)))
    finally:
        unsubscribe()
    assert not record.anonymous and record.case_reference == f"C-{now().year}-0001"
    assert [c.kind for c in heard] == [changes.CASE_OPENED, changes.CALL_LOGGED]
    assert heard[0].case_ref == record.case_reference
    with manager.write() as session:
        consent = session.scalars(select(Consent)).one()
        assert (consent.kind, consent.granted, consent.method, consent.recorded_by) == (
            "keep_details", True, "verbal", manager.actor.id)
        assert session.scalars(select(Referral)).one().parent_permission_confirmed
    second = open_case_for(manager, "Jones")
    assert second.case_reference == f"C-{now().year}-0002"


@pytest.mark.parametrize("consent", [
    None,
    ConsentToKeep(policy_explained=False, agreed=True, method=ConsentMethod.VERBAL),
    ConsentToKeep(policy_explained=True, agreed=False, method=ConsentMethod.VERBAL),
    ConsentToKeep(policy_explained=True, agreed=True, method=None),
    ConsentToKeep(policy_explained=True, agreed=True, method="carrier pigeon"),  # type: ignore[arg-type]
])
def test_named_call_refused_without_consent(manager: SignedIn, consent: ConsentToKeep | None) -> None:
    parents, children = family()
    with pytest.raises(InvalidInput) as refused:
        calls.log_named_call(manager, NamedCall(full_call(manager), consent, parents=parents,
                                                children=children))
    assert refused.value.field == "consent"
    with manager.write() as session:
        assert session.scalars(select(Call)).first() is None


def test_referral_needs_parent_permission(manager: SignedIn) -> None:
    parents, _ = family()
    with pytest.raises(InvalidInput) as refused:
        calls.log_named_call(manager, NamedCall(full_call(manager), YES, parents=parents,
                                                referral=ReferralDetails("School SENCO", False)))
    assert refused.value.field == "parent_permission_confirmed"


def test_named_call_attaches_to_existing_case(manager: SignedIn) -> None:
    first = open_case_for(manager)
    second = calls.log_named_call(manager, NamedCall(full_call(manager), YES, case_id=first.case_id))
    assert second.case_id == first.case_id


def test_link_keeps_date_and_statistics(manager: SignedIn) -> None:
    anonymous = calls.log_anonymous_call(manager, full_call(manager, at=datetime(2024, 5, 1, 10, 0),
                                                            follow_up_date=None))
    case = open_case_for(manager)
    with pytest.raises(ConsentMissing):
        calls.link_call_to_case(manager, anonymous.id, case.case_id or 0,
                                ConsentToKeep(True, False, ConsentMethod.VERBAL))
    linked = calls.link_call_to_case(manager, anonymous.id, case.case_id or 0, YES)
    assert linked.case_id == case.case_id and linked.linked_at is not None
    assert (linked.at, linked.topic_ids, linked.area_district, linked.outcome) == (
        anonymous.at, anonymous.topic_ids, anonymous.area_district, anonymous.outcome)
    with pytest.raises(InvalidInput):
        calls.link_call_to_case(manager, anonymous.id, case.case_id or 0, YES)


def test_follow_ups_due_and_done(manager: SignedIn, adviser: SignedIn) -> None:
    due = calls.log_anonymous_call(manager, full_call(manager, follow_up_date=date.today()))
    calls.log_anonymous_call(manager, full_call(manager, follow_up_date=date.today() + timedelta(days=9)))
    assert [c.id for c in calls.follow_ups_due(manager)] == [due.id]
    assert calls.follow_ups_due(adviser) == []
    assert calls.recent_calls(adviser) == []
    with pytest.raises(PermissionRefused):
        calls.mark_follow_up_done(adviser, due.id)
    done = calls.mark_follow_up_done(manager, due.id)
    assert done.follow_up_done_at is not None
    assert calls.follow_ups_due(manager) == []


@pytest.mark.parametrize(("overrides", "field"), [
    ({"duration_minutes": -1}, "duration_minutes"),
    ({"duration_minutes": 601}, "duration_minutes"),
    ({"area_district": "MK6 1AA"}, "area_district"),
    ({"area_district": "QQ"}, "area_district"),
    ({"summary": "x" * 1001}, "summary"),
    ({"summary": "bell\x07"}, "summary"),
    ({"at": datetime(1999, 12, 31)}, "at"),
    ({"at": datetime.now() + timedelta(days=2)}, "at"),
    ({"follow_up_date": date(2001, 1, 1)}, "follow_up_date"),
    ({"channel": "pigeon"}, "channel"),
    ({"how_heard": "a friend called Jane"}, "how_heard"),
    ({"child_year_group": "Year 99"}, "child_year_group"),
    ({"topic_ids": (99999,)}, "topic_ids"),
])
def test_call_fields_refused_with_field(manager: SignedIn, overrides: dict[str, object],
                                        field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        calls.log_anonymous_call(manager, full_call(manager, **overrides))
    assert refused.value.field == field


def test_retired_topic_refused_on_new_calls(manager: SignedIn) -> None:
    topic = topics.list_topics(manager)[0]
    topics.set_topic_active(manager, topic.id, False)
    with pytest.raises(InvalidInput):
        calls.log_anonymous_call(manager, full_call(manager, topic_ids=(topic.id,)))


def test_coordinator_cannot_log_or_read_calls(manager: SignedIn, coordinator: SignedIn) -> None:
    record = calls.log_anonymous_call(manager, full_call(manager))
    for attempt in (
        lambda: calls.log_anonymous_call(coordinator, full_call(manager)),
        lambda: calls.recent_calls(coordinator),
        lambda: calls.follow_ups_due(coordinator),
        lambda: calls.mark_follow_up_done(coordinator, record.id),
    ):
        with pytest.raises(PermissionRefused):
            attempt()


def test_calls_audited_without_names(manager: SignedIn) -> None:
    open_case_for(manager, "Zebedee")
    events = audit.list_events(manager, audit.AuditFilter(text="Zebedee"))
    assert events == []
    logged = audit.list_events(manager, audit.AuditFilter(action="call logged"))
    assert logged and logged[0].target.startswith("case:C-")
