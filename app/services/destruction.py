"""Destroying a case's personal data: the one path for withdrawal of consent, erasure on request
and retention.

Every personal row goes (people, children, preferences, notes and their history, consent and
scanned forms, referrals, contacts with third parties, managers' reasons); the case's calls
are detached and keep only their anonymous statistical fields, so the figures in reports do
not change. SQLCipher's secure_delete is always on (see app/models/storage.py), so deleted
pages are overwritten; the caller checkpoints the write-ahead log once its unit of work has
committed, so no old page survives there either. The destruction register keeps the case
reference, its dates and the rule applied, never anything about the family.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models.cases import Call, Case, DestructionRecord
from app.services import audit
from app.services.clock import now
from app.services.people import PermissionRefused, StaffMember

RULE_CONSENT_WITHDRAWN = "consent to keep details withdrawn"
RULE_ERASED_ON_REQUEST = "erased on request"


@dataclass(frozen=True)
class DestructionView:
    case_reference: str
    destroyed_at: datetime
    rule: str
    run_by: str
    calls_kept: int


class LegalHold(PermissionRefused):
    """The case is on legal hold; nothing on it may be destroyed until a manager lifts it."""


def destroy_case(session: Session, case: Case, rule: str, actor: StaffMember | None) -> DestructionView:
    """Destroy inside the caller's unit of work; the caller checkpoints the WAL after commit."""
    if case.legal_hold_reason:
        raise LegalHold(
            f"Case {case.reference} is on legal hold, so its records cannot be destroyed. "
            "A manager can lift the hold on the case first."
        )
    at = now().replace(microsecond=0)
    kept = len(session.scalars(select(Call.id).where(Call.case_id == case.id)).all())
    # The summary of a named call may name people; the statistics are all that stay.
    session.execute(update(Call).where(Call.case_id == case.id).values(
        case_id=None, anonymous=True, summary="", linked_at=None))
    reference = case.reference
    record = DestructionRecord(
        case_reference=reference, opened_on=case.opened_at.date(),
        closed_on=case.closed_at.date() if case.closed_at else None,
        last_activity_on=case.last_activity_at.date(), destroyed_at=at, rule=rule,
        run_by=actor.username if actor else audit.SYSTEM_ACTOR, calls_kept=kept)
    session.add(record)
    # Dependent rows go by ON DELETE CASCADE in the database, search index entries by trigger.
    session.execute(delete(Case).where(Case.id == case.id))
    session.expunge(case)
    audit.record(session, actor, "case destroyed", target=f"case:{reference}",
                 detail={"rule": rule, "calls_kept": kept})
    return DestructionView(reference, at, rule, record.run_by, kept)
