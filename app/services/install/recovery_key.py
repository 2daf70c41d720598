"""The recovery key: the data key written for people, in checked groups that are easy to type."""

from __future__ import annotations

import hashlib

# Crockford's base 32: no I, L, O or U, so nothing is mistaken for 1, 0 or a rude word.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {char: value for value, char in enumerate(ALPHABET)}
_DECODE.update({"I": 1, "L": 1, "O": 0})
GROUP = 5
CHECK_BYTES = 2


class RecoveryKeyInvalid(ValueError):
    """The typed recovery key is incomplete or has a typing mistake."""


def _checksum(data: bytes) -> bytes:
    return hashlib.sha256(b"confide-recovery" + data).digest()[:CHECK_BYTES]


def encode(data_key: bytes) -> str:
    """The data key plus a checksum, in groups of five characters separated by dashes."""
    payload = data_key + _checksum(data_key)
    number = int.from_bytes(payload, "big")
    bits = len(payload) * 8
    length = -(-bits // 5)
    number <<= length * 5 - bits
    chars = [ALPHABET[(number >> (5 * (length - 1 - i))) & 31] for i in range(length)]
    text = "".join(chars)
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def groups(recovery_key: str) -> list[str]:
    return recovery_key.split("-")


def decode(typed: str, key_length: int = 32) -> bytes:
    """The data key from a typed recovery key; spaces, dashes and case do not matter."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t\r\n")
    payload_length = key_length + CHECK_BYTES
    expected_chars = -(-payload_length * 8 // 5)
    if len(cleaned) != expected_chars:
        raise RecoveryKeyInvalid(
            f"A recovery key has {expected_chars} letters and digits; {len(cleaned)} were typed."
        )
    number = 0
    for ch in cleaned:
        if ch not in _DECODE:
            raise RecoveryKeyInvalid(f"'{ch}' is not used in recovery keys.")
        number = (number << 5) | _DECODE[ch]
    spare_bits = expected_chars * 5 - payload_length * 8
    if number & ((1 << spare_bits) - 1):
        # The last character carries unused bits that are always zero in a real key.
        raise RecoveryKeyInvalid("The recovery key has a typing mistake. Check each group again.")
    number >>= spare_bits
    payload = number.to_bytes(payload_length, "big")
    data_key, check = payload[:key_length], payload[key_length:]
    if _checksum(data_key) != check:
        raise RecoveryKeyInvalid("The recovery key has a typing mistake. Check each group again.")
    return data_key
