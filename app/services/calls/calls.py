"""Logging calls: anonymous by default; named only once consent to keep details is recorded.

An anonymous call stores statistics only (the call table has no identity column). A named
call either joins a case the adviser may open, or opens a new case with its parents and
children; both need the caller's consent to keep their details (Milton Keynes,
Northamptonshire), recorded with how it was given and who took it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.calls import Call, CallTopic, Topic
from app.models.cases import Case, CaseAssignment, CaseStatusChange, Referral
from app.models.staff import Staff
from app.services import audit, changes
from app.services.access import (
    record_shown,
    refuse_archived,
    refuse_coordinator,
    require_call,
    require_case,
    target,
    visible_calls,
)
from app.services.calls import summary_check
from app.services.cases import postcodes
from app.services.cases.case_file import raise_safeguarding, touch
from app.services.cases.family import (
    ChildDetails,
    ParentDetails,
    clean_child,
    clean_parent,
    insert_child,
    insert_parent,
)
from app.services.cases.fields import (
    HOW_HEARD,
    MAX_CALL_MINUTES,
    OLDEST_CALL,
    SUMMARY_MAX,
    YEAR_GROUPS,
    CallerType,
    CaseStatus,
    Channel,
    ChildPhase,
    ConsentMethod,
    Direction,
    Outcome,
    choice,
    listed,
    optional_choice,
)
from app.services.cases.fields import text as check_text
from app.services.clock import now
from app.services.consent import records as consent_records
from app.services.consent.records import ConsentKind
from app.services.context import SignedIn
from app.services.people import InvalidInput, StaffMember

KEEP_DETAILS = ConsentKind.KEEP_DETAILS.value
# A clock a few minutes fast on another computer should not block saving a call.
FUTURE_SLACK = timedelta(minutes=10)


class IdentifyingSummary(InvalidInput):
    """An anonymous call's summary holds what looks like a name, a number or a date of birth;
    `findings` says what, for the form to show under the summary."""

    def __init__(self, findings: list[summary_check.Finding]) -> None:
        lines = [finding.message() + "." for finding in findings]
        super().__init__("\n".join([*lines, "An anonymous call keeps no names or contact details: "
                                     "edit the summary, or save it anyway."]), "summary")
        self.findings = findings


class ConsentMissing(InvalidInput):
    """Named details were offered without a recorded yes to keeping them."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "consent")


@dataclass(frozen=True)
class CallDetails:
    """The statistical fields every call has; an anonymous call is exactly this."""

    at: datetime | None = None  # None: now
    duration_minutes: int = 0
    direction: Direction = Direction.IN
    channel: Channel = Channel.PHONE
    caller_type: CallerType = CallerType.PARENT
    topic_ids: tuple[int, ...] = ()
    child_phase: ChildPhase | None = None
    child_year_group: str | None = None
    area_district: str | None = None
    how_heard: str | None = None
    outcome: Outcome | None = None
    follow_up_date: date | None = None
    safeguarding_concern: bool = False
    summary: str = ""


AnonymousCall = CallDetails


@dataclass(frozen=True)
class ConsentToKeep:
    policy_explained: bool
    agreed: bool
    method: ConsentMethod | None


@dataclass(frozen=True)
class ReferralDetails:
    referred_by: str
    parent_permission_confirmed: bool


@dataclass(frozen=True)
class NamedCall:
    """A call whose caller agreed to be known: joins `case_id`, or opens a case with people."""

    call: CallDetails
    consent: ConsentToKeep | None
    case_id: int | None = None
    parents: tuple[ParentDetails, ...] = ()
    children: tuple[ChildDetails, ...] = ()
    referral: ReferralDetails | None = None
    reason: str | None = None  # a manager's reason, when the case is not assigned to them


@dataclass(frozen=True)
class CallRecord:
    id: int
    at: datetime
    duration_minutes: int
    direction: Direction
    channel: Channel
    caller_type: CallerType
    topics: tuple[str, ...]
    topic_ids: tuple[int, ...]
    child_phase: ChildPhase | None
    child_year_group: str | None
    area_district: str | None
    how_heard: str | None
    outcome: Outcome | None
    follow_up_date: date | None
    follow_up_done_at: datetime | None
    safeguarding_concern: bool
    summary: str
    adviser_id: int | None
    adviser: str
    anonymous: bool
    case_id: int | None = None
    case_reference: str | None = None
    linked_at: datetime | None = None


