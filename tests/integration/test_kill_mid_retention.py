"""Killing Confide in the middle of a retention run leaves every case untouched or fully done."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import text

from app.models.storage import Database, integrity_problems
from app.services import audit
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault
from app.services.retention import retention
from app.services.retention.rules import add_years
from tests.services.retention.test_retention import family_case

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 1, 10, 9, 30)
NAMES = ("Ashdown", "Birchley", "Cedarholt", "Dunmore", "Elmstead", "Fernhurst")

# The child runs retention six years on, two cases to a group. Inside the second group's unit
# of work (rows deleted, nothing committed) it says so and waits there to be killed.
CHILD = r"""
import sys, time
from datetime import datetime
from pathlib import Path
import time_machine
from app.models.storage import Database
from app.services.retention import destruction
from app.services.retention import retention
from app.services.people import Role, StaffMember
from app.services.context import SignedIn
from app.services.install.vault import Vault

data_dir, when = Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2])
key = bytes.fromhex(sys.stdin.readline().strip())
vault = Vault(data_dir)
ctx = SignedIn(StaffMember(1, "margaret", "Margaret Manager", Role.MANAGER), vault.folder(),
               Database(vault.database_path, key))
retention.BATCH_CASES = 2  # three groups of two: the first commits, the second is killed
real = destruction.audit.record_many
groups = []

def record_many(session, actor, events, *args, **kwargs):
    real(session, actor, events, *args, **kwargs)
    if events and events[0].action == "case destroyed":
        groups.append(len(events))
        if len(groups) == 2:
            session.flush()
            sys.stdout.write("mid-transaction\n")
            sys.stdout.flush()
            time.sleep(60)

destruction.audit.record_many = record_many
with time_machine.travel(when, tick=False):
    retention.run(ctx)
sys.stdout.write("finished\n")
"""


def _state(database: Database, surname: str) -> str:
    """"kept" when every row of the family is there, "destroyed" when none is and the register
    has it, anything else names what is half done."""
    with database.unit_of_work() as session:
        def count(sql: str) -> int:
            return int(session.execute(text(sql), {"name": f"%{surname}%"}).scalar() or 0)

        rows = (count("SELECT count(*) FROM parent WHERE full_name LIKE :name"),
                count("SELECT count(*) FROM child WHERE full_name LIKE :name"),
                count("SELECT count(*) FROM call WHERE summary LIKE :name AND case_id IS NOT NULL"),
                count("SELECT count(*) FROM consent c JOIN parent p ON p.case_id = c.case_id "
                      "WHERE p.full_name LIKE :name"))
    if all(rows):
        return "kept"
    if not any(rows):
        return "destroyed"
    return f"half done {rows}"


@pytest.mark.slow
def test_killed_retention_run_leaves_each_case_whole_or_gone(manager: SignedIn, vault: Vault) -> None:
    with time_machine.travel(START, tick=False):
        for name in NAMES:
            family_case(manager, name)
    key = storage_access.database_of(manager).data_key()
    manager.close()
    when = datetime.combine(add_years(START.date(), 6), datetime.min.time()) + timedelta(hours=9)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(vault.data_dir), when.isoformat()],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=ROOT, text=True)
    assert child.stdin and child.stdout
    try:
        child.stdin.write(key.hex() + "\n")
        child.stdin.flush()
        line = child.stdout.readline()
    finally:
        child.kill()  # SIGKILL: no rollback, no checkpoint, no closing
        _, errors = child.communicate(timeout=30)
    assert line == "mid-transaction\n", errors

    database = Database(vault.database_path, key)
    try:
        connection = database.raw_connection()
        try:
            assert integrity_problems(connection) == []
        finally:
            connection.close()
        states = {name: _state(database, name) for name in NAMES}
        assert set(states.values()) <= {"kept", "destroyed"}, states
        gone = list(states.values()).count("destroyed")
        assert gone == 2  # the first group committed; the second, and the third, never did
        with database.unit_of_work() as session:
            register = session.execute(text("SELECT count(*) FROM destruction_record")).scalar()
        assert register == gone
        ctx = SignedIn(vault_actor(database), vault.folder(), database)
        assert audit.verify(ctx).ok

        # The next start carries on where the killed one stopped.
        with time_machine.travel(when, tick=False):
            summary = retention.run(ctx)
        assert summary.counts["destroyed"] == len(NAMES) - gone
        assert {_state(database, name) for name in NAMES} == {"destroyed"}
    finally:
        database.close()


def vault_actor(database: Database):  # type: ignore[no-untyped-def]
    from app.services.install.signing_in import find_staff
    from app.services.install.signing_in import staff_member as _staff_member

    with database.unit_of_work() as session:
        row = find_staff(session, "margaret")
        assert row is not None
        return _staff_member(row)

