"""Key slots: the data key wrapped once per staff account, in a small file beside the database.

Each slot wraps the data key with AES-GCM under a key derived from the person's password
(scrypt, unique salt) mixed with the install's device secret from the credential store.
The file holds no usernames: a slot is found by a keyed hash of the username. Failed
sign-ins are counted here (the database is closed while they happen) and sealed to a
public key whose private half lives inside the database, so they reach the audit trail at
the next successful sign-in without leaving readable names on disk.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# `cryptography` is imported inside the functions that seal and open: it takes ~30 ms to load,
# and the sign-in window reads this file (for the wait after wrong passwords) before anyone
# has typed a password.

FORMAT_VERSION = 1
ANCHORS_FIELD = "audit_anchors"
LOCK_FILE_NAME = "keyslots.lock"
_in_process = threading.RLock()


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold the key file for one read-and-write: across threads and across Confide processes.

    The audit anchor is rewritten after every save, from any window, while a password change
    may be saving a slot: without the lock one could write back a copy read before the other.
    """
    with _in_process:
        descriptor = os.open(Path(path).with_name(LOCK_FILE_NAME), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.name == "posix":
                import fcntl

                fcntl.flock(descriptor, fcntl.LOCK_EX)
            else:
                import msvcrt

                msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)
            yield
        finally:
            # Closing the descriptor releases the lock on every platform.
            os.close(descriptor)


def _anchors_on_disk(path: Path) -> Any:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data.get(ANCHORS_FIELD) if isinstance(data, dict) else None


@dataclass(frozen=True)
class ScryptParams:
    n: int = 2**17
    r: int = 8
    p: int = 1


# OWASP's scrypt recommendation; tests lower it through `set_default_params`.
_default_params = ScryptParams()


def set_default_params(params: ScryptParams) -> None:
    global _default_params
    _default_params = params


def default_params() -> ScryptParams:
    return _default_params


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _wrapping_key(password: str, salt: bytes, params: ScryptParams, device_secret: bytes | None) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    stretched = Scrypt(salt=salt, length=32, n=params.n, r=params.r, p=params.p).derive(
        password.encode("utf-8")
    )
    if device_secret is None:
        return stretched
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=device_secret, info=b"confide key slot"
    ).derive(stretched)


