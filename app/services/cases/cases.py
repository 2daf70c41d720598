"""Case files: find them, list them, open them, and change their status and advisers.

Who may see which case is decided in `app.services.access`; every function here goes through it and
writes an audit record naming the case by reference only. People and notes live in `family`
and `case_notes` and are re-exported here, so the screens need only this module.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    select,
    union,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from app.models import search
from app.models.calls import Call
from app.models.cases import Case, CaseAssignment, CaseStatusChange, Child, ManagerAccess, Parent, Referral
from app.models.staff import Staff
from app.services import audit, changes
from app.services.access import (
    assigned_to,
    may_hold_cases,
    refuse_archived,
    refuse_coordinator,
    require_case,
    require_manager,
    sees_every_case,
    target,
    visible_cases,
)
from app.services.calls.calls import CallRecord, call_records
from app.services.cases import postcodes
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
from app.services.cases.fields import CaseStatus, choice, digits_of
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
from app.services.people import InvalidInput, PermissionRefused, StaffMember

SEARCH_MAX = 120
# How many of the newest matching cases a search ranks by activity; see find_cases.
SEARCH_CANDIDATES = 500


@dataclass(frozen=True)
class CaseSummary:
    """One line of a case list or search result."""

    id: int
    reference: str
    status: CaseStatus
    safeguarding: bool
    last_activity_at: datetime
    family_names: tuple[str, ...]
    child_names: tuple[str, ...]
    postcodes: tuple[str, ...]
    follow_up_due: bool
    assigned_to_me: bool
    advisers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFilter:
    mine: bool = True  # advisers always see only their own cases
    status: CaseStatus | None = None
    follow_ups_due: bool = False
    safeguarding: bool = False
    limit: int = 500


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


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _follow_up_due(today: date) -> ColumnElement[bool]:
    return exists().where(Call.case_id == Case.id, Call.follow_up_date <= today,
                          Call.follow_up_done_at.is_(None))


# One statement for a page of summaries: a search runs on every keystroke, and six small
# queries (case rows, parents, children, follow-ups, assignments, advisers) cost more in
# round trips than in reading. The lists come back as JSON arrays in id or assignment order.
SUMMARY_SQL = sql_text("""
SELECT c.id AS id, c.reference AS reference, c.status AS status,
       c.safeguarding AS safeguarding, c.last_activity_at AS last_activity_at,
       (SELECT json_group_array(json_array(p.full_name, p.postcode)) FROM
          (SELECT full_name, postcode FROM parent WHERE case_id = c.id ORDER BY id) AS p) AS parents,
       (SELECT json_group_array(k.full_name) FROM
          (SELECT full_name FROM child WHERE case_id = c.id ORDER BY id) AS k) AS children,
       EXISTS (SELECT 1 FROM call WHERE call.case_id = c.id AND call.follow_up_date <= :today
               AND call.follow_up_done_at IS NULL) AS follow_up_due,
       (SELECT json_group_array(w.full_name) FROM
          (SELECT s.full_name FROM case_assignment a JOIN staff s ON s.id = a.staff_id
           WHERE a.case_id = c.id ORDER BY a.assigned_at, a.staff_id) AS w) AS advisers
