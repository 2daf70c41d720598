"""Retention clears an anonymous call's summary after the destroy period; the call still counts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta

import time_machine

from app.services import audit
from app.services.calls import calls
from app.services.calls.calls import CallDetails
from app.services.context import SignedIn
from app.services.retention import retention
from app.services.retention.rules import add_years
from tests.services.case_helpers import call_statistics

SUMMARY = "Jamie's mum rang from 07700 900123 about a school transfer."


@contextmanager
def on(day: date) -> Iterator[None]:
    with time_machine.travel(datetime.combine(day, datetime.min.time()) + timedelta(hours=10),
                             tick=False):
        yield


def summaries(ctx: SignedIn) -> dict[int, str]:
    with on(date(2040, 1, 1)):
        return {record.id: record.summary for record in calls.recent_calls(ctx, everyone=True)}


def test_summary_cleared_after_the_destroy_period_and_statistics_stay(manager: SignedIn) -> None:
    first, later = date(2026, 2, 10), date(2026, 9, 1)
    with on(first):
        old = calls.log_anonymous_call(manager, CallDetails(summary=SUMMARY, duration_minutes=9,
                                                            area_district="MK6"), save_anyway=True)
    with on(later):
        newer = calls.log_anonymous_call(manager, CallDetails(summary="Asked about transport."))
    statistics = call_statistics(manager)

    with on(add_years(first, 6) - timedelta(days=1)):
        assert retention.run(manager).summaries_cleared == 0
    assert summaries(manager) == {old.id: SUMMARY, newer.id: "Asked about transport."}

    with on(add_years(first, 6)):
        summary = retention.run(manager)
    assert summary.summaries_cleared == 1 and summary.anything
    assert any("1 anonymous call's summary cleared" in line for line in summary.lines())
    assert summaries(manager) == {old.id: "", newer.id: "Asked about transport."}
    assert call_statistics(manager) == statistics
    runs = audit.list_events(manager, audit.AuditFilter(action="retention run"))
    assert '"summaries_cleared": 1' in runs[0].detail

    with on(add_years(later, 6)):
        assert retention.run(manager).summaries_cleared == 1
    assert summaries(manager) == {old.id: "", newer.id: ""}
    assert call_statistics(manager) == statistics
    # The manager's tab reads the count back from the kept summary of the run.
    with on(add_years(later, 6)):
        kept = retention.last_summary(manager)
    assert kept is not None and kept.summaries_cleared == 1


def test_nothing_is_cleared_when_no_destroy_period_is_set(manager: SignedIn) -> None:
    with on(date(2026, 2, 10)):
        record = calls.log_anonymous_call(manager, CallDetails(summary="Asked about transport."))
    rules = retention.load_rules(manager)
    retention.save_rules(manager, replace(rules, retention_preset="custom", destroy_inactive_years=0))
    with on(date(2040, 1, 1)):
        assert retention.run(manager).summaries_cleared == 0
    assert summaries(manager) == {record.id: "Asked about transport."}
