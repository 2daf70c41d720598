"""Half-typed forms kept at lock time, inside the encrypted database, for their owner only."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select

from app.models.foundation import Draft
from app.services.clock import now
from app.services.context import SignedIn

MAX_DRAFT_CHARS = 200_000


def save(ctx: SignedIn, form: str, values: dict[str, Any]) -> None:
    """Keep one draft per form per person, replacing an older one."""
    payload = json.dumps(values, ensure_ascii=False)
    if len(payload) > MAX_DRAFT_CHARS:
        payload = json.dumps({}, ensure_ascii=False)
    with ctx.write() as session:
        session.execute(delete(Draft).where(Draft.staff_id == ctx.actor.id, Draft.form == form))
        session.add(Draft(staff_id=ctx.actor.id, form=form, payload=payload, saved_at=now()))


def take(ctx: SignedIn) -> dict[str, dict[str, Any]]:
    """The signed-in person's drafts by form name, removed from storage as they are handed back."""
    with ctx.write() as session:
        rows = list(session.scalars(select(Draft).where(Draft.staff_id == ctx.actor.id)))
        drafts = {row.form: json.loads(row.payload) for row in rows}
        session.execute(delete(Draft).where(Draft.staff_id == ctx.actor.id))
    return drafts


def has_drafts(ctx: SignedIn) -> bool:
    with ctx.read() as session:
        return session.scalars(
            select(Draft.id).where(Draft.staff_id == ctx.actor.id).limit(1)
        ).first() is not None
