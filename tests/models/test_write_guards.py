"""The schema's backstops for the writes that read first (migration 0011), and the two units
of work: a writing unit holds the writer lock, a reading unit neither waits nor writes."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.models.foundation import AuditEvent, Draft
from app.models.staff import Staff
from app.models.storage import Database, DatabaseBusy
from app.services import audit
from app.services.clock import now
from app.services.context import SignedIn
from app.services.install.storage_access import database_of


def test_two_events_cannot_follow_the_same_one(manager: SignedIn) -> None:
    with manager.read() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    fork = {"at": last.at, "actor_id": None, "actor": "forger", "action": "forked",
            "target": "", "detail": "", "prev_hash": last.prev_hash, "hash": "f" * 64}
    with pytest.raises(IntegrityError), manager.write() as session:
        session.add(AuditEvent(**fork))
    assert audit.verify(manager).ok


def test_one_draft_per_person_and_form(manager: SignedIn) -> None:
    with pytest.raises(IntegrityError), manager.write() as session:
        for payload in ("{}", '{"a": 1}'):
            session.add(Draft(staff_id=manager.actor.id, form="call", payload=payload,
                              saved_at=now()))
            session.flush()


def test_no_write_leaves_the_service_without_an_active_manager(manager: SignedIn) -> None:
    with pytest.raises(IntegrityError, match="active manager"), manager.write() as session:
        session.execute(update(Staff).values(active=False))
    with manager.read() as session:
        assert session.scalars(select(Staff.active)).all() == [True]


def test_two_usernames_cannot_differ_only_in_case(manager: SignedIn) -> None:
    with pytest.raises(IntegrityError), manager.write() as session:
        session.add(Staff(username=manager.actor.username.upper(), full_name="Copy", role="adviser",
                          active=True, created_at=now()))


def test_a_reading_unit_cannot_write(manager: SignedIn) -> None:
    with pytest.raises(OperationalError, match="readonly"), manager.read() as session:
        session.execute(text("DELETE FROM draft"))
    # The connection went back to the pool writable: the next writing unit works.
    with manager.write() as session:
        audit.record(session, manager.actor, "after a refused read-only write")


def test_a_reader_does_not_wait_for_a_writer_but_a_second_writer_does(manager: SignedIn) -> None:
    database = database_of(manager)
    holding = threading.Event()
    release = threading.Event()

    def hold_the_writer_lock() -> None:
        with database.unit_of_work() as session:
            audit.record(session, manager.actor, "holding the lock")
            holding.set()
            release.wait(10)

    writer = threading.Thread(target=hold_the_writer_lock)
    writer.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        with manager.read() as session:
            session.scalars(select(AuditEvent.id).limit(1)).all()
        assert time.monotonic() - started < 2.0
        blocked = _second_writer_blocked(database)
    finally:
        release.set()
        writer.join(10)
    assert blocked


def _second_writer_blocked(database: Database) -> bool:
    """Whether a second writer waits on the lock: it gives up quickly when told to."""
    connection = database.raw_connection()
    try:
        connection.execute("PRAGMA busy_timeout = 100")
        try:
            connection.execute("BEGIN IMMEDIATE")
        except Exception as exc:  # the driver's "database is locked"
            return "locked" in str(exc)
        connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def test_busy_is_a_known_problem_with_a_plain_message() -> None:
    assert "try again" in DatabaseBusy.user_message
