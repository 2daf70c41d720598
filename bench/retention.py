"""Bench rows for issue 8 on the year10 demo database: the start-up retention pass with nothing
due, and destroying 1,000 cases. Each figure sits beside a raw-SQL baseline in the same run.

The demo holds ten years of cases, so the first pass on a fresh copy archives and destroys a
great many; that first pass is run untimed, and the "nothing due" figure is the pass at the
next start (the one every sign-in pays). For destruction, 1,000 cases are made due by moving
the clock forward far enough for the oldest 1,000 remaining, and the run is timed as a whole
(a hundred cases a unit of work, the search index rewrite, the WAL checkpoint and the
backups folder check included). The
baseline deletes another 1,000 cases with bare SQL in one transaction, a hundred cases a
statement as retention does: the same cascades, without the audit, the register, the nested
transactions, the search index rewrite or the checkpoint.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine

PASSES = 9
DESTROY = 1_000

RAW_NOTHING_DUE = """
SELECT id FROM case_file
WHERE (status != 'archived' AND last_activity_at < :archive)
   OR (status = 'closed' AND closed_at < :closed)
   OR last_activity_at < :destroy
"""

RAW_DESTROY = (
    "UPDATE call SET case_id = NULL, anonymous = 1, summary = '' WHERE case_id IN ({ids})",
    "DELETE FROM case_file WHERE id IN ({ids})",
)
RAW_GROUP = 100  # cases a statement, as retention destroys them


def _ids_to_destroy(ctx: Any) -> tuple[list[int], datetime]:
    """The 1,000 least recently active cases, and a moment at which exactly they are due.

    Cases sharing the last one's day beyond the 1,000 are moved a day later on this copy, so
    the count is exact.
    """
    with ctx.write() as session:
        connection = session.connection()
        rows = connection.exec_driver_sql(
            "SELECT id, last_activity_at FROM case_file WHERE legal_hold_reason IS NULL "
            "ORDER BY last_activity_at, id LIMIT ?", (DESTROY,)).fetchall()
        ids = [row[0] for row in rows]
        last_due = datetime.fromisoformat(str(rows[-1][1]))
        connection.exec_driver_sql(
            "UPDATE case_file SET last_activity_at = datetime(last_activity_at, '+1 day') "
            f"WHERE date(last_activity_at) = ? AND id NOT IN ({','.join('?' * len(ids))})",
            (last_due.date().isoformat(), *ids))
    # Six years (the default destroy rule) after the last of them, before the next one.
    return ids, datetime(last_due.year + 6, last_due.month, last_due.day, 12)


def bench_retention(folder: Path) -> list[Any]:
    from app.demo.data import read_accounts
    from app.services.install import storage_access
    from app.services.install.vault import Vault
    from app.services.retention import retention
    from app.services.retention.rules import CUSTOM, DEFAULT_RULES
    from bench.run import Row

    account = read_accounts(folder)[0]
    vault = Vault(folder)
    ctx = vault.sign_in(account.username, account.password)
    try:
        today = datetime.now()
        retention.run(ctx)  # the first start after years of demo data: untimed
        figures = []
        for _ in range(PASSES):
            started = time.perf_counter()
            summary = retention.run(ctx)
            figures.append(time.perf_counter() - started)
            assert not summary.anything, summary.counts
        cutoffs = {"archive": today - timedelta(days=182), "closed": today - timedelta(days=365),
                   "destroy": today - timedelta(days=6 * 365)}
        with ctx.write() as session:
            connection = session.connection()
            baselines = []
            for _ in range(PASSES):
                started = time.perf_counter()
                connection.exec_driver_sql(
                    RAW_NOTHING_DUE.replace(":archive", "?").replace(":closed", "?")
                    .replace(":destroy", "?"),
                    (cutoffs["archive"], cutoffs["closed"], cutoffs["destroy"])).fetchall()
                baselines.append(time.perf_counter() - started)
        rows = [Row("retention pass at start, nothing due, median", statistics.median(figures),
                    0.200, "raw SELECT of due cases", statistics.median(baselines))]

        # Only destruction is measured: the archive rules would also catch the cases that fall
        # quiet while the clock moves on.
        retention.save_rules(ctx, replace(DEFAULT_RULES, retention_preset=CUSTOM,
                                          archive_inactive_months=0, archive_after_closure_months=0))
        _, when = _ids_to_destroy(ctx)
        with time_machine.travel(when, tick=True):
            started = time.perf_counter()
            summary = retention.run(ctx)
            destroy_seconds = time.perf_counter() - started
        assert summary.counts["destroyed"] == DESTROY, summary.counts
        assert summary.counts["archived"] == 0, summary.counts

        others, _ = _ids_to_destroy(ctx)
        raw = storage_access.database_of(ctx).raw_connection()
        try:
            started = time.perf_counter()
            raw.execute("BEGIN")
            for start in range(0, len(others), RAW_GROUP):
                group = others[start:start + RAW_GROUP]
                for sql in RAW_DESTROY:
                    raw.execute(sql.format(ids=",".join("?" * len(group))), group)
            raw.execute("COMMIT")
            raw_seconds = time.perf_counter() - started
        finally:
            raw.close()
        rows.append(Row(f"retention destroying {DESTROY:,} cases", destroy_seconds, 5.0,
                        "raw DELETEs, 100 a statement", raw_seconds))
        return rows
    finally:
        ctx.close()


def rows(bench: Any) -> list[Any]:
    """The section for `bench.run`: the start-up pass with nothing due, and 1,000 destructions."""
    measured = bench_retention(bench.year10("retention"))
    bench.notes.append("retention on the year10 database: the start-up pass with nothing due (median), "
                       "then 1,000 cases due for destruction in one run")
    return measured
