"""Small wording shared by the report's PDF, CSV and screen: dates as people read them."""

from __future__ import annotations

from datetime import UTC, datetime


def local(moment_utc: datetime) -> datetime:
    """Confide stores naive UTC; a report says when it was made in the office's time."""
    return moment_utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def generated_text(moment_utc: datetime) -> str:
    """'22 November 2026 at 14:05'."""
    at = local(moment_utc)
    return f"{at.day} {at.strftime('%B %Y')} at {at.strftime('%H:%M')}"
