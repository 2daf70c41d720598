"""Staff accounts: managers add, change, deactivate and reset; every change audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.services import audit
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import SignInRefused, Vault
from app.services.people import InvalidInput, PermissionRefused, Role
from app.services.staff import staff
from tests.conftest import COLLEAGUE_PASSWORD, MANAGER_PASSWORD

TEMPORARY = "temporary passphrase 1"


def actions(ctx: SignedIn) -> list[str]:
    return [event.action for event in audit.list_events(ctx, audit.AuditFilter())]


def test_added_colleague_can_sign_in_and_must_change_password(manager: SignedIn, vault: Vault) -> None:
    ada = staff.add_staff(manager, "  Ada   Adviser ", "ada", Role.ADVISER, COLLEAGUE_PASSWORD,
                          COLLEAGUE_PASSWORD)
    assert ada.full_name == "Ada Adviser" and ada.role is Role.ADVISER and ada.must_change_password
    signed_in = vault.sign_in("ada", COLLEAGUE_PASSWORD)
    try:
        assert signed_in.actor.id == ada.id
        staff.change_own_password(signed_in, COLLEAGUE_PASSWORD, "my own new passphrase",
                                  "my own new passphrase")
        assert not signed_in.actor.must_change_password
    finally:
        signed_in.close()
    with pytest.raises(SignInRefused):
        vault.sign_in("ada", COLLEAGUE_PASSWORD)
    vault.sign_in("ada", "my own new passphrase").close()
    assert "staff account created" in actions(manager)
    assert "password changed" in actions(manager)


def test_usernames_are_unique_whatever_the_case(manager: SignedIn) -> None:
    staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
    with pytest.raises(InvalidInput) as taken:
        staff.add_staff(manager, "Another Ada", "ADA", Role.ADVISER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
    assert taken.value.field == "username"


@pytest.mark.parametrize(
    ("name", "username", "password", "confirm", "field"),
    [
        ("", "bob", COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD, "full_name"),
        ("Bob", "bob smith", COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD, "username"),
        ("Bob", "bob", "short", "short", "password"),
        ("Bob", "bob", COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD + "!", "confirm"),
        ("Bob\x07Bell", "bob", COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD, "full_name"),
    ],
)
def test_add_staff_checks_input(manager: SignedIn, name: str, username: str, password: str,
                                confirm: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        staff.add_staff(manager, name, username, Role.ADVISER, password, confirm)
    assert refused.value.field == field
    assert [m.username for m in staff.list_staff(manager)] == ["margaret"]


def test_deactivated_staff_cannot_sign_in_until_reset(manager: SignedIn, vault: Vault) -> None:
    ada = staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, COLLEAGUE_PASSWORD,
                          COLLEAGUE_PASSWORD)
    assert not staff.deactivate(manager, ada.id).active
    assert not vault.check_password("ada", COLLEAGUE_PASSWORD), "the key slot is gone"
    with pytest.raises(SignInRefused):
        vault.sign_in("ada", COLLEAGUE_PASSWORD)

    again = staff.reset_password(manager, ada.id, TEMPORARY, TEMPORARY)
    assert again.active and again.must_change_password
    assert not vault.check_password("ada", COLLEAGUE_PASSWORD)
    vault.sign_in("ada", TEMPORARY).close()
    assert {"staff account deactivated", "password reset"} <= set(actions(manager))


def test_reset_replaces_the_old_password(manager: SignedIn, vault: Vault) -> None:
    ada = staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, COLLEAGUE_PASSWORD,
                          COLLEAGUE_PASSWORD)
    staff.reset_password(manager, ada.id, TEMPORARY, TEMPORARY)
    with pytest.raises(SignInRefused):
        vault.sign_in("ada", COLLEAGUE_PASSWORD)
    vault.sign_in("ada", TEMPORARY).close()


def test_there_is_always_an_active_manager(manager: SignedIn) -> None:
    with pytest.raises(PermissionRefused):
        staff.change_role(manager, manager.actor.id, Role.ADVISER)
    with pytest.raises(PermissionRefused):
        staff.deactivate(manager, manager.actor.id)
    nina = staff.add_staff(manager, "Nina Manager", "nina", Role.MANAGER, COLLEAGUE_PASSWORD,
                           COLLEAGUE_PASSWORD)
    assert staff.change_role(manager, nina.id, Role.COORDINATOR).role is Role.COORDINATOR
    assert staff.change_role(manager, manager.actor.id, Role.MANAGER).role is Role.MANAGER
    assert "staff role changed" in actions(manager)


def test_own_password_change_needs_the_current_one(manager: SignedIn, vault: Vault) -> None:
    with pytest.raises(InvalidInput) as wrong:
        staff.change_own_password(manager, "not the current one", TEMPORARY, TEMPORARY)
    assert wrong.value.field == "current"
    with pytest.raises(InvalidInput) as same:
        staff.change_own_password(manager, MANAGER_PASSWORD, MANAGER_PASSWORD, MANAGER_PASSWORD)
    assert same.value.field == "password"
    vault.sign_in("margaret", MANAGER_PASSWORD).close()


def test_advisers_and_coordinators_cannot_manage_staff(
    manager: SignedIn, sign_in_as: Callable[[Role, str], SignedIn],
) -> None:
    target = staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, COLLEAGUE_PASSWORD,
                             COLLEAGUE_PASSWORD)
    for role in (Role.ADVISER, Role.COORDINATOR):
        colleague = sign_in_as(role, "")
        attempts = [
            lambda c: staff.list_staff(c),
            lambda c: staff.add_staff(c, "Eve", "eve", Role.MANAGER, TEMPORARY, TEMPORARY),
            lambda c: staff.change_role(c, c.actor.id, Role.MANAGER),
            lambda c: staff.deactivate(c, target.id),
            lambda c: staff.reset_password(c, target.id, TEMPORARY, TEMPORARY),
        ]
        for attempt in attempts:
            with pytest.raises(PermissionRefused, match="Only a manager"):
                attempt(colleague)
    members = {m.username: m for m in staff.list_staff(manager)}
    assert "eve" not in members
    assert members["ada"].active and members["adviser1"].role is Role.ADVISER


def test_a_password_reset_that_fails_to_save_leaves_the_old_password_working(
        manager: SignedIn, monkeypatch: pytest.MonkeyPatch) -> None:
    colleague = staff.add_staff(manager, "Colin Colleague", "colin", Role.ADVISER,
                                "first password for colin", "first password for colin")

    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the database went away mid-save")

    monkeypatch.setattr(audit, "record", fail)
    with pytest.raises(RuntimeError):
        staff.reset_password(manager, colleague.id, "second password colin", "second password colin")
    monkeypatch.undo()
    assert storage_access.key_slots_of(manager).check_password("colin", "first password for colin")
    assert not storage_access.key_slots_of(manager).check_password("colin", "second password colin")
    with pytest.raises(RuntimeError):
        monkeypatch.setattr(audit, "record", fail)
        nina = "nina's password 123"
        staff.add_staff(manager, "Nina New", "nina", Role.ADVISER, nina, nina)
    monkeypatch.undo()
    assert not storage_access.key_slots_of(manager).check_password("nina", "nina's password 123")
