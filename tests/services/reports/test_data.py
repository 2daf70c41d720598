"""A family leaving changes no published figure: every report table, by both methods, is the
same before and after destroying any of the cases, whichever of the three paths destroys them
(withdrawal of consent, erasure on request, retention)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models.cases import Case
from app.services.calls.calls import CallDetails, NamedCall, log_anonymous_call, log_named_call
from app.services.cases import cases
from app.services.cases.fields import ConsentMethod
from app.services.consent import consent
from app.services.context import SignedIn
from app.services.reports.disclosure_control import Method, Rules
from app.services.reports.period import (
    Month,
    ReportPeriod,
    financial_year_period,
    month_period,
    quarter_period,
)
from app.services.reports.report import build_report
from app.services.retention import legal_hold, retention, subject_access
from app.services.retention.rules import DEFAULT_RULES
from tests.services.case_helpers import YES, family

YEAR_START = datetime(2025, 4, 1, 9, 0)
# Reports are read as on this day, before and after: the months table and follow-ups depend on it.
READ_ON = datetime(2026, 6, 1, 12, 0)
CLOSE_FOR_RETENTION = datetime(2027, 1, 4, 12, 0)
RETENTION_RUN = datetime(2034, 6, 1, 12, 0)  # long after every case is due for destruction
PERIODS: tuple[ReportPeriod, ...] = (
    *(month_period(Month(2025, 4).plus(n)) for n in range(12)),
    *(quarter_period(2025, q) for q in (1, 2, 3, 4)),
    financial_year_period(2025),
)
METHODS = (Rules(method=Method.ROUNDING), Rules(method=Method.SUPPRESSION))


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


@dataclass(frozen=True)
class Family:
    opened_day: int  # days after the year's start
    later_calls: tuple[int, ...]  # days after opening
    closed_after: int | None  # days after opening
    reopened_after: int | None  # days after closing
    destroyed: bool


families = st.builds(
    Family,
    opened_day=st.integers(0, 330),
    later_calls=st.lists(st.integers(1, 200), max_size=3).map(tuple),
    closed_after=st.none() | st.integers(1, 150),
    reopened_after=st.none() | st.integers(1, 60),
    destroyed=st.booleans(),
)


def every_table(ctx: SignedIn) -> list[object]:
    with at(READ_ON):
        return [(period.label, rules.method, build_report(ctx, period, rules).tables)
                for period in PERIODS for rules in METHODS]


def make_family(ctx: SignedIn, number: int, plan: Family) -> int:
    opened = YEAR_START + timedelta(days=plan.opened_day)
    parents, children = family(f"Test{number}")
    with at(opened):
        record = log_named_call(ctx, NamedCall(CallDetails(area_district="MK6"), YES,
                                               parents=parents, children=children))
    case_id = record.case_id or 0
    for offset in plan.later_calls:
        with at(opened + timedelta(days=offset)):
            log_named_call(ctx, NamedCall(CallDetails(area_district="MK6"), YES, case_id=case_id))
    if plan.closed_after is not None:
        closed = opened + timedelta(days=plan.closed_after)
        with at(closed):
            cases.close_case(ctx, case_id)
        if plan.reopened_after is not None:
            with at(closed + timedelta(days=plan.reopened_after)):
                cases.reopen_case(ctx, case_id)
    return case_id


def destroy(ctx: SignedIn, path: str, doomed: list[int], kept: list[int]) -> None:
    if path == "retention":
        # Retention destroys closed cases once their time is up: close the open ones long after
        # every reported period, which changes none of its figures.
        with at(CLOSE_FOR_RETENTION):
            for case_id in doomed:
                if cases.reload_case(ctx, case_id).status.value != "closed":
                    cases.close_case(ctx, case_id)
        retention.save_rules(ctx, replace(DEFAULT_RULES, retention_preset="surrey"))
        for case_id in kept:
            legal_hold.set_legal_hold(ctx, case_id, "Kept for the test")
        with at(RETENTION_RUN):
            summary = retention.run(ctx)
        assert summary.counts["destroyed"] >= len(doomed)
        for case_id in kept:
            legal_hold.lift_legal_hold(ctx, case_id, "Test over", reason="Test")
        return
    for case_id in doomed:
        reference = cases.case_reference(ctx, case_id)
        if path == "withdrawal":
            consent.withdraw_keep_details(ctx, case_id, ConsentMethod.VERBAL, reference)
        else:
            subject_access.erase_on_request(ctx, case_id, reference, reason="Erasure request")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(families, min_size=1, max_size=4),
       anonymous_days=st.lists(st.integers(0, 364), max_size=3),
       path=st.sampled_from(["withdrawal", "erasure", "retention"]))
def test_destroying_families_changes_no_figure_of_any_report(
        manager: SignedIn, plans: list[Family], anonymous_days: list[int], path: str) -> None:
    # Earlier examples' cases stay in the database; only this example's are destroyed, so a
    # retention run keeps every other open case on hold.
    with manager.read() as session:
        earlier = list(session.scalars(select(Case.id)))
    ids = [make_family(manager, number, plan) for number, plan in enumerate(plans)]
    for day in anonymous_days:
        with at(YEAR_START + timedelta(days=day)):
            log_anonymous_call(manager, CallDetails(area_district="MK9"))
    doomed = [case_id for case_id, plan in zip(ids, plans, strict=True) if plan.destroyed]
    kept = [case_id for case_id in [*earlier, *ids] if case_id not in doomed]
    before = every_table(manager)
    destroy(manager, path, doomed, kept)
    assert every_table(manager) == before
