"""What someone holding several exported reports could work out from all of them together.

Suppression inside one report (disclosure_control.suppressed_keys) stops a hidden count being
worked out from that report's own totals. But a quarter's report minus its three months'
reports gives the months' hidden cells exactly, and a year minus its quarters does the same.
Here every figure of every export is written as a sum of unknown non-negative whole numbers,
the counts of each quantity in each stretch of months no two exports split differently, and a
hidden figure is safe only if, given everything shown in all of them:

- its value cannot be worked out exactly. Exact linear algebra: python-flint's integer
  matrices (FLINT, a maintained C library) put the shown figures in reduced row echelon form,
  and a hidden figure that reduces to nothing is a combination of shown ones;
- it cannot be pinned down, or bounded within 1 to threshold−1, by the fact that counts are
  whole numbers, never negative, and hidden ones never 0. Linear programming, and an integer
  check where the LP's best point is fractional: HiGHS (highspy, its own maintained bindings),
  largest and smallest value of the figure.

What an outsider knows besides the figures is written down too: rows of a table add up to its
total month by month; a category missing from a table is 0 there or counted in its "Other";
the months table's rows are the contacts of each month. A count of a period that is not over
yet only says how things stood the day the report was made.

Nothing here reads the database or stores anything: it is given the figures as published.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.services.reports.data import Combines
from app.services.reports.period import Month

MONTHS_TABLE = "months"
# A table's categories that no export ever named (always merged into Other).
UNNAMED = ":never named"
_EPSILON = 1e-6

Atom = tuple[str, str]  # (quantity, stretch of time)


class Role(StrEnum):
    ROW = "row"  # a category that may be merged into Other
    FIXED = "fixed"  # a row never merged: "not recorded", a month, "opened"
    OTHER = "other"  # the row labelled Other: every category of the table not named beside it
    TOTAL = "total"


@dataclass(frozen=True)
class Cell:
    """One published figure: what it counts and the number shown, or None where it was hidden."""

    table: str
    key: str
    role: Role
    combines: Combines
    value: int | None


@dataclass(frozen=True)
class Export:
    """One exported report as an outsider holding it sees it."""

    first: Month
    last: Month
    made_on: date  # the office's calendar day it was made
    complete: bool  # the period was over when it was made
    threshold: int
    cells: tuple[Cell, ...]

    def hidden(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.value is None]


@dataclass(frozen=True)
class Exposed:
    """A hidden figure of export number `export` that can be worked out, and how nearly."""

    export: int
    key: str
    low: float
    high: float  # math.inf when there is no upper bound
    # Shown figures of the last export that take part, most closely linked first.
    through: tuple[str, ...] = ()


@dataclass
class _Line:
    terms: dict[Atom, int]
    value: int
    at_least: bool = False  # True: sum >= value (a hidden figure is never 0); else sum == value
    export: int | None = None  # None: a fact that holds whatever was exported
    key: str = ""
    # False: a figure of a report not made yet, only asked about (it constrains nothing).
    seen: bool = True


@dataclass
class _Model:
    lines: list[_Line] = field(default_factory=list)
    hidden: list[_Line] = field(default_factory=list)
    shown: dict[tuple[int, str], _Line] = field(default_factory=dict)


class _Builder:
    """Writes every figure of the exports as a sum of atoms."""

    def __init__(self, exports: Sequence[Export]) -> None:
        self.exports = exports
        marks: set[Month] = set()
        for export in exports:
            months = self.complete_months(export)
            if months:
                marks.update((months[0], months[-1].plus(1)))
        self.marks = sorted(marks)
        self.monthly = {cell.key for export in exports for cell in export.cells
                        if cell.table == MONTHS_TABLE and cell.role is Role.TOTAL}
        self.named: dict[str, set[str]] = defaultdict(set)
        self.quantities: dict[str, set[str]] = defaultdict(set)
        for export in exports:
            for cell in export.cells:
                if cell.role in (Role.ROW, Role.OTHER):
                    self.named[cell.table].update((cell.key, cell.table + UNNAMED))
                if cell.role in (Role.ROW, Role.FIXED, Role.OTHER):
                    self.quantities[cell.table].add(cell.key)
        for table, named in self.named.items():
            self.quantities[table] |= named
        self.by_month = {table for table in self.quantities if all(
            cell.combines is Combines.SUM for export in exports for cell in export.cells
            if cell.table == table)}
        # Each export's stretches of months ("2026-04..2026-07", the tail of a period not over
        # yet), worked out once: a figure is written many times.
        self._stretches = {id(export): self._cut(export) for export in exports}
        self._complete = {id(export): self.complete_months(export) for export in exports}
        self.spans = {span for stretches in self._stretches.values() for span in stretches}
        self._atoms: dict[tuple[bool, str], list[str]] = {}

    @staticmethod
    def complete_months(export: Export) -> list[Month]:
        months, month = [], export.first
        current = Month.of(export.made_on)
        while month <= export.last and (export.complete or month < current):
            months.append(month)
            month = month.plus(1)
        return months

    @staticmethod
    def tail(export: Export) -> str | None:
        if export.complete:
            return None
        start = max(export.first, Month.of(export.made_on))
        return f"{start.code}..{export.last.code}@{export.made_on.isoformat()}"

    def _cut(self, export: Export) -> list[str]:
        """The export's complete months cut where any other export starts or ends, then its tail."""
        months = self.complete_months(export)
        stretches = []
        if months:
            start, end = months[0], months[-1].plus(1)
            cuts = [m for m in self.marks if start <= m <= end]
            stretches = [f"{a.code}..{b.code}" for a, b in itertools.pairwise(cuts)]
        tail = self.tail(export)
        return stretches + ([tail] if tail else [])

    def over(self, quantity: str, span: str) -> list[Atom]:
        """The atoms of `quantity` in a stretch: one per month for the monthly quantity."""
        monthly = quantity in self.monthly and "@" not in span
        labels = self._atoms.get((monthly, span))
        if labels is None:
            if monthly:
                start, end = (Month.parse(part) for part in span.split(".."))
                labels = [start.plus(n).code for n in range(start.months_until(end))]
            else:
                labels = [span]
            self._atoms[(monthly, span)] = labels
        return [(quantity, label) for label in labels]

    def flow(self, quantity: str, export: Export) -> dict[Atom, int]:
        return {atom: 1 for span in self._stretches[id(export)] for atom in self.over(quantity, span)}

    def unnamed_flow(self, table: str, export: Export) -> dict[Atom, int]:
        """Every category of `table` that `export` does not name, over its period."""
        terms: dict[Atom, int] = {}
        for quantity in self.unnamed(table, export):
            terms.update(self.flow(quantity, export))
        return terms

    def expression(self, cell: Cell, export: Export) -> dict[Atom, int]:
        period = f"{export.first.code}..{export.last.code}"
        day = export.made_on.isoformat()
        if cell.table == MONTHS_TABLE and cell.role is Role.FIXED:
            month = Month.parse(cell.key.partition(":")[2])
            total = next(iter(self.monthly), "contacts")
            if month in self._complete[id(export)]:
                return {(total, month.code): 1}
            tail = self.tail(export)
            return {(total, tail): 1} if tail else {}
        if cell.role is Role.OTHER:
            return self.unnamed_flow(cell.table, export)
        if cell.combines is Combines.SUM:
            return self.flow(cell.key, export)
        if cell.combines is Combines.END:
            return {(cell.key, f"end of {export.last.code}" if export.complete else f"@{day}"): 1}
        if cell.combines is Combines.PERIOD:
            return {(cell.key, period if export.complete else f"{period}@{day}"): 1}
        return {(cell.key, f"{period}@{day}"): 1}

    def unnamed(self, table: str, export: Export) -> list[str]:
        named_here = {cell.key for cell in export.cells if cell.table == table and cell.role is Role.ROW}
        return sorted(self.named[table] - named_here)

    def build(self, unseen_last: bool = False) -> _Model:
        model = _Model()
        for index, export in enumerate(self.exports):
            unseen = unseen_last and index == len(self.exports) - 1
            written: set[str] = set()
            for cell in export.cells:
                terms = self.expression(cell, export)
                if cell.key in written or not terms:
                    continue
                written.add(cell.key)
                if unseen or cell.value is None:
                    model.hidden.append(_Line(terms, 1, True, index, cell.key, seen=not unseen))
                else:
                    line = _Line(terms, cell.value, False, index, cell.key)
                    model.lines.append(line)
                    model.shown[(index, cell.key)] = line
            # A table with no Other row has none of the categories it does not name.
            for table in self.named if not unseen else ():
                if not any(c.table == table and c.role is Role.OTHER for c in export.cells):
                    terms = self.unnamed_flow(table, export)
                    if terms:
                        model.lines.append(_Line(terms, 0))
            model.lines += self._table_sums(export)
        model.lines += self._monthly_sums()
        return model

    def _table_sums(self, export: Export) -> list[_Line]:
        """Rows add up to the total, in each export, for tables that are not sums month by month."""
        lines = []
        for table in {cell.table for cell in export.cells if cell.role is Role.TOTAL}:
            if table == MONTHS_TABLE or table in self.by_month:
                continue
            cells = [c for c in export.cells if c.table == table]
            terms: dict[Atom, int] = defaultdict(int)
            for cell in cells:
                for atom, weight in self.expression(cell, export).items():
                    terms[atom] += -weight if cell.role is Role.TOTAL else weight
            lines.append(_Line({a: w for a, w in terms.items() if w}, 0))
        return lines

    def _monthly_sums(self) -> list[_Line]:
        """A table's rows add up to its total over every stretch of months (a partition of calls)."""
        lines = []
        tables = {cell.table: cell.key for export in self.exports for cell in export.cells
                  if cell.role is Role.TOTAL and cell.table != MONTHS_TABLE}
        for table, total in tables.items():
            if table not in self.by_month:
                continue
            for span in sorted(self.spans):
                terms: dict[Atom, int] = defaultdict(int)
                for atom in self.over(total, span):
                    terms[atom] -= 1
                for quantity in self.quantities[table]:
                    for atom in self.over(quantity, span):
                        terms[atom] += 1
                lines.append(_Line({a: w for a, w in terms.items() if w}, 0))
        return lines


