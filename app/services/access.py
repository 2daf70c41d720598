"""Who may see and do what: every permission and visibility rule in Confide, written once.

Services ask here and keep no copy of a rule. The team server's row-level security is to
mirror these rules (../shared/TEAM.md, "The server side"), so the visibility rules are also
offered as SQL clauses (`visible_cases`, `visible_calls`, `visible_appointments`,
`visible_letters`, all built on the one `assigned_to`). Staff are advisers, managers or
coordinators (../shared/DESIGN.md). The rules, one a line:

- Coordinators see no family: no case, person, call, note, consent record, scan, letter or appointment.
- "Assigned to me": the case's advisers (its case_assignment rows) include me.
- An adviser opens and changes only the cases assigned to them.
- A case not yours and a case that does not exist get the same refusal: no reference is given away.
- An adviser never opens an archived case, even an assigned one; managers find archived cases.
- A manager opens a case assigned to them freely, any other only after typing a reason.
- A manager's reason is kept on the case ("viewed by manager") and in the audit trail.
- Whatever shows a manager families not assigned to them records those cases' references.
- Opening a whole case needs a fresh reason each time; other work is covered by one for 8 hours.
- An archived case is read-only until reopened; reopening, holds, subject access and destruction reach it.
- Case lists and searches: an adviser's unarchived assigned cases; every case for a manager.
- A person, note, consent record, scanned form, letter or call on a case is reached through that case.
- A call is seen by the adviser who took it, advisers assigned to its case, and managers.
- Call lists show a manager everyone's calls only when they ask for everyone's.
- Everyone sees the team diary, as Busy slots.
- An appointment in full is seen by its adviser, advisers assigned to its case, and managers.
- Only an appointment's own adviser or a manager changes or cancels it.
- Advisers book in their own diary only; managers book for colleagues.
- Only a manager sees which cases a colleague holds.
- Only active advisers and managers hold cases and diaries.
- The Letters page: every letter for a manager; for an adviser, the letters on cases assigned to them.
- A case note is changed only by its author or a manager.
- Anyone working on a case raises its safeguarding flag; only a manager clears it.
- Destroying records on a withdrawal of consent needs a manager when the case has a safeguarding concern.
- Reports are made by coordinators and managers, never by advisers.
- Only a manager picks another way of controlling small numbers than the service's.
- Managers only: the audit trail, staff accounts, settings, topics, letter templates, the letterhead.
- Managers only: assigning advisers, retention, legal holds, subject access and erasure, backups.
- Nobody deactivates the account they are signed in with.

A manager's reason is written by `require_case` itself (a `ManagerAccess` row and a "case
accessed by manager" audit event), so a call that may be given a reason needs a writing unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, exists, false, or_, select, true
from sqlalchemy.orm import QueryableAttribute, Session

from app.models.calls import Call
from app.models.cases import Case, CaseAssignment, CaseNote, Child, ManagerAccess, Parent
from app.models.consent import Consent
from app.models.diary import Appointment
from app.models.letters import Letter
from app.models.staff import Staff
from app.services import audit
from app.services.cases.fields import CaseStatus, text
from app.services.clock import now
from app.services.people import InvalidInput, PermissionRefused, Role, StaffMember

# How long a manager's recorded reason covers changes to the case they opened with it.
MANAGER_ACCESS_HOURS = 8
REASON_MAX = 300

COORDINATORS_REFUSED = "Coordinators work with anonymous figures only and cannot open case records."
NOT_YOURS = (
    "This case is not assigned to you. Ask a manager to assign it to you if you need to work on it."
)
ARCHIVED_FOR_ADVISER = (
    "This case is archived. Ask a manager: they can find it and reopen it if the family needs "
    "help again."
)
ARCHIVED_READ_ONLY = (
    "This case is archived, so it is read-only. Reopen it on its Status tab first if the family "
    "needs help again."
)
REASON_NEEDED = (
    "This case is not assigned to you. Type the reason you need to open it; the reason is "
    "recorded and shown on the case."
)
CALL_NOT_YOURS = "This call was logged by a colleague and is not on a case of yours."
APPOINTMENT_NOT_YOURS = (
    "This appointment is in a colleague's diary; only they or a manager can change it."
)
APPOINTMENT_BUSY = "This appointment is in a colleague's diary; it shows only as Busy."


class ReasonRequired(PermissionRefused):
    """A manager must say why they are opening a case that is not assigned to them."""


class CaseArchived(PermissionRefused):
    """The case is archived: nothing on it changes until a manager reopens it."""


# -- roles -----------------------------------------------------------------------------------


def require_manager(actor: StaffMember, what: str) -> None:
    """Refuse anyone but a manager; `what` finishes "Only a manager can …"."""
    if not actor.is_manager:
        raise PermissionRefused(f"Only a manager can {what}.")


def sees_families(actor: StaffMember) -> bool:
    """False for coordinators, who work with anonymous figures only."""
    return actor.role is not Role.COORDINATOR


def refuse_coordinator(actor: StaffMember) -> None:
    if not sees_families(actor):
        raise PermissionRefused(COORDINATORS_REFUSED)


def may_hold_cases(person: Staff | StaffMember) -> bool:
    """Whether a staff member may be assigned cases and keep a diary: active, not a coordinator."""
    return person.active and Role(person.role) is not Role.COORDINATOR


def holds_cases() -> ColumnElement[bool]:
    """`may_hold_cases` as a WHERE clause over Staff, for the pickers."""
    return and_(Staff.active.is_(True), Staff.role != Role.COORDINATOR.value)


def refuse_own_deactivation(actor: StaffMember, staff_id: int) -> None:
    if staff_id == actor.id:
        raise PermissionRefused("You cannot deactivate your own account while signed in with it.")


# -- cases -----------------------------------------------------------------------------------


def assigned_to(who: StaffMember | int | ColumnElement[int],
                case_id: QueryableAttribute[int] | ColumnElement[int] | int = Case.id) -> ColumnElement[bool]:
    """"Assigned to me": true where the case `case_id` (a column, or one id) has `who` (a person,
    a staff id, or a bound parameter for one) among its advisers. Every "mine" in Confide is
    this one expression."""
    staff_id = who.id if isinstance(who, StaffMember) else who
    return exists().where(CaseAssignment.case_id == case_id, CaseAssignment.staff_id == staff_id)


def is_assigned(session: Session, case_id: int, who: StaffMember | int) -> bool:
    return bool(session.scalar(select(assigned_to(who, case_id))))


def sees_every_case(actor: StaffMember) -> bool:
    """Managers may find any case; everyone else only the cases assigned to them."""
    return actor.is_manager


def visible_cases(actor: StaffMember) -> ColumnElement[bool]:
    """The WHERE clause over Case for every case list and search; coordinators are refused."""
    refuse_coordinator(actor)
    if sees_every_case(actor):
        return true()
    return and_(assigned_to(actor), Case.status != CaseStatus.ARCHIVED.value)


def is_archived(case: Case) -> bool:
    return case.status == CaseStatus.ARCHIVED.value


def refuse_archived(case: Case) -> None:
    """For changes that reach a case other than through `require_case` (a call's follow-up)."""
    if is_archived(case):
        raise CaseArchived(ARCHIVED_READ_ONLY)


def target(case: Case) -> str:
    """How audit records name a case: by reference only."""
    return f"case:{case.reference}"


# One audit event lists at most this many cases, so a long list cannot swell the trail.
SHOWN_LISTED_MAX = 200
# Built once: a manager's search records through it on every keystroke, and building the
# statement each time cost more than running it (0.4 ms against 0.16 ms on year10).
_NOT_ASSIGNED = select(Case.id, Case.reference).where(
    Case.id.in_(bindparam("ids", expanding=True)), ~assigned_to(bindparam("staff")))


def record_shown(session: Session, actor: StaffMember, action: str, case_ids: Iterable[int | None],
                 *, target: str = "", detail: dict[str, object] | None = None,
                 always: bool = False) -> None:
    """Record that a read is showing `actor` these cases: one event, `action`, whose detail lists
    (as "cases", references only) those not assigned to a manager. Only managers see families
    that are not theirs, so for anyone else nothing is looked up.

    `always` records the event even when no such case is shown, for reads that keep a count
    anyway. Past SHOWN_LISTED_MAX cases the first are listed and the rest are counted.
    """
    wanted = list(dict.fromkeys(i for i in case_ids if i is not None))
    extra: dict[str, object] = dict(detail or {})
    if wanted and sees_every_case(actor):
        refs = dict(session.execute(_NOT_ASSIGNED, {"ids": wanted, "staff": actor.id}).all())
        others = [refs[i] for i in wanted if i in refs]
        if others:
            extra["cases"] = others[:SHOWN_LISTED_MAX]
        if len(others) > SHOWN_LISTED_MAX:
            extra["cases_total"] = len(others)
            extra["cases_not_listed"] = len(others) - SHOWN_LISTED_MAX
    if always or "cases" in extra:
        audit.record(session, actor, action, target=target, detail=extra or None)


def clean_reason(reason: str | None) -> str:
    return text(reason, "reason", "Reason", REASON_MAX)


def _recent_manager_access(session: Session, case_id: int, staff_id: int, at: datetime) -> bool:
    since = at - timedelta(hours=MANAGER_ACCESS_HOURS)
    return session.scalars(
        select(ManagerAccess.id).where(
            ManagerAccess.case_id == case_id, ManagerAccess.staff_id == staff_id,
            ManagerAccess.at >= since,
        ).limit(1)
    ).first() is not None


def require_case(session: Session, actor: StaffMember, case_id: int | None,
                 reason: str | None = None, *, opening: bool = False, viewing: bool = False) -> Case:
    """The case row if `actor` may work on it, else PermissionRefused (or ReasonRequired).

    `opening=True` is for showing the whole case: a manager needs a fresh reason for that.
    Without `viewing=True` (or `opening`) the caller means to change the case, which an
    archived case refuses (CaseArchived). Access is checked first, so the refusal never tells
    an adviser anything about a case that is not theirs.
    """
    refuse_coordinator(actor)
    case = session.get(Case, case_id) if case_id is not None else None
    if not actor.is_manager:
        if case is None or not is_assigned(session, case.id, actor):
            raise PermissionRefused(NOT_YOURS)
        if is_archived(case):
            raise CaseArchived(ARCHIVED_FOR_ADVISER)
        return case
    if case is None:
        raise InvalidInput("That case no longer exists.", "case_id")
    if not (viewing or opening):
        refuse_archived(case)
    if is_assigned(session, case.id, actor):
        return case
    cleaned = clean_reason(reason)
    at = now().replace(microsecond=0)
    if cleaned:
        session.add(ManagerAccess(case_id=case.id, staff_id=actor.id, at=at, reason=cleaned))
        audit.record(session, actor, "case accessed by manager", target=target(case),
                     detail={"reason": cleaned})
        return case
    if not opening and _recent_manager_access(session, case.id, actor.id, at):
        return case
    raise ReasonRequired(REASON_NEEDED)


# The case a record on it belongs to: each is reached through `require_case` on that case.


def _case_of(session: Session, case_id: QueryableAttribute[int | None], row_id: QueryableAttribute[int],
             wanted: int) -> int | None:
    return session.scalar(select(case_id).where(row_id == wanted))


def case_for_child(session: Session, child_id: int) -> int | None:
    return _case_of(session, Child.case_id, Child.id, child_id)


def case_for_parent(session: Session, parent_id: int) -> int | None:
    return _case_of(session, Parent.case_id, Parent.id, parent_id)


def case_for_note(session: Session, note_id: int) -> int | None:
    return _case_of(session, CaseNote.case_id, CaseNote.id, note_id)


def case_for_call(session: Session, call_id: int) -> int | None:
    return _case_of(session, Call.case_id, Call.id, call_id)


def case_for_letter(session: Session, letter_id: int) -> int | None:
    return _case_of(session, Letter.case_id, Letter.id, letter_id)


def case_for_consent(session: Session, consent_id: int) -> int | None:
    return _case_of(session, Consent.case_id, Consent.id, consent_id)


def require_note_editor(actor: StaffMember, note: CaseNote) -> None:
    """After `require_case`: a note is changed by its author or a manager."""
    if note.author_id != actor.id and not actor.is_manager:
        raise PermissionRefused("Only the note's author or a manager can change it.")


def may_destroy_on_withdrawal(actor: StaffMember, safeguarding: bool) -> bool:
    """Whether `actor` may destroy a family's records when they withdraw consent to keep them."""
    return actor.is_manager or not safeguarding


# -- calls -----------------------------------------------------------------------------------


def visible_calls(actor: StaffMember, everyone: bool = False) -> ColumnElement[bool]:
    """The WHERE clause over Call: the actor's calls and calls on their cases, or every call
    for a manager asking for `everyone`."""
    refuse_coordinator(actor)
    if everyone and actor.is_manager:
        return true()
    return or_(Call.adviser_id == actor.id, assigned_to(actor, Call.case_id))


def require_call(session: Session, actor: StaffMember, call_id: int) -> Call:
    """The call if `actor` may see it; a call that is not theirs and a missing one look alike."""
    refuse_coordinator(actor)
    call = session.get(Call, call_id)
    if call is None and actor.is_manager:
        raise InvalidInput("That call no longer exists.", "call_id")
    mine = call is not None and (call.adviser_id == actor.id or actor.is_manager)
    if not mine and call is not None and call.case_id is not None:
        mine = is_assigned(session, call.case_id, actor)
    if not mine or call is None:
        raise PermissionRefused(CALL_NOT_YOURS)
    return call


# -- appointments ----------------------------------------------------------------------------


def visible_appointments(actor: StaffMember) -> ColumnElement[bool]:
    """The WHERE clause over Appointment for the full record (the team diary shows the rest as
    Busy): nothing for a coordinator, everything for a manager."""
    if not sees_families(actor):
        return false()
    if actor.is_manager:
        return true()
    return or_(Appointment.adviser_id == actor.id, assigned_to(actor, Appointment.case_id))


def require_appointment(session: Session, actor: StaffMember, appointment_id: int) -> Appointment:
    """The appointment in full (cancelled ones too), if `actor` may see it."""
    refuse_coordinator(actor)
    row = session.scalar(select(Appointment).where(Appointment.id == appointment_id,
                                                   visible_appointments(actor)))
    if row is None:
        raise PermissionRefused(APPOINTMENT_BUSY)
    return row


def require_own_appointment(session: Session, actor: StaffMember, appointment_id: int) -> Appointment:
    """The appointment, if `actor` may change or cancel it: their own, or anyone's for a manager."""
    refuse_coordinator(actor)
    row = session.get(Appointment, appointment_id)
    if row is None:
        raise InvalidInput("That appointment no longer exists.", "appointment_id")
    if not actor.is_manager and row.adviser_id != actor.id:
        raise PermissionRefused(APPOINTMENT_NOT_YOURS)
    return row


def require_may_book_for(actor: StaffMember, adviser_id: int) -> None:
    refuse_coordinator(actor)
    if adviser_id != actor.id and not actor.is_manager:
        raise PermissionRefused("You can book appointments in your own diary only; a manager can "
                                "book for colleagues.")


def require_may_see_cases_of(actor: StaffMember, adviser_id: int) -> None:
    refuse_coordinator(actor)
    if adviser_id != actor.id and not actor.is_manager:
        raise PermissionRefused("Only a manager can see which cases a colleague holds.")


# -- letters ---------------------------------------------------------------------------------


def visible_letters(actor: StaffMember) -> ColumnElement[bool]:
    """The WHERE clause over Letter for the Letters page (archived cases' letters included)."""
    refuse_coordinator(actor)
    if actor.is_manager:
        return true()
    return assigned_to(actor, Letter.case_id)


# -- reports ---------------------------------------------------------------------------------

REPORT_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER})


def makes_reports(actor: StaffMember) -> bool:
    """Coordinators and managers make the anonymous reports; advisers do not."""
    return actor.role in REPORT_ROLES


def require_reports(actor: StaffMember) -> None:
    if not makes_reports(actor):
        raise PermissionRefused("Reports are made by coordinators and managers. Ask one of them "
                                "for the figures you need.")


def require_report_rules_choice(actor: StaffMember) -> None:
    """Choosing another way of controlling small numbers for one report than the service's."""
    if not actor.is_manager:
        raise PermissionRefused("Only a manager can choose another way of controlling small "
                                "numbers; this report uses the service's method.")
