"""Case files: open them, and change their status and advisers (finding them is `finding`).

Who may see which case is decided in `app.services.access`; every function here goes through it and
writes an audit record naming the case by reference only. People and notes live in `family`
and `notes` and are re-exported here, so the screens need only this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from app.models.calls import Call
from app.models.cases import Case, CaseAssignment, CaseStatusChange, Child, ManagerAccess, Parent, Referral
from app.models.staff import Staff
from app.services import audit, changes
from app.services.access import (
    may_hold_cases,
    refuse_archived,
    refuse_coordinator,
    require_case,
    require_manager,
    target,
)
from app.services.calls.calls import CallRecord, call_records
from app.services.cases.case_file import clear_safeguarding, raise_safeguarding, touch
from app.services.cases.family import (  # noqa: F401  (re-exported for the screens)
    ChildDetails,
    ChildView,
    ParentDetails,
    ParentView,
    add_child,
    add_parent,
    child_view,
    parent_view,
    update_child,
    update_parent,
)
from app.services.cases.fields import CaseStatus
from app.services.cases.finding import (  # noqa: F401  (re-exported for the screens)
    SEARCH_CANDIDATES,
    SEARCH_MAX,
    CaseFilter,
    CaseSearch,
    CaseSummary,
    find_cases,
    list_cases,
    search_cases,
    summaries,
)
from app.services.cases.notes import (  # noqa: F401  (re-exported for the screens)
    BreachDecisionDetails,
    NoteView,
    add_note,
    edit_note,
    note_views,
    record_breach_decision,
)
from app.services.clock import now
from app.services.consent import records as consent_records
from app.services.consent.consent import ThirdPartyContactView, contacts_of
from app.services.consent.records import ConsentRecordView, ConsentRegister
from app.services.context import SignedIn
from app.services.letters.letters import LetterView, letters_of
from app.services.people import InvalidInput, PermissionRefused


@dataclass(frozen=True)
class AdviserRef:
    id: int
    full_name: str


@dataclass(frozen=True)
class StatusChangeView:
    status: str  # open, closed, reopened, archived
    at: datetime
    by: str


@dataclass(frozen=True)
class ManagerAccessView:
    """Shown on the case as "viewed by manager, reason"."""

    manager: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class ReferralView:
    referred_by: str
    parent_permission_confirmed: bool
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class CaseView:
    id: int
    reference: str
    status: CaseStatus
    opened_at: datetime
    closed_at: datetime | None
    last_activity_at: datetime
    safeguarding: bool
    legal_hold_reason: str | None
    parents: tuple[ParentView, ...]
    children: tuple[ChildView, ...]
    calls: tuple[CallRecord, ...]  # newest first
    notes: tuple[NoteView, ...]  # newest first
    advisers: tuple[AdviserRef, ...]
    history: tuple[StatusChangeView, ...]
    manager_views: tuple[ManagerAccessView, ...]
    consent: ConsentRegister
    third_party_contacts: tuple[ThirdPartyContactView, ...]  # newest first
    letters: tuple[LetterView, ...]  # newest first
    referrals: tuple[ReferralView, ...]
    safeguarding_raised_by: str = ""
    safeguarding_raised_at: datetime | None = None

    @property
    def consents(self) -> tuple[ConsentRecordView, ...]:
        """Every consent record, oldest first."""
        return tuple(reversed(self.consent.history))

    @property
    def reopened(self) -> bool:
        return any(change.status == "reopened" for change in self.history)

    @property
    def follow_ups(self) -> tuple[CallRecord, ...]:
        """Calls with a follow-up not yet done, soonest first."""
        pending = [c for c in self.calls if c.follow_up_date and c.follow_up_done_at is None]
        return tuple(sorted(pending, key=lambda c: (c.follow_up_date, c.id)))


def case_view_of(session: Session, case: Case) -> CaseView:
    names = dict(session.execute(select(Staff.id, Staff.full_name)).all())

    def who(staff_id: int | None) -> str:
        return names.get(staff_id or 0, "")

    def rows(model: Any, *order: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.case_id == case.id).order_by(*order)))

    calls = call_records(session, rows(Call, Call.at.desc(), Call.id.desc()))
    return CaseView(
        id=case.id, reference=case.reference, status=CaseStatus(case.status),
        opened_at=case.opened_at, closed_at=case.closed_at, last_activity_at=case.last_activity_at,
        safeguarding=case.safeguarding, legal_hold_reason=case.legal_hold_reason,
        safeguarding_raised_by=who(case.safeguarding_raised_by),
        safeguarding_raised_at=case.safeguarding_raised_at,
        parents=tuple(parent_view(session, p) for p in rows(Parent, Parent.id)),
        children=tuple(child_view(c) for c in rows(Child, Child.id)),
        calls=tuple(calls), notes=note_views(session, case.id),
        advisers=tuple(AdviserRef(a.staff_id, who(a.staff_id))
                       for a in rows(CaseAssignment, CaseAssignment.assigned_at)),
        history=tuple(StatusChangeView(s.status, s.at, who(s.by_staff_id))
                      for s in rows(CaseStatusChange, CaseStatusChange.id)),
        manager_views=tuple(ManagerAccessView(who(m.staff_id), m.at, m.reason)
                            for m in rows(ManagerAccess, ManagerAccess.id)),
        consent=consent_records.register(session, case.id, names),
        third_party_contacts=contacts_of(session, case.id, names),
        letters=letters_of(session, case.id, names),
        referrals=tuple(ReferralView(r.referred_by, r.parent_permission_confirmed, r.recorded_at,
                                     who(r.recorded_by)) for r in rows(Referral, Referral.id)),
    )


def open_case(ctx: SignedIn, case_id: int, reason: str | None = None) -> CaseView:
    """Everything on the case. A manager not assigned to it must give a reason every time."""
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, opening=True)
        audit.record(session, ctx.actor, "case viewed", target=target(case))
        return case_view_of(session, case)


def case_reference(ctx: SignedIn, case_id: int) -> str:
    """Only the reference (no family details), e.g. to start a call on the case being viewed.

    Access is checked as for opening (a manager's recent reason covers it); nothing about the
    family is read, so no view is recorded.
    """
    with ctx.write() as session:
        return require_case(session, ctx.actor, case_id, viewing=True).reference


def reload_case(ctx: SignedIn, case_id: int) -> CaseView:
    """The case again after a change made on it: a manager's reason from opening still covers it."""
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, viewing=True)
        audit.record(session, ctx.actor, "case viewed", target=target(case), detail={"reload": True})
        return case_view_of(session, case)


