"""The service's logo for letterheads, kept in the encrypted database with the other settings."""

from __future__ import annotations

import base64

from sqlalchemy.orm import Session

from app.models.foundation import Setting
from app.services import audit, settings
from app.services.access import require_manager
from app.services.context import SignedIn
from app.services.people import InvalidInput

LOGO_SETTING = "letterhead_logo"
LOGO_MAX_BYTES = 1024 * 1024
LOGO_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def logo(session: Session) -> bytes | None:
    stored = settings.read_private(session, LOGO_SETTING)
    return base64.b64decode(stored) if stored else None


def current_logo(ctx: SignedIn) -> bytes | None:
    with ctx.read() as session:
        return logo(session)


def set_logo(ctx: SignedIn, content: bytes | None) -> None:
    """A PNG or JPEG up to 1 MB for the top of every letter; None takes it off."""
    require_manager(ctx.actor, "change the letterhead")
    if content is not None:
        if len(content) > LOGO_MAX_BYTES:
            raise InvalidInput("The logo must be under 1 MB; save it smaller.", "logo")
        if not content.startswith(LOGO_SIGNATURES):
            raise InvalidInput("The logo must be a PNG or JPEG picture.", "logo")
    with ctx.write() as session:
        if content is None:
            row = session.get(Setting, LOGO_SETTING)
            if row is not None:
                session.delete(row)
        else:
            settings.write(session, {LOGO_SETTING: base64.b64encode(content).decode("ascii")})
        audit.record(session, ctx.actor, "letterhead logo " + ("removed" if content is None else "changed"))
