"""Clearing the summaries of anonymous calls once the destroy period has passed.

An anonymous call has no family to destroy, but its summary is free text an adviser may have
typed a name into (app/services/calls/summary_check.py warns, and may be overridden). So the
summary goes after the same period as a family's records: the destroy rule's years after the
call, the call being its only activity. The call itself stays: its date, topics, outcome and
every other statistic still count in the reports.

A call on a case is left alone: its summary goes with the case when the case is destroyed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, literal_column, update
from sqlalchemy.orm import Session

from app.models.calls import Call
from app.services.retention.rules import RetentionRules, anonymous_summary_cutoff


def _due(cutoff: date) -> ColumnElement[bool]:
    # The empty string is written as a literal, not a parameter, so that SQLite can use the
    # partial index of migration 0014 (calls not on a case whose summary is kept).
    return and_(Call.case_id.is_(None), Call.summary != literal_column("''"),
                Call.at < datetime(cutoff.year, cutoff.month, cutoff.day))


def clear(session: Session, rules: RetentionRules, on: date) -> int:
    """Empty the summaries due by `on`; returns how many were cleared."""
    cutoff = anonymous_summary_cutoff(rules, on)
    if cutoff is None:
        return 0
    result = session.execute(update(Call).where(_due(cutoff)).values(summary="")
                             .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