def _change_status(ctx: SignedIn, case_id: int, allowed_from: set[CaseStatus], to: CaseStatus,
                   change: str, reason: str | None) -> CaseSummary:
    with ctx.write() as session:
        # Status changes check the status themselves: reopening is how an archived case changes.
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        current = CaseStatus(case.status)
        if current not in allowed_from:
            raise InvalidInput(f"This case is {current.value}, so it cannot be {change}.", "status")
        at = now().replace(microsecond=0)
        case.status = to.value
        if to is CaseStatus.CLOSED:
            case.closed_at = at
        elif to is CaseStatus.OPEN:
            case.closed_at = None
        session.add(CaseStatusChange(case_id=case.id, status="reopened" if change == "reopened"
                                     else to.value, at=at, by_staff_id=ctx.actor.id))
        touch(case, at)
        audit.record(session, ctx.actor, f"case {change}", target=target(case))
        summary = summaries(session, [case.id], ctx.actor.id)[0]
    changes.publish(changes.CASE_CHANGED, summary.reference)
    return summary


def close_case(ctx: SignedIn, case_id: int, reason: str | None = None) -> CaseSummary:
    return _change_status(ctx, case_id, {CaseStatus.OPEN}, CaseStatus.CLOSED, "closed", reason)


def reopen_case(ctx: SignedIn, case_id: int, reason: str | None = None) -> CaseSummary:
    return _change_status(ctx, case_id, {CaseStatus.CLOSED, CaseStatus.ARCHIVED}, CaseStatus.OPEN,
                          "reopened", reason)


def _case_for_manager(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise InvalidInput("That case no longer exists.", "case_id")
    refuse_archived(case)
    return case


def assign_adviser(ctx: SignedIn, case_id: int, staff_id: int) -> tuple[AdviserRef, ...]:
    """Managers share out cases; assigning shows nothing of the case, so it needs no reason."""
    require_manager(ctx.actor, "assign advisers to cases")
    with ctx.write() as session:
        case = _case_for_manager(session, case_id)
        person = session.get(Staff, staff_id)
        if person is None or not may_hold_cases(person):
            raise InvalidInput("Choose an active adviser or manager.", "staff_id")
        if session.get(CaseAssignment, (case.id, staff_id)) is None:
            session.add(CaseAssignment(case_id=case.id, staff_id=staff_id, assigned_by=ctx.actor.id,
                                       assigned_at=now().replace(microsecond=0)))
            audit.record(session, ctx.actor, "adviser assigned", target=target(case),
                         detail={"staff_id": staff_id})
        advisers, reference = _advisers(session, case.id), case.reference
    changes.publish(changes.CASE_CHANGED, reference)
    return advisers


def unassign_adviser(ctx: SignedIn, case_id: int, staff_id: int) -> tuple[AdviserRef, ...]:
    require_manager(ctx.actor, "change who is assigned to a case")
    with ctx.write() as session:
        case = _case_for_manager(session, case_id)
        row = session.get(CaseAssignment, (case.id, staff_id))
        if row is not None:
            if len(_advisers(session, case.id)) == 1:
                raise PermissionRefused("A case needs at least one adviser; assign someone else first.")
            session.delete(row)
            audit.record(session, ctx.actor, "adviser unassigned", target=target(case),
                         detail={"staff_id": staff_id})
        session.flush()
        advisers, reference = _advisers(session, case.id), case.reference
    changes.publish(changes.CASE_CHANGED, reference)
    return advisers


def _advisers(session: Session, case_id: int) -> tuple[AdviserRef, ...]:
    return tuple(AdviserRef(i, n) for i, n in session.execute(
        select(Staff.id, Staff.full_name).join(CaseAssignment, CaseAssignment.staff_id == Staff.id)
        .where(CaseAssignment.case_id == case_id).order_by(CaseAssignment.assigned_at)))


def set_safeguarding_flag(ctx: SignedIn, case_id: int, concern: bool,
                          reason: str | None = None) -> CaseSummary:
    """Raise the red banner; only a manager may lower it again."""
    refuse_coordinator(ctx.actor)
    if not concern:
        require_manager(ctx.actor, "clear a safeguarding flag")
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        if case.safeguarding != concern:
            if concern:
                raise_safeguarding(case, ctx.actor.id)
            else:
                clear_safeguarding(case)
            touch(case)
            audit.record(session, ctx.actor, "safeguarding flag " + ("raised" if concern else "cleared"),
                         target=target(case))
        summary = summaries(session, [case.id], ctx.actor.id)[0]
    changes.publish(changes.CASE_CHANGED, summary.reference)
    return summary

