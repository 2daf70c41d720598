"""The first-run setup state machine, without Qt."""

from __future__ import annotations

import random

import pytest

from app.services.install import credential_store
from app.services.install.setup_flow import SetupFlow, Step, WrongStep, normalise_group
from app.services.install.vault import Vault
from app.services.people import InvalidInput
from tests.conftest import MANAGER_PASSWORD


def flow_for(vault: Vault, seed: int = 7, store_available: bool = True) -> SetupFlow:
    def status() -> credential_store.CredentialStoreStatus:
        return credential_store.CredentialStoreStatus(available=store_available, backend="test")

    return SetupFlow(vault, rng=random.Random(seed), store_status=status)


def to_key_step(flow: SetupFlow) -> None:
    flow.submit_service("Northfield SEN Advice", "1 High Street\nNorthfield", "01908 000000")
    flow.submit_manager("Margaret Manager", "margaret", MANAGER_PASSWORD, MANAGER_PASSWORD)
    flow.create()


def test_service_details_are_checked_and_kept(vault: Vault) -> None:
    flow = flow_for(vault)
    with pytest.raises(InvalidInput) as refused:
        flow.submit_service("   ", "", "")
    assert refused.value.field == "service_name"
    assert flow.step is Step.SERVICE
    flow.submit_service("  Northfield SEN Advice ", "1 High Street", "01908 000000")
    assert flow.step is Step.MANAGER
    assert flow.service_name == "Northfield SEN Advice"


@pytest.mark.parametrize(
    ("name", "username", "password", "confirm", "field"),
    [
        ("", "margaret", MANAGER_PASSWORD, MANAGER_PASSWORD, "full_name"),
        ("Margaret", "mar garet", MANAGER_PASSWORD, MANAGER_PASSWORD, "username"),
        ("Margaret", "margaret", "short", "short", "password"),
        ("Margaret", "margaret", MANAGER_PASSWORD, MANAGER_PASSWORD + "x", "confirm"),
    ],
)
def test_manager_details_name_the_field_to_correct(vault: Vault, name: str, username: str,
                                                   password: str, confirm: str, field: str) -> None:
    flow = flow_for(vault)
    flow.submit_service("Northfield SEN Advice", "", "")
    with pytest.raises(InvalidInput) as refused:
        flow.submit_manager(name, username, password, confirm)
    assert refused.value.field == field
    assert not vault.is_set_up()


def test_without_a_credential_store_password_only_must_be_chosen(vault: Vault) -> None:
    flow = flow_for(vault, store_available=False)
    flow.submit_service("Northfield SEN Advice", "", "")
    assert flow.needs_password_only_choice()
    with pytest.raises(InvalidInput) as refused:
        flow.submit_manager("Margaret Manager", "margaret", MANAGER_PASSWORD, MANAGER_PASSWORD)
    assert refused.value.field == "allow_password_only"
    flow.submit_manager("Margaret Manager", "margaret", MANAGER_PASSWORD, MANAGER_PASSWORD,
                        allow_password_only=True)
    assert flow.details().allow_password_only


def test_nothing_is_written_before_create(vault: Vault) -> None:
    flow = flow_for(vault)
    flow.submit_service("Northfield SEN Advice", "", "")
    flow.submit_manager("Margaret Manager", "margaret", MANAGER_PASSWORD, MANAGER_PASSWORD)
    assert not vault.is_set_up()
    flow.back()
    assert flow.step is Step.SERVICE


def test_create_sets_up_and_picks_two_groups(vault: Vault) -> None:
    flow = flow_for(vault)
    to_key_step(flow)
    assert vault.is_set_up()
    assert flow.step is Step.RECOVERY_KEY
    groups = flow.recovery_groups()
    assert "-".join(groups) == flow.key_text()
    assert len(flow.check_groups) == 2
    assert len(set(flow.check_groups)) == 2
    assert all(1 <= n <= len(groups) for n in flow.check_groups)
    # No way back past the database creation.
    flow.back()
    assert flow.step is Step.RECOVERY_KEY


def test_groups_asked_for_vary(vault: Vault, tmp_path) -> None:
    asked = set()
    for seed in range(6):
        flow = flow_for(Vault(tmp_path / f"install{seed}"), seed=seed)
        to_key_step(flow)
        asked.add(flow.check_groups)
    assert len(asked) > 1


def test_finish_needs_the_right_groups(vault: Vault) -> None:
    flow = flow_for(vault)
    to_key_step(flow)
    groups = flow.recovery_groups()
    first, second = flow.check_groups
    with pytest.raises(WrongStep):
        flow.typed_back({})
    flow.key_written_down()
    assert not flow.typed_back({first: groups[first - 1]})
    wrong = groups[second] if second < len(groups) else groups[0]
    assert not flow.typed_back({first: groups[first - 1], second: wrong})
    with pytest.raises(InvalidInput):
        flow.finish({first: groups[first - 1], second: wrong})
    typed = {first: groups[first - 1].lower(), second: " " + groups[second - 1] + " "}
    assert flow.typed_back(typed)
    assert flow.finish(typed) == ("margaret", MANAGER_PASSWORD)
    assert flow.step is Step.DONE
    assert flow.result is None
    assert vault.sign_in("margaret", MANAGER_PASSWORD).actor.full_name == "Margaret Manager"


def test_back_from_typing_shows_the_key_again(vault: Vault) -> None:
    flow = flow_for(vault)
    to_key_step(flow)
    flow.key_written_down()
    flow.back()
    assert flow.step is Step.RECOVERY_KEY
    assert flow.recovery_groups()


def test_look_alike_characters_are_read_as_the_key_spells_them() -> None:
    assert normalise_group("o1l-i ") == "0111"
    assert normalise_group("ab c") == "ABC"