PROBE = -1  # Exposed.export of a count no figure shows by itself (a month's phone calls)


def exposed(exports: Sequence[Export], unseen_last: bool = False) -> list[Exposed]:
    """Every hidden figure of `exports` that the shown figures of all of them give away.

    unseen_last: the last export is not made yet: what the others give away of its figures
    (and of everything else) by themselves, with nothing of it shown or hidden.

    Also every count the figures never show by themselves but that differences between them
    do (May's phone calls, from April to May less April): such a count must not come out as
    a small number either (held within 1 to threshold−1; "0 to 4" says no more than "<5").
    Those come back with `export` PROBE and the count as `key`.

    The last export is taken to be the newest (the one about to be made): where the published
    figures disagree because records were changed in between, its figures are trusted.
    """
    if not exports:
        return []
    model = _Builder(exports).build(unseen_last)
    fixed, active = _presolve(model, len(exports) - 1)
    threshold = max(export.threshold for export in exports)
    atoms = sorted({a for line in [*model.lines, *model.hidden] for a in line.terms})
    probes = [_Line({atom: 1}, 1, True, PROBE, f"{atom[0]} in {atom[1]}") for atom in atoms]
    found: list[Exposed] = []
    pending: list[_Line] = []
    for line in [*model.hidden, *probes]:
        rest = {a: w for a, w in line.terms.items() if a not in fixed}
        if rest:
            pending.append(line)
            continue
        value = sum(fixed[a] * w for a, w in line.terms.items())
        if line.export != PROBE or 0 < value < threshold:
            found.append(Exposed(line.export or 0, line.key, value, value))
    for lines, hidden in _components(active, pending, fixed):
        found += _check_component(lines, hidden, fixed, exports)
    targets = {(line.export, line.key): line for line in [*model.hidden, *probes]}
    newest = [(key, line) for (index, key), line in model.shown.items() if index == len(exports) - 1]
    return [_with_links(item, targets[(item.export, item.key)], newest) for item in found]


