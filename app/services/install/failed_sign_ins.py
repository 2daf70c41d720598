"""Failed sign-ins kept so that editing or deleting the key file does not undo them.

The key file (keyslots.json) counts each account's failed attempts, for the wait before the
next try, and holds the sealed records of them until the next sign-in audits them. Both are
in a file anyone using the computer can edit, so on installs with a credential store the
failures block carries a MAC under a key derived from the device secret, and a copy of it is
kept in the credential store. At each sign-in the file's block is checked against both: a
block missing, altered or behind the copy is replaced by the worse of the two, and a sealed
"reset detected" record is queued for the audit trail. Password-only installs have no
secret to key the MAC with and no store for the copy: there the file is all there is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

from app.services.clock import now
from app.services.install import credential_store
from app.services.install.key_slots import AccountFailures, FailedAttempts, KeySlotFile

RESET_EVENT = "failed sign-in record reset"
_log = logging.getLogger(__name__)


def _key(device_secret: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"confide failed sign-ins").derive(device_secret)


def mac(slots: KeySlotFile, block: dict[str, Any]) -> str:
    """The block's MAC, bound to this install so a block from another cannot be swapped in."""
    assert slots.failure_key is not None
    body = {"accounts": block.get("accounts", {}), "sealed": block.get("sealed", [])}
    message = json.dumps([slots.install_id, body], sort_keys=True, separators=(",", ":"))
    return hmac.new(slots.failure_key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def _store_name(slots: KeySlotFile) -> str:
    return f"{slots.install_id} failed sign-ins"


def copy_to_store(slots: KeySlotFile) -> None:
    """Copy the failures block to the credential store (after each save of a checked file)."""
    if not credential_store.write_copy(_store_name(slots), slots.failures_json()):
        _log.warning("failed sign-ins not copied to the credential store")


def _trusted(slots: KeySlotFile, block: Any) -> FailedAttempts | None:
    if not isinstance(block, dict) or not isinstance(block.get("mac"), str):
        return None
    if not hmac.compare_digest(mac(slots, block), block["mac"]):
        return None
    try:
        return FailedAttempts.from_json(block)
    except (TypeError, ValueError, AttributeError):
        return None


def _worse(file: FailedAttempts, kept: FailedAttempts) -> FailedAttempts:
    accounts = dict(file.accounts)
    for account, entry in kept.accounts.items():
        mine = accounts.get(account)
        if mine is None or entry.count > mine.count:
            accounts[account] = entry
        elif entry.count == mine.count and entry.last_at and (
                mine.last_at is None or entry.last_at > mine.last_at):
            accounts[account] = AccountFailures(mine.count, entry.last_at)
    sealed = list(file.sealed) + [s for s in kept.sealed if s not in set(file.sealed)]
    return FailedAttempts(accounts, sealed[-500:])


def protect(slots: KeySlotFile, device_secret: bytes | None) -> None:
    """MAC and copy the failures block at each save of `slots` from now on."""
    if device_secret is not None:
        slots.failure_key = _key(device_secret)


def guard(slots: KeySlotFile, device_secret: bytes | None) -> None:
    """Check the loaded failures against their MAC and the stored copy; save the worse of them.

    Afterwards each save of `slots` MACs the block and copies it to the credential store.
    """
    if device_secret is None:
        return
    protect(slots, device_secret)
    in_file = slots.failures.to_json()
    in_file["mac"] = slots.failures.mac
    file_copy = _trusted(slots, in_file) if slots.failures_in_file else None
    stored = credential_store.read_copy(_store_name(slots))
    kept = _trusted(slots, stored)
    if stored is None and slots.failures.mac is None:
        # A key file from before the MAC, on its first sign-in since: nothing to compare with.
        slots.save()
        return
    if file_copy is None:
        merged = kept or FailedAttempts()
        reset = True
    else:
        merged = _worse(file_copy, kept) if kept else file_copy
        reset = merged.to_json() != file_copy.to_json()
    if stored is not None and kept is None:
        # The store's own copy was altered: the file's (if trusted) is all there is.
        reset = True
    if not reset:
        return
    altered_store = stored is not None and kept is None
    where = "the credential store" if altered_store else "the key file (keyslots.json)"
    merged.sealed.append(slots.seal_failure(
        {"at": now().isoformat(), "event": RESET_EVENT, "where": where, "username": ""}
    ))
    slots.failures = merged
    slots.save()
