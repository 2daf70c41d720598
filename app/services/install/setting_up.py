"""Setting up: the data key, the database, the first manager's key slot and the recovery key.

Nothing is replaced: a folder that already holds Confide is refused. If anything fails
half-way, the new database file is removed again, so the folder never looks set up without
a key file to open it and a recovery key shown.
"""

from __future__ import annotations

import base64
import contextlib
import os
from pathlib import Path

from app import paths
from app.models.staff import Staff
from app.models.storage import Database
from app.services import audit, settings
from app.services.clock import now
from app.services.install import audit_anchor, credential_store, recovery_key
from app.services.install.key_slots import KeySlot, KeySlotFile, new_audit_keypair
from app.services.install.signing_in import migrate, staff_member
from app.services.install.vault import (
    AUDIT_KEY_SETTING,
    CredentialStoreProblem,
    SetupDetails,
    SetupResult,
    Vault,
)
from app.services.people import InvalidInput, Role, check_full_name, check_password, check_username


def set_up(vault: Vault, details: SetupDetails) -> SetupResult:
    """Create the database, the first manager and the recovery key. Never replaces data."""
    if vault.is_set_up():
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

    paths.ensure_private_dir(vault.data_dir)
    data_key = os.urandom(32)
    private_audit, public_audit = new_audit_keypair()
    slots = KeySlotFile.new(
        vault.key_slots_path,
        credential_store.backend_name() if status.available else None,
        public_audit,
    )
    device_secret = (
        credential_store.create_device_secret(slots.install_id) if status.available else None
    )
    database = Database.create(vault.database_path, data_key)
    try:
        migrate(database, backups_dir=None)
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
            audit.record(session, staff_member(manager), "staff account created",
                         target=f"staff:{manager.id}", detail={"role": "manager"})
            head = audit.chain_head(session)
        slot_id = slots.slot_id_for(username)
        slots.slots[slot_id] = KeySlot.seal(
            slot_id, data_key, details.manager_password, device_secret
        )
        slots.save()
        if head is not None:
            # The anchor starts here, so a key file without one is one it was removed from.
            audit_anchor.DeskAnchor(vault.key_slots_path, data_key).reset(head)
    except BaseException:
        # The file holds nothing but this unfinished setup. Left behind, it would make the
        # folder look set up, with no key file to open it and no recovery key shown.
        database.close()
        for suffix in ("", "-wal", "-shm"):
            leftover = Path(f"{vault.database_path}{suffix}")
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise
    finally:
        database.close()
    return SetupResult(recovery_key.encode(data_key), password_only=device_secret is None)
