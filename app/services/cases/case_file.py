"""The case row's own marks: when the case last saw activity, and its safeguarding flag.

Who may reach a case to change these is decided in `app.services.access`.
"""

from __future__ import annotations

from datetime import datetime

from app.models.cases import Case
from app.services.clock import now


def raise_safeguarding(case: Case, staff_id: int, at: datetime | None = None) -> None:
    """Flag a concern; the first raiser and time stand until a manager clears the flag."""
    if not case.safeguarding:
        case.safeguarding = True
        case.safeguarding_raised_at = (at or now()).replace(microsecond=0)
        case.safeguarding_raised_by = staff_id


def clear_safeguarding(case: Case) -> None:
    case.safeguarding = False
    case.safeguarding_raised_at = None
    case.safeguarding_raised_by = None


def touch(case: Case, at: datetime | None = None) -> None:
    """Mark activity on the case (retention counts inactivity from here)."""
    when = (at or now()).replace(microsecond=0)
    if when > case.last_activity_at:
        case.last_activity_at = when
