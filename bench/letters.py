"""Bench rows for issue 6: one letter, and a batch of 100, issued on the year10 demo database.

- one letter: `letters.issue_letter` for a case-closure letter to a parent, the whole of it
  (access check, consent and postcode checks, filling in, the PDF, storing it and the audit
  record), median of 20 on different cases; target 150 ms;
- 100 letters: the same, one after another on 100 of the adviser's cases; target 10 s;
- baseline: reportlab alone drawing the same words on one page with a bare canvas, no layout,
  no database.
"""

from __future__ import annotations

import io
import statistics
import time
from typing import Any

from bench.rows import Bench, Row

SINGLE = 20
BATCH = 100


def _raw_pdf(lines: list[str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), pagesize=A4)
    y = 800.0
    for line in lines:
        canvas.drawString(60, y, line[:90])
        y -= 14
    canvas.showPage()
    canvas.save()


def rows(bench: Bench) -> list[Row]:
    from sqlalchemy import select

    from app.demo.data import read_accounts
    from app.models.cases import Case, CaseAssignment, Parent
    from app.services.cases import postcodes
    from app.services.install.vault import Vault
    from app.services.letters import letters

    folder = bench.year10("letters")
    vault = Vault(folder)
    busiest: Any = None
    manager = read_accounts(folder)[0]
    ctx = vault.sign_in(manager.username, manager.password)
    with ctx.write() as session:
        busiest = session.connection().exec_driver_sql(
            "SELECT a.staff_id, s.username FROM case_assignment a JOIN staff s ON s.id = a.staff_id "
            "WHERE s.role = 'adviser' GROUP BY a.staff_id ORDER BY count(*) DESC").fetchone()
    ctx.close()
    account = next(a for a in read_accounts(folder) if a.username == busiest[1])
    adviser = vault.sign_in(account.username, account.password)
    try:
        with adviser.write() as session:
            found = session.execute(
                select(Parent.case_id, Parent.id, Parent.postcode)
                .join(CaseAssignment, CaseAssignment.case_id == Parent.case_id)
                .join(Case, Case.id == Parent.case_id)
                .where(CaseAssignment.staff_id == busiest[0], Case.status != "archived")
                .order_by(Parent.case_id)).all()
        targets = list({case_id: (case_id, parent_id) for case_id, parent_id, postcode in found
                        if postcodes.is_postcode(postcode)}.values())[:SINGLE + BATCH]

        def issue(case_id: int, parent_id: int) -> float:
            started = time.perf_counter()
            draft = letters.draft_letter(adviser, case_id, "case_closure",
                                         letters.Addressee(parent_id=parent_id))
            letters.issue_letter(adviser, case_id, draft, draft.subject, draft.body)
            return time.perf_counter() - started

        single = statistics.median(issue(*target) for target in targets[:SINGLE])
        started = time.perf_counter()
        for target in targets[SINGLE:SINGLE + BATCH]:
            issue(*target)
        batch = time.perf_counter() - started
        draft = letters.draft_letter(adviser, targets[0][0], "case_closure",
                                     letters.Addressee(parent_id=targets[0][1]))
        words = [*draft.address_lines, draft.subject, *draft.body.splitlines()]
        raw_times = []
        for _ in range(SINGLE):
            began = time.perf_counter()
            _raw_pdf(words)
            raw_times.append(time.perf_counter() - began)
        raw = statistics.median(raw_times)
    finally:
        adviser.close()
    bench.notes.append(f"letters: a case-closure letter issued on {SINGLE} of one adviser's cases (median), "
                       f"then {BATCH} more in a row, on the year10 database")
    return [Row("one letter PDF, issued and kept on the case", single, 0.150,
                "reportlab canvas, same words", raw),
            Row(f"{BATCH} letters in a batch", batch, 10.0, f"{BATCH} bare reportlab pages", raw * BATCH)]
