"""Who is signed in, their role, and the checks on names and passwords.

PermissionRefused and InvalidInput are the problems a person can act on. What each role may
do is decided in `app.services.access`. The one rule for the characters of typed text,
`check_characters`, is here too, below every service and the command line that use it.
"""

from __future__ import annotations

import re
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


# -- the text rule ------------------------------------------------------------------------
#
# Every text a person gives Confide (form fields, settings, filters, passwords, passphrases,
# command-line values) keeps one rule:
# - It is real Unicode. A Python string can hold a lone surrogate (half of a UTF-16 pair,
#   such as "\ud800"): Qt passes one on from a damaged paste, the terminal from a file name
#   that is not UTF-8. It has no UTF-8 form, so SQLite, scrypt, the audit chain and every
#   export fail on it: refused.
# - No control characters (Unicode category Cc: U+0000 to U+001F, DEL U+007F and U+0080 to
#   U+009F), except newline and tab in a field that has lines. DEL is refused with the rest:
#   no key types it as a character (the Delete key deletes), it shows as nothing or a box,
#   and terminals and spreadsheets act on it; it used to pass in some fields only.
# - The line and paragraph separators (U+2028, U+2029) break lines as newline does, so a
#   field of one line refuses them too.
# - Accepted: format characters (Cf: the joiners inside emoji, the direction marks Arabic and
#   Hebrew need), private-use characters (some fonts and input methods use them), and code
#   points this Python's Unicode tables do not assign yet (Cn): a newer phone or keyboard
#   types emoji added since, and they store and show like any other character.
_SURROGATES = "\ud800-\udfff"
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_REFUSED_ONE_LINE = re.compile(f"[{_SURROGATES}{_CONTROLS}\t\n\u2028\u2029]")
_REFUSED_LINES = re.compile(f"[{_SURROGATES}{_CONTROLS}\t]")
_REFUSED_PROSE = re.compile(f"[{_SURROGATES}{_CONTROLS}]")
_BROKEN = re.compile(f"[{_SURROGATES}]")
_LINE_BREAKS = frozenset("\t\n\r\x0b\x0c\x85\u2028\u2029")


def _refused(multiline: bool, tabs: bool | None) -> re.Pattern[str]:
    if not multiline:
        return _REFUSED_ONE_LINE
    return _REFUSED_PROSE if tabs is None or tabs else _REFUSED_LINES


def check_characters(value: str, field: str, label: str, *, multiline: bool = False,
                     tabs: bool | None = None) -> str:
    """`value` as it is if it keeps the text rule above; else InvalidInput(field) saying what to fix.

    `multiline` lets newline through, and tab too unless `tabs` is False: an address or the
    list of rooms has lines, each a one-line value, where a tab has no place.
    """
    found = _refused(multiline, tabs).search(value)
    if found is None:
        return value
    character = found.group()
    if "\ud800" <= character <= "\udfff":
        raise InvalidInput(f"{label}: part of this is a broken character (this happens when text is "
                           "copied from a damaged file); type it again.", field)
    if not multiline and character in _LINE_BREAKS:
        raise InvalidInput(f"{label}: this must fit on one line; remove the line breaks and tabs.",
                           field)
    raise InvalidInput(f"{label}: remove the invisible control characters (they often come with "
                       "pasted text); they cannot be stored.", field)


def is_text(value: str) -> bool:
    """Whether `value` is real Unicode, the first part of the rule: what a secret typed to be
    checked against one set earlier needs, since that one may hold any other character."""
    return _BROKEN.search(value) is None


def readable(value: str) -> str:
    """`value` with each broken character replaced by U+FFFD (the sign for one): what was
    typed, now safe to store, record and export (a refused sign-in's username)."""
    return _BROKEN.sub("\ufffd", value)


MIN_PASSWORD_LENGTH = 12


def check_password(password: str, confirm: str | None = None) -> None:
    check_characters(password, "password", "Password")
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
    cleaned = check_characters(username.strip(), "username", "Username")
    if not cleaned:
        raise InvalidInput("Enter a username.", "username")
    if len(cleaned) > 64 or not all(c.isalnum() or c in "._-" for c in cleaned):
        raise InvalidInput(
            "A username uses letters, digits, dots, dashes or underscores (at most 64).",
            "username",
        )
    return cleaned


def check_full_name(full_name: str) -> str:
    # The rule sees the name as typed (a tab or line break is refused, as in every one-line
    # field); then runs of spaces become one.
    cleaned = " ".join(check_characters(full_name.strip(), "full_name", "Name").split())
    if not cleaned:
        raise InvalidInput("Enter the person's name.", "full_name")
    if len(cleaned) > 120:
        raise InvalidInput("The name is too long (at most 120 characters).", "full_name")
    return cleaned
