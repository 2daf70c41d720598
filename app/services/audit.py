"""The audit trail: append-only, each row chained to the one before by a SHA-256 hash.

Audit rows say who did what to which record (by reference, never by name) and when;
they never carry personal data, so destroying a family's data later leaves them intact.
"""

from __future__ import annotations

import hashlib
import json
import logging
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Engine, insert, select, text
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

from app.models.foundation import AuditEvent
from app.services.clock import now
from app.services.people import InvalidInput, StaffMember, check_characters, is_text

if TYPE_CHECKING:
    from app.services.context import SignedIn

GENESIS = "0" * 64
SYSTEM_ACTOR = "confide"
# The triggers (migration 0001) that refuse UPDATE and DELETE on the trail.
APPEND_ONLY_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete")

_log = logging.getLogger(__name__)


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
    last = chain_head(session)
    prev_hash = last[1] if last else GENESIS
    when = (at or now()).replace(microsecond=0)
    rows = []
    for event in events:
        detail_text = json.dumps(event.detail, sort_keys=True, ensure_ascii=False) if event.detail else ""
        target = event.target[:120]
        digest = _digest(prev_hash, when, actor_id, actor_name, event.action, target, detail_text)
        rows.append({"at": when, "actor_id": actor_id, "actor": actor_name, "action": event.action,
                     "target": target, "detail": detail_text, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    # Before the insert, which could otherwise stand in for the anchored event it is compared with.
    _note_append(session, last)
    # Written at once, in order (ids ascend), so the next event reads this chain's end.
    session.execute(insert(AuditEvent), rows)


# -- the anchor: the chain's head as last seen, kept outside the database ----------------------

Head = tuple[int, str]


@dataclass(frozen=True)
class Anchor:
    """One copy of the chain's head as it was last seen: event id and hash, and where it is kept.

    `trusted` is False when its seal (a MAC under a key only the data key gives) does not hold;
    `event_id` is None when the copy should be there and is not.
    """

    where: str
    event_id: int | None
    hash: str = ""
    trusted: bool = True


class AnchorKeeper(Protocol):
    """Keeps the anchors of one open database (install/audit_anchor.py). One per desk for now;
    a team server would hold one anchor per desk and `anchors` would list them all."""

    head: Head | None

    def anchors(self) -> list[Anchor]: ...

    def moved(self, head: Head) -> None: ...

    def confirmed(self) -> None: ...

    def flush(self) -> None: ...


_keepers: weakref.WeakKeyDictionary[Engine, AnchorKeeper] = weakref.WeakKeyDictionary()


def keep_anchor(engine: Engine, keeper: AnchorKeeper) -> None:
    """Have every commit on `engine` that appends events move `keeper`'s anchor on."""
    _keepers[engine] = keeper


def keeper_for(engine: Engine) -> AnchorKeeper | None:
    return _keepers.get(engine)


def chain_head(session: Session) -> Head | None:
    """The last event's id and hash, read in the caller's unit of work."""
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (last.id, last.hash) if last else None


def _keeper_of(session: Session) -> AnchorKeeper | None:
    bind = session.bind
    return _keepers.get(bind) if isinstance(bind, Engine) else None


def _note_append(session: Session, before: Head | None) -> None:
    """Decide, at the unit's first append, whether the chain still extends the anchor."""
    keeper = _keeper_of(session)
    if keeper is None or "audit_extends" in session.info:
        return
    anchored = keeper.head
    if anchored is None or anchored == before:
        extends = True
    else:
        # Another window or process appended since this one last moved the anchor: the chain
        # still extends the anchor only if the anchored event is there, unchanged.
        stored = session.scalars(select(AuditEvent.hash).where(AuditEvent.id == anchored[0])).first()
        extends = stored == anchored[1]
    session.info["audit_extends"] = extends


@orm_event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # The head read back rather than counted: a savepoint rolled back (retention destroying
    # one case at a time) takes its events with it.
    if "audit_extends" in session.info:
        session.info["audit_head"] = (session.info.pop("audit_extends"), chain_head(session))


@orm_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop("audit_head", None)
    keeper = _keeper_of(session) if pending else None
    if keeper is None or pending is None:
        return
    extends, head = pending
    if head is None:
        return
    if not extends:
        # The anchored event is gone or changed: leave the anchor where it is, as the evidence
        # the next check reports.
        _log.warning("audit anchor not moved: the anchored event no longer matches")
        return
    try:
        keeper.moved(head)
    except OSError:
        # The change itself is committed; a key file that cannot be written only leaves the
        # anchor behind, which the check reads as an older, still valid, head.
        _log.warning("audit anchor could not be written", exc_info=True)


@orm_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("audit_extends", None)
    session.info.pop("audit_head", None)


@dataclass(frozen=True)
class ChainCheck:
    """What the check found: the first event whose link fails, and each other finding in words."""

    checked: int
    first_broken_id: int | None
    findings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None and not self.findings

    @property
    def message(self) -> str:
        if self.ok:
            return f"Audit trail intact: {self.checked} events checked."
        lines = []
        if self.first_broken_id is not None:
            lines.append(
                f"The audit trail has been altered: event {self.first_broken_id} does not match "
                f"the chain ({self.checked} events checked before it)."
            )
        return "\n".join(lines + list(self.findings))


def _require_manager(ctx: SignedIn, what: str) -> None:
    # Imported on use: the access policy records a manager's reason through this module, so at
    # the top each module would need the other half-loaded.
    from app.services.access import require_manager

    require_manager(ctx.actor, what)


def verify(ctx: SignedIn) -> ChainCheck:
    """Walk the chain from the start, compare its head with the anchors kept outside the
    database, and check that the triggers keeping it append-only are still there.

    Managers only, as for reading the trail: the check walks every event. It only reads, so
    nothing is appended before it reports.
    """
    _require_manager(ctx, "check the audit trail")
    prev_hash = GENESIS
    checked = 0
    broken: int | None = None
    with ctx.read() as session:
        keeper = _keeper_of(session)
        anchors = keeper.anchors() if keeper else []
        wanted = {a.event_id for a in anchors if a.event_id is not None}
        seen: dict[int, str] = {}
        head: Head | None = None
        rows = session.execute(
            select(
                AuditEvent.id, AuditEvent.at, AuditEvent.actor_id, AuditEvent.actor,
                AuditEvent.action, AuditEvent.target, AuditEvent.detail,
                AuditEvent.prev_hash, AuditEvent.hash,
            ).order_by(AuditEvent.id)
        )
        for row in rows:
            if row.id in wanted:
                seen[row.id] = row.hash
            head = (row.id, row.hash)
            if broken is not None:
                continue
            expected = _digest(prev_hash, row.at, row.actor_id, row.actor, row.action,
                               row.target, row.detail)
            if row.prev_hash != prev_hash or row.hash != expected:
                broken = row.id
                continue
            prev_hash = row.hash
            checked += 1
        present = set(session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
        )))
    findings = _anchor_findings(anchors, seen, head)
    if any(name not in present for name in APPEND_ONLY_TRIGGERS):
        findings.append(
            "The protection that stops audit events being changed or deleted has been removed "
            "from the database, so events could be changed or deleted without Confide refusing."
        )
    check = ChainCheck(checked, broken, tuple(findings))
    if keeper is not None and check.ok:
        keeper.confirmed()
    return check


