"""Dates and times as people write them: "4 December 2026", "4 December 2026 at 10:15".

Kept apart from the PDF toolkit so that a service can word its records without loading
reportlab; the toolkit re-exports these for the documents it lays out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def _local(moment: datetime) -> datetime:
    """Confide stores naive UTC; people read the office's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def long_day(day: date) -> str:
    """A calendar date (a birthday, a review date): no time zone to convert."""
    return f"{day.day} {day.strftime('%B %Y')}"


def long_date(moment: datetime) -> str:
    return long_day(_local(moment))


def clock_time(moment: datetime) -> str:
    return _local(moment).strftime("%H:%M")


def long_date_time(moment: datetime) -> str:
    return f"{long_date(moment)} at {clock_time(moment)}"
