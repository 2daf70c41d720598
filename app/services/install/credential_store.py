"""The computer's credential store (through keyring), which holds the per-install device secret."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

KEYRING_SERVICE = "Confide"

# Backends that do not keep a secret safely: they count as "no credential store".
_UNSAFE_BACKENDS = {
    "keyring.backends.fail.Keyring",
    "keyring.backends.null.Keyring",
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.file.EncryptedKeyring",
}


def backend_name(backend: KeyringBackend | None = None) -> str:
    backend = backend or keyring.get_keyring()
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _inner_backends(backend: KeyringBackend) -> list[KeyringBackend]:
    # The chainer wraps the real backends; judge by what is inside.
    inner = getattr(backend, "backends", None)
    return list(inner) if inner else [backend]


def is_available(backend: KeyringBackend | None = None) -> bool:
    backend = backend or keyring.get_keyring()
    return any(backend_name(b) not in _UNSAFE_BACKENDS for b in _inner_backends(backend))


@dataclass(frozen=True)
class CredentialStoreStatus:
    available: bool
    backend: str
    # Backend recorded at setup, when it differs from the one in use now.
    changed_from: str | None = None

    @property
    def message(self) -> str:
        if self.changed_from:
            return (
                "This computer's credential store has changed since Confide was set up "
                f"(it was {self.changed_from}, it is now {self.backend}). Staff passwords "
                "will not open the database until a manager signs in with the recovery key "
                "and gives everyone new passwords."
            )
        if not self.available:
            return (
                "This computer has no credential store (such as Windows Credential Manager, "
                "macOS Keychain or GNOME Keyring). Without it the database is protected by "
                "staff passwords alone, which is less safe: a copied database file could be "
                "attacked with password guesses."
            )
        return f"Credential store in use: {self.backend}."


def status(recorded_backend: str | None = None) -> CredentialStoreStatus:
    current = backend_name()
    available = is_available()
    changed = recorded_backend if recorded_backend and recorded_backend != current else None
    return CredentialStoreStatus(available=available, backend=current, changed_from=changed)


class DeviceSecretMissing(Exception):
    """The credential store does not hold this install's device secret."""


def create_device_secret(install_id: str) -> bytes:
    secret = os.urandom(32)
    keyring.set_password(KEYRING_SERVICE, install_id, base64.b64encode(secret).decode("ascii"))
    return secret


def load_device_secret(install_id: str) -> bytes:
    try:
        stored = keyring.get_password(KEYRING_SERVICE, install_id)
    except KeyringError as exc:
        raise DeviceSecretMissing(str(exc)) from exc
    if not stored:
        raise DeviceSecretMissing(install_id)
    return base64.b64decode(stored)


def read_copy(name: str) -> Any:
    """A JSON copy kept in the credential store under `name`, or None when there is none."""
    try:
        text = keyring.get_password(KEYRING_SERVICE, name)
        return json.loads(text) if text else None
    except Exception:
        # As in write_copy: a backend's own error, or a copy that is not JSON, means no copy.
        return None


def write_copy(name: str, data: Any) -> bool:
    """Keep `data` (JSON) in the credential store under `name`; False when the store refused."""
    try:
        keyring.set_password(KEYRING_SERVICE, name, json.dumps(data, separators=(",", ":")))
    except Exception:
        # Backends raise their own errors as well as KeyringError (Windows Credential Manager
        # refuses a secret over 2.5 KB with a pywintypes.error): a copy that cannot be kept
        # must never stop a sign-in or a save; the caller logs it and the file stands.
        return False
    return True