def _with_links(item: Exposed, target: _Line, newest: list[tuple[str, _Line]]) -> Exposed:
    """Name the newest export's shown figures that share a count with the exposed one.

    Smallest first, but a shown 0 last: hiding a 0 takes "0 means none" away from the reader.
    """
    quantities = {atom[0] for atom in target.terms}
    direct, related = [], []
    for key, line in newest:
        rank = (line.value == 0, line.value)
        if not line.terms.keys().isdisjoint(target.terms):
            direct.append((rank, key))
        elif any(atom[0] in quantities for atom in line.terms):
            related.append((rank, key))
    return Exposed(item.export, item.key, item.low, item.high,
                   tuple(key for _, key in sorted(direct) + sorted(related)))


def _presolve(model: _Model, newest: int) -> tuple[dict[Atom, int], list[_Line]]:
    """Settle the atoms the figures fix outright: zeros, and sums with one unknown left.

    Lines are taken newest export first, so when records changed between two exports and their
    figures disagree, the older figure is the one set aside.
    """
    order = sorted(model.lines, key=lambda line: (line.export is not None and line.export != newest,
                                                  -(line.export or 0)))
    fixed: dict[Atom, int] = {}
    active = list(order)
    changed = True
    while changed:
        changed = False
        kept = []
        for line in active:
            free = {a: w for a, w in line.terms.items() if a not in fixed}
            rest = line.value - sum(fixed[a] * w for a, w in line.terms.items() if a in fixed)
            if not free:
                continue  # settled (a figure that disagrees with newer ones is dropped here)
            if rest == 0 and all(w > 0 for w in free.values()):
                fixed.update(dict.fromkeys(free, 0))
                changed = True
                continue
            if len(free) == 1:
                (atom, weight), = free.items()
                if rest % weight == 0 and rest // weight >= 0:
                    fixed[atom] = rest // weight
                    changed = True
                continue
            kept.append(line)
        active = kept
    return fixed, active


