"""Times as people read them: stored as naive UTC, shown in the computer's local time."""

from __future__ import annotations

from datetime import UTC, date, datetime


def to_local(at_utc: datetime) -> datetime:
    """Naive local time for a stored naive-UTC time."""
    return at_utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def to_utc(at_local: datetime) -> datetime:
    """Naive UTC for a naive local time typed by a person."""
    return at_local.astimezone(UTC).replace(tzinfo=None)


def moment_text(at_utc: datetime | None) -> str:
    """'22/11/2026 14:05' in local time, or nothing."""
    return to_local(at_utc).strftime("%d/%m/%Y %H:%M") if at_utc else ""


def day_text(value: date | datetime | None) -> str:
    """A calendar date (a date of birth, a follow-up day) is shown as it was entered."""
    return value.strftime("%d/%m/%Y") if value else ""
