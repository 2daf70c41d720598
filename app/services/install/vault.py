"""The install: its data folder, key slots and database, and how people get in.

Setting up makes the data key, the database, the first manager's key slot and the recovery
key. Signing in finds the person's slot, unwraps the data key and opens the database. Every
attempt is audited; failures are counted in the slot file, with a growing delay.
"""

from __future__ import annotations

import base64
import contextlib
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import paths
from app.models.staff import Staff
from app.models.storage import Database, DatabaseDamaged, WrongKey
from app.services import audit, settings
from app.services.clock import now
from app.services.install import credential_store, recovery_key
from app.services.install.key_slots import (
    FailedAttempts,
    KeySlot,
    KeySlotFile,
    audit_public_key,
    new_audit_keypair,
    open_sealed_failure,
)
from app.services.people import (
    InvalidInput,
    Role,
    StaffMember,
    check_full_name,
    check_password,
    check_username,
)

AUDIT_KEY_SETTING = "audit_private_key"
MAX_DELAY_SECONDS = 60


def _seconds(wait: float) -> str:
    whole = math.ceil(wait)
    return "1 second" if whole == 1 else f"{whole} seconds"


class SignInRefused(Exception):
    """Wrong username or password, or asked again too soon. `wait_seconds` > 0 means wait first."""

    def __init__(self, message: str, wait_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class CredentialStoreProblem(Exception):
    """The credential store is missing, changed, or has lost the device secret."""


class KeyFileDamaged(CredentialStoreProblem):
    """keyslots.json is there but cannot be read."""


class NotSetUp(Exception):
    """The data folder has no Confide database yet."""


def delay_after(failures: int) -> float:
    """Seconds to wait before the next try: 0 after the first slip, then 1, 2, 4 … up to 60."""
    if failures <= 1:
        return 0.0
    return float(min(2 ** (failures - 2), MAX_DELAY_SECONDS))


def _wait_for(slots: KeySlotFile) -> float:
    if not slots.failures.last_at:
        return 0.0
    ready = slots.failures.last_at + timedelta(seconds=delay_after(slots.failures.count))
    return max(0.0, (ready - now()).total_seconds())


def find_staff(session: Session, username: str) -> Staff | None:
    """The account whatever the case typed: usernames are unique ignoring case."""
    wanted = username.strip().casefold()
    return next((row for row in session.scalars(select(Staff)) if row.username.casefold() == wanted),
                None)


def _staff_member(row: Staff) -> StaffMember:
    return StaffMember(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        active=row.active,
        must_change_password=row.must_change_password,
    )


@dataclass
class SetupDetails:
    service_name: str
    service_address: str
    service_phone: str
    manager_name: str
    manager_username: str
    manager_password: str
    manager_password_confirm: str
    allow_password_only: bool = False
    service_email: str = ""


@dataclass
class SetupResult:
    recovery_key: str
    password_only: bool


@dataclass
class SignedIn:
    """An open database and the person using it. Services take this (or its parts)."""

    vault: Vault
    database: Database
    actor: StaffMember
    notices: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.database.close()


class Vault:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.database_path = self.data_dir / paths.DATABASE_NAME
        self.key_slots_path = self.data_dir / paths.KEY_SLOTS_NAME
        self.backups_dir = self.data_dir / paths.BACKUPS_DIR_NAME

    # -- state -----------------------------------------------------------------------------

    def is_set_up(self) -> bool:
        return self.database_path.exists() or self.key_slots_path.exists()

    def _slots(self) -> KeySlotFile:
        if not self.key_slots_path.exists():
            if self.database_path.exists():
                raise CredentialStoreProblem(
                    "The key file (keyslots.json) is missing from the data folder, so staff "
                    "passwords cannot open the database. Restore keyslots.json from a backup "
                    "of the folder, or sign in with the recovery key."
                )
            raise NotSetUp(str(self.data_dir))
        try:
            return KeySlotFile.load(self.key_slots_path)
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyFileDamaged(
                "The key file (keyslots.json) in the data folder is damaged, so staff passwords "
                "cannot open the database. Restore keyslots.json from a copy of the folder, or "
                "a manager can sign in with the recovery key."
            ) from exc

    def credential_status(self) -> credential_store.CredentialStoreStatus:
        recorded = self._slots().credential_backend if self.key_slots_path.exists() else None
        return credential_store.status(recorded)

    def is_password_only(self) -> bool:
        return not self._slots().device_bound

    def _device_secret(self, slots: KeySlotFile) -> bytes | None:
        if not slots.device_bound:
            return None
        status = credential_store.status(slots.credential_backend)
        if status.changed_from or not status.available:
            raise CredentialStoreProblem(status.message)
        try:
            return credential_store.load_device_secret(slots.install_id)
        except credential_store.DeviceSecretMissing:
            raise CredentialStoreProblem(
                "This computer's credential store does not hold Confide's device secret (the "
                "database may have been copied from another computer, or the store was reset). "
                "A manager can sign in with the recovery key and give everyone new passwords."
            ) from None

    # -- setup -----------------------------------------------------------------------------

    def set_up(self, details: SetupDetails) -> SetupResult:
        """Create the database, the first manager and the recovery key. Never replaces data."""
        if self.is_set_up():
            raise InvalidInput("Confide is already set up in this data folder.")
        service_values = settings.validate(
            {
                "service_name": details.service_name,
                "service_address": details.service_address,
                "service_phone": details.service_phone,
                "service_email": details.service_email,
            }
        )
        name = check_full_name(details.manager_name)
        username = check_username(details.manager_username)
        check_password(details.manager_password, details.manager_password_confirm)
        status = credential_store.status()
        if not status.available and not details.allow_password_only:
            raise CredentialStoreProblem(status.message)

        paths.ensure_private_dir(self.data_dir)
        data_key = os.urandom(32)
        private_audit, public_audit = new_audit_keypair()
        slots = KeySlotFile.new(
            self.key_slots_path,
            credential_store.backend_name() if status.available else None,
            public_audit,
        )
        device_secret = (
            credential_store.create_device_secret(slots.install_id) if status.available else None
        )
        database = Database.create(self.database_path, data_key)
        try:
            self._migrate(database, backups_dir=None)
            with database.unit_of_work() as session:
                settings.write(session, service_values)
                settings.write(
                    session, {AUDIT_KEY_SETTING: base64.b64encode(private_audit).decode("ascii")}
                )
                manager = Staff(
                    username=username,
                    full_name=name,
                    role=Role.MANAGER.value,
                    active=True,
                    created_at=now(),
                    key_slot_id=slots.slot_id_for(username),
                    must_change_password=False,
                )
                session.add(manager)
                session.flush()
                audit.record(session, None, "confide set up",
                             detail={"password_only": device_secret is None})
                audit.record(session, _staff_member(manager), "staff account created",
                             target=f"staff:{manager.id}", detail={"role": "manager"})
            slot_id = slots.slot_id_for(username)
            slots.slots[slot_id] = KeySlot.seal(
                slot_id, data_key, details.manager_password, device_secret
            )
            slots.save()
        except BaseException:
            # The file holds nothing but this unfinished setup. Left behind, it would make the
            # folder look set up, with no key file to open it and no recovery key shown.
            database.close()
            for suffix in ("", "-wal", "-shm"):
                leftover = Path(f"{self.database_path}{suffix}")
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
            raise
        finally:
            database.close()
        return SetupResult(recovery_key.encode(data_key), password_only=device_secret is None)

    # -- signing in ------------------------------------------------------------------------

    def seconds_to_wait(self) -> float:
        return _wait_for(self._slots())

    def _refuse(self, slots: KeySlotFile, username: str, reason: str) -> SignInRefused:
        at = now()
        slots.failures.count += 1
        slots.failures.last_at = at
        slots.failures.sealed.append(
            slots.seal_failure({"at": at.isoformat(), "username": username[:64], "reason": reason})
        )
        # Keep the file small even under a long guessing run.
        slots.failures.sealed = slots.failures.sealed[-500:]
        slots.save()
        wait = delay_after(slots.failures.count)
        message = "The username or password is not right. Check Caps Lock and try again."
        if wait:
            message += f" You can try again in {_seconds(wait)}."
        return SignInRefused(message, wait)

    def sign_in(self, username: str, password: str) -> SignedIn:
        slots = self._slots()
        wait = _wait_for(slots)
        if wait > 0:
            # Audited, but not counted: counting would stretch the wait with every press.
            slots.failures.sealed.append(slots.seal_failure(
                {"at": now().isoformat(), "username": username[:64], "reason": "tried again too soon"}
            ))
            slots.save()
            raise SignInRefused(f"Too many wrong attempts. You can try again in {_seconds(wait)}.", wait)
        device_secret = self._device_secret(slots)
        slot = slots.slots.get(slots.slot_id_for(username))
        data_key = slot.open(password, device_secret) if slot else None
        if data_key is None:
            if slot is None:
                # Spend the same effort as a real slot, so timing does not reveal usernames.
                KeySlot.seal("0" * 64, os.urandom(32), password, None)
            raise self._refuse(slots, username, "wrong username or password")
        database = self._open(data_key)
        try:
            with database.unit_of_work() as session:
                row = find_staff(session, username)
                if row is None or not row.active or row.key_slot_id != slot.slot_id:
                    refused = True
                else:
                    refused = False
                    member = _staff_member(row)
                    self._flush_failures(session, slots)
                    audit.record(session, member, "signed in")
            if refused:
                database.close()
                raise self._refuse(slots, username, "account inactive")
        except BaseException:
            database.close()
            raise
        slots.failures = FailedAttempts()
        slots.save()
        return SignedIn(self, database, member, notices=self._notices(slots))

    def _notices(self, slots: KeySlotFile) -> list[str]:
        if not slots.device_bound:
            return [credential_store.status().message]
        return []

    def _open(self, data_key: bytes, key_verified: bool = True) -> Database:
        try:
            database = Database(self.database_path, data_key)
        except WrongKey as exc:
            if key_verified:
                # The key came out of an authenticated slot, so the file is what is wrong.
                raise DatabaseDamaged(str(exc)) from exc
            raise
        try:
            self._migrate(database, self.backups_dir)
        except BaseException:
            database.close()
            raise
        return database

    @staticmethod
    def _migrate(database: Database, backups_dir: Path | None) -> None:
        # Imported here: Alembic costs ~0.2 s, which the sign-in window should not wait for.
        from app.models import migrate

        migrate.upgrade(database, backups_dir)

    def _flush_failures(self, session, slots: KeySlotFile) -> None:  # type: ignore[no-untyped-def]
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
            audit.record(
                session,
                str(attempt.get("username", "")) or "(blank)",
                "sign-in failed",
                detail={"reason": attempt.get("reason", "")},
                at=datetime.fromisoformat(attempt["at"]),
            )

    # -- recovery and key slots ------------------------------------------------------------

    def recover(self, typed_recovery_key: str, username: str, new_password: str,
                confirm: str, allow_password_only: bool = False) -> SignedIn:
        """Open with the recovery key, give a manager a new password and a new slot.

        Used on a new computer or after the credential store was lost. When the store has
        changed, the install is rebound to the current store and every other slot is dropped:
        the manager then gives colleagues new passwords.
        """
        try:
            data_key = recovery_key.decode(typed_recovery_key)
        except recovery_key.RecoveryKeyInvalid as exc:
            raise InvalidInput(str(exc), "recovery_key") from None
        check_password(new_password, confirm)
        try:
            database = self._open(data_key, key_verified=False)
        except WrongKey as exc:
            raise InvalidInput(
                "This recovery key does not open the database in this folder.", "recovery_key"
            ) from exc
        try:
            slots, rebuilt = self._load_or_rebuild_slots(database, allow_password_only)
            rebound = rebuilt or self._rebind_if_needed(slots, allow_password_only)
            device_secret = self._device_secret(slots)
            with database.unit_of_work() as session:
                row = find_staff(session, username)
                if row is None or not row.active or row.role != Role.MANAGER.value:
                    raise InvalidInput(
                        "Enter the username of an active manager account.", "username"
                    )
                slot_id = slots.slot_id_for(row.username)
                row.key_slot_id = slot_id
                row.must_change_password = False
                member = _staff_member(row)
                if rebound:
                    for other in session.scalars(select(Staff).where(Staff.id != row.id)):
                        other.key_slot_id = None
                        other.must_change_password = True
                self._flush_failures(session, slots)
                audit.record(session, member, "recovery key used",
                             detail={"credential_store_rebound": rebound})
            if rebound:
                slots.slots = {}
            slots.slots[slot_id] = KeySlot.seal(slot_id, data_key, new_password, device_secret)
            slots.failures = FailedAttempts()
            slots.save()
        except BaseException:
            database.close()
            raise
        notices = self._notices(slots)
        if rebound:
            notices.append(
                "Confide is now tied to this computer's credential store. Everyone else needs "
                "a new password: Admin → Staff → Reset password."
            )
        return SignedIn(self, database, member, notices=notices)

    def _load_or_rebuild_slots(self, database: Database,
                               allow_password_only: bool) -> tuple[KeySlotFile, bool]:
        """The key file, or a new one when it was lost or damaged (True: every slot must be remade)."""
        try:
            return self._slots(), False
        except CredentialStoreProblem:  # missing or damaged
            pass
        with database.unit_of_work() as session:
            private = settings.read_private(session, AUDIT_KEY_SETTING)
        raw = audit_public_key(base64.b64decode(private or ""))
        status = credential_store.status()
        if not status.available and not allow_password_only:
            raise CredentialStoreProblem(
                status.message + " Choose password-only protection to continue on this computer."
            )
        slots = KeySlotFile.new(self.key_slots_path, status.backend if status.available else None, raw)
        if status.available:
            credential_store.create_device_secret(slots.install_id)
        return slots, True

    def _rebind_if_needed(self, slots: KeySlotFile, allow_password_only: bool) -> bool:
        """Point the install at the current credential store when the old secret is gone."""
        if not slots.device_bound:
            return False
        status = credential_store.status(slots.credential_backend)
        if not status.changed_from and status.available:
            try:
                credential_store.load_device_secret(slots.install_id)
                return False
            except credential_store.DeviceSecretMissing:
                pass
        if status.available:
            credential_store.create_device_secret(slots.install_id)
            slots.credential_backend = status.backend
        elif allow_password_only:
            slots.credential_backend = None
        else:
            raise CredentialStoreProblem(
                credential_store.status().message
                + " Choose password-only protection to continue on this computer."
            )
        return True

    def write_slot(self, signed_in: SignedIn, username: str, password: str) -> str:
        """Seal the data key for `username` under `password`; returns the slot id."""
        slots = self._slots()
        device_secret = self._device_secret(slots)
        slot_id = slots.slot_id_for(username)
        key = signed_in.database.data_key()
        slots.slots[slot_id] = KeySlot.seal(slot_id, key, password, device_secret)
        slots.save()
        return slot_id

    @contextlib.contextmanager
    def slot_change(self, signed_in: SignedIn, username: str, password: str) -> Iterator[str]:
        """Write `username`'s new slot; put the old one back if the change around it fails.

        Wrap the database change that records the new password, so the key file and the
        database never disagree about which password works.
        """
        before = self._slots()
        slot_id = before.slot_id_for(username)
        previous = before.slots.get(slot_id)
        self.write_slot(signed_in, username, password)
        try:
            yield slot_id
        except BaseException:
            slots = self._slots()
            if previous is None:
                slots.slots.pop(slot_id, None)
            else:
                slots.slots[slot_id] = previous
            slots.save()
            raise

    def remove_slot(self, slot_id: str | None) -> None:
        if not slot_id:
            return
        slots = self._slots()
        if slots.slots.pop(slot_id, None) is not None:
            slots.save()

    def check_password(self, username: str, password: str) -> bool:
        """Whether `password` opens `username`'s slot, without opening the database."""
        slots = self._slots()
        slot = slots.slots.get(slots.slot_id_for(username))
        if slot is None:
            return False
        return slot.open(password, self._device_secret(slots)) is not None
