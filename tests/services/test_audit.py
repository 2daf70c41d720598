"""The audit trail: chained, append-only, tampering found by the service and by `confide audit verify`."""

from __future__ import annotations

import io
import sys
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import cli
from app.models.foundation import AuditEvent
from app.services import audit, settings
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault
from app.services.people import PermissionRefused
from tests.conftest import MANAGER_PASSWORD


def make_some_events(ctx: SignedIn) -> None:
    for minutes in (7, 10, 15):
        settings.update(ctx, {"idle_lock_minutes": minutes})


def tamper(ctx: SignedIn, sql: str) -> None:
    connection = storage_access.database_of(ctx).raw_connection()
    try:
        connection.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        connection.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        connection.execute(sql)
    finally:
        connection.close()


def verify_through_cli(vault: Vault, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(MANAGER_PASSWORD + "\n"))
    code = cli.main(["--data-dir", str(vault.data_dir), "audit", "verify", "--username", "margaret"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_untouched_chain_verifies(manager: SignedIn, vault: Vault, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    make_some_events(manager)
    check = audit.verify(manager)
    assert check.ok and check.first_broken_id is None
    assert check.checked == len(audit.list_events(manager, audit.AuditFilter()))
    assert "intact" in check.message
    code, output = verify_through_cli(vault, monkeypatch, capsys)
    assert code == 0 and "Audit trail intact" in output


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ("UPDATE audit_event SET detail = '{\"fields\": [\"nothing\"]}' WHERE id = 4", 4),
        ("UPDATE audit_event SET at = '2020-01-01 00:00:00.000000' WHERE id = 3", 3),
        ("DELETE FROM audit_event WHERE id = 3", 4),
    ],
    ids=["edited-detail", "edited-time", "deleted-row"],
)
def test_tampering_is_found(manager: SignedIn, vault: Vault, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str], sql: str, broken: int) -> None:
    make_some_events(manager)
    assert audit.verify(manager).ok
    tamper(manager, sql)

    check = audit.verify(manager)
    assert not check.ok and check.first_broken_id == broken
    assert f"event {broken}" in check.message

    code, output = verify_through_cli(vault, monkeypatch, capsys)
    assert code == 1
    assert f"First broken event: {broken}" in output
    assert "Traceback" not in output


def test_a_forged_event_at_the_end_is_found(manager: SignedIn) -> None:
    make_some_events(manager)
    last = audit.list_events(manager, audit.AuditFilter(limit=1))[0]
    tamper(manager, "INSERT INTO audit_event (at, actor_id, actor, action, target, detail, prev_hash, hash) "
                    "SELECT at, actor_id, 'margaret', 'backup made', '', '', hash, hash "
                    f"FROM audit_event WHERE id = {last.id}")
    assert audit.verify(manager).first_broken_id == last.id + 1


def test_triggers_refuse_update_and_delete(manager: SignedIn) -> None:
    for statement in ("UPDATE audit_event SET action = 'nothing happened'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), manager.write() as session:
            session.execute(text(statement))
    with pytest.raises(DBAPIError, match="append-only"), manager.write() as session:
        session.query(AuditEvent).filter(AuditEvent.id == 1).update({"actor": "someone else"})
    assert audit.verify(manager).ok


def test_filters(manager: SignedIn) -> None:
    with time_machine.travel(datetime(2026, 3, 1, 12, 0), tick=False):
        settings.update(manager, {"service_phone": "01111 111111"})
    with time_machine.travel(datetime(2026, 4, 1, 12, 0), tick=False):
        settings.update(manager, {"service_phone": "02222 222222"})
    changed = audit.list_events(manager,
                                audit.AuditFilter(action="settings changed"))
    assert [event.at for event in changed] == [datetime(2026, 4, 1, 12), datetime(2026, 3, 1, 12)]
    march = audit.list_events(manager, audit.AuditFilter(
        since=datetime(2026, 3, 1), until=datetime(2026, 3, 1) + timedelta(days=31)))
    assert [event.action for event in march] == ["settings changed"]
    assert audit.list_events(manager, audit.AuditFilter(text="service_phone"))
    assert audit.list_events(manager,
                             audit.AuditFilter(actor="margaret", action="signed in"))
    assert "settings changed" in audit.known_actions(manager)
    assert "margaret" in audit.known_actors(manager)
    # Audit rows carry which fields changed, never the values.
    assert all("01111" not in event.detail for event in changed)


def test_only_managers_read_the_trail(manager: SignedIn,
                                      adviser: SignedIn, coordinator: SignedIn) -> None:
    for colleague in (adviser, coordinator):
        for read in (
            lambda c: audit.list_events(c, audit.AuditFilter()),
            lambda c: audit.known_actions(c),
            lambda c: audit.known_actors(c),
        ):
            with pytest.raises(PermissionRefused):
                read(colleague)


def test_events_recorded_together_chain_like_single_ones(manager: SignedIn) -> None:
    with manager.write() as session:
        count = session.execute(text("SELECT count(*) FROM audit_event")).scalar()
        audit.record_many(session, manager.actor, [])  # nothing to add: no row at all
        assert session.execute(text("SELECT count(*) FROM audit_event")).scalar() == count
        audit.record(session, manager.actor, "case viewed", target="case:C-2026-0001")
        audit.record_many(session, None, [audit.Event("case destroyed", f"case:C-2026-000{n}",
                                                      {"rule": "test"}) for n in (2, 3)])
        audit.record(session, manager.actor, "cases listed")
        rows = session.execute(text("SELECT action, actor FROM audit_event ORDER BY id DESC "
                                    "LIMIT 4")).all()
    assert [tuple(row) for row in reversed(rows)] == [
        ("case viewed", "margaret"), ("case destroyed", audit.SYSTEM_ACTOR),
        ("case destroyed", audit.SYSTEM_ACTOR), ("cases listed", "margaret")]
    assert audit.verify(manager).ok