def clean_call(details: CallDetails, at_now: datetime) -> dict[str, object]:
    at = details.at or at_now
    if at > at_now + FUTURE_SLACK:
        raise InvalidInput("Date and time: this is in the future.", "at")
    if at < OLDEST_CALL:
        raise InvalidInput("Date and time: check the year.", "at")
    if (not isinstance(details.duration_minutes, int) or isinstance(details.duration_minutes, bool)
            or not 0 <= details.duration_minutes <= MAX_CALL_MINUTES):
        raise InvalidInput(f"Duration: enter minutes from 0 to {MAX_CALL_MINUTES}.", "duration_minutes")
    follow_up = details.follow_up_date
    if follow_up is not None and (follow_up < at.date() or follow_up > at.date() + timedelta(days=730)):
        raise InvalidInput("Follow-up date: choose a day after the call, within two years.",
                           "follow_up_date")
    district = details.area_district.strip() if details.area_district else ""
    return {
        "at": at.replace(microsecond=0),
        "duration_minutes": details.duration_minutes,
        "direction": choice(Direction, details.direction, "direction", "Direction").value,
        "channel": choice(Channel, details.channel, "channel", "Channel").value,
        "caller_type": choice(CallerType, details.caller_type, "caller_type", "Caller").value,
        "child_phase": _value(optional_choice(ChildPhase, details.child_phase, "child_phase", "Phase")),
        "child_year_group": listed(details.child_year_group, YEAR_GROUPS, "child_year_group",
                                   "Year group"),
        "area_district": postcodes.normalise_district(district) if district else None,
        "how_heard": listed(details.how_heard, HOW_HEARD, "how_heard", "How they heard"),
        "outcome": _value(optional_choice(Outcome, details.outcome, "outcome", "Outcome")),
        "follow_up_date": follow_up,
        "safeguarding_concern": bool(details.safeguarding_concern),
        "summary": check_text(details.summary, "summary", "Summary", SUMMARY_MAX, multiline=True),
    }


def _value(member: object) -> str | None:
    return None if member is None else str(member)


def _topics(session: Session, topic_ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(topic_ids))
    active = set(session.scalars(select(Topic.id).where(Topic.id.in_(wanted), Topic.active.is_(True))))
    if len(active) != len(wanted):
        raise InvalidInput("Topics: one of the chosen topics is no longer on the list.", "topic_ids")
    return wanted


def check_consent(consent: ConsentToKeep | None) -> ConsentMethod:
    if consent is None or not consent.policy_explained:
        raise ConsentMissing("Explain the confidentiality policy and ask for consent before "
                             "taking any names.")
    if not consent.agreed:
        raise ConsentMissing("The caller has not agreed to their details being kept, so the call "
                             "can only be logged anonymously.")
    if consent.method in (None, ""):
        raise ConsentMissing("Say how consent was given: verbal, signed form or email.")
    return choice(ConsentMethod, consent.method, "consent", "How consent was given")


def record_keep_consent(session: Session, case: Case, method: ConsentMethod, actor: StaffMember) -> None:
    consent_records.append(session, case.id, ConsentKind.KEEP_DETAILS, True, method, actor.id,
                           policy_explained=True)


def create_case(session: Session, actor: StaffMember, at: datetime) -> Case:
    """A new open case assigned to `actor`, with the next reference of the year (C-2026-0042)."""
    year = at.year
    sequence = (session.scalar(select(func.max(Case.sequence)).where(Case.year == year)) or 0) + 1
    case = Case(reference=f"C-{year}-{sequence:04d}", year=year, sequence=sequence,
                status=CaseStatus.OPEN.value, opened_at=at, last_activity_at=at,
                safeguarding=False, opened_by=actor.id)
    session.add(case)
    session.flush()
    session.add(CaseAssignment(case_id=case.id, staff_id=actor.id, assigned_at=at,
                               assigned_by=actor.id))
    session.add(CaseStatusChange(case_id=case.id, status=CaseStatus.OPEN.value, at=at,
                                 by_staff_id=actor.id))
    return case


def _insert_call(session: Session, cleaned: dict[str, object], topic_ids: list[int],
                 actor: StaffMember, case: Case | None) -> Call:
    call = Call(**cleaned, adviser_id=actor.id, case_id=case.id if case else None,
                anonymous=case is None, logged_at=now().replace(microsecond=0))
    session.add(call)
    session.flush()
    session.add_all(CallTopic(call_id=call.id, topic_id=topic_id) for topic_id in topic_ids)
    return call


