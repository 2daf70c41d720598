"""Subject access and erasure: "Everything we hold" on a case, and "Remove this family".

Parents may see everything held about them and their children and ask to be removed (Surrey
6.3, Staffordshire 6, Northamptonshire). Both are a manager's task (DESIGN: managers answer
subject-access and erasure requests).

The pack reads every table that holds something about the case. The tables this module knows
are laid out by hand; any other table with a `case_id` column (letters, appointments and
whatever comes after them) is listed row by row from the models and worded by `held_records`,
so a new kind of record can never be left out of a pack by forgetting to add it here. Notes
written by or about third parties can be marked for redaction: the pack keeps their date, kind
and author and shows "[redacted]" for their text, history and decision details.

Erasure goes through `destruction`, the same path as retention and withdrawn consent, and the
register records "erased on request".
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.cases import Case
from app.models.foundation import AuditEvent
from app.models.schema import Base
from app.models.staff import Staff
from app.services import audit, changes, settings
from app.services.access import require_case, require_manager, target
from app.services.cases.cases import CaseView, case_view_of
from app.services.cases.notes import BreachDecisionView, NoteRevisionView, NoteView
from app.services.clock import now
from app.services.context import SignedIn
from app.services.people import InvalidInput
from app.services.retention.destruction import (
    RULE_ERASED_ON_REQUEST,
    DestructionView,
    after_destruction,
    destroy_case,
)
from app.services.retention.held_records import OtherRecords, records_of

REDACTED = "[redacted]"
# Laid out by hand in the pack (directly, or through the rows that hang off them).
KNOWN_TABLES = frozenset({
    "case_file", "case_status_change", "case_assignment", "manager_access", "parent", "child",
    "contact_preference", "consent", "consent_form", "third_party_contact", "referral", "call",
    "call_topic", "case_note", "note_revision", "breach_decision",
})


@dataclass(frozen=True)
class AccessEvent:
    """One line of who looked at or changed the record."""

    at: datetime
    who: str
    action: str
    reason: str


@dataclass(frozen=True)
class SubjectAccessPack:
    case: CaseView
    events: tuple[AccessEvent, ...]  # oldest first
    other: tuple[OtherRecords, ...]
    redacted_note_ids: frozenset[int]
    made_at: datetime
    made_by: str
    service_name: str


def case_tables() -> list[str]:
    """Every table in the models with a case_id column: what a pack has to cover."""
    return sorted(t.name for t in Base.metadata.sorted_tables if "case_id" in t.columns)


def _other_records(session: Session, case_id: int) -> tuple[OtherRecords, ...]:
    found = (records_of(session, table, case_id) for table in Base.metadata.sorted_tables
             if table.name not in KNOWN_TABLES and "case_id" in table.columns)
    return tuple(records for records in found if records is not None)


def _reason_of(detail: str) -> str:
    try:
        values = json.loads(detail) if detail else {}
    except ValueError:
        return ""
    return str(values.get("reason", "")) if isinstance(values, dict) else ""


def _events(session: Session, reference: str) -> tuple[AccessEvent, ...]:
    names = dict(session.execute(select(Staff.username, Staff.full_name)).all())
    rows = session.execute(select(AuditEvent.at, AuditEvent.actor, AuditEvent.action,
                                  AuditEvent.detail)
                           .where(AuditEvent.target == f"case:{reference}").order_by(AuditEvent.id))
    return tuple(AccessEvent(at, names.get(actor, actor if actor != audit.SYSTEM_ACTOR else "Confide"),
                             action, _reason_of(detail)) for at, actor, action, detail in rows)


def _redact(note: NoteView) -> NoteView:
    breach = None if note.breach is None else BreachDecisionView(
        REDACTED, REDACTED, REDACTED, REDACTED, note.breach.parent_told, note.breach.parent_told_at)
    return replace(note, text=REDACTED, breach=breach, history=tuple(
        NoteRevisionView(REDACTED, r.written_at, r.replaced_at, r.replaced_by) for r in note.history))


def everything_we_hold(ctx: SignedIn, case_id: int, redact_note_ids: Collection[int] = (),
                       reason: str | None = None) -> SubjectAccessPack:
    """All data held about the family on the case, with the chosen notes redacted."""
    require_manager(ctx.actor, "answer a request to see everything held about a family")
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        view = case_view_of(session, case)
        unknown = set(redact_note_ids) - {note.id for note in view.notes}
        if unknown:
            raise InvalidInput("Choose notes on this case to redact.", "redact_note_ids")
        redacted = frozenset(redact_note_ids)
        view = replace(view, notes=tuple(_redact(n) if n.id in redacted else n for n in view.notes))
        # Recorded before the trail is read, so the pack itself shows in the pack.
        audit.record(session, ctx.actor, "everything we hold made", target=target(case),
                     detail={"redacted_notes": sorted(redacted)})
        pack = SubjectAccessPack(view, _events(session, case.reference),
                                 _other_records(session, case.id), redacted,
                                 now().replace(microsecond=0), ctx.actor.full_name,
                                 settings.read(session).service_name)
    return pack


def everything_we_hold_pdf(ctx: SignedIn, case_id: int, redact_note_ids: Collection[int] = (),
                           reason: str | None = None) -> bytes:
    """The pack as a PDF, STRICTLY PRIVATE AND CONFIDENTIAL on every page; kept nowhere."""
    from app.services.retention.subject_access_pdf import pack_pdf  # reportlab only when printing

    return pack_pdf(everything_we_hold(ctx, case_id, redact_note_ids, reason))


def erase_on_request(ctx: SignedIn, case_id: int, typed_reference: str,
                     reason: str | None = None) -> DestructionView:
    """The family asked to be removed: a manager confirms by typing the case reference back."""
    require_manager(ctx.actor, "remove a family's details on their request")
    with ctx.write() as session:
        # Archived cases too: an archived record is still held, so it can still be erased.
        case: Case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        if " ".join((typed_reference or "").split()).upper() != case.reference.upper():
            raise InvalidInput(f"Type the case reference, {case.reference}, to confirm.", "reference")
        audit.record(session, ctx.actor, "erasure requested", target=target(case))
        done = destroy_case(session, case, RULE_ERASED_ON_REQUEST, ctx.actor)
    after_destruction(ctx)
    changes.publish(changes.CASE_DESTROYED, done.case_reference)
    return done
