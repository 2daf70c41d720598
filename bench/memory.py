"""Bench row for issue 9: peak memory of an adviser's session on the year10 demo database.

Each side runs in a new Python process, which reports its own peak resident set size (VmHWM
in /proc/self/status), so nothing the bench itself holds is counted. Not getrusage's
ru_maxrss: Linux carries that across fork and exec, so a child would report at least the
bench's own peak, which holds year10 by then.

- figure: sign in as the adviser with the most cases (real scrypt, whose 128 MiB working set
  at N=2^17, r=8 is part of what the app needs), show the main window, run the 200 typed
  searches of the calls-and-cases rows through the service, and open 40 of their cases in the
  case view;
- baseline: an empty Qt window, then the same searches and case reads as raw SQL on one
  sqlcipher3 connection opened with the raw key (no SQLAlchemy, no key derivation).

No issue sets a memory target, so the row has none.
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

from bench.rows import Bench, Row, run_child

OPENS = 40

PEAK = """
def peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
"""

SESSION = PEAK + """
import json, os
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.services.cases import cases
from app.demo.data import read_accounts
from app.services.install.vault import Vault
from app.ui.shell.main_window import MainWindow
app = QApplication([])
folder = Path(os.environ["CONFIDE_DATA_DIR"])
job = json.loads(os.environ["BENCH_JOB"])
account = next(a for a in read_accounts(folder) if a.username == job["username"])
vault = Vault(folder)
ctx = vault.sign_in(account.username, account.password)
window = MainWindow(vault, ctx)
window.show()
app.processEvents()
for typed in job["typed"]:
    cases.search_cases(ctx, typed)
for case_id in job["cases"]:
    window.open_case(case_id)
    app.processEvents()
print(peak_kib())
"""

RAW = PEAK + """
import json, os
import sqlcipher3
from PySide6.QtWidgets import QApplication, QWidget
from bench.calls_cases import CASE_SELECTS, RAW_SEARCH
app = QApplication([])
window = QWidget()
window.show()
app.processEvents()
job = json.loads(os.environ["BENCH_JOB"])
connection = sqlcipher3.connect(os.path.join(os.environ["CONFIDE_DATA_DIR"], "confide.db"))
connection.execute("PRAGMA key = \\"x'" + os.environ["BENCH_KEY"] + "'\\"")
visible = ("AND EXISTS (SELECT 1 FROM case_assignment a WHERE a.case_id = case_file.id "
           "AND a.staff_id = %d)" % job["staff_id"])
search = RAW_SEARCH.format(visible=visible)
for typed in job["typed"]:
    squashed = "".join(typed.split()).upper()
    digits = "".join(c for c in typed if c.isdigit())
    connection.execute(search, {
        "word": "% " + typed.casefold() + "%", "ref": "%" + typed.upper() + "%",
        "postcode": squashed + "%", "phone": "%" + digits + "%" if len(digits) >= 4 else "-",
    }).fetchall()
for case_id in job["cases"]:
    for sql in CASE_SELECTS:
        connection.execute(sql, {"id": case_id}).fetchall()
connection.close()
print(peak_kib())
"""


def _job(folder: Any) -> tuple[dict[str, Any], str]:
    """The adviser with the most cases, their cases, the typed searches, and the data key."""
    from app.demo.data import read_accounts
    from app.services.install import storage_access
    from app.services.install.vault import Vault
    from bench.calls_cases import prefixes

    manager_account = read_accounts(folder)[0]
    manager = Vault(folder).sign_in(manager_account.username, manager_account.password)
    try:
        key = storage_access.database_of(manager).data_key().hex()
        with manager.write() as session:
            connection = session.connection()
            typed = prefixes(connection, random.Random(42))
            staff_id, username = connection.exec_driver_sql(
                "SELECT a.staff_id, s.username FROM case_assignment a JOIN staff s ON s.id = a.staff_id "
                "WHERE s.role = 'adviser' GROUP BY a.staff_id ORDER BY count(*) DESC").fetchone()
            own = [row[0] for row in connection.exec_driver_sql(
                "SELECT a.case_id FROM case_assignment a JOIN case_file c ON c.id = a.case_id "
                "WHERE a.staff_id = ? AND c.status != 'archived' ORDER BY a.case_id", (staff_id,))]
    finally:
        manager.close()
    random.Random(7).shuffle(own)
    return {"username": username, "staff_id": staff_id, "typed": typed, "cases": own[:OPENS]}, key


def _peak_mb(code: str, env: dict[str, str]) -> float:
    _seconds, printed = run_child(code, env)
    return int(printed.strip().splitlines()[-1]) / 1024


def rows(bench: Bench) -> list[Row]:
    folder = bench.year10("memory")
    job, key = _job(folder)
    env = {**os.environ, "CONFIDE_DATA_DIR": str(folder), "QT_QPA_PLATFORM": "offscreen",
           "BENCH_JOB": json.dumps(job)}
    figure = _peak_mb(SESSION, env)
    baseline = _peak_mb(RAW, {**env, "BENCH_KEY": key})
    bench.notes.append(f"peak memory of one process: an adviser's session on year10 (sign-in, main "
                       f"window, {len(job['typed'])} searches, {len(job['cases'])} case views)")
    return [Row("peak memory, adviser session on year10", figure, None,
                "empty Qt window + raw SQL", baseline, unit="MB")]
