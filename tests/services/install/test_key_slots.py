"""Key slots open only with the right password and the right device secret."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.services.install.key_slots import KeySlot, KeySlotFile, new_audit_keypair, open_sealed_failure


def test_slot_opens_with_password_and_device_secret() -> None:
    key, secret = os.urandom(32), os.urandom(32)
    slot = KeySlot.seal("a" * 64, key, "a long enough password", secret)
    assert slot.open("a long enough password", secret) == key
    assert slot.open("a long enough passwore", secret) is None
    assert slot.open("a long enough password", os.urandom(32)) is None
    assert slot.open("a long enough password", None) is None


def test_password_only_slot_ignores_the_device() -> None:
    key = os.urandom(32)
    slot = KeySlot.seal("b" * 64, key, "a long enough password", None)
    assert not slot.device_bound
    assert slot.open("a long enough password", None) == key


def test_slot_cannot_be_moved_to_another_id() -> None:
    key = os.urandom(32)
    slot = KeySlot.seal("c" * 64, key, "a long enough password", None)
    slot.slot_id = "d" * 64
    assert slot.open("a long enough password", None) is None


def test_file_round_trip_holds_no_usernames(tmp_path: Path) -> None:
    _, public = new_audit_keypair()
    slots = KeySlotFile.new(tmp_path / "keyslots.json", None, public)
    slot_id = slots.slot_id_for("Jemima.Puddleduck")
    slots.slots[slot_id] = KeySlot.seal(slot_id, os.urandom(32), "a long enough password", None)
    slots.seal_failure({"username": "Jemima.Puddleduck", "at": "2026-11-22T10:00:00"})
    slots.save()
    text = (tmp_path / "keyslots.json").read_text()
    assert "jemima" not in text.lower()
    loaded = KeySlotFile.load(tmp_path / "keyslots.json")
    assert loaded.slot_id_for("  jemima.puddleduck ") == slot_id
    assert json.loads(text)["format"] == 1
    if os.name == "posix":
        assert (tmp_path / "keyslots.json").stat().st_mode & 0o777 == 0o600


def test_failed_attempts_open_only_with_the_audit_key(tmp_path: Path) -> None:
    private, public = new_audit_keypair()
    other_private, _ = new_audit_keypair()
    slots = KeySlotFile.new(tmp_path / "keyslots.json", None, public)
    sealed = slots.seal_failure({"username": "someone", "at": "2026-11-22T10:00:00"})
    assert open_sealed_failure(private, sealed) == {"username": "someone", "at": "2026-11-22T10:00:00"}
    assert open_sealed_failure(other_private, sealed) is None
