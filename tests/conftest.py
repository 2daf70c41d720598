"""Shared fixtures: an in-memory keyring, fast key derivation, a set-up install, and one
signed-in colleague per role (`manager`, `adviser`, `second_adviser`, `coordinator`), with
`sign_in_as` for any more a test needs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest

from app.services.context import SignedIn
from app.services.install import key_slots
from app.services.install.vault import SetupDetails, Vault
from app.services.people import Role
from app.services.staff import staff
from tests.install_template import Templates
from tests.memory_keyring import MemoryKeyring

MANAGER_PASSWORD = "correct horse battery"
COLLEAGUE_PASSWORD = "a colleague's passphrase"
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


@pytest.fixture(scope="session")
def install_templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """This worker's set-up installs, made on first use (tests/install_template.py)."""
    return Templates(tmp_path_factory.mktemp("install-templates"), setup_details)


@pytest.fixture
def recovery(vault: Vault, install_templates: Templates) -> str:
    """A fresh install of `setup_details()` in the data folder; its recovery key."""
    return install_templates.set_up(vault)


@pytest.fixture
def manager(vault: Vault, recovery: str) -> Iterator[SignedIn]:
    signed_in = vault.sign_in("margaret", MANAGER_PASSWORD)
    yield signed_in
    signed_in.close()


@pytest.fixture
def sign_in_as(manager: SignedIn, vault: Vault) -> Iterator[Callable[..., SignedIn]]:
    """`sign_in_as(role, username="", full_name="")`: the manager adds a colleague, who signs in.

    The username defaults to "adviser1", "coordinator1" …, the full name to "Test Adviser" …;
    everyone signed in this way is signed out after the test.
    """
    opened: list[SignedIn] = []

    def make(role: Role, name: str = "", full_name: str = "") -> SignedIn:
        username = name or f"{role.value}1"
        staff.add_staff(manager, full_name or f"Test {role.label}", username, role,
                        COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
        signed_in = vault.sign_in(username, COLLEAGUE_PASSWORD)
        opened.append(signed_in)
        return signed_in

    yield make
    for signed_in in opened:
        signed_in.close()


@pytest.fixture
def adviser(sign_in_as: Callable[..., SignedIn]) -> SignedIn:
    """alice, "Test Adviser"."""
    return sign_in_as(Role.ADVISER, "alice")


@pytest.fixture
def second_adviser(sign_in_as: Callable[..., SignedIn]) -> SignedIn:
    """bob, "Test Adviser": a colleague with no part in the adviser's cases."""
    return sign_in_as(Role.ADVISER, "bob")


@pytest.fixture
def coordinator(sign_in_as: Callable[..., SignedIn]) -> SignedIn:
    """cora, "Test Coordinator"."""
    return sign_in_as(Role.COORDINATOR, "cora")
