"""The true counts behind an anonymous report: aggregation queries over calls and cases.

Everything here comes back as `CountTable`s of plain `Count`s: a key, a label and a number.
No type in this module has a field that could hold a name, an address, a full postcode, a date
of birth, a school, a case reference or free text, and no query reads those columns: areas
are postcode districts (`MK6`), which is all a call stores.

Every count has a `key` naming the quantity it measures ("channel:phone", "contacts"). The same
key in two tables is the same number: disclosure control relies on that to treat a quantity the
same way wherever it appears, so one table cannot give away what another hides.

Cases are counted from the live case records together with the anonymous statistics that
destruction keeps of each destroyed case (app.models.retention.CaseStatistic), so a family's
leaving changes no figure of a period already reported.

These are true values. They must go through `disclosure_control` before anyone sees them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models.calls import Call, CallTopic, Topic
from app.models.cases import Case, CaseStatusChange
from app.models.retention import CaseStatistic, CaseStatisticChange
from app.services.cases.fields import (
    HOW_HEARD,
    YEAR_GROUPS,
    CallerType,
    CaseStatus,
    Channel,
    ChildPhase,
    Outcome,
)
from app.services.reports.period import Month, ReportPeriod

CONTACTS = "contacts"
CASES_OPENED = "cases_opened"
NOT_RECORDED = "Not recorded"
OTHER = "Other"


class Combines(StrEnum):
    """How a count for a longer period follows from counts for its parts.

    Exports are checked together (earlier_exports.py) by writing every figure as a sum of
    unknown counts; this says which unknowns a figure is made of.
    """

    SUM = "sum"  # month by month: a quarter's calls are its three months' calls
    END = "end"  # as things stood at the period's end: cases still open
    PERIOD = "period"  # of the whole period only: families in touch (one family, many months)
    DAY = "day"  # as things stood on the day the report was made: follow-ups not yet done


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    value: int
    # Small categories may be merged into "Other"; months, "not recorded" and the like may not.
    mergeable: bool = True
    combines: Combines = Combines.SUM


@dataclass(frozen=True)
class CountTable:
    key: str
    title: str
    rows: tuple[Count, ...]
    # None where the rows are separate measures that do not add up (opened, closed, open).
    total: Count | None
    note: str = ""
    # "months" draws a column chart over time; "bars" horizontal bars; "" no chart.
    chart: str = "bars"

    def other_key(self) -> str:
        return f"{self.key}:other"


@dataclass(frozen=True)
class ReportData:
    period: ReportPeriod
    tables: tuple[CountTable, ...]


def _label(value: str) -> str:
    return value[:1].upper() + value[1:]


def _in_period(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(Call.at >= start, Call.at < end)


# The call columns counted one category at a time (each has a table of its own).
DIMENSIONS: tuple[InstrumentedAttribute[str | None], ...] = (
    Call.channel, Call.caller_type, Call.child_phase, Call.child_year_group, Call.area_district,
    Call.how_heard, Call.outcome)


def _dimension_counts(session: Session, start: datetime, end: datetime) -> dict[str, dict[str | None, int]]:
    """Counts per value of every dimension, from one read of the period's calls.

    One GROUP BY per column would read (and SQLCipher decrypt) the same pages seven times; a
    year of calls is a few thousand short rows, so counting them here is the quicker way.
    """
    counters: dict[str, Counter[str | None]] = {column.key: Counter() for column in DIMENSIONS}
    for row in session.execute(select(*DIMENSIONS).where(_in_period(start, end))):
        for column, value in zip(DIMENSIONS, row, strict=True):
            counters[column.key][value] += 1
    return {name: dict(counter) for name, counter in counters.items()}


def _category_table(key: str, title: str, choices: Iterable[str], counts: dict[str | None, int],
                    note: str = "") -> CountTable:
    """One row per listed choice (zeros included), then anything unlisted, then not recorded."""
    listed = list(choices)
    rows = [Count(f"{key}:{value}", _label(value), counts.get(value, 0)) for value in listed]
    # A value no longer on the list (renamed in a later version) still counts, under its own name.
    rows += [Count(f"{key}:{value}", _label(value), count) for value, count in sorted(
        (v, c) for v, c in counts.items() if v is not None and v not in listed)]
    rows.append(Count(f"{key}:not recorded", NOT_RECORDED, counts.get(None, 0), mergeable=False))
    return CountTable(key, title, tuple(rows), _total(counts), note)


def _total(counts: dict[str | None, int]) -> Count:
    return Count(CONTACTS, "All contacts", sum(counts.values()), mergeable=False)


def _district_order(district: str) -> tuple[str, int, str]:
    match = re.match(r"^([A-Z]+)(\d+)(.*)$", district)
    if not match:
        return district, 0, ""
    return match.group(1), int(match.group(2)), match.group(3)


def _months_table(session: Session, period: ReportPeriod, start: datetime, end: datetime,
                  today: date) -> CountTable:
    # Months still to come are left out rather than shown as a misleading 0.
    months = [m for m in period.months() if m <= Month.of(today)] or [period.first]
    bounds = [ReportPeriod(m, m).utc_bounds()[1] for m in months]
    # One pass over the period's calls: each falls in the first month whose end it is before.
    which: ColumnElement[int] = literal(0)
    if len(months) > 1:
        which = case(*((Call.at < bound, index) for index, bound in enumerate(bounds[:-1])),
                     else_=len(months) - 1)
    query = select(which, func.count()).where(_in_period(start, end)).group_by(which)
    found = dict(session.execute(query).all())
    rows = tuple(Count(f"month:{m.code}", m.label, found.get(i, 0), mergeable=False)
                 for i, m in enumerate(months))
    total = Count(CONTACTS, "All contacts", sum(found.values()), mergeable=False)
    return CountTable("months", "Contacts per month", rows, total, chart="months")


def _anonymity_table(session: Session, start: datetime, end: datetime) -> CountTable:
    # A destroyed family's calls are anonymous now, but were named when they were made.
    anonymous = and_(Call.anonymous.is_(True), Call.case_statistic_id.is_(None))
    found = dict(session.execute(select(anonymous, func.count()).where(_in_period(start, end))
                                 .group_by(anonymous)).all())
    rows = (Count("anonymity:anonymous", "Anonymous", found.get(True, 0), mergeable=False),
            Count("anonymity:named", "Named", found.get(False, 0),
                  mergeable=False))
    total = Count(CONTACTS, "All contacts", sum(found.values()), mergeable=False)
    return CountTable("anonymity", "Anonymous and named contacts", rows, total,
                      "Named contacts are those where the caller agreed to their details being kept.")


def _topics_table(session: Session, start: datetime, end: datetime) -> CountTable:
    used = dict(session.execute(
        select(CallTopic.topic_id, func.count()).join(Call, Call.id == CallTopic.call_id)
        .where(_in_period(start, end)).group_by(CallTopic.topic_id)).all())
    topics = session.execute(select(Topic.id, Topic.name, Topic.active).order_by(Topic.position, Topic.name))
    rows = [Count(f"topic:{topic_id}", name, used.get(topic_id, 0))
            for topic_id, name, active in topics if active or used.get(topic_id)]
    none = session.scalar(select(func.count()).select_from(Call).where(
        _in_period(start, end), ~exists().where(CallTopic.call_id == Call.id))) or 0
    rows.append(Count("topic:none", "No topic recorded", none, mergeable=False))
    total = Count("topic_mentions", "All topics recorded", sum(c.value for c in rows), mergeable=False)
    return CountTable("topic", "Contacts by topic", tuple(rows), total,
                      "A contact can be about several topics, so this total is more than the "
                      "number of contacts.")


def _families_table(session: Session, period: ReportPeriod, start: datetime, end: datetime) -> CountTable:
    opened = _cases_opened(session, start, end)
    returning = (session.scalar(
        select(func.count(distinct(Call.case_id))).join(Case, Case.id == Call.case_id)
        .where(_in_period(start, end), Case.opened_at < start)) or 0) + (session.scalar(
        select(func.count(distinct(Call.case_statistic_id)))
        .join(CaseStatistic, CaseStatistic.id == Call.case_statistic_id)
        .where(_in_period(start, end), CaseStatistic.opened_at < start)) or 0)
    rows = (Count(CASES_OPENED, "New families", opened, mergeable=False),
            Count("families:returning", "Returning families", returning,
                  mergeable=False, combines=Combines.PERIOD))
    return CountTable("families", "New and returning families", rows,
                      Count("families", "All families with a case", opened + returning, mergeable=False,
                            combines=Combines.PERIOD),
                      "Families with a case record who were in touch: new ones had their case opened in the "
                      "period. Anonymous callers cannot be told apart, so they are not counted here.")


def _cases_opened(session: Session, start: datetime, end: datetime) -> int:
    return sum(session.scalar(select(func.count()).select_from(table).where(
        table.opened_at >= start, table.opened_at < end)) or 0 for table in (Case, CaseStatistic))


def _closed_and_open_at_end(session: Session, changes: type[CaseStatusChange] | type[CaseStatisticChange],
                            case_id: InstrumentedAttribute[int], start: datetime,
                            end: datetime) -> tuple[int, int]:
    """Cases closed in the period, and open at its end, from one history of status changes."""
    closed = session.scalar(select(func.count(distinct(case_id))).where(
        changes.status == CaseStatus.CLOSED.value, changes.at >= start, changes.at < end)) or 0
    # A case's status at the end is its last change before the end (changes are numbered in order).
    last = (select(func.max(changes.id).label("id")).where(changes.at < end)
            .group_by(case_id).subquery())
    still_open = changes.status.in_((CaseStatus.OPEN.value, "reopened"))
    open_at_end = session.scalar(select(func.count()).select_from(changes)
                                 .join(last, last.c.id == changes.id).where(still_open)) or 0
    return closed, open_at_end


def _cases_table(session: Session, period: ReportPeriod, start: datetime, end: datetime) -> CountTable:
    live = _closed_and_open_at_end(session, CaseStatusChange, CaseStatusChange.case_id, start, end)
    kept = _closed_and_open_at_end(session, CaseStatisticChange, CaseStatisticChange.statistic_id,
                                   start, end)
    closed, open_at_end = live[0] + kept[0], live[1] + kept[1]
    rows = (Count(CASES_OPENED, "Opened", _cases_opened(session, start, end), mergeable=False),
            # A case closed, reopened and closed again counts once in the quarter, twice in months.
            Count("cases_closed", "Closed", closed, mergeable=False, combines=Combines.PERIOD),
            Count("cases_open_at_end", f"Open at the end of {period.last.label}", open_at_end,
                  mergeable=False, combines=Combines.END))
    return CountTable("cases", "Cases", rows, None,
                      "Three separate counts, so there is no total.")


def _follow_ups_table(session: Session, period: ReportPeriod, today: date) -> CountTable:
    rows = session.execute(select(Call.follow_up_date, Call.follow_up_done_at).where(
        Call.follow_up_date >= period.start, Call.follow_up_date < period.end))
    counts = {"on time": 0, "late": 0, "overdue": 0, "not due": 0}
    for due, done_at in rows:
        if done_at is not None:
            # The due day is a local calendar day; the moment it was done is stored in UTC.
            done_day = done_at.replace(tzinfo=UTC).astimezone().date()
            counts["on time" if done_day <= due else "late"] += 1
        else:
            counts["overdue" if due < today else "not due"] += 1
    # Which of them are done, late or overdue depends on the day the report is made.
    day = Combines.DAY
    found = [Count("follow_ups:on time", "Done on or before the day", counts["on time"], mergeable=False,
                   combines=day),
             Count("follow_ups:late", "Done after the day", counts["late"], mergeable=False, combines=day),
             Count("follow_ups:overdue", "Not done, and the day has passed", counts["overdue"],
                   mergeable=False, combines=day)]
    if period.end > today:
        found.append(Count("follow_ups:not due", "Not yet due", counts["not due"], mergeable=False,
                           combines=day))
    return CountTable("follow_ups", "Follow-ups due in the period", tuple(found),
                      Count("follow_ups_due", "All follow-ups due", sum(counts.values()), mergeable=False))


def collect(session: Session, period: ReportPeriod, today: date) -> ReportData:
    """Every table of the report, as true counts, for calls made in `period`."""
    start, end = period.utc_bounds()

    counts = _dimension_counts(session, start, end)

    def grouped(column: InstrumentedAttribute[str | None]) -> dict[str | None, int]:
        return counts[column.key]

    def values(kind: type[StrEnum]) -> list[str]:
        return [member.value for member in kind]

    areas = grouped(Call.area_district)
    tables = (
        _months_table(session, period, start, end, today),
        _anonymity_table(session, start, end),
        _category_table("channel", "Contacts by channel", values(Channel), grouped(Call.channel)),
        _category_table("caller_type", "Contacts by who called", values(CallerType),
                        grouped(Call.caller_type)),
        _topics_table(session, start, end),
        _category_table("phase", "Contacts by the child's phase of education", values(ChildPhase),
                        grouped(Call.child_phase)),
        _category_table("year_group", "Contacts by the child's year group", YEAR_GROUPS,
                        grouped(Call.child_year_group)),
        _category_table("area", "Contacts by area (postcode district)",
                        sorted((a for a in areas if a), key=_district_order), areas),
        _category_table("how_heard", "Contacts by how they heard of the service", HOW_HEARD,
                        grouped(Call.how_heard)),
        _category_table("outcome", "Contacts by outcome", values(Outcome), grouped(Call.outcome)),
        _families_table(session, period, start, end),
        _cases_table(session, period, start, end),
        _follow_ups_table(session, period, today),
    )
    return ReportData(period, tables)


def earliest_month(session: Session) -> Month | None:
    """The month of the first call on record, for offering periods that hold something."""
    first = session.scalar(select(func.min(Call.at)))
    if first is None:
        return None
    return Month.of(first.replace(tzinfo=UTC).astimezone().date())
