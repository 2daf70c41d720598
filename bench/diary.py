"""Bench row for issue 5 on the year10 demo database: the team week view of the Diary page.

Ten diaries (the demo manager and nine advisers) side by side for a week, signed in as an
adviser: the three service calls the page makes (anonymised slots, the adviser's own details,
their follow-ups), building the grid, and Qt laying it out and painting it. Measured over 20
weeks around today, some past and some ahead. The baseline is the raw SQL a screen would need
at the least: the week's appointments with their advisers' names, in one SELECT bounded on the
start time the way the service bounds it (no appointment lasts more than seven days).
"""

from __future__ import annotations

import statistics
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.calls_cases import demo_copy, percentile, timed

WEEKS = 20

RAW_WEEK = """
SELECT a.id, a.adviser_id, s.full_name, a.starts_at, a.ends_at, a.venue, a.venue_name, a.room
FROM appointment a JOIN staff s ON s.id = a.adviser_id
WHERE a.cancelled_at IS NULL AND a.starts_at < :end AND a.starts_at > :earliest AND a.ends_at > :start
ORDER BY a.starts_at, a.id
"""


def bench_diary(work: Path) -> tuple[list[Any], str]:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import text

    from app.demo.data import read_accounts
    from app.services.diary.fields import LONGEST
    from app.services.install.vault import Vault
    from app.ui.diary import TEAM, DiaryPage
    from app.ui.diary.period import Period, ViewKind
    from bench.run import Row

    app = QApplication.instance() or QApplication([])
    folder = demo_copy(work, "diary-demo")
    account = next(a for a in read_accounts(folder) if a.role == "adviser")
    ctx = Vault(folder).sign_in(account.username, account.password)
    try:
        page = DiaryPage(ctx)
        page.resize(1400, 900)
        page.show_person(TEAM)
        page.show()
        app.processEvents()
        today = page.period.anchor
        anchors = [today + timedelta(weeks=n) for n in range(-WEEKS + 4, 4)]

        def render(anchor: Any) -> None:
            page.period = Period(ViewKind.WEEK, anchor)
            page.refresh()
            app.processEvents()

        render(today)  # warm the caches once, as a person's first look would
        figures = [timed(lambda a=a: render(a)) for a in anchors]
        people = len(page.people)
        chips = len(page.grid.chips)
        with ctx.write() as session:
            connection = session.connection()
            count = connection.exec_driver_sql("SELECT count(*) FROM appointment").scalar()

            def raw(anchor: Any) -> None:
                start, end = Period(ViewKind.WEEK, anchor).utc_bounds()
                connection.execute(text(RAW_WEEK), {"start": start, "end": end,
                                                    "earliest": start - LONGEST}).fetchall()

            baselines = [timed(lambda a=a: raw(a)) for a in anchors]
        page.clear()
        page.close()
        page.deleteLater()
        app.processEvents()
    finally:
        ctx.close()
    label = f"team week view, {people} diaries"
    rows = [Row(f"{label}, median", statistics.median(figures), None, "raw SQL week",
                statistics.median(baselines)),
            Row(f"{label}, p95", percentile(figures, 0.95), 0.150, "raw SQL week",
                percentile(baselines, 0.95))]
    return rows, f"{count:,} appointments (about {chips} on the last week shown)"


def rows(bench: Any) -> list[Any]:
    """The section for `bench.run`: the team week row and a note of the data."""
    measured, data = bench_diary(bench.work)
    bench.notes.append(f"the diary on the year10 database, {data} (20 team weeks, signed in as an adviser)")
    return measured
