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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import case as sql_case
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.models import search
from app.models.calls import Call
from app.models.cases import Case, CaseStatusChange
from app.models.foundation import Draft
from app.models.retention import CaseStatistic, CaseStatisticChange, DestructionRecord
from app.services import audit, settings
from app.services.clock import now
from app.services.install import storage_access
from app.services.people import PermissionRefused, StaffMember

RULE_CONSENT_WITHDRAWN = "consent to keep details withdrawn"
RULE_ERASED_ON_REQUEST = "erased on request"
RULE_MAX = 80  # destruction_record.rule
AFTER_WORK_PENDING = "destruction_after_work_pending"

if TYPE_CHECKING:
    from app.services.context import SignedIn

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
    """Destroy inside the caller's unit of work; the caller runs `after_destruction` after commit."""
    return destroy_cases(session, [(case, rule)], actor)[0]


def destroy_cases(session: Session, cases: Sequence[tuple[Case, str]],
                  actor: StaffMember | None) -> list[DestructionView]:
    """Destroy each case with its rule, all or none, inside the caller's unit of work.

    The same statements as for one case, each run once for the lot: a retention run destroys
    its cases a hundred at a time, and on ten years of data one cascading DELETE of fifty cases
    cost 3.4 ms a case against 12 ms a case for fifty DELETEs of one.
    Callers keep the groups small (an IN list per statement).
    """
    held = [case.reference for case, _ in cases if case.legal_hold_reason]
    if held:
        raise LegalHold(
            f"Case {held[0]} is on legal hold, so its records cannot be destroyed. "
            "A manager can lift the hold on the case first."
        )
    if not cases:
        return []
    at = now().replace(microsecond=0)
    ids = [case.id for case, _ in cases]
    kept: dict[int, int] = {case_id: count for case_id, count in session.execute(
        select(Call.case_id, func.count()).where(Call.case_id.in_(ids)).group_by(Call.case_id))}
    statistic_of = _keep_statistics(session, [case for case, _ in cases])
    # The summary of a named call may name people; the statistics are all that stay, pointing
    # at the case's anonymous statistics so a published report's figures do not change.
    session.execute(update(Call).where(Call.case_id.in_(ids)).values(
        case_statistic_id=sql_case(statistic_of, value=Call.case_id), case_id=None,
        anonymous=True, summary="", linked_at=None))
    run_by = actor.username if actor else audit.SYSTEM_ACTOR
    views = [DestructionView(case.reference, at, rule, run_by, kept.get(case.id, 0))
             for case, rule in cases]
    session.execute(insert(DestructionRecord), [
        {"case_reference": case.reference, "opened_on": case.opened_at.date(),
         "closed_on": case.closed_at.date() if case.closed_at else None,
         "last_activity_on": case.last_activity_at.date(), "destroyed_at": at,
         "rule": rule[:RULE_MAX], "run_by": run_by, "calls_kept": view.calls_kept}
        for (case, rule), view in zip(cases, views, strict=True)])
    _delete_drafts_of(session, set(ids))
    # Dependent rows go by ON DELETE CASCADE in the database, search index entries by trigger.
    session.execute(delete(Case).where(Case.id.in_(ids)))
    # Committed with the destruction, so a crash before `after_destruction` is finished at the
    # next start rather than forgotten.
    settings.write(session, {AFTER_WORK_PENDING: True})
    audit.record_many(session, actor, [
        audit.Event("case destroyed", f"case:{view.case_reference}",
                    {"rule": view.rule, "calls_kept": view.calls_kept}) for view in views])
    for case, _ in cases:
        session.expunge(case)
    return views


def _keep_statistics(session: Session, cases: Sequence[Case]) -> dict[int, int]:
    """Copy what the usage reports count of each case (when it was opened, each change of
    status) into the anonymous statistics; returns the statistic id of each case id."""
    statistics = [CaseStatistic(opened_at=case.opened_at) for case in cases]
    session.add_all(statistics)
    session.flush()
    statistic_of = {case.id: statistic.id for case, statistic in zip(cases, statistics, strict=True)}
    history = session.execute(select(CaseStatusChange.case_id, CaseStatusChange.status, CaseStatusChange.at)
                              .where(CaseStatusChange.case_id.in_(list(statistic_of)))
                              .order_by(CaseStatusChange.id))
    rows = [{"statistic_id": statistic_of[case_id], "status": status, "at": at}
            for case_id, status, at in history]
    if rows:
        session.execute(insert(CaseStatisticChange), rows)
    return statistic_of


def _delete_drafts_of(session: Session, case_ids: set[int]) -> None:
    """Drafts are few (one per form per person), so reading each one's JSON costs nothing."""
    doomed = []
    for draft_id, payload in session.execute(select(Draft.id, Draft.payload)):
        try:
            values = json.loads(payload)
        except ValueError:
            continue
        case_id = values.get("case_id") if isinstance(values, dict) else None
        if isinstance(case_id, int) and case_id in case_ids:
            doomed.append(draft_id)
    if doomed:
        session.execute(delete(Draft).where(Draft.id.in_(doomed)))


@dataclass(frozen=True)
class AfterDestruction:
    copies_removed: int


def after_work_pending(session: Session) -> bool:
    """Whether a committed destruction still waits for `after_destruction` (a crash or a
    failed index rewrite came between them); retention finishes it at the next start."""
    return settings.read_private(session, AFTER_WORK_PENDING) is True


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


def rewrite_search_index(ctx: SignedIn) -> None:
    """Rewrite the search index so the words of destroyed people leave the file.

    Deleting from the contentless index only records the row as gone (a tombstone; FTS5's
    'secure-delete' option does not apply to contentless_delete tables): the family's name,
    postcode and phone words stay in the index's pages until FTS5 next merges them. Rewriting
    the index (0.2-0.3 s on ten years of data) keeps only live rows, and secure_delete zeroes
    the pages it frees. The destruction has committed already, so a failure here (a full disk,
    say) must not undo or hide it: it is logged, the pending mark stays, and the next start
    tries again.
    """
    try:
        with ctx.write() as session:
            search.rewrite_index(session)
            settings.write(session, {AFTER_WORK_PENDING: False})
    except Exception as exc:
        log.error("could not rewrite the search index after destruction: %s", type(exc).__name__)


def after_destruction(ctx: SignedIn) -> AfterDestruction:
    """Once destruction has committed: rewrite the search index, checkpoint the WAL (so no
    old page survives there), then remove the automatic copies that hold the families."""
    started = time.time()
    # A failed rewrite leaves its pending mark for the next start; the rest still goes ahead.
    rewrite_search_index(ctx)
    storage_access.database_of(ctx).checkpoint()
    return AfterDestruction(remove_automatic_copies(ctx.folder.backups, started))
