"""Signing in: a person's key slot gives the data key, which opens the database and their account.

Every attempt is audited. A failure is counted in the key file, with a growing wait, and
sealed there while the database is still closed; the sealed failures reach the audit trail
at the next sign-in (or use of the recovery key) that opens it. This module brings the
database layer, so the vault imports it only when someone signs in.
"""

from __future__ import annotations

import base64
import importlib
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.staff import Staff
from app.models.storage import Database, DatabaseDamaged, WrongKey, silence_cipher_log
from app.services import audit, settings
from app.services.clock import now
from app.services.context import SignedIn
from app.services.install import audit_anchor, credential_store, failed_sign_ins
from app.services.install.key_slots import AccountFailures, KeySlot, KeySlotFile, open_sealed_failure
from app.services.install.vault import (
    AUDIT_KEY_SETTING,
    BeforeRecording,
    SignInRefused,
    Vault,
    delay_after,
    seconds_text,
    wait_for,
)
from app.services.people import Role, StaffMember, is_text, readable


def load_ahead() -> None:
    """Load now what opening the database will need, and silence SQLCipher's own log.

    The window calls this on a background thread while the person types their password
    (app.ui.shell.warm_up), and so leaves silencing SQLCipher to it; the command line does
    that itself before its sub-commands.
    """
    silence_cipher_log()
    for name in ("app.models.migrate", "app.services.install.credential_store",
                 # The key slots' scrypt and AES-GCM, which key_slots loads only to use them.
                 "cryptography.hazmat.primitives.kdf.scrypt",
                 "cryptography.hazmat.primitives.ciphers.aead"):
        importlib.import_module(name)


def find_staff(session: Session, username: str) -> Staff | None:
    """The account whatever the case typed: usernames are unique ignoring case."""
    wanted = username.strip().casefold()
    return next((row for row in session.scalars(select(Staff)) if row.username.casefold() == wanted),
                None)


def staff_member(row: Staff) -> StaffMember:
    return StaffMember(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        active=row.active,
        must_change_password=row.must_change_password,
    )


def sign_in(vault: Vault, username: str, password: str,
            before_recording: BeforeRecording | None = None) -> SignedIn:
    """Open the database with `username`'s slot and record that they signed in.

    `before_recording` runs with the signed-in context before anything is appended to the
    audit trail (the command line's `audit verify` checks the trail as it was found); the
    sign-in is recorded after it all the same, even when it fails.
    """
    # Text that is not real Unicode (a lone surrogate) is nobody's username or password: it
    # opens no slot and is refused, counted and recorded like a wrong one, with its broken
    # characters replaced so that the record can be sealed and the audit trail can hold it.
    answerable = is_text(username) and is_text(password)
    username, password = readable(username), readable(password)
    slots = vault.load_slots()
    device_secret = vault.device_secret(slots)
    # Counts and sealed records edited out of the key file come back from their copy here.
    failed_sign_ins.guard(slots, device_secret)
    account = slots.account_for(username)
    wait = wait_for(slots, account)
    if wait > 0:
        # Audited, but not counted: counting would stretch the wait with every press.
        slots.failures.sealed.append(slots.seal_failure(
            {"at": now().isoformat(), "username": username[:64], "reason": "tried again too soon"}
        ))
        slots.save()
        raise SignInRefused(f"Too many wrong attempts. You can try again in {seconds_text(wait)}.", wait)
    slot = slots.slots.get(slots.slot_id_for(username)) if answerable else None
    data_key = slot.open(password, device_secret) if slot else None
    if data_key is None:
        if slot is None:
            # Spend the same effort as a real slot, so timing does not reveal usernames.
            KeySlot.seal("0" * 64, os.urandom(32), password, None)
        raise refuse(slots, username, "wrong username or password", account)
    database = open_database(vault, data_key)
    try:
        with database.unit_of_work() as session:
            row = find_staff(session, username)
            if row is None or not row.active or row.key_slot_id != slot.slot_id:
                refused = True
            else:
                refused = False
                member = staff_member(row)
                if before_recording is None:
                    flush_failures(session, slots)
                    audit.record(session, member, "signed in")
        if refused:
            database.close()
            raise refuse(slots, username, "account inactive", account)
        if before_recording is not None:
            try:
                before_recording(SignedIn(member, vault.folder(), database))
            finally:
                with database.unit_of_work() as session:
                    flush_failures(session, slots)
                    audit.record(session, member, "signed in")
        keeper = audit.keeper_for(database.engine)
        if keeper is not None:
            # The credential store's copy of the anchor follows each sign-in.
            keeper.confirmed()
    except BaseException:
        database.close()
        raise
    # Only this account's count is cleared; the sealed records are in the audit trail now.
    slots.failures.accounts.pop(account, None)
    slots.failures.sealed = []
    slots.save()
    return SignedIn(member, vault.folder(), database, notices=notices(slots))


def refuse(slots: KeySlotFile, username: str, reason: str, account: str) -> SignInRefused:
    """Count and seal a failed attempt at `account`; the refusal says how long it waits next."""
    at = now()
    entry = slots.failures.accounts.setdefault(account, AccountFailures())
    entry.count += 1
    entry.last_at = at
    slots.failures.sealed.append(
        slots.seal_failure({"at": at.isoformat(), "username": username[:64], "reason": reason})
    )
    # Keep the file small even under a long guessing run.
    slots.failures.sealed = slots.failures.sealed[-500:]
    slots.save()
    wait = delay_after(entry.count)
    message = "The username or password is not right. Check Caps Lock and try again."
    if wait:
        message += f" You can try again in {seconds_text(wait)}."
    return SignInRefused(message, wait)


def notices(slots: KeySlotFile) -> list[str]:
    if not slots.device_bound:
        return [credential_store.status().message]
    return []


def open_database(vault: Vault, data_key: bytes, key_verified: bool = True) -> Database:
    """Open the folder's database with `data_key` and bring its tables up to date."""
    try:
        database = Database(vault.database_path, data_key)
    except WrongKey as exc:
        if key_verified:
            # The key came out of an authenticated slot, so the file is what is wrong.
            raise DatabaseDamaged(str(exc)) from exc
        raise
    try:
        migrate(database, vault.backups_dir)
        # From here on each commit that appends audit events moves this desk's anchor on.
        audit_anchor.attach(database.engine, data_key, vault.key_slots_path)
    except BaseException:
        database.close()
        raise
    return database


def migrate(database: Database, backups_dir: Path | None) -> None:
    # Imported here: Alembic costs ~0.2 s, which services wanting only `find_staff` need not pay.
    from app.models import migrate as migrations

    migrations.upgrade(database, backups_dir)


def flush_failures(session: Session, slots: KeySlotFile) -> None:
    """Write the sealed failed attempts from the key file into the audit trail."""
    if not slots.failures.sealed:
        return
    private = settings.read_private(session, AUDIT_KEY_SETTING)
    if not private:
        return
    private_key = base64.b64decode(private)
    for sealed in slots.failures.sealed:
        attempt = open_sealed_failure(private_key, sealed)
        if attempt is None:
            audit.record(session, None, "sign-in failed", detail={"unreadable": True})
            continue
        if attempt.get("event") == failed_sign_ins.RESET_EVENT:
            audit.record(session, None, "failed sign-ins reset detected",
                         detail={"where": attempt.get("where", "")},
                         at=datetime.fromisoformat(attempt["at"]))
            continue
        audit.record(
            session,
            str(attempt.get("username", "")) or "(blank)",
            "sign-in failed",
            detail={"reason": attempt.get("reason", "")},
            at=datetime.fromisoformat(attempt["at"]),
        )
