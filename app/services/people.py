"""Who is signed in, their role, and the checks on names and passwords.

PermissionRefused and InvalidInput are the problems a person can act on. What each role may
do is decided in `app.services.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.problems import KnownProblem


class Role(StrEnum):
    ADVISER = "adviser"
    MANAGER = "manager"
    COORDINATOR = "coordinator"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class StaffMember:
    """A staff account as the rest of the program sees it: plain data, no ORM object."""

    id: int
    username: str
    full_name: str
    role: Role
    active: bool = True
    must_change_password: bool = False

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER


class PermissionRefused(KnownProblem):
    """The signed-in person may not do this; the message says why in plain words."""


class InvalidInput(KnownProblem, ValueError):
    """Input a person can correct; `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


MIN_PASSWORD_LENGTH = 12


def check_password(password: str, confirm: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.", "password"
        )
    if confirm is not None and password != confirm:
        raise InvalidInput("The two passwords are not the same.", "confirm")


def password_strength(password: str) -> tuple[int, str]:
    """A 0–4 score and a plain hint, meant to nudge towards long passphrases."""
    if not password:
        return 0, "Use at least 12 characters: a few unrelated words make a good password."
    if len(password) < MIN_PASSWORD_LENGTH:
        return 0, f"Too short: {MIN_PASSWORD_LENGTH - len(password)} more characters needed."
    kinds = sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    distinct = len(set(password.casefold()))
    if distinct < 6:
        return 1, "Weak: too many repeated characters."
    score = 2 + (len(password) >= 16) + (kinds >= 3 or len(password) >= 20)
    hints = {2: "Fair: longer is stronger.", 3: "Good.", 4: "Strong."}
    return score, hints[score]


def check_username(username: str) -> str:
    cleaned = username.strip()
    if not cleaned:
        raise InvalidInput("Enter a username.", "username")
    if len(cleaned) > 64 or not all(c.isalnum() or c in "._-" for c in cleaned):
        raise InvalidInput(
            "A username uses letters, digits, dots, dashes or underscores (at most 64).",
            "username",
        )
    return cleaned


def check_full_name(full_name: str) -> str:
    cleaned = " ".join(full_name.split())
    if not cleaned:
        raise InvalidInput("Enter the person's name.", "full_name")
    if len(cleaned) > 120:
        raise InvalidInput("The name is too long (at most 120 characters).", "full_name")
    if any(ord(c) < 32 for c in cleaned):
        raise InvalidInput("The name contains characters that cannot be used.", "full_name")
    return cleaned