def _anchor_findings(anchors: list[Anchor], seen: dict[int, str], head: Head | None) -> list[str]:
    """Each anchor that the chain no longer reaches, in plain words."""
    findings: list[str] = []
    last_id = head[0] if head else 0
    # The highest anchor that still matches: a rewrite happened after it.
    matching = max((a.event_id for a in anchors if a.trusted and a.event_id is not None
                    and seen.get(a.event_id) == a.hash), default=None)
    for anchor in anchors:
        if anchor.event_id is None:
            findings.append(
                f"The record of the audit trail's last event is missing from {anchor.where}: it "
                "was removed, so events cut from the end of the trail might go unnoticed."
            )
        elif not anchor.trusted:
            findings.append(
                f"The record of the audit trail's last event kept in {anchor.where} has been "
                "altered, so it cannot be trusted."
            )
        elif anchor.event_id > last_id:
            removed = anchor.event_id - last_id
            what = "event was" if removed == 1 else f"{removed} events were"
            findings.append(
                f"The last {what} removed from the audit trail: it now ends at event {last_id}, "
                f"but event {anchor.event_id} had been recorded (as {anchor.where} shows)."
            )
        elif seen.get(anchor.event_id) != anchor.hash:
            after = f"after event {matching}" if matching is not None and matching < anchor.event_id \
                else f"up to event {anchor.event_id}"
            findings.append(
                f"The audit trail was rewritten {after}: event {anchor.event_id} is not the event "
                f"that was recorded (as {anchor.where} shows), so events were changed and the "
                "chain worked out again to hide it."
            )
    return findings


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
