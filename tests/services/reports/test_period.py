"""Report periods: whole months, quarters and financial years from April, in local time."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.services.people import InvalidInput
from app.services.reports.period import (
    Month,
    PeriodKind,
    check_not_future,
    financial_year_of,
    financial_year_period,
    month_period,
    month_range,
    quarter_period,
)


def test_financial_year_runs_april_to_march() -> None:
    year = financial_year_period(2025)
    assert (year.first, year.last) == (Month(2025, 4), Month(2026, 3))
    assert len(year.months()) == 12
    assert (year.start, year.end) == (date(2025, 4, 1), date(2026, 4, 1))
    assert year.label == "Financial year 2025–26 (April 2025 to March 2026)"
    assert financial_year_of(Month(2026, 3)) == 2025 and financial_year_of(Month(2026, 4)) == 2026


def test_quarters_of_the_financial_year() -> None:
    assert quarter_period(2025, 1).label == "Quarter 1 of 2025–26 (April to June 2025)"
    fourth = quarter_period(2025, 4)
    assert (fourth.first, fourth.last) == (Month(2026, 1), Month(2026, 3))
    assert fourth.label == "Quarter 4 of 2025–26 (January to March 2026)"
    with pytest.raises(InvalidInput):
        quarter_period(2025, 5)


def test_a_range_is_named_for_what_it_is() -> None:
    assert month_range(Month(2025, 4), Month(2026, 3)).kind is PeriodKind.FINANCIAL_YEAR
    assert month_range(Month(2025, 10), Month(2025, 12)).kind is PeriodKind.QUARTER
    assert month_range(Month(2025, 5), Month(2025, 5)) == month_period(Month(2025, 5))
    odd = month_range(Month(2025, 5), Month(2026, 2))
    assert odd.kind is PeriodKind.RANGE and odd.label == "May 2025 to February 2026"


def test_ranges_are_checked() -> None:
    with pytest.raises(InvalidInput, match="before"):
        month_range(Month(2026, 3), Month(2025, 4))
    with pytest.raises(InvalidInput, match="at most"):
        month_range(Month(2010, 1), Month(2020, 1))
    with pytest.raises(InvalidInput, match="2025-04"):
        Month.parse("April")
    with pytest.raises(InvalidInput):
        Month.parse("2025-13")
    assert Month.parse(" 2025-4 ") == Month(2025, 4)
    with pytest.raises(InvalidInput, match="not started"):
        check_not_future(month_period(Month(2027, 1)), date(2026, 12, 31))
    check_not_future(month_period(Month(2026, 12)), date(2026, 12, 1))


def test_bounds_are_local_midnight_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        start, end = month_period(Month(2025, 4)).utc_bounds()
        # British Summer Time: midnight on 1 April is 23:00 UTC the day before.
        assert start == datetime(2025, 3, 31, 23, 0)
        assert end == datetime(2025, 4, 30, 23, 0)
        winter_start, _ = month_period(Month(2025, 1)).utc_bounds()
        assert winter_start == datetime(2025, 1, 1, 0, 0)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
