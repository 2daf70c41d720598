"""Killing Confide in the middle of a stream of saves loses nothing it had committed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models.foundation import Setting
from app.models.storage import Database, integrity_problems
from app.services import audit
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault

ROOT = Path(__file__).resolve().parents[2]

# The child saves one record per unit of work and reports each number only after the commit.
CHILD = r"""
import json, sys
from pathlib import Path
from app.models.storage import Database
from app.models.foundation import Setting
from app.services import audit

key = bytes.fromhex(sys.stdin.readline().strip())
database = Database(Path(sys.argv[1]), key)
number = int(sys.argv[2])
while True:
    number += 1
    with database.unit_of_work() as session:
        session.add(Setting(name=f"kill-{number}", value=json.dumps("x" * (number % 700))))
        audit.record(session, None, "kill test", target=f"row:{number}")
    sys.stdout.write(f"{number}\n")
    sys.stdout.flush()
"""


def save_until_killed(path: Path, key: bytes, start: int, kill_after: int) -> list[int]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(start)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True,
    )
    assert child.stdin and child.stdout
    reported: list[int] = []
    try:
        child.stdin.write(key.hex() + "\n")
        child.stdin.flush()
        while len(reported) < kill_after:
            line = child.stdout.readline()
            if not line:
                break
            reported.append(int(line))
    finally:
        child.kill()  # SIGKILL on POSIX: no clean-up, no checkpoint, no closing
        rest, errors = child.communicate(timeout=30)
    assert len(reported) == kill_after, errors
    # Lines already in the pipe when the kill landed were committed too.
    reported += [int(line) for line in rest.splitlines(keepends=True) if line.endswith("\n")]
    return reported


@pytest.mark.slow
def test_nothing_committed_is_lost(manager: SignedIn, vault: Vault) -> None:
    key = storage_access.database_of(manager).data_key()
    manager.close()
    committed: list[int] = []
    for run, kill_after in enumerate((120, 37, 200)):
        # Each run numbers from its own range: the kill can land after a commit and before its
        # number is reported, and that row must not collide with the next run's first.
        committed += save_until_killed(vault.database_path, key, run * 100_000, kill_after)
        connection = Database(vault.database_path, key).raw_connection()
        try:
            assert integrity_problems(connection) == []
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            connection.close()

    database = Database(vault.database_path, key)
    try:
        with database.unit_of_work() as session:
            names = set(session.scalars(select(Setting.name).where(Setting.name.like("kill-%"))))
        missing = [number for number in committed if f"kill-{number}" not in names]
        assert missing == []
        chain = audit.verify(SignedIn(manager.actor, vault.folder(), database))
        assert chain.ok, chain.message
        assert chain.checked >= len(committed)
    finally:
        database.close()