FROM case_file c WHERE c.id IN :ids
""").bindparams(bindparam("ids", expanding=True)).columns(
    id=Integer, reference=String, status=String, safeguarding=Boolean, last_activity_at=DateTime,
    parents=String, children=String, follow_up_due=Boolean, advisers=String)
# With "assigned to me" for the person asking. Built once: building it costs more than running it.
_SUMMARY_ROWS = SUMMARY_SQL.subquery("summary")
SUMMARIES = select(_SUMMARY_ROWS, assigned_to(bindparam("staff"), _SUMMARY_ROWS.c.id).label("mine"))


def _summaries(session: Session, case_ids: Sequence[int], staff_id: int) -> list[CaseSummary]:
    """Summaries of the cases, in the order of `case_ids`."""
    if not case_ids:
        return []
    rows = {row.id: row for row in session.execute(SUMMARIES, {
        "ids": list(case_ids), "today": now().date().isoformat(), "staff": staff_id})}
    found = []
    for case_id in case_ids:
        row = rows.get(case_id)
        if row is None:
            continue
        parents = [(name, postcode) for name, postcode in json.loads(row.parents)]
        found.append(CaseSummary(
            id=row.id, reference=row.reference, status=CaseStatus(row.status),
            safeguarding=row.safeguarding, last_activity_at=row.last_activity_at,
            family_names=tuple(name for name, _ in parents),
            child_names=tuple(json.loads(row.children)),
            postcodes=tuple(dict.fromkeys(p for _, p in parents if p)),
            follow_up_due=row.follow_up_due, assigned_to_me=row.mine,
            advisers=tuple(json.loads(row.advisers))))
    return found


def _word_start_match(typed: str) -> str | None:
    """A search index query: every typed word starts a name word, or the text starts a postcode
    or phone. Only letters and digits reach the query (app.models.search quotes each).
    """
    words = "".join(c if c.isalnum() else " " for c in typed.casefold()).split()
    if not words:
        return None
    postcode = phone = None
    squashed = postcodes.search_key(typed)
    if len(squashed) >= 2 and squashed[0].isalpha() and squashed.isalnum() and squashed.isascii():
        postcode = squashed.casefold()
    digits = digits_of(typed)
    if len(digits) >= 4 and len(digits) >= len(squashed) - 2:
        if digits.startswith("44"):  # +44 7700 … is stored as 07700 …
            digits = "0" + digits[2:]
        phone = digits
    return search.word_start_query(words, postcode, phone)


@dataclass(frozen=True)
class CaseSearch:
    """What a search found. `more` says other cases match too: the person should type more."""

    cases: list[CaseSummary]
    more: bool


def _narrowed(actor: StaffMember, case_id: ColumnElement[int] = Case.id) -> ColumnElement[bool] | None:
    """Each kind of match stops at SEARCH_CANDIDATES, so someone who sees only their own cases
    has them narrowed to those before the cap; `visible_cases` applies the whole rule after."""
    return None if sees_every_case(actor) else assigned_to(actor, case_id)


def _reference_match(typed: str, actor: StaffMember) -> Select[tuple[int]] | None:
    """Cases whose reference (C-2026-0042) contains the typed text, or None if it cannot.

    Every reference starts "C-", so text starting with C is a prefix and seeks the reference
    index; digits alone ("0042", "2026-00") are looked for anywhere, but a run of more than
    five digits is a phone number, not a reference, and costs no scan.
    """
    fragment = "".join(typed.split()).upper()
    if not fragment or not all(c.isdigit() or c in "C-" for c in fragment):
        return None
    if fragment.startswith("C"):
        # ASCII references sort below DEL, so this range is "starts with the fragment".
        where = and_(Case.reference >= fragment, Case.reference < fragment + "\x7f")
    elif max(len(run) for run in fragment.replace("C", "-").split("-")) > 5:
        return None
    else:
        where = Case.reference.like(f"%{_like(fragment)}%", escape="\\")
    query = select(Case.id.label("case_id")).where(where)
    narrowed = _narrowed(actor)
    if narrowed is not None:
        query = query.where(narrowed)
    return query.order_by(Case.id.desc()).limit(SEARCH_CANDIDATES)


def _index_match(typed: str, actor: StaffMember) -> Select[tuple[int]] | None:
    """Cases with a name, postcode or phone matching the typed words, newest case first."""
    expression = _word_start_match(typed)
    if expression is None:
        return None
    # The index hands back the newest candidates first and stops at the cap.
    return search.matching_cases(expression, SEARCH_CANDIDATES, _narrowed(actor, search.CASE_ID))


def find_cases(ctx: SignedIn, text: str, limit: int = 20) -> CaseSearch:
    """Cases matching a family or child name, case reference, postcode or phone number.

    Every typed word must start a word of the name ("jan smi" finds Jane Smith). Only cases the
    actor may see are returned, most recently active first; the audit record keeps the number
    found, never the words typed.

    The first few characters of a common name or number can match thousands of cases, and
    ranking them all by activity would make every keystroke slow. So each kind of match stops
    after the SEARCH_CANDIDATES newest cases, and `more` tells the screens to ask for more
    letters or digits rather than pretend the list is complete.
    """
    # Archived cases are findable by a manager only (they show as archived in the results).
    visible = visible_cases(ctx.actor)
    # Characters nobody can have stored (control characters, broken surrogates) are ignored.
    typed = " ".join("".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))
                     .split())[:SEARCH_MAX]
    if len(typed) < 2:
        return CaseSearch([], False)
    limit = max(1, limit)
    by_reference = _reference_match(typed, ctx.actor)
    # "C-2026-0" is a reference being typed: as names it would be every name starting with C.
    is_reference = by_reference is not None and "".join(typed.split()).upper().startswith("C-")
    by_index = None if is_reference else _index_match(typed, ctx.actor)
    matches = [m.subquery() for m in (by_reference, by_index) if m is not None]
    if not matches:
        return CaseSearch([], False)
    candidates = union(*(select(m.c.case_id) for m in matches)).scalar_subquery()
    query = (select(Case.id).where(Case.id.in_(candidates), visible)
             .order_by(Case.last_activity_at.desc(), Case.id.desc()).limit(limit + 1))
    with ctx.write() as session:
        rows = list(session.scalars(query))
        found = _summaries(session, rows[:limit], ctx.actor.id)
        audit.record(session, ctx.actor, "cases searched", detail={"found": len(found)})
    return CaseSearch(found, len(rows) > limit)


def search_cases(ctx: SignedIn, text: str, limit: int = 20) -> list[CaseSummary]:
    """The cases `find_cases` shows, without the note about further matches."""
    return find_cases(ctx, text, limit).cases


def list_cases(ctx: SignedIn, filters: CaseFilter | None = None) -> list[CaseSummary]:
    """Cases by most recent activity. Advisers get their own whatever `mine` says.

    Archived cases are left out unless the filter asks for them, which only a manager may.
    """
    filters = filters or CaseFilter()
    visible = visible_cases(ctx.actor)
    status = choice(CaseStatus, filters.status, "status", "Status") if filters.status else None
    if status is CaseStatus.ARCHIVED:
        require_manager(ctx.actor, "list archived cases")
    query = select(Case.id).where(visible)
    if filters.mine and sees_every_case(ctx.actor):
        query = query.where(assigned_to(ctx.actor))
    if status is not None:
        query = query.where(Case.status == status.value)
    else:
        query = query.where(Case.status != CaseStatus.ARCHIVED.value)
    if filters.safeguarding:
        query = query.where(Case.safeguarding.is_(True))
    if filters.follow_ups_due:
        query = query.where(_follow_up_due(now().date()))
    query = query.order_by(Case.last_activity_at.desc(), Case.id.desc()).limit(max(1, filters.limit))
    with ctx.write() as session:
        found = _summaries(session, list(session.scalars(query)), ctx.actor.id)
        audit.record(session, ctx.actor, "cases listed", detail={"found": len(found)})
    return found


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
        summary = _summaries(session, [case.id], ctx.actor.id)[0]
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
        summary = _summaries(session, [case.id], ctx.actor.id)[0]
    changes.publish(changes.CASE_CHANGED, summary.reference)
    return summary

