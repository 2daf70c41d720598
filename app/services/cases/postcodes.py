"""UK postcodes: full postcodes for addresses and letters, districts (e.g. `MK6`) for statistics.

The pattern follows Royal Mail's published format rules: outward code A9, A99, AA9, AA99, A9A
or AA9A with the letters each position may hold, then an inward code 9AA. It checks shape,
not whether a postcode is in use, which needs the address file and a network.
"""

from __future__ import annotations

import re

from app.services.people import InvalidInput

_AREA1 = "ABCDEFGHIJKLMNOPRSTUWYZ"  # never Q, V, X first
_AREA2 = "ABCDEFGHKLMNOPQRSTUVWXY"  # never I, J, Z second
_A9A = "ABCDEFGHJKPSTUW"
_AA9A = "ABEHMNPRVWXY"
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # never C, I, K, M, O, V

_OUTWARD = (
    f"(?:[{_AREA1}][0-9]{{1,2}}"
    f"|[{_AREA1}][{_AREA2}][0-9]{{1,2}}"
    f"|[{_AREA1}][0-9][{_A9A}]"
    f"|[{_AREA1}][{_AREA2}][0-9][{_AA9A}])"
)
_DISTRICT_RE = re.compile(f"^{_OUTWARD}$")
_POSTCODE_RE = re.compile(f"^(?:{_OUTWARD}[0-9][{_INWARD}]{{2}}|GIR0AA)$")
# Full postcodes inside running text, in any case, with or without the space.
_IN_TEXT_RE = re.compile(
    f"(?<![A-Za-z0-9])(?:{_OUTWARD} ?[0-9][{_INWARD}]{{2}}|GIR ?0AA)(?![A-Za-z0-9])", re.IGNORECASE
)


def _squash(text: str) -> str:
    return "".join(text.split()).upper()


def is_postcode(text: str) -> bool:
    return bool(_POSTCODE_RE.match(_squash(text)))


def find_postcodes(text: str) -> list[str]:
    """The full postcodes written in `text`, as they were typed: `"lives at mk6 1aa"` →
    `["mk6 1aa"]`. Districts alone (`MK6`) are not postcodes and are not found."""
    return [match.group(0) for match in _IN_TEXT_RE.finditer(text)]


def normalise_postcode(text: str, field: str = "postcode") -> str:
    """`"mk6 1aa"` → `"MK6 1AA"`; raises InvalidInput(field) when it is not a UK postcode."""
    squashed = _squash(text)
    if not _POSTCODE_RE.match(squashed):
        raise InvalidInput(
            "Enter a full UK postcode, such as MK6 1AA.", field
        )
    return f"{squashed[:-3]} {squashed[-3:]}"


def district_of(postcode: str) -> str:
    """The outward code of a full postcode: `"MK6 1AA"` → `"MK6"`."""
    return normalise_postcode(postcode)[:-4]


def is_district(text: str) -> bool:
    return bool(_DISTRICT_RE.match(_squash(text)))


def normalise_district(text: str, field: str = "area_district") -> str:
    """`" mk6"` → `"MK6"`. A full postcode is refused: statistics keep the district only."""
    squashed = _squash(text)
    if _POSTCODE_RE.match(squashed):
        raise InvalidInput(
            "Enter only the first half of the postcode (such as MK6), not the full postcode.", field
        )
    if not _DISTRICT_RE.match(squashed):
        raise InvalidInput("Enter a postcode district, such as MK6 or SW1A.", field)
    return squashed


def search_key(text: str) -> str:
    """Upper-case, no spaces: what the search box compares a typed postcode against."""
    return _squash(text)
