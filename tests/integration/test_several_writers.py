"""Several processes writing to one database at once: the audit chain stays one unbroken line
and every case gets its own number.

Each process appends audit events and opens cases as fast as it can, every unit of work
reading the chain's end or the year's last case number before writing, exactly as Confide's
services do. The writer lock (Database.unit_of_work) must serialise them; the schema's guards
(unique previous hash, unique case number per year) would turn a lapse into an error, which
the children report instead of finishing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models.cases import Case
from app.models.foundation import AuditEvent
from app.services import audit
from app.services.context import SignedIn
from app.services.install.storage_access import database_of
from app.services.install.vault import Vault

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
ROUNDS = 25

CHILD = r"""
import sys
from datetime import datetime
from pathlib import Path
from sqlalchemy import select
from app.models.storage import Database
from app.models.staff import Staff
from app.services import audit
from app.services.calls.calls import create_case

key = bytes.fromhex(sys.stdin.readline().strip())
database = Database(Path(sys.argv[1]), key, check_integrity=False)
name, rounds = sys.argv[2], int(sys.argv[3])
sys.stdout.write("ready\n")
sys.stdout.flush()
sys.stdin.readline()  # every child starts together
for number in range(rounds):
    with database.unit_of_work() as session:
        staff = session.scalars(select(Staff)).first()
        audit.record(session, name, "concurrency test", target=f"{name}:{number}")
        if number % 2 == 0:
            case = create_case(session, staff, datetime(2026, 12, 4, 10, 0))
            audit.record(session, name, "case opened", target=f"case:{case.id}")
database.close()
sys.stdout.write("done\n")
"""


@pytest.mark.slow
def test_several_processes_never_fork_the_chain_or_share_a_case_number(
        manager: SignedIn, vault: Vault) -> None:
    database = database_of(manager)
    key = database.data_key()
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(vault.database_path), f"desk{n}", str(ROUNDS)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         cwd=ROOT, text=True)
        for n in range(PROCESSES)
    ]
    try:
        for child in children:
            assert child.stdin and child.stdout
            child.stdin.write(key.hex() + "\n")
            child.stdin.flush()
            assert child.stdout.readline() == "ready\n", child.stderr.read() if child.stderr else ""
        for child in children:
            assert child.stdin
            child.stdin.write("go\n")
            child.stdin.flush()
        outcomes = [child.communicate(timeout=120) for child in children]
    finally:
        for child in children:
            child.kill()
    for child, (out, errors) in zip(children, outcomes, strict=True):
        assert child.returncode == 0 and out.strip() == "done", errors

    check = audit.verify(manager)
    assert check.ok, check.message
    with manager.read() as session:
        written = session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "concurrency test"))
        numbers = list(session.scalars(select(Case.sequence).where(Case.year == 2026)))
    assert written == PROCESSES * ROUNDS
    opened = PROCESSES * ((ROUNDS + 1) // 2)
    assert sorted(numbers) == list(range(1, opened + 1))
