"""Fixtures for service tests: colleagues with other roles, signed in beside the manager."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.services.install.vault import SignedIn, Vault
from app.services.people import Role
from app.services.staff import staff

COLLEAGUE_PASSWORD = "a colleague's passphrase"


@pytest.fixture
def sign_in_as(manager: SignedIn, vault: Vault) -> Iterator[Callable[[Role, str], SignedIn]]:
    """Add a colleague with `role` (username `name`) and sign them in; closed after the test."""
    opened: list[SignedIn] = []

    def make(role: Role, name: str = "") -> SignedIn:
        username = name or f"{role.value}1"
        staff.add_staff(manager, f"Test {role.label}", username, role, COLLEAGUE_PASSWORD,
                        COLLEAGUE_PASSWORD)
        signed_in = vault.sign_in(username, COLLEAGUE_PASSWORD)
        opened.append(signed_in)
        return signed_in

    yield make
    for signed_in in opened:
        signed_in.close()


def file_bytes(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""
