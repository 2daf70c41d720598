"""Looking in an anonymous call's summary for details that could identify the family.

An anonymous call keeps no identity, but its summary is free text, so an adviser may type a
name, a phone number or a date of birth into it without meaning to. Before an anonymous call
is saved, the summary is searched for full UK postcodes, phone numbers, email addresses, dates
that could be a birth date, and words that are a name: one held in the case search index or
one of the common given names in resources/given_names.txt. The adviser then edits the
summary or saves it anyway; saving anyway is audited with the kinds found, never the text.

Each finding's message says only that the words look like a detail, never that a family of
that name is on record: an adviser may not see every family (app/services/access.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache

import phonenumbers
from sqlalchemy.orm import Session

from app.models import search
from app.paths import resources_dir
from app.services.cases import postcodes
from app.services.clock import now
from app.services.context import SignedIn

REGION = "GB"  # numbers without +44 are read as UK numbers
# A birth date is at least a year before the call (the families are of children at school or
# about to start) and at most a lifetime before it; a date inside the last year is far more
# often a meeting, a letter or a deadline.
BIRTH_MIN_AGE_DAYS = 365
BIRTH_MAX_AGE_YEARS = 110
# Distinct capitalised words looked up in the search index at most, so a pasted page cannot
# hold the writer lock for long; a summary of a call has a few dozen.
MAX_NAME_LOOKUPS = 200


class Kind(StrEnum):
    """What a finding looks like; the value is what the audit trail records."""

    POSTCODE = "postcode"
    PHONE = "phone number"
    EMAIL = "email address"
    BIRTH_DATE = "date of birth"
    NAME = "name"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    text: str  # as it was typed

    def message(self) -> str:
        if self.kind is Kind.NAME:
            return f"{self.text} looks like a name"
        article = "an" if self.kind is Kind.EMAIL else "a"
        return f"This looks like {article} {self.kind.value}: {self.text}"


_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_WORD = r"(?P<month_name>[A-Za-z]{3,9})\.?"
_DAY_WORD = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# Not inside a longer run of numbers (a full stop after a date ends the sentence).
_ALONE_BEFORE, _ALONE_AFTER = r"(?<!\d)(?<!\d[/.-])", r"(?!\d|[/.-]\d)"
_DATE_RES = (
    # 3/4/2015, 03-04-15, 3.4.2015: day first, as dates are written in the UK
    re.compile(rf"{_ALONE_BEFORE}(?P<day>\d{{1,2}})[/.-](?P<month>\d{{1,2}})[/.-]"
               rf"(?P<year>\d{{4}}|\d{{2}}){_ALONE_AFTER}"),
    re.compile(rf"{_ALONE_BEFORE}(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_ALONE_AFTER}"),
    # 3 March 2015, 3rd of March 2015
    re.compile(rf"(?<!\w){_DAY_WORD}(?: of)? {_MONTH_WORD},? (?P<year>\d{{4}})(?!\w)", re.IGNORECASE),
    # March 3, 2015
    re.compile(rf"(?<!\w){_MONTH_WORD} {_DAY_WORD},? (?P<year>\d{{4}})(?!\w)", re.IGNORECASE),
)
# Words as the search index splits them: runs of letters and digits.
_WORD_RE = re.compile(r"[^\W_]+")


def find(ctx: SignedIn, summary: str) -> list[Finding]:
    """What in `summary` looks like it could identify someone, in the order it was typed."""
    if not summary.strip():
        return []
    with ctx.read() as session:
        return find_in(session, summary, now().date())


def find_in(session: Session, summary: str, today: date) -> list[Finding]:
    found: list[tuple[int, Finding]] = []
    taken: list[range] = []

    def add(start: int, end: int, kind: Kind, typed: str) -> None:
        # One stretch of text is one finding: a phone number's digits are not also a date.
        if any(start < span.stop and span.start < end for span in taken):
            return
        taken.append(range(start, end))
        found.append((start, Finding(kind, typed)))

    for match in _EMAIL_RE.finditer(summary):
        add(match.start(), match.end(), Kind.EMAIL, match.group(0))
    for number in phonenumbers.PhoneNumberMatcher(summary, REGION, phonenumbers.Leniency.POSSIBLE):
        if _phone_like(number):
            typed, start = number.raw_string, number.start
            if typed.startswith("(") and typed.count("(") > typed.count(")"):
                typed, start = typed[1:], start + 1  # "(020 …)" is found from its opening bracket
            add(start, number.end, Kind.PHONE, typed)
    position = 0
    for typed in postcodes.find_postcodes(summary):
        start = summary.index(typed, position)
        position = start + len(typed)
        add(start, position, Kind.POSTCODE, typed)
    for pattern in _DATE_RES:
        for match in pattern.finditer(summary):
            if _could_be_birth(match, today):
                add(match.start(), match.end(), Kind.BIRTH_DATE, match.group(0))
    for start, word in _name_words(session, summary):
        add(start, start + len(word), Kind.NAME, word)
    return [finding for _, finding in sorted(found, key=lambda pair: pair[0])]


def _phone_like(match: phonenumbers.PhoneNumberMatch) -> bool:
    """A number in use, or one written as a phone number is (a leading 0 or +, ten digits or
    more after it): the ranges kept for drama and examples (07700 900123) are not in use, and
    read as phone numbers to anyone. Possible numbers alone include years, sums and references."""
    if phonenumbers.is_valid_number(match.number):
        return True
    significant = phonenumbers.national_significant_number(match.number)
    return match.raw_string[0] in "0+" and len(significant) >= 10


def _could_be_birth(match: re.Match[str], today: date) -> bool:
    parts = match.groupdict()
    if parts.get("month_name"):
        month_name = parts["month_name"].lower()
        months = [i for i, name in enumerate(_MONTHS, 1) if len(month_name) >= 3
                  and name.startswith(month_name)]
        if len(months) != 1:
            return False
        month = months[0]
    else:
        month = int(parts["month"])
    year = int(parts["year"])
    if len(parts["year"]) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        day = date(year, month, int(parts["day"]))
    except ValueError:
        return False
    return today.year - BIRTH_MAX_AGE_YEARS <= day.year and (today - day).days >= BIRTH_MIN_AGE_DAYS


def _name_words(session: Session, summary: str) -> list[tuple[int, str]]:
    """Words starting with a capital that are a common given name or a name in the index.

    Only capitalised words: names are written so, and lower-case words such as "will" or
    "grace" are everyday words far more often than names."""
    given = given_names()
    names: list[tuple[int, str]] = []
    asked: dict[str, bool] = {}
    for match in _WORD_RE.finditer(summary):
        word = match.group(0)
        if len(word) < 2 or not word[0].isupper() or not word.isalpha():
            continue
        key = word.casefold()
        if key not in asked:
            asked[key] = key in given or (len(asked) < MAX_NAME_LOOKUPS
                                          and search.holds_name_word(session, word))
        if asked[key]:
            names.append((match.start(), word))
    return names


@cache
def given_names() -> frozenset[str]:
    """The common given names, case-folded."""
    text = (resources_dir() / "given_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def kinds(findings: list[Finding]) -> list[str]:
    """The kinds found, each once, for the audit trail (which never holds the text)."""
    return sorted({finding.kind.value for finding in findings})
