"""Who may see a case, checked in one place by every service that touches one.

- Advisers: only cases assigned to them.
- Managers: cases assigned to them freely; any other case after giving a reason, which is
  stored on the case ("viewed by manager, reason") and in the audit trail. Opening a case
  always needs a fresh reason; changes made shortly after are covered by that reason.
- Coordinators: never; they work only with anonymous figures.
- Archived cases (see `retention`) are read-only and only managers find them. Every service
  that changes a case gets it from `require_case`, which refuses an archived one, so no
  screen can change one; reading passes `viewing=True`. The few changes allowed on an archived
  case (reopening, legal hold, destruction) pass `viewing=True` and check the role themselves.

A case an adviser may not see and a case that does not exist get the same answer, so the
refusal does not reveal which references are in use.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from app.models.calls import Call
from app.models.cases import Case, CaseAssignment, CaseNote, Child, ManagerAccess, Parent
from app.services import audit
from app.services.cases.fields import CaseStatus, text
from app.services.clock import now
from app.services.people import InvalidInput, PermissionRefused, Role, StaffMember

# How long a manager's recorded reason covers changes to the case they opened with it.
MANAGER_ACCESS_HOURS = 8
REASON_MAX = 300

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


class ReasonRequired(PermissionRefused):
    """A manager must say why they are opening a case that is not assigned to them."""


class CaseArchived(PermissionRefused):
    """The case is archived: nothing on it changes until a manager reopens it."""


def is_archived(case: Case) -> bool:
    return case.status == CaseStatus.ARCHIVED.value


def refuse_archived(case: Case) -> None:
    """For changes that reach a case other than through `require_case` (a call's follow-up)."""
    if is_archived(case):
        raise CaseArchived(ARCHIVED_READ_ONLY)


def refuse_coordinator(actor: StaffMember) -> None:
    if actor.role is Role.COORDINATOR:
        raise PermissionRefused(
            "Coordinators work with anonymous figures only and cannot open case records."
        )


def is_assigned(session: Session, case_id: int, staff_id: int) -> bool:
    return session.get(CaseAssignment, (case_id, staff_id)) is not None


def assigned_filter(staff_id: int) -> ColumnElement[bool]:
    """A WHERE clause keeping only cases assigned to `staff_id`."""
    return exists().where(CaseAssignment.case_id == Case.id, CaseAssignment.staff_id == staff_id)


def visible_filter(actor: StaffMember) -> ColumnElement[bool] | None:
    """The WHERE clause for lists and searches; None for managers, who may find any case."""
    refuse_coordinator(actor)
    return None if actor.is_manager else assigned_filter(actor.id)


def target(case: Case) -> str:
    return f"case:{case.reference}"


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
        if case is None or not is_assigned(session, case.id, actor.id):
            raise PermissionRefused(NOT_YOURS)
        if is_archived(case):
            raise CaseArchived(ARCHIVED_FOR_ADVISER)
        return case
    if case is None:
        raise InvalidInput("That case no longer exists.", "case_id")
    if not (viewing or opening):
        refuse_archived(case)
    if is_assigned(session, case.id, actor.id):
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
    raise ReasonRequired(
        "This case is not assigned to you. Type the reason you need to open it; the reason is "
        "recorded and shown on the case."
    )


def raise_safeguarding(case: Case, staff_id: int, at: datetime | None = None) -> None:
    """Flag a concern; the first raiser and time stand until a manager clears the flag."""
    if not case.safeguarding:
        case.safeguarding = True
        case.safeguarding_raised_at = (at or now()).replace(microsecond=0)
        case.safeguarding_raised_by = staff_id


def clear_safeguarding(case: Case) -> None:
    case.safeguarding = False
    case.safeguarding_raised_at = None
    case.safeguarding_raised_by = None


def touch(case: Case, at: datetime | None = None) -> None:
    """Mark activity on the case (retention counts inactivity from here)."""
    when = (at or now()).replace(microsecond=0)
    if when > case.last_activity_at:
        case.last_activity_at = when


def case_for_child(session: Session, child_id: int) -> int | None:
    return session.scalar(select(Child.case_id).where(Child.id == child_id))


def case_for_parent(session: Session, parent_id: int) -> int | None:
    return session.scalar(select(Parent.case_id).where(Parent.id == parent_id))


def case_for_note(session: Session, note_id: int) -> int | None:
    return session.scalar(select(CaseNote.case_id).where(CaseNote.id == note_id))


def case_for_call(session: Session, call_id: int) -> int | None:
    return session.scalar(select(Call.case_id).where(Call.id == call_id))
