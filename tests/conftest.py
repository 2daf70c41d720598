"""Shared fixtures: an in-memory keyring, fast key derivation, a set-up install."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest

from app.services.install import key_slots
from app.services.install.vault import SetupDetails, SignedIn, Vault
from tests.memory_keyring import MemoryKeyring

MANAGER_PASSWORD = "correct horse battery"
FAST_SCRYPT = key_slots.ScryptParams(n=2**10, r=8, p=1)


@pytest.fixture(autouse=True)
def fast_kdf() -> Iterator[None]:
    """Cheap scrypt so the suite stays fast; the bench measures the real parameters."""
    previous = key_slots.default_params()
    key_slots.set_default_params(FAST_SCRYPT)
    yield
    key_slots.set_default_params(previous)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch a real data folder, whatever a test forgets to pass."""
    folder = tmp_path / "data"
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(folder))
    return folder


def setup_details(**overrides: object) -> SetupDetails:
    values: dict[str, object] = {
        "service_name": "Northfield SEN Advice",
        "service_address": "1 High Street\nNorthfield\nMK6 1AA",
        "service_phone": "01908 000000",
        "manager_name": "Margaret Manager",
        "manager_username": "margaret",
        "manager_password": MANAGER_PASSWORD,
        "manager_password_confirm": MANAGER_PASSWORD,
    }
    values.update(overrides)
    return SetupDetails(**values)  # type: ignore[arg-type]


@pytest.fixture
def vault(isolated_data_dir: Path) -> Vault:
    return Vault(isolated_data_dir)


@pytest.fixture
def recovery(vault: Vault) -> str:
    return vault.set_up(setup_details()).recovery_key


@pytest.fixture
def manager(vault: Vault, recovery: str) -> Iterator[SignedIn]:
    signed_in = vault.sign_in("margaret", MANAGER_PASSWORD)
    yield signed_in
    signed_in.close()
