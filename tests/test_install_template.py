"""The copied template install is the install `Vault.set_up` makes (tests/install_template.py)."""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path

import keyring
import pytest
import time_machine
from keyring.backends import fail

from app.services import audit
from app.services.clock import now
from app.services.context import SignedIn
from app.services.install import credential_store
from app.services.install.vault import CredentialStoreProblem, Vault
from tests.conftest import MANAGER_PASSWORD, setup_details
from tests.install_template import Templates
from tests.memory_keyring import MemoryKeyring

NEW_PASSWORD = "a brand new passphrase"


def permissions(folder: Path) -> dict[str, int]:
    """The folder's and its files' permission bits (the open database's journal files aside)."""
    found = {path.name: stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()
             if not path.name.endswith(("-wal", "-shm"))}
    return {".": stat.S_IMODE(folder.stat().st_mode), **found}


def trail(ctx: SignedIn) -> list[tuple[str, str, str, str]]:
    events = audit.list_events(ctx, audit.AuditFilter())
    return sorted((event.actor, event.action, event.target, event.detail) for event in events)


def install_id(vault: Vault) -> str:
    return json.loads(vault.key_slots_path.read_text("utf-8"))["install_id"]


def test_a_copied_install_matches_a_set_up_one(vault: Vault, recovery: str, tmp_path: Path,
                                                memory_keyring: MemoryKeyring) -> None:
    fresh = Vault(tmp_path / "fresh")
    fresh.set_up(setup_details())
    started = now()

    assert permissions(vault.data_dir) == permissions(fresh.data_dir)
    assert memory_keyring.get_password(credential_store.KEYRING_SERVICE, install_id(vault))
    assert install_id(vault) != install_id(fresh)
    assert vault.credential_status() == fresh.credential_status()
    assert not vault.is_password_only()

    copied, made = vault.sign_in("margaret", MANAGER_PASSWORD), fresh.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert trail(copied) == trail(made)
        assert audit.verify(copied).ok and audit.verify(copied).checked == audit.verify(made).checked
        assert all(event.at <= started for event in audit.list_events(copied, audit.AuditFilter())
                   if event.action != "signed in")
    finally:
        copied.close()
        made.close()
    vault.recover(recovery, "margaret", NEW_PASSWORD, NEW_PASSWORD).close()
    vault.sign_in("margaret", NEW_PASSWORD).close()


def test_each_test_gets_its_own_copy(install_templates: Templates, tmp_path: Path) -> None:
    first, second = Vault(tmp_path / "first"), Vault(tmp_path / "second")
    assert install_templates.set_up(first) == install_templates.set_up(second)
    first.sign_in("margaret", MANAGER_PASSWORD).close()
    # Signing in to one copy wrote to its audit trail, not the other's.
    again = second.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert [e.action for e in audit.list_events(again, audit.AuditFilter(action="signed in"))] == [
            "signed in"]
    finally:
        again.close()


def test_an_earlier_clock_gets_set_up_records_from_before_it(install_templates: Templates,
                                                               tmp_path: Path) -> None:
    install_templates.set_up(Vault(tmp_path / "today"))
    moment = datetime(2025, 6, 2, 9, 0)
    with time_machine.travel(moment, tick=False):
        vault = Vault(tmp_path / "last-year")
        install_templates.set_up(vault)
        ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
        try:
            assert {event.at for event in audit.list_events(ctx, audit.AuditFilter())} == {moment}
        finally:
            ctx.close()


def test_without_the_memory_store_set_up_runs_for_real(install_templates: Templates,
                                                         tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    vault = Vault(tmp_path / "no-store")
    with pytest.raises(CredentialStoreProblem, match="no credential store"):
        install_templates.set_up(vault)
    assert not vault.is_set_up()
