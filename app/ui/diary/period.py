"""Which days a diary view covers: a day, a week from Monday, or a month in whole weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from app.ui.widgets.times import to_utc


class ViewKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    kind: ViewKind
    anchor: date  # the day the person is looking at; stays put when switching views

    @property
    def first_day(self) -> date:
        if self.kind is ViewKind.DAY:
            return self.anchor
        if self.kind is ViewKind.WEEK:
            return self.anchor - timedelta(days=self.anchor.weekday())
        first = self.anchor.replace(day=1)
        return first - timedelta(days=first.weekday())

    @property
    def days(self) -> list[date]:
        if self.kind is ViewKind.DAY:
            return [self.anchor]
        if self.kind is ViewKind.WEEK:
            return [self.first_day + timedelta(days=n) for n in range(7)]
        first = self.first_day
        month = self.anchor.month
        count = 35
        while (first + timedelta(days=count)).month == month:
            count += 7
        return [first + timedelta(days=n) for n in range(count)]

    @property
    def last_day(self) -> date:
        return self.days[-1]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The naive-UTC window from local midnight of the first day to that after the last."""
        start = datetime.combine(self.first_day, time())
        end = datetime.combine(self.last_day + timedelta(days=1), time())
        return to_utc(start), to_utc(end)

    def step(self, direction: int) -> Period:
        if self.kind is ViewKind.DAY:
            return Period(self.kind, self.anchor + timedelta(days=direction))
        if self.kind is ViewKind.WEEK:
            return Period(self.kind, self.anchor + timedelta(days=7 * direction))
        month = self.anchor.month - 1 + direction
        year = self.anchor.year + month // 12
        return Period(self.kind, date(year, month % 12 + 1, 1))

    @property
    def title(self) -> str:
        if self.kind is ViewKind.DAY:
            return f"{self.anchor:%A} {self.anchor.day} {self.anchor:%B %Y}"
        if self.kind is ViewKind.WEEK:
            first, last = self.first_day, self.last_day
            if first.month == last.month:
                return f"Week of {first.day}–{last.day} {last:%B %Y}"
            if first.year == last.year:
                return f"Week of {first.day} {first:%B} – {last.day} {last:%B %Y}"
            return f"Week of {first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
        return f"{self.anchor:%B %Y}"
