"""Coded references: initials and month/year of birth, never a name."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.cases import cases
from app.services.cases import coded_reference as coded
from app.services.context import SignedIn
from app.services.people import InvalidInput
from tests.services.case_helpers import open_case_for


@pytest.mark.parametrize(("name", "expected"), [
    ("John Smith", "J.S. 03/2015"),
    ("mary-jane o'neil", "M.O. 03/2015"),
    ("Ali", "A. 03/2015"),
    ("  Anna   Maria  Lopez ", "A.L. 03/2015"),
    ("Ólafur Þórsson", "Ó.Þ. 03/2015"),
])
def test_initials_and_month(name: str, expected: str) -> None:
    assert coded.coded_reference(name, date(2015, 3, 9)) == expected


def test_needs_a_name_and_a_date() -> None:
    with pytest.raises(InvalidInput):
        coded.coded_reference("123", date(2015, 3, 9))
    with pytest.raises(InvalidInput) as refused:
        coded.coded_reference("John Smith", None)
    assert refused.value.field == "date_of_birth"


@given(st.lists(st.text(st.characters(categories=["Lu", "Ll"]), min_size=2, max_size=12),
                min_size=1, max_size=4), st.dates(date(1995, 1, 1), date(2025, 1, 1)))
def test_never_contains_a_whole_name(words: list[str], born: date) -> None:
    code = coded.coded_reference(" ".join(words), born)
    assert code.endswith(f" {born:%m/%Y}")
    for word in words:
        assert word not in code


def test_case_service(manager: SignedIn) -> None:
    open_case_for(manager)
    view = open_case_for(manager, "Jones")
    child = cases.open_case(manager, view.case_id or 0).children[0]
    assert coded.case_coded_reference(manager, child.id) == "J.J. 03/2015"
