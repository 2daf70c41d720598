"""Bench rows for issue 3 on the year10 demo database: search as you type, saving a call,
opening a case. Each figure sits beside a raw-SQL baseline run on the same database.

The year10 database is built once and kept in `.bench-cache/`, keyed by a hash of the demo
generator and the migrations, so it is rebuilt only when they change. Each run works on a
copy, so the calls the bench saves never pile up in the cache.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench-cache"
SOURCES = ("app/demo/data.py", "app/demo/rows.py", "app/demo/words.py", "app/demo/diary.py")
SEARCHES = 200
SAVES = 40
OPENS = 40


def cache_key() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((ROOT / name).read_bytes())
    for migration in sorted((ROOT / "app/models/migrations/versions").glob("0*.py")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:16]


def demo_copy(work: Path, name: str = "demo") -> Path:
    """A private copy of the cached year10 demo folder, building the cache first if needed."""
    from app.demo.data import build_demo

    cached = CACHE / f"year10-{cache_key()}"
    if not (cached / "confide.db").exists():
        shutil.rmtree(cached, ignore_errors=True)
        for old in CACHE.glob("year10-*"):
            shutil.rmtree(old, ignore_errors=True)
        CACHE.mkdir(exist_ok=True)
        print("Building the year10 demo database once (kept in .bench-cache/)…", flush=True)
        # Built beside the cache and renamed when complete, so an interrupted build is never
        # taken for a finished one.
        building = CACHE / f"building-{cached.name}"
        shutil.rmtree(building, ignore_errors=True)
        build = build_demo(building, "year10")
        building.rename(cached)
        print(f"  built in {build.seconds:.0f} s", flush=True)
    target = work / name
    shutil.copytree(cached, target)
    return target


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


# -- search --------------------------------------------------------------------------------


def prefixes(connection: Any, rng: random.Random) -> list[str]:
    """~200 things an adviser types: surname and child-name starts, references, postcodes, phones."""
    def column(sql: str) -> list[str]:
        return [row[0] for row in connection.exec_driver_sql(sql).fetchall() if row[0]]

    surnames = [name.split()[-1] for name in column("SELECT full_name FROM parent")]
    children = [name.split()[0] for name in column("SELECT full_name FROM child")]
    references = column("SELECT reference FROM case_file")
    postcodes = column("SELECT postcode FROM parent")
    phones = column("SELECT phone_mobile FROM parent") + column("SELECT phone_home FROM parent")
    typed = [s[:rng.randint(2, 5)] for s in rng.sample(surnames, 50)]
    typed += [c[:rng.randint(2, 5)] for c in rng.sample(children, 50)]
    typed += [r[:rng.randint(6, 10)] for r in rng.sample(references, 35)]
    typed += [p[:rng.randint(3, 6)] for p in rng.sample(postcodes, 35)]
    typed += [p[:rng.randint(6, 11)] for p in rng.sample(phones, 30)]
    return typed[:SEARCHES]


RAW_SEARCH = """
SELECT id, reference FROM case_file WHERE id IN (
  SELECT case_id FROM parent WHERE name_key LIKE :word
  UNION SELECT case_id FROM child WHERE name_key LIKE :word
  UNION SELECT id FROM case_file WHERE reference LIKE :ref
  UNION SELECT case_id FROM parent WHERE postcode_key LIKE :postcode
  UNION SELECT case_id FROM parent WHERE phone_key LIKE :phone)
{visible}
ORDER BY last_activity_at DESC, id DESC LIMIT 20
"""


def raw_search(connection: Any, typed: str, staff_id: int | None) -> list[Any]:
    from sqlalchemy import text

    visible = "" if staff_id is None else (
        f"AND EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = case_file.id "
        f"AND a.staff_id = {int(staff_id)})")
    squashed = "".join(typed.split()).upper()
    digits = "".join(c for c in typed if c.isdigit())
    return list(connection.execute(text(RAW_SEARCH.format(visible=visible)), {
        "word": f"% {typed.casefold()}%", "ref": f"%{typed.upper()}%", "postcode": f"{squashed}%",
        "phone": f"%{digits}%" if len(digits) >= 4 else "-"}))


def search_rows(ctx: Any, label: str, typed: list[str], staff_id: int | None) -> list[Any]:
    from app.services.cases import cases
    from bench.run import Row

    figures = [timed(lambda t=t: cases.search_cases(ctx, t)) for t in typed]
    with ctx.write() as session:
        connection = session.connection()
        baselines = [timed(lambda t=t: raw_search(connection, t, staff_id)) for t in typed]
    return [Row(f"search as you type, {label}, p50", statistics.median(figures), None,
                "raw SQL", statistics.median(baselines)),
            Row(f"search as you type, {label}, p95", percentile(figures, 0.95), 0.030,
                "raw SQL", percentile(baselines, 0.95))]


# -- saving and opening --------------------------------------------------------------------


RAW_CALL = ("INSERT INTO call (at, duration_minutes, direction, channel, caller_type, "
            "safeguarding_concern, summary, anonymous, logged_at, adviser_id) VALUES "
            "(datetime('now'), 5, 'in', 'phone', 'parent/carer', 0, 'bench', 1, datetime('now'), ?)")


def save_rows(ctx: Any, case_ids: list[int]) -> list[Any]:
    from app.services.calls.calls import (
        CallDetails,
        ConsentToKeep,
        NamedCall,
        log_anonymous_call,
        log_named_call,
    )
    from app.services.cases.fields import ConsentMethod
    from app.services.install import storage_access
    from bench.run import Row

    details = CallDetails(duration_minutes=10, topic_ids=(1, 3), area_district="MK6",
                          child_year_group="Year 5", summary="Asked about the annual review.")
    anonymous = [timed(lambda: log_anonymous_call(ctx, details)) for _ in range(SAVES)]
    consent = ConsentToKeep(policy_explained=True, agreed=True, method=ConsentMethod.VERBAL)
    named = [timed(lambda c=c: log_named_call(ctx, NamedCall(call=details, consent=consent, case_id=c)))
             for c in case_ids[:SAVES]]
    raw = storage_access.database_of(ctx).raw_connection()
    try:
        def insert() -> None:
            raw.execute("BEGIN")
            raw.execute(RAW_CALL, (ctx.actor.id,))
            raw.execute("COMMIT")

        baseline = [timed(insert) for _ in range(SAVES)]
    finally:
        raw.close()
    return [Row("save anonymous call, median", statistics.median(anonymous), 0.020, "raw INSERT",
                statistics.median(baseline)),
            Row("save named call on a case, median", statistics.median(named), 0.020, "raw INSERT",
                statistics.median(baseline))]


CASE_SELECTS = (
    "SELECT * FROM case_file WHERE id = :id",
    "SELECT * FROM parent WHERE case_id = :id",
    "SELECT * FROM contact_preference WHERE parent_id IN (SELECT id FROM parent WHERE case_id = :id)",
    "SELECT * FROM child WHERE case_id = :id",
    "SELECT * FROM call WHERE case_id = :id ORDER BY at DESC",
    "SELECT t.* FROM call_topic t JOIN call c ON c.id = t.call_id WHERE c.case_id = :id",
    "SELECT * FROM case_note WHERE case_id = :id",
    "SELECT r.* FROM note_revision r JOIN case_note n ON n.id = r.note_id WHERE n.case_id = :id",
    "SELECT * FROM case_assignment WHERE case_id = :id",
    "SELECT * FROM case_status_change WHERE case_id = :id",
    "SELECT * FROM manager_access WHERE case_id = :id",
    "SELECT * FROM consent WHERE case_id = :id",
    "SELECT * FROM referral WHERE case_id = :id",
    "SELECT id, full_name FROM staff",
)


def open_rows(ctx: Any, case_ids: list[int]) -> list[Any]:
    from sqlalchemy import text

    from app.services.cases import cases
    from bench.run import Row

    figures = [timed(lambda c=c: cases.open_case(ctx, c)) for c in case_ids[:OPENS]]
    with ctx.write() as session:
        connection = session.connection()

        def raw(case_id: int) -> None:
            for sql in CASE_SELECTS:
                connection.execute(text(sql), {"id": case_id}).fetchall()

        baselines = [timed(lambda c=c: raw(c)) for c in case_ids[:OPENS]]
    return [Row("open a case view, median", statistics.median(figures), None, "raw SELECTs",
                statistics.median(baselines)),
            Row("open a case view, p95", percentile(figures, 0.95), 0.100, "raw SELECTs",
                percentile(baselines, 0.95))]


def bench_calls_and_cases(work: Path) -> tuple[list[Any], str]:
    from app.demo.data import read_accounts
    from app.services.install.vault import Vault

    folder = demo_copy(work)
    manager_account = read_accounts(folder)[0]
    vault = Vault(folder)
    manager = vault.sign_in(manager_account.username, manager_account.password)
    rng = random.Random(42)
    try:
        with manager.write() as session:
            connection = session.connection()
            typed = prefixes(connection, rng)
            busiest = connection.exec_driver_sql(
                "SELECT a.staff_id, s.username, count(*) n FROM case_assignment a JOIN staff s "
                "ON s.id = a.staff_id WHERE s.role = 'adviser' GROUP BY a.staff_id ORDER BY n DESC"
            ).fetchone()
            counts = {t: connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                      for t in ("call", "case_file", "child", "case_note")}
        adviser_account = next(a for a in read_accounts(folder) if a.username == busiest[1])
        adviser = vault.sign_in(adviser_account.username, adviser_account.password)
        try:
            with adviser.write() as session:
                own = [row[0] for row in session.connection().exec_driver_sql(
                    "SELECT a.case_id FROM case_assignment a JOIN case_file c ON c.id = a.case_id "
                    "WHERE a.staff_id = ? AND c.status != 'archived'", (busiest[0],))]
            rng.shuffle(own)
            rows = search_rows(adviser, f"adviser with {busiest[2]:,} cases", typed, busiest[0])
            rows += search_rows(manager, "manager (all cases)", typed, None)
            rows += open_rows(adviser, own)
            rows += save_rows(adviser, own)
        finally:
            adviser.close()
    finally:
        manager.close()
    data = (f"year10 demo database: {counts['call']:,} calls, {counts['case_file']:,} cases, "
            f"{counts['child']:,} children, {counts['case_note']:,} notes")
    return rows, data


def rows(bench: Any) -> list[Any]:
    """The section for `bench.run`: its rows, and a note of the data they were measured on."""
    measured, data = bench_calls_and_cases(bench.work)
    bench.notes.append(f"calls and cases on the {data} (p50/p95 over {SEARCHES} searches, medians "
                       f"over {SAVES} saves/opens)")
    return measured
