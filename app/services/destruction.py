"""Destroying a case's personal data: the one path for withdrawal of consent, erasure on request
and retention.

Every personal row goes (people, children, preferences, notes and their history, consent and
scanned forms, referrals, contacts with third parties, managers' reasons); the case's calls
are detached and keep only their anonymous statistical fields, so the figures in reports do
not change. SQLCipher's secure_delete is always on (see app/models/storage.py), so deleted
pages are overwritten; the caller runs `after_destruction` once its unit of work has
committed, which checkpoints the write-ahead log (so no old page survives there either) and
removes the automatic copies that still hold the family. The destruction register keeps the
case reference, its dates and the rule applied, never anything about the family.

Rows go by ON DELETE CASCADE from case_file, so a table added later with a `case_id` foreign
key that cascades (letters, appointments) is covered without a change here; a test walks the
models to hold every such table to that. Drafts belong to a member of staff, not to a case,
but a half-typed note is kept with the case's id and its text: drafts naming the case go too.
A half-typed call form keeps no case id until it is saved, so it cannot name a destroyed case.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from app.models.cases import Call, Case, DestructionRecord
from app.models.tables import Draft
from app.services import audit
from app.services.clock import now
from app.services.people import PermissionRefused, StaffMember

RULE_CONSENT_WITHDRAWN = "consent to keep details withdrawn"
RULE_ERASED_ON_REQUEST = "erased on request"
RULE_MAX = 80  # destruction_record.rule

if TYPE_CHECKING:
    from app.services.vault import SignedIn

log = logging.getLogger(__name__)


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
        last_activity_on=case.last_activity_at.date(), destroyed_at=at,
        rule=rule[:RULE_MAX], run_by=actor.username if actor else audit.SYSTEM_ACTOR, calls_kept=kept)
    session.add(record)
    _delete_drafts_of(session, case.id)
    # Dependent rows go by ON DELETE CASCADE in the database, search index entries by trigger.
    session.execute(delete(Case).where(Case.id == case.id))
    session.expunge(case)
    audit.record(session, actor, "case destroyed", target=f"case:{reference}",
                 detail={"rule": rule, "calls_kept": kept})
    return DestructionView(reference, at, rule, record.run_by, kept)


def _delete_drafts_of(session: Session, case_id: int) -> None:
    """Drafts are few (one per form per person), so reading each one's JSON costs nothing."""
    for draft_id, payload in session.execute(select(Draft.id, Draft.payload)):
        try:
            values = json.loads(payload)
        except ValueError:
            continue
        if isinstance(values, dict) and values.get("case_id") == case_id:
            session.execute(delete(Draft).where(Draft.id == draft_id))


@dataclass(frozen=True)
class AfterDestruction:
    copies_removed: int


def remove_automatic_copies(backups_dir: Path, made_before: float) -> int:
    """Delete the automatic copies (taken before upgrades and restores) older than `made_before`
    (seconds since the epoch): they hold the families just destroyed. Backups a manager saved
    elsewhere are out of Confide's reach; the screens say so."""
    if not backups_dir.is_dir():
        return 0
    removed = 0
    for path in backups_dir.glob("*.db"):
        try:
            if not path.is_file() or path.stat().st_mtime >= made_before:
                continue
            for candidate in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))):
                with contextlib.suppress(FileNotFoundError):
                    candidate.unlink()
            removed += 1
        except OSError as exc:
            # A copy that cannot go now goes on the next destruction; say so in the log only.
            log.warning("could not remove an automatic copy: %s", type(exc).__name__)
    return removed


def purge_search_index(session: Session) -> None:
    """Rewrite the search index so the words of destroyed people leave the file.

    Deleting from the contentless index only records the row as gone (a tombstone): the
    family's name, postcode and phone tokens stay in the index's pages until FTS5 next merges
    them. Rewriting the index (about 0.3 s on ten years of data) keeps only live rows, and
    secure_delete zeroes the pages it frees.
    """
    session.execute(text("INSERT INTO case_search(case_search) VALUES ('optimize')"))


def after_destruction(ctx: SignedIn) -> AfterDestruction:
    """Once destruction has committed: purge the search index, checkpoint the WAL, then
    remove automatic copies."""
    started = time.time()
    with ctx.database.unit_of_work() as session:
        purge_search_index(session)
    ctx.database.checkpoint()
    return AfterDestruction(remove_automatic_copies(ctx.vault.backups_dir, started))
