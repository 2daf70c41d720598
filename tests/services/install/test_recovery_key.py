"""The recovery key survives being written down and typed back, and catches typing mistakes."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.install import recovery_key


@given(st.binary(min_size=32, max_size=32))
def test_round_trip(data_key: bytes) -> None:
    text = recovery_key.encode(data_key)
    assert recovery_key.decode(text) == data_key
    # Lower case, spaces instead of dashes: people type what they see.
    assert recovery_key.decode(text.lower().replace("-", " ")) == data_key


def test_groups_are_five_characters() -> None:
    groups = recovery_key.groups(recovery_key.encode(os.urandom(32)))
    assert len(groups) == 11
    assert all(len(g) == 5 for g in groups[:-1])


@given(st.binary(min_size=32, max_size=32), st.integers(min_value=0, max_value=54), st.data())
def test_a_single_wrong_character_is_caught(data_key: bytes, position: int, data: st.DataObject) -> None:
    chars = list(recovery_key.encode(data_key).replace("-", ""))
    replacement = data.draw(st.sampled_from([c for c in recovery_key.ALPHABET if c != chars[position]]))
    chars[position] = replacement
    with pytest.raises(recovery_key.RecoveryKeyInvalid):
        recovery_key.decode("".join(chars))


def test_short_key_gives_a_plain_message() -> None:
    with pytest.raises(recovery_key.RecoveryKeyInvalid, match="55 letters and digits"):
        recovery_key.decode("ABCDE-FGHJK")


def test_foreign_characters_refused() -> None:
    text = recovery_key.encode(os.urandom(32)).replace("-", "")
    with pytest.raises(recovery_key.RecoveryKeyInvalid):
        recovery_key.decode("!" + text[1:])
