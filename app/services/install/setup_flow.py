"""The first-run setup as a state machine with no Qt in it; the wizard only draws it.

Steps: service details → first manager → (database created) → recovery key shown once →
two groups of the key typed back → done. Nothing is written to disk before the manager
step is submitted and `create()` runs; after that there is no going back past it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from app.services.clock import now
from app.services.install import credential_store, recovery_key
from app.services.install.vault import SetupDetails, SetupResult, Vault
from app.services.people import InvalidInput, check_full_name, check_password, check_username

GROUPS_TO_TYPE = 2


class Step(StrEnum):
    SERVICE = "service"
    MANAGER = "manager"
    RECOVERY_KEY = "recovery_key"
    CONFIRM_KEY = "confirm_key"
    DONE = "done"


class WrongStep(RuntimeError):
    """A step was asked for out of order: a bug in the caller, not something a person did."""


def normalise_group(text: str) -> str:
    """A typed group as the key spells it: capitals, no spaces, Crockford's look-alikes fixed."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    return cleaned.translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))


@dataclass
class SetupFlow:
    vault: Vault
    rng: random.Random = field(default_factory=random.SystemRandom)
    # Asked each time, so a store unlocked part-way through the wizard is noticed.
    store_status: Callable[[], credential_store.CredentialStoreStatus] = credential_store.status
    step: Step = Step.SERVICE
    service_name: str = ""
    service_address: str = ""
    service_phone: str = ""
    manager_name: str = ""
    manager_username: str = ""
    _password: str = ""
    allow_password_only: bool = False
    result: SetupResult | None = None
    created_at: datetime | None = None
    # 1-based group numbers the person must type back.
    check_groups: tuple[int, ...] = ()

    def _expect(self, *steps: Step) -> None:
        if self.step not in steps:
            raise WrongStep(f"setup is at {self.step}, not {'/'.join(steps)}")

    # -- step 1: the service -----------------------------------------------------------------

    def submit_service(self, name: str, address: str, phone: str) -> None:
        self._expect(Step.SERVICE, Step.MANAGER)
        # Imported here: settings brings SQLAlchemy, which the wizard's first page need not
        # wait for (the window's warm-up has usually loaded it by the time Next is pressed).
        from app.services import settings

        cleaned = settings.validate(
            {"service_name": name, "service_address": address, "service_phone": phone}
        )
        self.service_name = cleaned["service_name"]
        self.service_address = cleaned["service_address"]
        self.service_phone = cleaned["service_phone"]
        self.step = Step.MANAGER

    # -- step 2: the first manager ---------------------------------------------------------

    def needs_password_only_choice(self) -> bool:
        return not self.store_status().available

    def credential_store_message(self) -> str:
        return self.store_status().message

    def submit_manager(self, full_name: str, username: str, password: str, confirm: str,
                       allow_password_only: bool = False) -> None:
        """Check the manager's details; raises InvalidInput naming the field to correct."""
        self._expect(Step.MANAGER)
        name = check_full_name(full_name)
        user = check_username(username)
        check_password(password, confirm)
        if self.needs_password_only_choice() and not allow_password_only:
            raise InvalidInput(
                "This computer has no credential store. Tick “Protect with passwords only” "
                "to continue, or set one up first.",
                "allow_password_only",
            )
        self.manager_name, self.manager_username, self._password = name, user, password
        self.allow_password_only = allow_password_only

    def details(self) -> SetupDetails:
        return SetupDetails(
            service_name=self.service_name,
            service_address=self.service_address,
            service_phone=self.service_phone,
            manager_name=self.manager_name,
            manager_username=self.manager_username,
            manager_password=self._password,
            manager_password_confirm=self._password,
            allow_password_only=self.allow_password_only,
        )

    def create(self) -> SetupResult:
        """Make the database, the manager and the recovery key (slow: key derivation)."""
        self._expect(Step.MANAGER)
        if not self._password:
            raise WrongStep("submit_manager first")
        result = self.vault.set_up(self.details())
        self.result = result
        self.created_at = now().replace(microsecond=0)
        count = len(recovery_key.groups(result.recovery_key))
        self.check_groups = tuple(sorted(self.rng.sample(range(1, count + 1), GROUPS_TO_TYPE)))
        self.step = Step.RECOVERY_KEY
        return result

    # -- step 3 and 4: the recovery key ----------------------------------------------------

    def key_text(self) -> str:
        self._expect(Step.RECOVERY_KEY, Step.CONFIRM_KEY)
        assert self.result is not None
        return self.result.recovery_key

    def recovery_groups(self) -> list[str]:
        self._expect(Step.RECOVERY_KEY, Step.CONFIRM_KEY)
        return recovery_key.groups(self.key_text())

    def key_written_down(self) -> None:
        self._expect(Step.RECOVERY_KEY, Step.CONFIRM_KEY)
        self.step = Step.CONFIRM_KEY

    def back(self) -> None:
        """One step back, where that is allowed (never past the database creation)."""
        if self.step is Step.MANAGER:
            self.step = Step.SERVICE
        elif self.step is Step.CONFIRM_KEY:
            self.step = Step.RECOVERY_KEY

    def group_matches(self, number: int, typed: str) -> bool:
        groups = self.recovery_groups()
        return 1 <= number <= len(groups) and normalise_group(typed) == groups[number - 1]

    def typed_back(self, typed: dict[int, str]) -> bool:
        """Whether every asked-for group was typed back correctly."""
        self._expect(Step.CONFIRM_KEY)
        return all(self.group_matches(n, typed.get(n, "")) for n in self.check_groups)

    def finish(self, typed: dict[int, str]) -> tuple[str, str]:
        """Complete setup; returns the manager's username and password, then forgets them."""
        if not self.typed_back(typed):
            raise InvalidInput("The groups typed do not match the recovery key. Check them again.")
        credentials = (self.manager_username, self._password)
        self._password = ""
        self.result = None
        self.step = Step.DONE
        return credentials