def call_records(session: Session, calls: list[Call]) -> list[CallRecord]:
    """Plain records for `calls`, with topic, adviser and case names in three queries."""
    ids = [c.id for c in calls]
    topic_rows = session.execute(select(CallTopic.call_id, Topic.id, Topic.name)
                                 .join(Topic, Topic.id == CallTopic.topic_id)
                                 .where(CallTopic.call_id.in_(ids)).order_by(Topic.position))
    topics: dict[int, list[tuple[int, str]]] = {}
    for call_id, topic_id, name in topic_rows:
        topics.setdefault(call_id, []).append((topic_id, name))
    staff = dict(session.execute(select(Staff.id, Staff.full_name)).all())
    case_ids = {c.case_id for c in calls if c.case_id}
    refs = dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).all())
    return [CallRecord(
        id=c.id, at=c.at, duration_minutes=c.duration_minutes, direction=Direction(c.direction),
        channel=Channel(c.channel), caller_type=CallerType(c.caller_type),
        topics=tuple(n for _, n in topics.get(c.id, [])), topic_ids=tuple(i for i, _ in topics.get(c.id, [])),
        child_phase=ChildPhase(c.child_phase) if c.child_phase else None,
        child_year_group=c.child_year_group, area_district=c.area_district, how_heard=c.how_heard,
        outcome=Outcome(c.outcome) if c.outcome else None, follow_up_date=c.follow_up_date,
        follow_up_done_at=c.follow_up_done_at, safeguarding_concern=c.safeguarding_concern,
        summary=c.summary, adviser_id=c.adviser_id, adviser=staff.get(c.adviser_id or 0, ""),
        anonymous=c.anonymous, case_id=c.case_id, case_reference=refs.get(c.case_id or 0),
        linked_at=c.linked_at,
    ) for c in calls]


def log_anonymous_call(ctx: SignedIn, details: CallDetails, save_anyway: bool = False) -> CallRecord:
    """Save an anonymous call. Refuses (IdentifyingSummary, field "summary") a summary that
    looks like it holds a name, phone number, email, postcode or date of birth, unless the
    adviser chose to save it anyway; then the audit record names the kinds, not the text."""
    refuse_coordinator(ctx.actor)
    at_now = now()
    cleaned = clean_call(details, at_now)
    with ctx.write() as session:
        topic_ids = _topics(session, details.topic_ids)
        findings = summary_check.find_in(session, str(cleaned["summary"]), at_now.date())
        if findings and not save_anyway:
            raise IdentifyingSummary(findings)
        call = _insert_call(session, cleaned, topic_ids, ctx.actor, None)
        detail: dict[str, object] = {"anonymous": True}
        if findings:
            detail["saved_with"] = summary_check.kinds(findings)
        audit.record(session, ctx.actor, "call logged", target=f"call:{call.id}", detail=detail)
        record = call_records(session, [call])[0]
    changes.publish(changes.CALL_LOGGED)
    return record


def log_named_call(ctx: SignedIn, named: NamedCall) -> CallRecord:
    """Save a named call; refuses (field "consent") until consent to keep details is a yes."""
    refuse_coordinator(ctx.actor)
    if named.case_id is None and not named.parents and not named.children:
        raise InvalidInput("Add at least one parent/carer or child, or choose an existing case.",
                           "parents")
    method = check_consent(named.consent)
    at_now = now()
    cleaned = clean_call(named.call, at_now)
    for parent in named.parents:
        clean_parent(parent)
    for child in named.children:
        clean_child(child)
    referral = _clean_referral(named.referral)
    with ctx.write() as session:
        topic_ids = _topics(session, named.call.topic_ids)
        if named.case_id is None:
            case = create_case(session, ctx.actor, at_now.replace(microsecond=0))
            opened = True
        else:
            case = require_case(session, ctx.actor, named.case_id, named.reason)
            opened = False
        record_keep_consent(session, case, method, ctx.actor)
        for parent in named.parents:
            insert_parent(session, case, parent, ctx.actor.id, method)
        for child in named.children:
            insert_child(session, case, child)
        if referral is not None:
            session.add(Referral(case_id=case.id, referred_by=referral, parent_permission_confirmed=True,
                                 recorded_at=at_now.replace(microsecond=0), recorded_by=ctx.actor.id))
        if cleaned["direction"] == Direction.OUT.value and cleaned["channel"] == Channel.EMAIL.value:
            consent_records.require(session, case.id, ConsentKind.EMAIL)
        call = _insert_call(session, cleaned, topic_ids, ctx.actor, case)
        if call.safeguarding_concern:
            raise_safeguarding(case, ctx.actor.id, call.at)
        touch(case, call.at)
        if opened:
            audit.record(session, ctx.actor, "case opened", target=target(case))
        audit.record(session, ctx.actor, "call logged", target=target(case),
                     detail={"anonymous": False, "call_id": call.id, "consent_method": method.value,
                             "parents_added": len(named.parents), "children_added": len(named.children)})
        record, reference = call_records(session, [call])[0], case.reference
    changes.publish(changes.CASE_OPENED if opened else changes.CASE_CHANGED, reference)
    changes.publish(changes.CALL_LOGGED, reference)
    return record


