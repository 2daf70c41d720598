"""A bad actor holding every exported report: an exact integer solver over all their figures.

Written apart from app/services/reports/linked_figures.py on purpose, more simply (one unknown
per category per month, no presolve, no shortcuts): every count is a whole number, never
negative; a hidden figure is never 0; a table's rows add up to its total in every month; its
"Other" row holds every category it does not name. For each hidden figure it asks HiGHS's
integer solver for the smallest and largest value the published figures allow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from app.services.reports.linked_figures import Export, Role
from app.services.reports.period import Month


@dataclass(frozen=True)
class Found:
    export: int
    key: str
    low: int
    high: float


def _months(export: Export) -> list[Month]:
    return [export.first.plus(n) for n in range(export.first.months_until(export.last) + 1)]


def recovered(exports: Sequence[Export], threshold: int = 5, exact: bool = True,
              by_month: bool = False) -> list[Found]:
    """Hidden figures whose value the solver pins down, or bounds within 1 to threshold−1.

    exact=False leaves out a hidden figure it only pins down to a number that is not small
    (one the exports before it had already given, as April to May less April gives May).
    by_month=True adds every category's count in a single month that it bounds within 1 to
    threshold−1 (reported with export -1).
    """
    named: dict[str, set[str]] = defaultdict(set)
    everything: dict[str, set[str]] = defaultdict(set)
    totals: dict[str, str] = {}
    for export in exports:
        for cell in export.cells:
            if cell.role in (Role.ROW, Role.OTHER):
                named[cell.table] |= {cell.key, f"{cell.table}:rest"}
            if cell.role is Role.TOTAL:
                totals[cell.table] = cell.key
            elif cell.table != "months":
                everything[cell.table].add(cell.key)
    for table, keys in named.items():
        everything[table] |= keys
    unknowns: dict[tuple[str, str], int] = {}

    def unknown(key: str, month: Month) -> int:
        return unknowns.setdefault((key, month.code), len(unknowns))

    equal: list[tuple[dict[int, int], int]] = []
    hidden: list[tuple[int, str, dict[int, int]]] = []
    all_months: set[Month] = set()
    for index, export in enumerate(exports):
        months = _months(export)
        all_months |= set(months)
        for cell in export.cells:
            if cell.table == "months" and cell.role is Role.FIXED:
                terms = {unknown(totals["months"], Month.parse(cell.key[6:])): 1}
            elif cell.role is Role.OTHER:
                here = {c.key for c in export.cells if c.table == cell.table and c.role is Role.ROW}
                terms = {unknown(k, m): 1 for k in named[cell.table] - here for m in months}
            else:
                terms = {unknown(cell.key, m): 1 for m in months}
            if cell.value is None:
                hidden.append((index, cell.key, terms))
            else:
                equal.append((terms, cell.value))
        for table in named:
            if not any(c.table == table and c.role is Role.OTHER for c in export.cells):
                here = {c.key for c in export.cells if c.table == table and c.role is Role.ROW}
                equal.append(({unknown(k, m): 1 for k in named[table] - here for m in months}, 0))
    for table, total in totals.items():
        if table == "months":
            continue
        for month in all_months:
            terms = {unknown(k, month): 1 for k in everything[table]}
            terms[unknown(total, month)] = -1
            equal.append((terms, 0))

    found = []
    at_least_one = [h for _, _, h in hidden]
    targets = list(hidden)
    if by_month:
        targets += [(-1, f"{key} in {month}", {n: 1}) for (key, month), n in unknowns.items()]
    for index, key, target in targets:
        low = _optimum(len(unknowns), equal, at_least_one, target, maximise=False)
        if index == -1 and low < 1:
            continue
        high = _optimum(len(unknowns), equal, at_least_one, target, maximise=True)
        if high < threshold or (exact and low == high and index != -1):
            found.append(Found(index, key, int(low), high))
    return found


def _optimum(n: int, equal: list[tuple[dict[int, int], int]], at_least_one: list[dict[int, int]],
             target: dict[int, int], maximise: bool) -> float:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    highs.addVars(n, np.zeros(n), np.full(n, inf))
    highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * n))
    for terms, lower, upper in [*((t, v, v) for t, v in equal), *((t, 1, inf) for t in at_least_one)]:
        if not terms:
            continue
        highs.addRow(lower, upper, len(terms), np.array(list(terms), dtype=np.int32),
                     np.array([float(w) for w in terms.values()]))
    highs.changeColsCost(len(target), np.array(list(target), dtype=np.int32),
                         np.array([float(w) for w in target.values()]))
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    highs.run()
    status = highs.getModelStatus()
    if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return float("inf")
    assert status == highspy.HighsModelStatus.kOptimal, highs.modelStatusToString(status)
    return round(highs.getInfo().objective_function_value)
