"""UK postcode and district checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.cases import postcodes
from app.services.people import InvalidInput

AREA1 = "ABCDEFGHIJKLMNOPRSTUWYZ"
AREA2 = "ABCDEFGHKLMNOPQRSTUVWXY"
INWARD = "ABDEFGHJLNPQRSTUWXYZ"
digit = st.sampled_from("0123456789")
outward = st.one_of(
    st.tuples(st.sampled_from(AREA1), digit).map("".join),
    st.tuples(st.sampled_from(AREA1), digit, digit).map("".join),
    st.tuples(st.sampled_from(AREA1), st.sampled_from(AREA2), digit).map("".join),
    st.tuples(st.sampled_from(AREA1), st.sampled_from(AREA2), digit, digit).map("".join),
    st.tuples(st.sampled_from(AREA1), digit, st.sampled_from("ABCDEFGHJKPSTUW")).map("".join),
    st.tuples(st.sampled_from(AREA1), st.sampled_from(AREA2), digit,
              st.sampled_from("ABEHMNPRVWXY")).map("".join),
)
inward = st.tuples(digit, st.sampled_from(INWARD), st.sampled_from(INWARD)).map("".join)


@pytest.mark.parametrize(("typed", "expected"), [
    ("mk6 1aa", "MK6 1AA"), ("MK61AA", "MK6 1AA"), (" sw1a  2aa ", "SW1A 2AA"),
    ("w1a 0ax", "W1A 0AX"), ("ec1a1bb", "EC1A 1BB"), ("b33 8th", "B33 8TH"), ("gir 0aa", "GIR 0AA"),
])
def test_normalises(typed: str, expected: str) -> None:
    assert postcodes.normalise_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["", "MK6", "MK6 1A", "QK6 1AA", "MK6 1CA", "M K 6 1 A A 1",
                                   "12345", "MK6 1AA; DROP TABLE", "ＭＫ6 1AA", "MK٦ 1AA"])
def test_refuses(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        postcodes.normalise_postcode(typed)
    assert refused.value.field == "postcode"


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_valid_postcodes_round_trip(out: str, inn: str, gap: str, lower: bool) -> None:
    typed = f"{out}{gap}{inn}"
    typed = typed.lower() if lower else typed
    normal = postcodes.normalise_postcode(typed)
    assert normal == f"{out} {inn}"
    assert postcodes.normalise_postcode(normal) == normal
    assert postcodes.district_of(typed) == out
    assert postcodes.is_district(out) and postcodes.normalise_district(out.lower()) == out


@given(st.text(max_size=12))
def test_anything_typed_is_either_a_postcode_or_refused(typed: str) -> None:
    try:
        normal = postcodes.normalise_postcode(typed)
    except InvalidInput:
        return
    assert postcodes.is_postcode(normal) and normal == normal.upper() and normal.count(" ") == 1


def test_district_refuses_full_postcode_and_nonsense() -> None:
    assert postcodes.normalise_district(" mk6 ") == "MK6"
    for typed in ("MK6 1AA", "6MK", "MK", "ABCDE"):
        with pytest.raises(InvalidInput) as refused:
            postcodes.normalise_district(typed)
        assert refused.value.field == "area_district"
