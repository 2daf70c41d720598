"""Setting up and signing in: delays, the audit of failures, other computers, the recovery key."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import keyring
import pytest
import time_machine
from keyring.backends import fail

from app.services import audit
from app.services.context import SignedIn
from app.services.install import recovery_key
from app.services.install.vault import CredentialStoreProblem, SignInRefused, Vault
from app.services.people import InvalidInput, Role
from app.services.staff import staff
from tests.conftest import COLLEAGUE_PASSWORD, MANAGER_PASSWORD, setup_details
from tests.memory_keyring import MemoryKeyring, OtherMemoryKeyring

NEW_PASSWORD = "a brand new passphrase"


def events(ctx: SignedIn, action: str) -> list[audit.AuditEntry]:
    return audit.list_events(ctx, audit.AuditFilter(action=action))


def test_wrong_passwords_wait_longer_and_are_audited(vault: Vault, recovery: str) -> None:
    with time_machine.travel(datetime(2026, 11, 22, 9, 0), tick=False) as traveller:
        waits = []
        for _ in range(4):
            with pytest.raises(SignInRefused) as refused:
                vault.sign_in("margaret", "not my password at all")
            assert "not right" in str(refused.value)
            waits.append(refused.value.wait_seconds)
            traveller.shift(refused.value.wait_seconds)
        assert waits == [0, 1, 2, 4]
        traveller.shift(-4)  # back to straight after the fourth attempt

        # Too soon: refused without even trying the password, and told how long to wait.
        with pytest.raises(SignInRefused) as too_soon:
            vault.sign_in("margaret", MANAGER_PASSWORD)
        assert too_soon.value.wait_seconds == 4
        assert "try again in 4 seconds" in str(too_soon.value)
        traveller.shift(3)
        assert 0 < vault.seconds_to_wait() <= 1
        traveller.shift(1)
        assert vault.seconds_to_wait() == 0

        ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        failed = events(ctx, "sign-in failed")
        assert len(failed) == 5
        assert {event.actor for event in failed} == {"margaret"}
        reasons = sorted(event.detail for event in failed)
        assert sum("wrong username or password" in r for r in reasons) == 4
        assert sum("tried again too soon" in r for r in reasons) == 1
        assert audit.verify(ctx).ok
    finally:
        ctx.close()
    # A good sign-in clears the count: the next slip costs no wait.
    with pytest.raises(SignInRefused) as refused:
        vault.sign_in("margaret", "not my password at all")
    assert refused.value.wait_seconds == 0


def test_unknown_username_gets_the_same_answer(vault: Vault, recovery: str) -> None:
    with pytest.raises(SignInRefused) as unknown:
        vault.sign_in("nobody", MANAGER_PASSWORD)
    with pytest.raises(SignInRefused) as wrong:
        vault.sign_in("margaret", "not my password at all")
    assert str(unknown.value).split(" You can")[0] == str(wrong.value).split(" You can")[0]


@pytest.mark.parametrize("store", [MemoryKeyring, OtherMemoryKeyring],
                         ids=["same-kind-new-store", "different-kind-of-store"])
def test_copy_on_another_computer_needs_the_recovery_key(
    manager: SignedIn, vault: Vault, recovery: str, tmp_path: Path,
    memory_keyring: MemoryKeyring, store: type[MemoryKeyring],
) -> None:
    staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
    manager.close()
    copy = tmp_path / "elsewhere"
    shutil.copytree(vault.data_dir, copy)
    keyring.set_keyring(store())
    other = Vault(copy)

    with pytest.raises(CredentialStoreProblem) as refused:
        other.sign_in("margaret", MANAGER_PASSWORD)
    assert "recovery key" in str(refused.value)
    with pytest.raises(CredentialStoreProblem):
        other.sign_in("ada", COLLEAGUE_PASSWORD)

    ctx = other.recover(recovery, "margaret", NEW_PASSWORD, NEW_PASSWORD)
    assert any("Everyone else needs a new password" in notice for notice in ctx.notices)
    assert events(ctx, "recovery key used")
    ctx.close()

    ctx = other.sign_in("margaret", NEW_PASSWORD)
    try:
        with pytest.raises(SignInRefused):
            other.sign_in("ada", COLLEAGUE_PASSWORD)
        ada = next(member for member in staff.list_staff(ctx) if member.username == "ada")
        assert ada.must_change_password
        staff.reset_password(ctx, ada.id, "ada's fresh passphrase", "ada's fresh passphrase")
    finally:
        ctx.close()
    other.sign_in("ada", "ada's fresh passphrase").close()
    with pytest.raises(SignInRefused):
        other.sign_in("margaret", MANAGER_PASSWORD)

    # The original folder on the original computer is unaffected.
    keyring.set_keyring(memory_keyring)
    vault.sign_in("margaret", MANAGER_PASSWORD).close()
    vault.sign_in("ada", COLLEAGUE_PASSWORD).close()


def test_recovery_key_must_be_right(vault: Vault, recovery: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as mistyped:
        vault.recover(recovery[:-3], "margaret", NEW_PASSWORD, NEW_PASSWORD)
    assert mistyped.value.field == "recovery_key"
    someone_elses = recovery_key.encode(os.urandom(32))
    with pytest.raises(InvalidInput, match="does not open") as wrong:
        vault.recover(someone_elses, "margaret", NEW_PASSWORD, NEW_PASSWORD)
    assert wrong.value.field == "recovery_key"
    with pytest.raises(InvalidInput) as not_manager:
        vault.recover(recovery, "nobody", NEW_PASSWORD, NEW_PASSWORD)
    assert not_manager.value.field == "username"
    vault.sign_in("margaret", MANAGER_PASSWORD).close()


def test_no_credential_store_needs_an_explicit_choice(vault: Vault) -> None:
    keyring.set_keyring(fail.Keyring())
    assert not vault.credential_status().available
    with pytest.raises(CredentialStoreProblem, match="no credential store"):
        vault.set_up(setup_details())
    assert not vault.is_set_up()
    assert not vault.database_path.exists()

    result = vault.set_up(setup_details(allow_password_only=True))
    assert result.password_only and vault.is_password_only()
    ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert any("no credential store" in notice for notice in ctx.notices)
    finally:
        ctx.close()


def test_change_of_store_since_setup_is_reported(vault: Vault, recovery: str) -> None:
    keyring.set_keyring(OtherMemoryKeyring())
    status = vault.credential_status()
    assert status.changed_from is not None
    with pytest.raises(CredentialStoreProblem, match="has changed"):
        vault.sign_in("margaret", MANAGER_PASSWORD)


def test_set_up_never_replaces_an_install(vault: Vault, recovery: str) -> None:
    before = vault.database_path.read_bytes()
    with pytest.raises(InvalidInput, match="already set up"):
        vault.set_up(setup_details(service_name="Another"))
    assert vault.database_path.read_bytes() == before


def test_a_setup_that_fails_half_way_leaves_the_folder_not_set_up(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.install.key_slots import KeySlotFile

    def disk_full(_self: KeySlotFile) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(KeySlotFile, "save", disk_full)
    with pytest.raises(OSError):
        vault.set_up(setup_details())
    assert not vault.is_set_up()
    assert not list(vault.data_dir.glob(f"{vault.database_path.name}*"))
    monkeypatch.undo()
    # Once the disk has room again, setup simply runs again.
    vault.set_up(setup_details())
    vault.sign_in("margaret", MANAGER_PASSWORD).close()


def test_lost_key_file_is_explained(vault: Vault, recovery: str) -> None:
    vault.key_slots_path.unlink()
    with pytest.raises(CredentialStoreProblem, match=r"keyslots\.json"):
        vault.sign_in("margaret", MANAGER_PASSWORD)
    # The recovery key rebuilds it.
    vault.recover(recovery, "margaret", NEW_PASSWORD, NEW_PASSWORD).close()
    vault.sign_in("margaret", NEW_PASSWORD).close()


def test_a_damaged_key_file_is_explained_and_the_recovery_key_rebuilds_it(
        vault: Vault, recovery: str) -> None:
    from app.services.install.vault import KeyFileDamaged

    vault.key_slots_path.write_text('{"format": 1, "slots": [')
    with pytest.raises(KeyFileDamaged, match="recovery key"):
        vault.sign_in("margaret", MANAGER_PASSWORD)
    ctx = vault.recover(recovery, "margaret", NEW_PASSWORD, NEW_PASSWORD)
    ctx.close()
    vault.sign_in("margaret", NEW_PASSWORD).close()


def fail_three_times(vault: Vault, username: str, traveller: time_machine.Coordinates) -> float:
    """Three wrong passwords, each after its wait; the wait the third one asks for."""
    wait = 0.0
    for _ in range(3):
        traveller.shift(wait)
        with pytest.raises(SignInRefused) as refused:
            vault.sign_in(username, "not my password at all")
        wait = refused.value.wait_seconds
    return wait


def edit_failures(vault: Vault, change: str) -> None:
    data = json.loads(vault.key_slots_path.read_text("utf-8"))

    def zero(block: object) -> None:
        if isinstance(block, dict):
            for name, value in block.items():
                if name == "count":
                    block[name] = 0
                zero(value)

    if change == "count zero":
        zero(data["failures"])
    elif change == "block deleted":
        del data["failures"]
    else:
        data["failures"]["sealed"] = []
    vault.key_slots_path.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize("change", ["count zero", "block deleted"])
def test_editing_the_key_file_does_not_remove_the_wait_and_is_audited(
        vault: Vault, recovery: str, change: str) -> None:
    with time_machine.travel(datetime(2026, 11, 22, 9, 0), tick=False) as traveller:
        assert fail_three_times(vault, "margaret", traveller) == 2
        edit_failures(vault, change)
        with pytest.raises(SignInRefused) as too_soon:
            vault.sign_in("margaret", MANAGER_PASSWORD)
        assert too_soon.value.wait_seconds == 2
        traveller.shift(2)
        ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert len(events(ctx, "failed sign-ins reset detected")) == 1
        assert len(events(ctx, "sign-in failed")) == 4
    finally:
        ctx.close()


def test_deleting_the_sealed_failures_does_not_keep_them_from_the_audit_trail(
        vault: Vault, recovery: str) -> None:
    with time_machine.travel(datetime(2026, 11, 22, 9, 0), tick=False) as traveller:
        traveller.shift(fail_three_times(vault, "margaret", traveller))
        edit_failures(vault, "sealed deleted")
        ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        failed = events(ctx, "sign-in failed")
        assert len(failed) == 3
        assert {event.actor for event in failed} == {"margaret"}
        assert len(events(ctx, "failed sign-ins reset detected")) == 1
    finally:
        ctx.close()


def test_a_colleagues_sign_in_leaves_another_accounts_wait(
        vault: Vault, sign_in_as: Callable[..., SignedIn]) -> None:
    sign_in_as(Role.ADVISER).close()
    with time_machine.travel(datetime(2026, 11, 22, 9, 0), tick=False) as traveller:
        assert fail_three_times(vault, "margaret", traveller) == 2
        # Margaret's slips do not hold her colleague up, and his sign-in does not clear them.
        vault.sign_in("adviser1", COLLEAGUE_PASSWORD).close()
        with pytest.raises(SignInRefused) as too_soon:
            vault.sign_in("margaret", MANAGER_PASSWORD)
        assert too_soon.value.wait_seconds == 2


def test_unknown_usernames_are_delayed_together_and_not_a_real_account(
        vault: Vault, recovery: str) -> None:
    with time_machine.travel(datetime(2026, 11, 22, 9, 0), tick=False) as traveller:
        for name in ("nobody", "somebody", "anybody"):
            with pytest.raises(SignInRefused) as refused:
                vault.sign_in(name, "a guess")
            traveller.shift(refused.value.wait_seconds)
        traveller.shift(-refused.value.wait_seconds)
        assert refused.value.wait_seconds == 2
        with pytest.raises(SignInRefused) as too_soon:
            vault.sign_in("everybody", "a guess")
        assert too_soon.value.wait_seconds == 2
        # The run at made-up names does not lock out the real accounts.
        vault.sign_in("margaret", MANAGER_PASSWORD).close()


def test_a_credential_store_that_refuses_the_copies_never_stops_a_sign_in(
        vault: Vault, recovery: str, memory_keyring: MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows Credential Manager refuses a secret over 2.5 KB with its own error type, not
    keyring's: the copies of the failures and the audit anchor are lost, the sign-in is not."""
    keep = memory_keyring.set_password

    def refuse_copies(service: str, name: str, value: str) -> None:
        if name.endswith("failed sign-ins") or " audit anchor " in name:
            raise OSError("the secret is too large for this credential store")
        keep(service, name, value)

    monkeypatch.setattr(memory_keyring, "set_password", refuse_copies)
    with time_machine.travel(datetime(2026, 11, 22, 9, 0), tick=False) as traveller:
        fail_three_times(vault, "margaret", traveller)
        traveller.shift(60)
        vault.sign_in("margaret", MANAGER_PASSWORD).close()
