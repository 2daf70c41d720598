"""Audit records for what happens to a signed-in session: locked, signed out."""

from __future__ import annotations

from app.services import audit
from app.services.context import SignedIn


def lock(ctx: SignedIn, reason: str) -> None:
    """Record that the screen locked; `reason` is "idle", "asked" or "switch user"."""
    with ctx.write() as session:
        audit.record(session, ctx.actor, "locked", detail={"reason": reason})


def sign_out(ctx: SignedIn) -> None:
    with ctx.write() as session:
        audit.record(session, ctx.actor, "signed out")
