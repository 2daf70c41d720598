"""The data folder and its key file: the front door the sign-in window, lock screen and wizard use.

A `Vault` knows the folder's paths, reads the key file (keyslots.json) with the wait it asks
for after wrong passwords, and changes key slots. Opening the database lives in three
modules that bring SQLAlchemy, the tables and Alembic, imported only inside the methods that
open it, so the sign-in window does not wait for them: `setting_up` makes a new install,
`signing_in` lets a person in with their password, `recovery` with the recovery key.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.problems import KnownProblem
from app.services.clock import now
from app.services.context import DataFolder
from app.services.install import storage_access
from app.services.install.key_slots import KeySlot, KeySlotFile
from app.services.people import is_text

if TYPE_CHECKING:
    from app.services.context import SignedIn
    from app.services.install.credential_store import CredentialStoreStatus

AUDIT_KEY_SETTING = "audit_private_key"
# What signing in may run with the new context before the sign-in is audited (`audit verify`).
BeforeRecording = Callable[["SignedIn"], None]
MAX_DELAY_SECONDS = 60


def seconds_text(wait: float) -> str:
    whole = math.ceil(wait)
    return "1 second" if whole == 1 else f"{whole} seconds"


class SignInRefused(KnownProblem):
    """Wrong username or password, or asked again too soon. `wait_seconds` > 0 means wait first."""

    def __init__(self, message: str, wait_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class CredentialStoreProblem(KnownProblem):
    """The credential store is missing, changed, or has lost the device secret."""


class KeyFileDamaged(CredentialStoreProblem):
    """keyslots.json is there but cannot be read."""


class NotSetUp(KnownProblem):
    """The data folder has no Confide database yet."""

    user_message = "Confide is not set up in this data folder."


def delay_after(failures: int) -> float:
    """Seconds to wait before the next try: 0 after the first slip, then 1, 2, 4 … up to 60."""
    if failures <= 1:
        return 0.0
    return float(min(2 ** (failures - 2), MAX_DELAY_SECONDS))


def wait_for(slots: KeySlotFile, account: str | None = None) -> float:
    """Seconds `account` (a slot id or UNKNOWN_ACCOUNT) still waits after its failed attempts;
    with no account, the longest anyone waits (the sign-in window's countdown before typing)."""
    entries = ([slots.failures.accounts[account]] if account in slots.failures.accounts
               else [] if account is not None else list(slots.failures.accounts.values()))
    waits = [0.0]
    for entry in entries:
        if entry.last_at:
            ready = entry.last_at + timedelta(seconds=delay_after(entry.count))
            waits.append((ready - now()).total_seconds())
    return max(waits)


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


class Vault:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.database_path = self.data_dir / paths.DATABASE_NAME
        self.key_slots_path = self.data_dir / paths.KEY_SLOTS_NAME
        self.backups_dir = self.data_dir / paths.BACKUPS_DIR_NAME

    def folder(self) -> DataFolder:
        return DataFolder(self.data_dir, self.database_path, self.key_slots_path, self.backups_dir)

    # -- state -----------------------------------------------------------------------------

    def is_set_up(self) -> bool:
        return self.database_path.exists() or self.key_slots_path.exists()

    def load_slots(self) -> KeySlotFile:
        """The key file as it is on disk now (each change re-reads it, then saves it)."""
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

    def credential_status(self) -> CredentialStoreStatus:
        # Imported here (and in device_secret): keyring takes ~50 ms to load, and the sign-in
        # window needs the credential store only once someone signs in.
        from app.services.install import credential_store

        recorded = self.load_slots().credential_backend if self.key_slots_path.exists() else None
        return credential_store.status(recorded)

    def is_password_only(self) -> bool:
        return not self.load_slots().device_bound

    def device_secret(self, slots: KeySlotFile) -> bytes | None:
        """The install's secret from the credential store, or None for password-only slots."""
        if not slots.device_bound:
            return None
        from app.services.install import credential_store

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

    def seconds_to_wait(self) -> float:
        return wait_for(self.load_slots())

    # -- the ways in, which open the database ----------------------------------------------

    def set_up(self, details: SetupDetails) -> SetupResult:
        """Create the database, the first manager and the recovery key. Never replaces data."""
        from app.services.install import setting_up

        return setting_up.set_up(self, details)

    def sign_in(self, username: str, password: str,
                before_recording: BeforeRecording | None = None) -> SignedIn:
        """Let `username` in; `before_recording` runs before the sign-in is audited."""
        from app.services.install import signing_in

        return signing_in.sign_in(self, username, password, before_recording)

    def recover(self, typed_recovery_key: str, username: str, new_password: str,
                confirm: str, allow_password_only: bool = False) -> SignedIn:
        """Open with the recovery key, give a manager a new password and a new slot.

        Used on a new computer or after the credential store was lost. When the store has
        changed, the install is rebound to the current store and every other slot is dropped:
        the manager then gives colleagues new passwords.
        """
        from app.services.install import recovery

        return recovery.recover(self, typed_recovery_key, username, new_password, confirm,
                                allow_password_only)

    # -- key slots -------------------------------------------------------------------------

    def write_slot(self, signed_in: SignedIn, username: str, password: str) -> str:
        """Seal the data key for `username` under `password`; returns the slot id."""
        slots = self.load_slots()
        device_secret = self.device_secret(slots)
        slot_id = slots.slot_id_for(username)
        key = storage_access.database_of(signed_in).data_key()
        slots.slots[slot_id] = KeySlot.seal(slot_id, key, password, device_secret)
        slots.save()
        return slot_id

    @contextlib.contextmanager
    def slot_change(self, signed_in: SignedIn, username: str, password: str) -> Iterator[str]:
        """Write `username`'s new slot; put the old one back if the change around it fails.

        Wrap the database change that records the new password, so the key file and the
        database never disagree about which password works.
        """
        before = self.load_slots()
        slot_id = before.slot_id_for(username)
        previous = before.slots.get(slot_id)
        self.write_slot(signed_in, username, password)
        try:
            yield slot_id
        except BaseException:
            slots = self.load_slots()
            if previous is None:
                slots.slots.pop(slot_id, None)
            else:
                slots.slots[slot_id] = previous
            slots.save()
            raise

    def remove_slot(self, slot_id: str | None) -> None:
        if not slot_id:
            return
        slots = self.load_slots()
        if slots.slots.pop(slot_id, None) is not None:
            slots.save()

    def check_password(self, username: str, password: str) -> bool:
        """Whether `password` opens `username`'s slot, without opening the database."""
        if not (is_text(username) and is_text(password)):
            # Nobody's username or password can be text that is not Unicode (people.is_text).
            return False
        slots = self.load_slots()
        slot = slots.slots.get(slots.slot_id_for(username))
        if slot is None:
            return False
        return slot.open(password, self.device_secret(slots)) is not None
