"""Legal hold: a manager stops a case's destruction, with a reason, until the hold is lifted.

Retention still archives a held case on its date; it never destroys one (see `retention`).
Placing, changing and lifting a hold are audited with the reason given.
"""

from __future__ import annotations

from app.services import audit, changes
from app.services.access import require_case, require_manager, target
from app.services.cases.fields import text as check_text
from app.services.context import SignedIn
from app.services.people import InvalidInput

HOLD_REASON_MAX = 300


def _hold_reason(reason: str) -> str:
    return check_text(reason, "hold_reason", "Reason for the hold", HOLD_REASON_MAX, required=True)


def set_legal_hold(ctx: SignedIn, case_id: int, hold_reason: str,
                   reason: str | None = None) -> str:
    """Stop destruction of the case until a manager lifts the hold; returns the reason stored."""
    require_manager(ctx.actor, "place a case on legal hold")
    cleaned = _hold_reason(hold_reason)
    with ctx.write() as session:
        # Allowed on an archived case: a hold is not a change to the family's record.
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        action = "legal hold changed" if case.legal_hold_reason else "legal hold placed"
        case.legal_hold_reason = cleaned
        audit.record(session, ctx.actor, action, target=target(case), detail={"reason": cleaned})
        reference = case.reference
    changes.publish(changes.CASE_CHANGED, reference)
    return cleaned


def lift_legal_hold(ctx: SignedIn, case_id: int, lift_reason: str, reason: str | None = None) -> None:
    """The hold is over; the rules apply again from the next run."""
    require_manager(ctx.actor, "lift a legal hold")
    cleaned = check_text(lift_reason, "lift_reason", "Why the hold is lifted", HOLD_REASON_MAX,
                         required=True)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        if not case.legal_hold_reason:
            raise InvalidInput("This case is not on legal hold.", "lift_reason")
        case.legal_hold_reason = None
        audit.record(session, ctx.actor, "legal hold lifted", target=target(case),
                     detail={"reason": cleaned})
        reference = case.reference
    changes.publish(changes.CASE_CHANGED, reference)