def _components(lines: list[_Line], hidden: list[_Line],
                fixed: dict[Atom, int]) -> Iterable[tuple[list[_Line], list[_Line]]]:
    """Split the unknowns into groups no figure links, and yield each group that holds a hidden one."""
    parent: dict[Atom, Atom] = {}

    def root(atom: Atom) -> Atom:
        parent.setdefault(atom, atom)
        while parent[atom] != atom:
            parent[atom] = parent[parent[atom]]
            atom = parent[atom]
        return atom

    # Every line here has at least one free atom (presolve drops the settled ones).
    first = {id(line): next(a for a in line.terms if a not in fixed) for line in [*lines, *hidden]}
    for line in [*lines, *hidden]:
        for atom in line.terms:
            if atom not in fixed:
                parent[root(atom)] = root(first[id(line)])
    groups_lines: dict[Atom, list[_Line]] = defaultdict(list)
    groups_hidden: dict[Atom, list[_Line]] = defaultdict(list)
    for line in lines:
        groups_lines[root(first[id(line)])].append(line)
    for line in hidden:
        groups_hidden[root(first[id(line)])].append(line)
    for group, members in groups_hidden.items():
        yield groups_lines.get(group, []), members


def _check_component(lines: list[_Line], targets: list[_Line], fixed: dict[Atom, int],
                     exports: Sequence[Export]) -> list[Exposed]:
    hidden = [line for line in targets if line.export != PROBE and line.seen]
    atoms = sorted({a for line in [*lines, *targets] for a in line.terms if a not in fixed})
    column = {atom: n for n, atom in enumerate(atoms)}
    found = []
    worked_out = _in_row_space(lines, targets, column, fixed)
    solver = _Bounds(lines, hidden, column, fixed, exports)
    strictest = max(export.threshold for export in exports)
    for line, exact in zip(targets, worked_out, strict=True):
        base = sum(fixed[a] * w for a, w in line.terms.items() if a in fixed)
        if line.export == PROBE:
            # A count no figure shows: given away only if it comes out as a small number.
            low = solver.lowest(line) + base
            if low < 1 - _EPSILON:
                continue
            high = solver.highest(line) + base
            if high < strictest:
                found.append(Exposed(PROBE, line.key, low, high))
            continue
        low, high = solver.range(line)
        low, high = low + base, high + base
        threshold = exports[line.export or 0].threshold
        if exact or high < threshold or high - low < 1 - _EPSILON:
            found.append(Exposed(line.export or 0, line.key, low, high))
    return found


