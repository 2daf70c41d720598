"""The audit trail: chained, append-only, tampering found by the service and by `confide audit verify`."""

from __future__ import annotations

import io
import json
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


# -- the anchor: the chain's head kept outside the database ------------------------------------

def rewrite_chain_from(ctx: SignedIn, event_id: int, detail: str) -> None:
    """Change one event and work every hash after it out again, as someone with the key could."""
    connection = storage_access.database_of(ctx).raw_connection()
    try:
        connection.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        rows = connection.execute(
            "SELECT id, at, actor_id, actor, action, target, detail, prev_hash FROM audit_event "
            "WHERE id >= ? ORDER BY id", (event_id,)).fetchall()
        prev = rows[0][7]
        for row_id, at, actor_id, actor, action, target, old_detail, _ in rows:
            new_detail = detail if row_id == event_id else old_detail
            digest = audit._digest(prev, datetime.fromisoformat(at), actor_id, actor, action, target,
                                   new_detail)
            connection.execute("UPDATE audit_event SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
                               (new_detail, prev, digest, row_id))
            prev = digest
        connection.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")
    finally:
        connection.close()


def last_id(ctx: SignedIn) -> int:
    return audit.list_events(ctx, audit.AuditFilter(limit=1))[0].id


def test_the_last_events_cut_off_are_found(manager: SignedIn, vault: Vault,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    make_some_events(manager)
    end = last_id(manager)
    # The triggers dropped through the raw connection and the last two events deleted.
    tamper(manager, f"DELETE FROM audit_event WHERE id > {end - 2}")

    check = audit.verify(manager)
    assert not check.ok and check.first_broken_id is None
    assert f"The last 2 events were removed from the audit trail: it now ends at event {end - 2}" \
        in check.message
    code, output = verify_through_cli(vault, monkeypatch, capsys)
    assert code == 1 and "The last 2 events were removed" in output
    assert "First broken event" not in output


def test_new_events_after_a_cut_do_not_hide_it(manager: SignedIn) -> None:
    make_some_events(manager)
    end = last_id(manager)
    tamper(manager, f"DELETE FROM audit_event WHERE id > {end - 1}")
    # Work goes on: the new events take the removed ids and more, and the anchor stays put.
    for phone in ("01111 111111", "02222 222222"):
        settings.update(manager, {"service_phone": phone})
    check = audit.verify(manager)
    assert not check.ok and f"event {end} is not the event that was recorded" in check.message


def test_a_chain_worked_out_again_after_a_change_is_found(
    manager: SignedIn, vault: Vault, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_some_events(manager)
    assert audit.verify(manager).ok  # a clean check copies the anchor to the credential store
    checked_at = last_id(manager)
    make_some_events(manager)
    rewrite_chain_from(manager, checked_at + 2, '{"fields": ["nothing"]}')

    check = audit.verify(manager)
    assert not check.ok and check.first_broken_id is None
    assert f"The audit trail was rewritten after event {checked_at}" in check.message
    code, output = verify_through_cli(vault, monkeypatch, capsys)
    assert code == 1 and "The audit trail was rewritten" in output


def test_dropped_triggers_are_found(manager: SignedIn, vault: Vault, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    make_some_events(manager)
    tamper(manager, "SELECT 1")
    check = audit.verify(manager)
    assert not check.ok and check.first_broken_id is None
    assert check.findings == (
        "The protection that stops audit events being changed or deleted has been removed from "
        "the database, so events could be changed or deleted without Confide refusing.",)
    code, output = verify_through_cli(vault, monkeypatch, capsys)
    assert code == 1 and "protection that stops audit events" in output


def flush_anchor(ctx: SignedIn) -> None:
    """Wait for the anchor's write, which happens off the save."""
    keeper = storage_access.audit_anchor_of(ctx)
    assert keeper is not None
    keeper.flush()


def test_an_altered_or_removed_anchor_is_found(manager: SignedIn, vault: Vault) -> None:
    make_some_events(manager)
    flush_anchor(manager)
    data = json.loads(vault.key_slots_path.read_text("utf-8"))
    data["audit_anchors"]["this computer"]["event"] -= 1
    vault.key_slots_path.write_text(json.dumps(data), "utf-8")
    assert "kept in the key file (keyslots.json) has been altered" in audit.verify(manager).message
    data["audit_anchors"] = {}
    vault.key_slots_path.write_text(json.dumps(data), "utf-8")
    assert "missing from the key file" in audit.verify(manager).message


def test_two_windows_writing_in_turn_are_not_flagged(manager: SignedIn, adviser: SignedIn,
                                                     vault: Vault) -> None:
    for _ in range(3):
        make_some_events(manager)
        with adviser.write() as session:
            audit.record(session, adviser.actor, "cases listed")
    assert audit.verify(manager).ok
    flush_anchor(adviser)
    anchored = json.loads(vault.key_slots_path.read_text("utf-8"))["audit_anchors"]["this computer"]
    assert anchored["event"] == last_id(manager)
