"""The register of exports made with small counts hidden, and the check a new export passes.

Hiding small counts inside one report is not enough once a service has exported several: a
quarter minus its months, or a year minus its quarters, gives back what each of them hid.
Every export made with suppression is kept here as what it showed (period, day, each figure
or the fact that it was hidden; never a true hidden count, never a name). Before a report is
shown or exported with suppression, further cells of it are hidden until no hidden figure of
any export in the register, or of the new one, can be worked out exactly or bounded within
1 to threshold−1 from all of them together (linked_figures.exposed, an exact solver).

Only the new report can change, so only its cells are hidden; a figure an earlier export gave
away before this register existed cannot be taken back and is not counted against the new one.
The rounding method publishes no exact figure and is not affected.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.reports import ExportedReport
from app.services.people import InvalidInput
from app.services.reports.data import OTHER, Combines, CountTable
from app.services.reports.disclosure_control import suppressed_keys
from app.services.reports.linked_figures import Cell, Export, Exposed, Role, exposed
from app.services.reports.period import Month, ReportPeriod

NOTE = ("Some further figures are hidden, also marked *, because together with reports this "
        "service exported before they would let a hidden count be worked out.")


class CannotBeProtected(InvalidInput):
    """Reports already exported pin this period's small counts whatever it hides."""

    def __init__(self) -> None:
        super().__init__("With small counts hidden, this period cannot be reported: the reports "
                         "already exported for periods overlapping it would let a small count in it "
                         "be worked out, even with every figure hidden. Choose a longer period that "
                         "includes it, or ask a manager to use rounding for this report.", "period")


@dataclass(frozen=True)
class Protected:
    hidden: frozenset[str]
    # True when cells were hidden only because of earlier exports (the report says so).
    extra: bool
    figures: tuple[Cell, ...]


def cells(tables: Sequence[CountTable], hidden: set[str] | frozenset[str]) -> tuple[Cell, ...]:
    """What the merged tables show once `hidden` is hidden, as the register keeps it."""
    found = []
    for table in tables:
        for count in table.rows:
            if not count.mergeable:
                role = Role.FIXED
            elif count.label.casefold() == OTHER.casefold():
                role = Role.OTHER
            else:
                role = Role.ROW
            found.append(Cell(table.key, count.key, role, count.combines,
                              None if count.key in hidden else count.value))
        if table.total is not None:
            total = table.total
            found.append(Cell(table.key, total.key, Role.TOTAL, total.combines,
                              None if total.key in hidden else total.value))
    return tuple(found)


def _export(period: ReportPeriod, made_on: date, complete: bool, threshold: int,
            figures: tuple[Cell, ...]) -> Export:
    return Export(period.first, period.last, made_on, complete, threshold, figures)


def register(session: Session) -> list[Export]:
    """Every export made with suppression, oldest first."""
    rows = session.scalars(select(ExportedReport).order_by(ExportedReport.made_at, ExportedReport.id))
    return [Export(Month.parse(row.first_month), Month.parse(row.last_month), row.made_on, row.complete,
                   row.threshold, _decode(row.figures)) for row in rows]


def record(session: Session, period: ReportPeriod, made_at: datetime, made_on: date, complete: bool,
           threshold: int, figures: tuple[Cell, ...]) -> None:
    session.add(ExportedReport(made_at=made_at, made_on=made_on, first_month=period.first.code,
                               last_month=period.last.code, complete=complete, threshold=threshold,
                               figures=_encode(figures)))


def _encode(figures: tuple[Cell, ...]) -> str:
    # Role and Combines are StrEnums, so they are written as their plain text.
    return json.dumps([asdict(c) for c in figures], separators=(",", ":"))


def _decode(text: str) -> tuple[Cell, ...]:
    return tuple(Cell(**{**item, "role": Role(item["role"]), "combines": Combines(item["combines"])})
                 for item in json.loads(text))


def linked(earlier: Sequence[Export], period: ReportPeriod) -> list[Export]:
    """The earlier exports connected to `period` through a chain of overlapping periods.

    Figures of periods that share no month with this one, nor with any export that does, share
    no unknown with it, so they cannot help work out anything it hides.
    """
    reach = [(period.first, period.last)]
    chosen = [False] * len(earlier)
    grown = True
    while grown:
        grown = False
        for n, export in enumerate(earlier):
            if not chosen[n] and any(export.first <= last and first <= export.last for first, last in reach):
                reach.append((export.first, export.last))
                chosen[n] = grown = True
    return [export for export, taken in zip(earlier, chosen, strict=True) if taken]


def protect(tables: Sequence[CountTable], threshold: int, period: ReportPeriod, made_on: date,
            complete: bool, earlier: Sequence[Export]) -> Protected:
    """The cells to hide in this report, given every export already made with suppression.

    The report alone is checked too: the solver also finds what a table's own totals bound
    within 1 to threshold−1 and the simple rules of `suppressed_keys` let through. Raises
    CannotBeProtected when even hiding every figure would give a count away.
    """
    hidden = frozenset(suppressed_keys(list(tables), threshold))
    others = linked(earlier, period)
    everything = frozenset(c.key for t in tables for c in (*t.rows, *((t.total,) if t.total else ())))
    newest = len(others)
    # What the earlier exports give away by themselves, with nothing of this one shown: nothing
    # this report hides can take it back, and hiding more for it would only hide figures
    # already out.
    known: set[tuple[int, str]] = set()
    if others:
        blank = _export(period, made_on, complete, threshold, cells(tables, frozenset()))
        known = {(item.export, item.key) for item in exposed([*others, blank], unseen_last=True)}
    extra: set[str] = set()
    while True:
        figures = cells(tables, hidden)
        found = [item for item in exposed([*others, _export(period, made_on, complete, threshold, figures)])
                 if (item.export, item.key) not in known]
        if not found:
            return Protected(hidden, bool(extra) and bool(others), figures)
        useless = hidden | {key for index, key in known if index == newest}
        shown = {c.key: c for c in figures if c.value is not None and c.key not in useless}
        # One cell for each figure given away, so that a long register takes few rounds.
        choices = {choice for item in found if (choice := _next_to_hide(item, figures, shown))}
        if not choices:
            if hidden == everything:
                # Even "hidden" says "1 or more": refuse rather than publish what gives a count away.
                raise CannotBeProtected
            choices = set(everything)
        extra |= choices
        hidden = frozenset(suppressed_keys(list(tables), threshold, frozenset(extra)))


def _next_to_hide(item: Exposed, figures: tuple[Cell, ...], shown: dict[str, Cell]) -> str | None:
    """The shown cell of the new report (of those it may still hide) most directly behind a
    figure given away."""
    for key in item.through:
        if key in shown:
            return key
    # Otherwise the smallest shown figure of a table that holds it, then of any table.
    tables = {c.table for c in figures if c.key == item.key}
    left = sorted((c.value == 0, c.value or 0, c.key) for c in shown.values())
    nearby = [key for *_, key in left if shown[key].table in tables]
    return nearby[0] if nearby else (left[0][-1] if left else None)