def _clean_referral(referral: ReferralDetails | None) -> str | None:
    if referral is None:
        return None
    who = check_text(referral.referred_by, "referred_by", "Referred by", 120, required=True)
    if not referral.parent_permission_confirmed:
        raise InvalidInput("Confirm that the parent gave permission to be referred before recording "
                           "the referral.", "parent_permission_confirmed")
    return who


def link_call_to_case(ctx: SignedIn, call_id: int, case_id: int, consent: ConsentToKeep,
                      reason: str | None = None) -> CallRecord:
    """Attach an anonymous call to a case once the caller agrees; its date and statistics stay."""
    method = check_consent(consent)
    with ctx.write() as session:
        call = require_call(session, ctx.actor, call_id)
        if call.case_id is not None:
            raise InvalidInput("This call is already on a case.", "call_id")
        case = require_case(session, ctx.actor, case_id, reason)
        record_keep_consent(session, case, method, ctx.actor)
        call.case_id, call.linked_at = case.id, now().replace(microsecond=0)
        if call.safeguarding_concern:
            raise_safeguarding(case, call.adviser_id, call.at)
        touch(case, call.linked_at)
        audit.record(session, ctx.actor, "call linked to case", target=target(case),
                     detail={"call_id": call.id, "consent_method": method.value})
        record, reference = call_records(session, [call])[0], case.reference
    changes.publish(changes.CALL_CHANGED, reference)
    return record


def recent_calls(ctx: SignedIn, limit: int = 50, everyone: bool = False,
                 since: datetime | None = None) -> list[CallRecord]:
    """Newest first: the actor's calls and calls on their cases (all calls for a manager asking)."""
    query = (select(Call).where(visible_calls(ctx.actor, everyone))
             .order_by(Call.at.desc(), Call.id.desc()).limit(limit))
    if since is not None:
        query = query.where(Call.at >= since)
    with ctx.write() as session:
        records = call_records(session, list(session.scalars(query)))
        record_shown(session, ctx.actor, "calls listed", [r.case_id for r in records],
                     detail={"count": len(records), "everyone": everyone}, always=True)
    return records


def follow_ups_due(ctx: SignedIn, on_or_before: date | None = None,
                   everyone: bool = False) -> list[CallRecord]:
    """Follow-ups not yet done, due on or before the day (today by default), oldest first."""
    day = on_or_before or now().date()
    query = select(Call).where(visible_calls(ctx.actor, everyone)).where(
        Call.follow_up_date.is_not(None), Call.follow_up_date <= day, Call.follow_up_done_at.is_(None)
    ).order_by(Call.follow_up_date, Call.id)
    with ctx.write() as session:
        records = call_records(session, list(session.scalars(query)))
        record_shown(session, ctx.actor, "follow-ups listed", [r.case_id for r in records],
                     detail={"count": len(records)}, always=True)
    return records


def mark_follow_up_done(ctx: SignedIn, call_id: int) -> CallRecord:
    with ctx.write() as session:
        call = require_call(session, ctx.actor, call_id)
        if call.follow_up_date is None:
            raise InvalidInput("This call has no follow-up to mark as done.", "call_id")
        call.follow_up_done_at = call.follow_up_done_at or now().replace(microsecond=0)
        case = session.get(Case, call.case_id) if call.case_id else None
        if case is not None:
            refuse_archived(case)
            touch(case)
        audit.record(session, ctx.actor, "follow-up done",
                     target=target(case) if case else f"call:{call.id}", detail={"call_id": call.id})
        record = call_records(session, [call])[0]
    changes.publish(changes.CALL_CHANGED, record.case_reference)
    return record