@dataclass
class KeySlot:
    slot_id: str
    device_bound: bool
    salt: bytes
    params: ScryptParams
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.slot_id,
            "device_bound": self.device_bound,
            "salt": _b64(self.salt),
            "scrypt": {"n": self.params.n, "r": self.params.r, "p": self.params.p},
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeySlot:
        return cls(
            slot_id=data["id"],
            device_bound=bool(data["device_bound"]),
            salt=_unb64(data["salt"]),
            params=ScryptParams(**data["scrypt"]),
            nonce=_unb64(data["nonce"]),
            wrapped=_unb64(data["wrapped"]),
        )

    @classmethod
    def seal(
        cls, slot_id: str, data_key: bytes, password: str, device_secret: bytes | None
    ) -> KeySlot:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        salt = os.urandom(16)
        nonce = os.urandom(12)
        params = default_params()
        wrapping = _wrapping_key(password, salt, params, device_secret)
        wrapped = AESGCM(wrapping).encrypt(nonce, data_key, slot_id.encode("ascii"))
        return cls(slot_id, device_secret is not None, salt, params, nonce, wrapped)

    def open(self, password: str, device_secret: bytes | None) -> bytes | None:
        """The data key, or None when the password (or the device secret) is not the right one."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if self.device_bound and device_secret is None:
            return None
        secret = device_secret if self.device_bound else None
        wrapping = _wrapping_key(password, self.salt, self.params, secret)
        try:
            return AESGCM(wrapping).decrypt(self.nonce, self.wrapped, self.slot_id.encode("ascii"))
        except InvalidTag:
            return None


# The failures of usernames that have no slot share one count, so a guessing run at made-up
# names is slowed too. Slot ids are hex, so this cannot be anyone's.
UNKNOWN_ACCOUNT = "unknown usernames"


@dataclass
class AccountFailures:
    count: int = 0
    last_at: datetime | None = None


@dataclass
class FailedAttempts:
    # Per account (its slot id, or UNKNOWN_ACCOUNT): one person's slips never delay another.
    accounts: dict[str, AccountFailures] = field(default_factory=dict)
    # Each failed attempt, sealed to the audit key; opened and audited at the next sign-in.
    sealed: list[str] = field(default_factory=list)
    # The MAC read with the block (install/failed_sign_ins.py), written back as it was when
    # nobody holding the device secret changed the block.
    mac: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "accounts": {
                account: {"count": entry.count,
                          "last_at": entry.last_at.isoformat() if entry.last_at else None}
                for account, entry in sorted(self.accounts.items())
            },
            "sealed": list(self.sealed),
        }

    @classmethod
    def from_json(cls, data: Any) -> FailedAttempts:
        if not isinstance(data, dict):
            return cls()
        accounts = {}
        for account, entry in (data.get("accounts") or {}).items():
            last = entry.get("last_at")
            accounts[str(account)] = AccountFailures(
                int(entry.get("count", 0)), datetime.fromisoformat(last) if last else None
            )
        mac = data.get("mac")
        return cls(accounts, [str(s) for s in data.get("sealed", [])],
                   str(mac) if mac is not None else None)


@dataclass
class KeySlotFile:
    path: Path
    install_id: str
    lookup_salt: bytes
    credential_backend: str | None
    audit_public_key: bytes
    slots: dict[str, KeySlot]
    failures: FailedAttempts
    # Set once the failures block has been checked with the device secret: each save then
    # MACs the block and copies it to the credential store (install/failed_sign_ins.py).
    failure_key: bytes | None = None
    # Whether the file had a failures block at all (one written before the MAC had none).
    failures_in_file: bool = True

    @classmethod
    def new(cls, path: Path, credential_backend: str | None, audit_public_key: bytes) -> KeySlotFile:
        return cls(
            path=path,
            install_id=secrets.token_hex(16),
            lookup_salt=os.urandom(16),
            credential_backend=credential_backend,
            audit_public_key=audit_public_key,
            slots={},
            failures=FailedAttempts(),
        )

    @classmethod
    def load(cls, path: Path) -> KeySlotFile:
        data = json.loads(Path(path).read_text("utf-8"))
        if data.get("format") != FORMAT_VERSION:
            raise ValueError("unknown key slot file format")
        return cls(
            path=Path(path),
            install_id=data["install_id"],
            lookup_salt=_unb64(data["lookup_salt"]),
            credential_backend=data.get("credential_backend"),
            audit_public_key=_unb64(data["audit_public_key"]),
            slots={s["id"]: KeySlot.from_json(s) for s in data["slots"]},
            failures=FailedAttempts.from_json(data.get("failures")),
            failures_in_file="failures" in data,
        )

    def save(self) -> None:
        """Write atomically (temporary file, fsync, rename), readable by the owner only."""
        # One writer of the file at a time in this process: the audit anchor is written from
        # its own thread (install/audit_anchor.py), and neither may lose the other's change.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path):
            self._save()
        if self.failure_key is not None:
            from app.services.install import failed_sign_ins

            failed_sign_ins.copy_to_store(self)

    def _save(self) -> None:
        data = {
            "format": FORMAT_VERSION,
            "install_id": self.install_id,
            "lookup_salt": _b64(self.lookup_salt),
            "credential_backend": self.credential_backend,
            "audit_public_key": _b64(self.audit_public_key),
            "slots": [slot.to_json() for slot in self.slots.values()],
            "failures": self.failures_json(),
        }
        anchors = _anchors_on_disk(self.path)
        if anchors is not None:
            # The audit anchors (install/audit_anchor.py) are written after each commit and
            # kept as they are on disk now, never from the copy this object loaded earlier.
            data[ANCHORS_FIELD] = anchors
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_key_file(self.path, data)

    def failures_json(self) -> dict[str, Any]:
        block = self.failures.to_json()
        if self.failure_key is not None:
            from app.services.install import failed_sign_ins

            self.failures.mac = failed_sign_ins.mac(self, block)
        if self.failures.mac is not None:
            block["mac"] = self.failures.mac
        return block

    def account_for(self, username: str) -> str:
        """Whose count a failed attempt at `username` adds to."""
        slot_id = self.slot_id_for(username)
        return slot_id if slot_id in self.slots else UNKNOWN_ACCOUNT

    def slot_id_for(self, username: str) -> str:
        normalised = username.strip().casefold().encode("utf-8")
        return hmac.new(self.lookup_salt, normalised, hashlib.sha256).hexdigest()

    @property
    def device_bound(self) -> bool:
        return self.credential_backend is not None

    def seal_failure(self, record: dict[str, Any]) -> str:
        """Encrypt a failed-attempt record so only the database's audit key can read it."""
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        ephemeral = X25519PrivateKey.generate()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(self.audit_public_key))
        key = HKDF(hashes.SHA256(), 32, salt=None, info=b"confide failed sign-in").derive(shared)
        nonce = os.urandom(12)
        body = AESGCM(key).encrypt(nonce, json.dumps(record).encode("utf-8"), None)
        public = ephemeral.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return _b64(public + nonce + body)


def new_audit_keypair() -> tuple[bytes, bytes]:
    """(private, public) raw X25519 keys for sealing failed sign-ins."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    private_raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private_raw, public_raw


def audit_public_key(private_key: bytes) -> bytes:
    """The public half of the audit sealing key, to rebuild a lost key file."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    public = X25519PrivateKey.from_private_bytes(private_key).public_key()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def open_sealed_failure(private_key: bytes, sealed: str) -> dict[str, Any] | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = _unb64(sealed)
    public, nonce, body = raw[:32], raw[32:44], raw[44:]
    shared = X25519PrivateKey.from_private_bytes(private_key).exchange(
        X25519PublicKey.from_public_bytes(public)
    )
    key = HKDF(hashes.SHA256(), 32, salt=None, info=b"confide failed sign-in").derive(shared)
    try:
        return json.loads(AESGCM(key).decrypt(nonce, body, None))
    except (InvalidTag, ValueError):
        return None


def write_key_file(path: Path, data: dict[str, Any]) -> None:
    """Replace the key file whole: a temporary file, fsync, rename, readable by the owner only,
    so a crash leaves the old file or the new one, never half of either."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".keyslots-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        if os.name == "posix":
            os.chmod(temp_name, 0o600)
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
