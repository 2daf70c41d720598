"""Bench rows for issue 16 point 2 on the year10 demo database: a report with small counts
hidden, checked against every export the service has made with suppression before.

The register holds what a busy service would have exported over two financial years: every
month, every quarter and both years (34 exports). The figure is the check a coordinator waits
for when the next year's report is made (the whole `build_report`); the baseline is the same
report with an empty register, measured in the same run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.calls_cases import timed
from bench.rows import median_of

REPEATS = 3


def _median(run: Callable[[], Any]) -> float:
    return median_of(lambda: timed(run), REPEATS)


def bench_earlier_exports(work: Path) -> tuple[list[Any], str]:
    from sqlalchemy import delete

    from app.demo.data import read_accounts
    from app.models.reports import ExportedReport
    from app.services.clock import now
    from app.services.install.vault import Vault
    from app.services.reports import earlier_exports, report
    from app.services.reports import method as report_settings
    from app.services.reports.disclosure_control import Method, Rules
    from app.services.reports.period import (
        Month,
        financial_year_of,
        financial_year_period,
        month_period,
        quarter_period,
    )
    from bench.calls_cases import demo_copy
    from bench.run import Row

    work.mkdir(parents=True, exist_ok=True)
    folder = demo_copy(work)
    accounts = read_accounts(folder)
    manager = next(a for a in accounts if a.role == "manager")
    ctx = Vault(folder).sign_in(manager.username, manager.password)
    try:
        report_settings.save_rules(ctx, Rules(Method.SUPPRESSION, 5))
        this_year = financial_year_of(Month.of(now().date()))
        years = [this_year - 3, this_year - 2]
        periods = [month_period(m) for y in years for m in financial_year_period(y).months()]
        periods += [quarter_period(y, q) for y in years for q in (1, 2, 3, 4)]
        periods += [financial_year_period(y) for y in years]
        started = time.perf_counter()
        extra = 0
        for period in periods:
            made = report.build_report(ctx, period)
            extra += made.hidden_for_earlier_exports
            with ctx.write() as session:
                earlier_exports.record(session, period, made.generated_at, made.made_on, made.complete,
                                       made.rules.threshold, made.figures)
        filled = time.perf_counter() - started
        # The last exported year again: linked to the 17 exports of that year (and, through
        # them, to nothing else), which is the report a service makes most often.
        linked_year = financial_year_period(years[-1])
        checked = _median(lambda: report.build_report(ctx, linked_year))
        hidden_more = report.build_report(ctx, linked_year).hidden_for_earlier_exports
        with ctx.write() as session:
            saved = session.query(ExportedReport).count()
            session.execute(delete(ExportedReport))
        baseline = _median(lambda: report.build_report(ctx, linked_year))
    finally:
        ctx.close()
    rows = [Row("suppressed year report, checked against its 17 linked exports", checked, 10.0,
                "same report, empty register", baseline)]
    data = (f"earlier exports: {saved} exports with suppression over two financial years of year10 "
            f"(each month, quarter and year; {extra} of them needed cells hidden for earlier ones, "
            f"{filled:.0f} s to make them all); the year again hides more: {hidden_more}; "
            f"median of {REPEATS}")
    return rows, data


def rows(bench: Any) -> list[Any]:
    measured, data = bench_earlier_exports(bench.work / "earlier_exports")
    bench.notes.append(data)
    return measured
