"""Bench rows for issue 7 on the year10 demo database: the financial-year report as CSV and as a
PDF with charts, each beside the raw SQL aggregation the report needs, run on the same database.

The figure is the whole export a coordinator waits for: the queries, disclosure control, the
rendering, writing the file and the audit record. The baseline is only the GROUP BY queries.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

REPEATS = 5

# The same counts the report collects, written straight in SQLite's SQL.
RAW_AGGREGATION = (
    "SELECT strftime('%Y-%m', at), count(*) FROM call WHERE at >= :start AND at < :end GROUP BY 1",
    *(f"SELECT {column}, count(*) FROM call WHERE at >= :start AND at < :end GROUP BY {column}"
      for column in ("anonymous", "channel", "caller_type", "child_phase", "child_year_group",
                     "area_district", "how_heard", "outcome")),
    "SELECT t.topic_id, count(*) FROM call_topic t JOIN call c ON c.id = t.call_id "
    "WHERE c.at >= :start AND c.at < :end GROUP BY t.topic_id",
    "SELECT count(*) FROM call c WHERE c.at >= :start AND c.at < :end "
    "AND NOT EXISTS (SELECT 1 FROM call_topic t WHERE t.call_id = c.id)",
    "SELECT count(*) FROM case_file WHERE opened_at >= :start AND opened_at < :end",
    "SELECT count(DISTINCT c.case_id) FROM call c JOIN case_file f ON f.id = c.case_id "
    "WHERE c.at >= :start AND c.at < :end AND f.opened_at < :start",
    "SELECT count(DISTINCT case_id) FROM case_status_change WHERE status = 'closed' "
    "AND at >= :start AND at < :end",
    "SELECT count(*) FROM case_status_change s JOIN (SELECT max(id) id FROM case_status_change "
    "WHERE at < :end GROUP BY case_id) l ON l.id = s.id WHERE s.status IN ('open', 'reopened')",
    "SELECT follow_up_date, follow_up_done_at FROM call WHERE follow_up_date >= :first_day "
    "AND follow_up_date < :after_day",
)


def _median(run: Any) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_reports(work: Path) -> tuple[list[Any], str]:
    from sqlalchemy import text

    from app.demo.data import read_accounts
    from app.services.clock import now
    from app.services.install.vault import Vault
    from app.services.reports import report
    from app.services.reports.period import Month, financial_year_of, financial_year_period
    from bench.calls_cases import demo_copy
    from bench.run import Row

    work.mkdir(parents=True, exist_ok=True)
    folder = demo_copy(work)
    account = next(a for a in read_accounts(folder) if a.role == "coordinator")
    ctx = Vault(folder).sign_in(account.username, account.password)
    # The last whole financial year, which is what a service sends its funders.
    period = financial_year_period(financial_year_of(Month.of(now().date())) - 1)
    start, end = period.utc_bounds()
    try:
        with ctx.write() as session:
            connection = session.connection()
            values = {"start": start, "end": end, "first_day": period.start, "after_day": period.end}
            calls = connection.execute(text("SELECT count(*) FROM call WHERE at >= :start AND at < :end"),
                                       values).scalar()

            def raw() -> None:
                for sql in RAW_AGGREGATION:
                    connection.execute(text(sql), values).fetchall()

            baseline = _median(raw)
        csv = _median(lambda: report.export_report(ctx, period, report.ReportFormat.CSV, work / "year.csv"))
        pdf = _median(lambda: report.export_report(ctx, period, report.ReportFormat.PDF, work / "year.pdf"))
        from pypdf import PdfReader

        pages = len(PdfReader(work / "year.pdf").pages)
    finally:
        ctx.close()
    rows = [Row("financial-year report, CSV", csv, 1.0, "raw SQL aggregation", baseline),
            Row("financial-year report, PDF with charts", pdf, 3.0, "raw SQL aggregation", baseline)]
    data = (f"reports: {period.label} from the year10 database ({calls:,} calls in the year), "
            f"{pages}-page PDF, median of {REPEATS} exports as a coordinator")
    return rows, data


def rows(bench: Any) -> list[Any]:
    """The section for `bench.run`: the two report rows and a note of the data."""
    measured, data = bench_reports(bench.work / "reports")
    bench.notes.append(data)
    return measured
