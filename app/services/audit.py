"""The audit trail: append-only, each row chained to the one before by a SHA-256 hash.

Audit rows say who did what to which record (by reference, never by name) and when;
they never carry personal data, so destroying a family's data later leaves them intact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models.foundation import AuditEvent
from app.services.clock import now
from app.services.people import InvalidInput, StaffMember, check_characters, is_text

if TYPE_CHECKING:
    from app.services.context import SignedIn

GENESIS = "0" * 64
SYSTEM_ACTOR = "confide"


def _digest(prev_hash: str, at: datetime, actor_id: int | None, actor: str, action: str,
            target: str, detail: str) -> str:
    canonical = json.dumps(
        [prev_hash, at.isoformat(), actor_id, actor, action, target, detail],
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Event:
    """One audit event to append: what was done, to which record, with what (never personal)."""

    action: str
    target: str = ""
    detail: dict[str, Any] | None = None


def record(
    session: Session,
    actor: StaffMember | str | None,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Append one event inside the caller's unit of work, so it commits with the change."""
    record_many(session, actor, [Event(action, target, detail)], at)


def record_many(session: Session, actor: StaffMember | str | None, events: Sequence[Event],
                at: datetime | None = None) -> None:
    """Append events in order, each chained to the one before, inside the caller's unit of work.

    One read of the chain's end and one INSERT for the lot: a retention run destroying a
    hundred cases records a hundred events, and writing them one by one was a sixth of its time.
    """
    if not events:
        return
    if isinstance(actor, StaffMember):
        actor_id, actor_name = actor.id, actor.username
    else:
        actor_id, actor_name = None, (actor or SYSTEM_ACTOR)[:64]
    last = session.scalars(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_hash = last or GENESIS
    when = (at or now()).replace(microsecond=0)
    rows = []
    for event in events:
        detail_text = json.dumps(event.detail, sort_keys=True, ensure_ascii=False) if event.detail else ""
        target = event.target[:120]
        digest = _digest(prev_hash, when, actor_id, actor_name, event.action, target, detail_text)
        rows.append({"at": when, "actor_id": actor_id, "actor": actor_name, "action": event.action,
                     "target": target, "detail": detail_text, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    # Written at once, in order (ids ascend), so the next event reads this chain's end.
    session.execute(insert(AuditEvent), rows)


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    first_broken_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None

    @property
    def message(self) -> str:
        if self.ok:
            return f"Audit trail intact: {self.checked} events checked."
        return (
            f"The audit trail has been altered: event {self.first_broken_id} does not match "
            f"the chain ({self.checked} events checked before it)."
        )


def _require_manager(ctx: SignedIn, what: str) -> None:
    # Imported on use: the access policy records a manager's reason through this module, so at
    # the top each module would need the other half-loaded.
    from app.services.access import require_manager

    require_manager(ctx.actor, what)


def verify(ctx: SignedIn) -> ChainCheck:
    """Walk the chain from the start; report the first event whose link does not hold.

    Managers only, as for reading the trail: the check walks every event.
    """
    _require_manager(ctx, "check the audit trail")
    prev_hash = GENESIS
    checked = 0
    with ctx.read() as session:
        rows = session.execute(
            select(
                AuditEvent.id, AuditEvent.at, AuditEvent.actor_id, AuditEvent.actor,
                AuditEvent.action, AuditEvent.target, AuditEvent.detail,
                AuditEvent.prev_hash, AuditEvent.hash,
            ).order_by(AuditEvent.id)
        )
        for row in rows:
            expected = _digest(prev_hash, row.at, row.actor_id, row.actor, row.action,
                               row.target, row.detail)
            if row.prev_hash != prev_hash or row.hash != expected:
                return ChainCheck(checked, row.id)
            prev_hash = row.hash
            checked += 1
    return ChainCheck(checked, None)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: str


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    until: datetime | None = None
    actor: str | None = None
    action: str | None = None
    text: str | None = None
    limit: int = 500


def list_events(ctx: SignedIn, filters: AuditFilter) -> list[AuditEntry]:
    """Newest first. Only managers read the audit trail."""
    _require_manager(ctx, "read the audit trail")
    # Who and Action are picked from what the trail holds, so any real text may be one of them.
    for name, label, picked in (("actor", "Who", filters.actor), ("action", "Action", filters.action)):
        if picked and not is_text(picked):
            raise InvalidInput(f"{label}: choose from the list.", name)
    if filters.text:
        check_characters(filters.text, "text", "Search")
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(filters.limit)
    if filters.since:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until:
        query = query.where(AuditEvent.at < filters.until)
    if filters.actor:
        query = query.where(AuditEvent.actor == filters.actor)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.text:
        pattern = f"%{filters.text}%"
        query = query.where(AuditEvent.target.ilike(pattern) | AuditEvent.detail.ilike(pattern))
    with ctx.read() as session:
        entries = [
            AuditEntry(e.id, e.at, e.actor, e.action, e.target, e.detail)
            for e in session.scalars(query)
        ]
    return entries


def known_actions(ctx: SignedIn) -> list[str]:
    _require_manager(ctx, "read the audit trail")
    with ctx.read() as session:
        return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def known_actors(ctx: SignedIn) -> list[str]:
    _require_manager(ctx, "read the audit trail")
    with ctx.read() as session:
        return list(session.scalars(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)))