def _in_row_space(lines: list[_Line], hidden: list[_Line], column: dict[Atom, int],
                  fixed: dict[Atom, int]) -> list[bool]:
    """For each hidden figure, whether it is an exact combination of the shown ones (FLINT)."""
    import flint

    width = len(column)

    def row(line: _Line) -> list[int]:
        values = [0] * width
        for atom, weight in line.terms.items():
            if atom not in fixed:
                values[column[atom]] = weight
        return values

    if not lines:
        return [False] * len(hidden)
    echelon, denominator, rank = flint.fmpz_mat([row(line) for line in lines]).rref()
    if rank == 0:
        return [False] * len(hidden)
    basis = echelon.tolist()[:rank]
    pivots = [next(n for n, value in enumerate(r) if value) for r in basis]
    targets = [row(line) for line in hidden]
    # Reduced against the echelon form, a combination of shown figures leaves nothing behind.
    left = (flint.fmpz_mat(targets) * denominator
            - flint.fmpz_mat([[t[p] for p in pivots] for t in targets]) * flint.fmpz_mat(basis))
    return [not any(int(v) for v in r) for r in left.tolist()]


class _Bounds:
    """The smallest and largest value a hidden figure can take (HiGHS)."""

    def __init__(self, lines: list[_Line], hidden: list[_Line], column: dict[Atom, int],
                 fixed: dict[Atom, int], exports: Sequence[Export]) -> None:
        import highspy
        import numpy as np

        self.np, self.highspy = np, highspy
        self.column, self.fixed = column, fixed
        self.highs = highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        n = len(column)
        inf = highspy.kHighsInf
        highs.addVars(n, np.zeros(n), np.full(n, inf))
        newest = len(exports) - 1
        slack_rows, hidden_rows = [], []
        for line in [*lines, *hidden]:
            rest = line.value - sum(fixed[a] * w for a, w in line.terms.items() if a in fixed)
            index, values = self._sparse(line)
            upper = inf if line.at_least else rest
            highs.addRow(rest, upper, len(index), index, values)
            if line.at_least:
                hidden_rows.append((highs.getNumRow() - 1, rest - line.value))
            elif line.export is not None and line.export != newest:
                slack_rows.append(highs.getNumRow() - 1)
        if self._solve(None, maximise=False) is None:
            self._allow_for_changed_records(slack_rows)
        if self._solve(None, maximise=False) is None:
            # Still impossible: some hidden figure is a 0 (hidden only when a shown 0 would
            # give a count away), so a hidden figure is only known not to be negative.
            for row, floor in hidden_rows:
                highs.changeRowBounds(row, floor, inf)

    def _sparse(self, line: _Line) -> tuple[object, object]:
        np = self.np
        free = [(self.column[a], w) for a, w in line.terms.items() if a not in self.fixed]
        return (np.array([i for i, _ in free], dtype=np.int32),
                np.array([float(w) for _, w in free]))

    def _allow_for_changed_records(self, rows: list[int]) -> None:
        """Older figures that no longer agree: let them be out by as little as possible."""
        np, highs, inf = self.np, self.highs, self.highspy.kHighsInf
        first = highs.getNumCol()
        for row in rows:
            highs.addVars(2, np.zeros(2), np.full(2, inf))
            highs.changeCoeff(row, first, 1.0)
            highs.changeCoeff(row, first + 1, -1.0)
            first += 2
        count = highs.getNumCol()
        slack = np.arange(len(self.column), count, dtype=np.int32)
        highs.changeColsCost(len(slack), slack, np.ones(len(slack)))
        highs.changeObjectiveSense(self.highspy.ObjSense.kMinimize)
        highs.run()
        least = highs.getInfo().objective_function_value
        highs.addRow(0, least + 0.5, len(slack), slack, np.ones(len(slack)))
        highs.changeColsCost(len(slack), slack, np.zeros(len(slack)))

    def _solve(self, line: _Line | None, maximise: bool) -> float | None:
        """The optimum of the line's free part, math.inf if unbounded, None if infeasible."""
        np, highs, hs = self.np, self.highs, self.highspy
        n = highs.getNumCol()
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
        if line is not None:
            index, values = self._sparse(line)
            highs.changeColsCost(len(index), index, values)
        highs.changeObjectiveSense(hs.ObjSense.kMaximize if maximise else hs.ObjSense.kMinimize)
        highs.run()
        status = highs.getModelStatus()
        if status == hs.HighsModelStatus.kInfeasible:
            return None
        if status in (hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            return math.inf if maximise else -math.inf
        return highs.getInfo().objective_function_value

    def _integral(self) -> bool:
        values = self.highs.getSolution().col_value[: len(self.column)]
        return all(abs(v - round(v)) < _EPSILON for v in values)

    def range(self, line: _Line) -> tuple[float, float]:
        """Bounds of the free part of `line`; whole numbers where the LP point is fractional."""
        return self.lowest(line), self.highest(line)

    def highest(self, line: _Line) -> float:
        high = self._solve(line, maximise=True)
        if high is None:
            return math.inf  # figures that cannot all be true give nothing away
        if high != math.inf and not self._integral():
            high = self._integer(line, maximise=True)
        return high

    def lowest(self, line: _Line) -> float:
        low = self._solve(line, maximise=False)
        if low is None:
            return 0.0
        if not self._integral():
            low = self._integer(line, maximise=False)
        return low

    def _integer(self, line: _Line, maximise: bool) -> float:
        """The whole-number optimum; if HiGHS runs out of time, its best point so far.

        A best point so far understates the largest value and overstates the smallest, so a
        figure it cannot settle counts as given away: more is hidden, never less.
        """
        np, highs, hs = self.np, self.highs, self.highspy
        n = len(self.column)
        columns = np.arange(n, dtype=np.int32)
        highs.changeColsIntegrality(n, columns, np.array([hs.HighsVarType.kInteger] * n))
        highs.setOptionValue("time_limit", 5.0)
        try:
            value = self._solve(line, maximise)
            found = highs.getInfo().primal_solution_status == hs.SolutionStatus.kSolutionStatusFeasible
        finally:
            highs.changeColsIntegrality(n, columns, np.array([hs.HighsVarType.kContinuous] * n))
            highs.setOptionValue("time_limit", hs.kHighsInf)
        if value is None or not found:
            return -math.inf if maximise else math.inf
        return math.floor(value + _EPSILON) if maximise else math.ceil(value - _EPSILON)
