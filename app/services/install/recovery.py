"""The recovery key: a manager gets in without a password and is given a new one.

Used on a new computer, or once the key file or the credential store was lost. When the
store has changed, the install is rebound to the current one and every other slot is
dropped: the manager then gives colleagues new passwords.
"""

from __future__ import annotations

import base64

from sqlalchemy import select

from app.models.staff import Staff
from app.models.storage import Database, WrongKey
from app.services import audit, settings
from app.services.context import SignedIn
from app.services.install import credential_store, failed_sign_ins, recovery_key
from app.services.install.key_slots import FailedAttempts, KeySlot, KeySlotFile, audit_public_key
from app.services.install.signing_in import (
    find_staff,
    flush_failures,
    notices,
    open_database,
    staff_member,
)
from app.services.install.vault import AUDIT_KEY_SETTING, CredentialStoreProblem, Vault
from app.services.people import InvalidInput, Role, check_password


def recover(vault: Vault, typed_recovery_key: str, username: str, new_password: str,
            confirm: str, allow_password_only: bool = False) -> SignedIn:
    """Open with the recovery key, give a manager a new password and a new slot."""
    try:
        data_key = recovery_key.decode(typed_recovery_key)
    except recovery_key.RecoveryKeyInvalid as exc:
        raise InvalidInput(str(exc), "recovery_key") from None
    check_password(new_password, confirm)
    try:
        database = open_database(vault, data_key, key_verified=False)
    except WrongKey as exc:
        raise InvalidInput(
            "This recovery key does not open the database in this folder.", "recovery_key"
        ) from exc
    try:
        slots, rebuilt = _load_or_rebuild_slots(vault, database, allow_password_only)
        rebound = rebuilt or _rebind_if_needed(slots, allow_password_only)
        device_secret = vault.device_secret(slots)
        with database.unit_of_work() as session:
            row = find_staff(session, username)
            if row is None or not row.active or row.role != Role.MANAGER.value:
                raise InvalidInput(
                    "Enter the username of an active manager account.", "username"
                )
            slot_id = slots.slot_id_for(row.username)
            row.key_slot_id = slot_id
            row.must_change_password = False
            member = staff_member(row)
            if rebound:
                for other in session.scalars(select(Staff).where(Staff.id != row.id)):
                    other.key_slot_id = None
                    other.must_change_password = True
            flush_failures(session, slots)
            audit.record(session, member, "recovery key used",
                         detail={"credential_store_rebound": rebound})
        if rebound:
            slots.slots = {}
        slots.slots[slot_id] = KeySlot.seal(slot_id, data_key, new_password, device_secret)
        slots.failures = FailedAttempts()
        # The recovery key clears every count; the block stays sealed for the next sign-in.
        failed_sign_ins.protect(slots, device_secret)
        slots.save()
    except BaseException:
        database.close()
        raise
    told = notices(slots)
    if rebound:
        told.append(
            "Confide is now tied to this computer's credential store. Everyone else needs "
            "a new password: Admin → Staff → Reset password."
        )
    return SignedIn(member, vault.folder(), database, notices=told)


def _load_or_rebuild_slots(vault: Vault, database: Database,
                           allow_password_only: bool) -> tuple[KeySlotFile, bool]:
    """The key file, or a new one when it was lost or damaged (True: every slot must be remade)."""
    try:
        return vault.load_slots(), False
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
    slots = KeySlotFile.new(vault.key_slots_path, status.backend if status.available else None, raw)
    if status.available:
        credential_store.create_device_secret(slots.install_id)
    return slots, True


def _rebind_if_needed(slots: KeySlotFile, allow_password_only: bool) -> bool:
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
