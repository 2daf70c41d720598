"""The search index's queries: every term quoted, nothing but letters and digits let through."""

from __future__ import annotations

import pytest

from app.models import search


def test_a_query_asks_for_every_word_and_each_other_column_as_word_starts() -> None:
    assert search.word_start_query(["jan", "smi"]) == 'name : ("jan"* AND "smi"*)'
    assert search.word_start_query(["mk6"], postcode="mk6", phone=None) == (
        'name : ("mk6"*) OR postcode : "mk6"*')
    assert search.word_start_query(["07700"], phone="07700") == 'name : ("07700"*) OR phone : "07700"*'


@pytest.mark.parametrize("term", ['smi"th', "a*", "name:x", "jo OR", "", "(", "x-y"])
def test_anything_but_letters_and_digits_is_refused_rather_than_quoted(term: str) -> None:
    with pytest.raises(ValueError):
        search.word_start_query(["jan", term])
    with pytest.raises(ValueError):
        search.word_start_query(["jan"], postcode=term or "(")


def test_letters_of_any_script_are_terms() -> None:
    query = search.word_start_query(["zoë", "ólafsdóttir", "李"])
    assert query == 'name : ("zoë"* AND "ólafsdóttir"* AND "李"*)'

