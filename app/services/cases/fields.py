"""Words and checks shared by calls and cases: the fixed choices, and text, date and phone checks.

Every check raises InvalidInput naming the form field, so the UI can put the message next to
it. Text is stored exactly as typed (apart from surrounding spaces and Windows line endings);
what the text rule (`app.services.people.check_characters`) refuses is refused, never dropped.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from app.services.people import InvalidInput, check_characters


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    FACE_TO_FACE = "face to face"
    LETTER = "letter"
    OTHER = "other"


class CallerType(StrEnum):
    PARENT = "parent/carer"
    YOUNG_PERSON = "young person"
    PROFESSIONAL = "professional"
    OTHER = "other"


class ChildPhase(StrEnum):
    EARLY_YEARS = "early years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post-16"
    POST_19 = "19 to 25"


class Outcome(StrEnum):
    INFORMATION = "information given"
    SIGNPOSTED = "signposted"
    FOLLOW_UP = "follow-up call"
    APPOINTMENT = "appointment booked"
    CASE_OPENED = "case opened"


class ConsentMethod(StrEnum):
    VERBAL = "verbal"
    SIGNED_FORM = "signed form"
    EMAIL = "email"


class ContactMethod(StrEnum):
    MOBILE = "mobile"
    HOME = "home phone"
    WORK = "work phone"
    EMAIL = "email"
    LETTER = "letter"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class NoteKind(StrEnum):
    NOTE = "note"
    SAFEGUARDING = "safeguarding"
    BREACH_DECISION = "breach_decision"
    DISCLOSURE_REQUEST = "disclosure_request"


YEAR_GROUPS: tuple[str, ...] = (
    "Nursery", "Reception", *(f"Year {n}" for n in range(1, 15)), "Not in school",
)
HOW_HEARD: tuple[str, ...] = (
    "school", "local authority", "health professional", "social care", "another parent",
    "voluntary organisation", "internet", "leaflet or poster", "used the service before", "other",
)

E = TypeVar("E", bound=StrEnum)

SUMMARY_MAX = 1000
NOTE_MAX = 2000
MAX_CALL_MINUTES = 600
OLDEST_CALL = datetime(2000, 1, 1)
OLDEST_CHILD_YEARS = 30


def choice(kind: type[E], value: object, field: str, label: str) -> E:
    try:
        return kind(value)
    except ValueError:
        options = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{label}: choose one of {options}.", field) from None


def optional_choice(kind: type[E], value: object, field: str, label: str) -> E | None:
    return None if value in (None, "") else choice(kind, value, field, label)


def listed(value: str | None, options: tuple[str, ...], field: str, label: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in options:
        raise InvalidInput(f"{label}: choose one of the listed options.", field)
    return value


def text(value: str | None, field: str, label: str, max_length: int, *, required: bool = False,
         multiline: bool = False) -> str:
    """Cleaned text or InvalidInput(field): the text rule's, or about emptiness and length."""
    cleaned = (value or "").replace("\r\n", "\n").strip()
    if required and not cleaned:
        raise InvalidInput(f"{label}: this cannot be left empty.", field)
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"{label}: at most {max_length} characters ({len(cleaned)} typed).", field
        )
    return check_characters(cleaned, field, label, multiline=multiline)


def name_key(full_name: str) -> str:
    """What search compares against: lower-cased words with a leading space for word starts."""
    return " " + " ".join(full_name.casefold().split())


_PHONE_RE = re.compile(r"^\+?[0-9 ()\-]+$")


def phone(value: str | None, field: str, label: str) -> str:
    cleaned = text(value, field, label, 30)
    if not cleaned:
        return ""
    digits = digits_of(cleaned)
    if not _PHONE_RE.match(cleaned) or not 6 <= len(digits) <= 15:
        raise InvalidInput(f"{label}: enter a phone number such as 01908 123456.", field)
    return cleaned


def digits_of(value: str) -> str:
    return "".join(c for c in value if c.isascii() and c.isdigit())


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: str | None, field: str = "email", label: str = "Email") -> str:
    cleaned = text(value, field, label, 120)
    if cleaned and not _EMAIL_RE.match(cleaned):
        raise InvalidInput(f"{label}: enter an address such as name@example.org.", field)
    return cleaned


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(value: date | str | None, field: str, label: str) -> date | None:
    """A date, or a typed one (31/12/2015 or 2015-12-31). 31 February is refused."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    typed = value.strip()
    if not typed:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(typed, pattern).date()
        except ValueError:
            continue
    raise InvalidInput(
        f"{label}: this is not a real date. Type it as day/month/year, such as 09/03/2015.", field
    )


def date_of_birth(value: date | str | None, today: date) -> date | None:
    born = parse_date(value, "date_of_birth", "Date of birth")
    if born is None:
        return None
    if born > today:
        raise InvalidInput("Date of birth: this date is in the future.", "date_of_birth")
    if born < today - timedelta(days=365 * OLDEST_CHILD_YEARS + 8):
        raise InvalidInput(
            f"Date of birth: the child would be over {OLDEST_CHILD_YEARS}; check the year.",
            "date_of_birth",
        )
    return born
