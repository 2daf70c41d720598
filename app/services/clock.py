"""The current time, in one place so tests can move it with time-machine."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)
