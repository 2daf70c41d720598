"""The period a report covers: a month, a quarter, a financial year or a range of whole months.

Nothing finer than a month is offered: a report for a single week or day could single out the
one family who called then. Financial years run April to March, and quarters are quarters of
the financial year (Q1 is April to June), as the services report to their funders.

Months are calendar months in the office's local time; `utc_bounds` turns them into the naive
UTC the database stores, so a call at 00:30 on 1 April (British Summer Time) counts in April.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from app.services.people import InvalidInput

# Ten years of months: enough for "everything since we started"; longer tables stop being read.
MAX_MONTHS = 120
FIRST_YEAR = 2000
FINANCIAL_YEAR_START = 4  # April

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_MONTH_CODE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial year"
    RANGE = "range"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise InvalidInput("A month is numbered 1 to 12.", "month")

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str, field: str = "month") -> Month:
        """'2025-04' (as typed on the command line) or InvalidInput naming `field`."""
        match = _MONTH_CODE.match(text or "")
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InvalidInput(f"Write the month as year-month, such as 2025-04 (not {text!r}).", field)
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def name(self) -> str:
        return MONTH_NAMES[self.month - 1]

    @property
    def label(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def short_label(self) -> str:
        return f"{self.name[:3]} {self.year}"

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def months_until(self, other: Month) -> int:
        """How many months from this one to `other` (0 for the same month)."""
        return (other.year - self.year) * 12 + other.month - self.month


def financial_year_of(month: Month) -> int:
    """The year in which the financial year holding `month` starts (2025 for March 2026)."""
    return month.year if month.month >= FINANCIAL_YEAR_START else month.year - 1


def financial_year_name(start_year: int) -> str:
    return f"{start_year}–{str(start_year + 1)[-2:]}"


@dataclass(frozen=True)
class ReportPeriod:
    """Whole months from `first` to `last`, both included."""

    first: Month
    last: Month
    kind: PeriodKind = PeriodKind.RANGE

    def months(self) -> list[Month]:
        return [self.first.plus(n) for n in range(self.first.months_until(self.last) + 1)]

    @property
    def start(self) -> date:
        return self.first.first_day()

    @property
    def end(self) -> date:
        """The first day after the period."""
        return self.last.plus(1).first_day()

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Local midnight at the start and just after the end, as stored (naive UTC)."""
        return _utc_midnight(self.start), _utc_midnight(self.end)

    @property
    def span(self) -> str:
        """'April 2025 to March 2026', 'April to June 2025' or 'May 2025'."""
        if self.first == self.last:
            return self.first.label
        if self.first.year == self.last.year:
            return f"{self.first.name} to {self.last.label}"
        return f"{self.first.label} to {self.last.label}"

    @property
    def label(self) -> str:
        """The period as a title: the span, named as a quarter or financial year where it is one."""
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return f"Financial year {financial_year_name(self.first.year)} ({self.span})"
        if self.kind is PeriodKind.QUARTER:
            start = financial_year_of(self.first)
            number = self.first.plus(-FINANCIAL_YEAR_START + 1).month // 3 + 1
            return f"Quarter {number} of {financial_year_name(start)} ({self.span})"
        return self.span


def _utc_midnight(day: date) -> datetime:
    # A naive datetime's astimezone() reads it as local time, which is what a month means here.
    return datetime.combine(day, time()).astimezone(UTC).replace(tzinfo=None)


def month_period(month: Month) -> ReportPeriod:
    return ReportPeriod(month, month, PeriodKind.MONTH)


def quarter_period(financial_year: int, quarter: int) -> ReportPeriod:
    """Quarter 1 to 4 of the financial year starting in April of `financial_year`."""
    if not 1 <= quarter <= 4:
        raise InvalidInput("Choose quarter 1, 2, 3 or 4.", "quarter")
    first = Month(financial_year, FINANCIAL_YEAR_START).plus(3 * (quarter - 1))
    return ReportPeriod(first, first.plus(2), PeriodKind.QUARTER)


def financial_year_period(start_year: int) -> ReportPeriod:
    first = Month(start_year, FINANCIAL_YEAR_START)
    return ReportPeriod(first, first.plus(11), PeriodKind.FINANCIAL_YEAR)


def month_range(first: Month, last: Month) -> ReportPeriod:
    """A range of whole months, named as a quarter or financial year when it is exactly one."""
    if last < first:
        raise InvalidInput("The last month comes before the first; swap them round.", "last")
    count = first.months_until(last) + 1
    if count > MAX_MONTHS:
        raise InvalidInput(f"Choose at most {MAX_MONTHS // 12} years ({MAX_MONTHS} months) at a time.",
                           "last")
    if first.year < FIRST_YEAR:
        raise InvalidInput("Check the year: Confide holds no calls from before 2000.", "first")
    if first == last:
        return month_period(first)
    if count == 12 and first.month == FINANCIAL_YEAR_START:
        return financial_year_period(first.year)
    if count == 3 and (first.month - FINANCIAL_YEAR_START) % 3 == 0:
        return ReportPeriod(first, last, PeriodKind.QUARTER)
    return ReportPeriod(first, last, PeriodKind.RANGE)


def check_not_future(period: ReportPeriod, today: date) -> None:
    """A period may include the current month (figures to date) but not start after it."""
    if period.first > Month.of(today):
        raise InvalidInput(f"{period.first.label} has not started yet; choose an earlier period.", "first")


def is_complete(period: ReportPeriod, today: date) -> bool:
    return period.end <= today
