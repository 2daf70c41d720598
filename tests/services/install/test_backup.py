"""Backups are encrypted, checked before restore, and a bad one never touches the live database."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3

from app.models.storage import file_looks_plain, quote_passphrase
from app.services import audit, settings
from app.services.context import SignedIn
from app.services.install import backup, storage_access
from app.services.install.backup import BackupUnusable
from app.services.install.vault import SignInRefused, Vault
from app.services.people import InvalidInput, PermissionRefused, Role
from app.services.staff import staff
from tests.conftest import COLLEAGUE_PASSWORD, MANAGER_PASSWORD, setup_details

PASSPHRASE = "blue kettle on the hill"


def fingerprint(vault: Vault, ctx: SignedIn) -> tuple[str, str]:
    storage_access.database_of(ctx).checkpoint()
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(f"{vault.database_path}{suffix}")
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest(), settings.load(ctx).service_name


def make_backup(ctx: SignedIn, folder: Path, name: str = "office.confide-backup") -> Path:
    return backup.create_backup(ctx, folder / name, PASSPHRASE, PASSPHRASE).path


def test_round_trip_brings_old_data_back(manager: SignedIn, vault: Vault, tmp_path: Path) -> None:
    staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
    info = backup.create_backup(manager, tmp_path / "office.confide-backup", PASSPHRASE, PASSPHRASE)
    assert info.path.exists() and info.size == info.path.stat().st_size > 0
    assert not file_looks_plain(info.path)

    settings.update(manager, {"service_name": "Renamed Service"})
    staff.add_staff(manager, "Late Starter", "late", Role.ADVISER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)

    safety_copy = backup.restore_backup(manager, info.path, PASSPHRASE)

    assert not manager.is_open, "the caller must sign in again"
    assert safety_copy in backup.list_automatic_copies(manager)
    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert settings.load(again).service_name == "Northfield SEN Advice"
        usernames = {member.username for member in staff.list_staff(again)}
        assert usernames == {"margaret", "ada"}
        actions = [e.action for e in audit.list_events(again, audit.AuditFilter())]
        assert "backup restored" in actions
        assert audit.verify(again).ok
        assert storage_access.database_of(again).storage_settings().journal_mode == "wal"
    finally:
        again.close()
    # Ada was in the backup and keeps her password; the account made after it is gone.
    vault.sign_in("ada", COLLEAGUE_PASSWORD).close()
    with pytest.raises(SignInRefused):
        vault.sign_in("late", COLLEAGUE_PASSWORD)


def test_backup_is_audited_without_the_path(manager: SignedIn, tmp_path: Path) -> None:
    secret_folder = tmp_path / "Jemima Puddleduck"
    secret_folder.mkdir()
    make_backup(manager, secret_folder)
    events = audit.list_events(manager, audit.AuditFilter(action="backup made"))
    assert len(events) == 1
    assert "Jemima" not in events[0].detail and "confide-backup" not in events[0].detail


def test_backup_contains_no_readable_text(manager: SignedIn, tmp_path: Path) -> None:
    settings.update(manager, {"service_address": "Marker Lane 42"})
    path = make_backup(manager, tmp_path)
    data = path.read_bytes()
    assert b"Marker Lane" not in data and "Marker Lane".encode("utf-16-le") not in data
    assert b"Northfield" not in data


def test_verify_accepts_a_good_backup(manager: SignedIn, tmp_path: Path) -> None:
    backup.verify_backup(make_backup(manager, tmp_path), PASSPHRASE)


def test_never_overwrites_a_file(manager: SignedIn, tmp_path: Path) -> None:
    existing = tmp_path / "precious.txt"
    existing.write_text("keep me")
    with pytest.raises(InvalidInput) as refused:
        backup.create_backup(manager, existing, PASSPHRASE, PASSPHRASE)
    assert refused.value.field == "destination"
    assert existing.read_text() == "keep me"


@pytest.mark.parametrize(
    ("passphrase", "confirm", "field"),
    [("too short", "too short", "passphrase"), (PASSPHRASE, PASSPHRASE + "x", "confirm")],
)
def test_passphrase_rules(manager: SignedIn, tmp_path: Path, passphrase: str, confirm: str,
                          field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        backup.create_backup(manager, tmp_path / "b.confide-backup", passphrase, confirm)
    assert refused.value.field == field
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_missing_folder_is_a_plain_refusal(manager: SignedIn, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="folder does not exist"):
        backup.create_backup(manager, tmp_path / "unplugged" / "b.confide-backup", PASSPHRASE, PASSPHRASE)


def test_interrupted_backup_leaves_nothing_that_looks_complete(
    manager: SignedIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_fsync_file", fail)
    with pytest.raises(backup.BackupFailed) as failed:
        make_backup(manager, folder)
    assert "could not be written" in failed.value.user_message
    assert list(folder.iterdir()) == []


def corrupt_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 512] = os.urandom(512)
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def plain_text(path: Path) -> None:
    path.write_text("Dear parent,\nthis is a letter, not a backup.\n")


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (None, "passphrase is not the one"),
        (corrupt_middle, "damaged"),
        (truncate, "damaged"),
        (random_bytes, "passphrase is not the one"),
        (plain_text, "passphrase is not the one"),
    ],
    ids=["wrong-passphrase", "corrupt", "truncated", "random-bytes", "text-file"],
)
def test_bad_backup_is_refused_and_live_database_untouched(
    manager: SignedIn, vault: Vault, tmp_path: Path,
    spoil: Callable[[Path], None] | None, expected: str,
) -> None:
    path = make_backup(manager, tmp_path)
    passphrase = PASSPHRASE
    if spoil is None:
        passphrase = "not the passphrase at all"
    else:
        spoil(path)
    settings.update(manager, {"service_name": "Changed After Backup"})
    before = fingerprint(vault, manager)

    with pytest.raises(BackupUnusable) as refused:
        backup.restore_backup(manager, path, passphrase)

    message = refused.value.user_message
    assert expected in message and "Nothing has been changed." in message
    assert "Traceback" not in message and "sqlcipher" not in message.lower()
    assert fingerprint(vault, manager) == before
    assert before[1] == "Changed After Backup"
    assert backup.list_automatic_copies(manager) == []
    assert sorted(p.name for p in vault.data_dir.iterdir() if p.name.startswith(".")) == []


def test_encrypted_file_that_is_not_confide(manager: SignedIn, vault: Vault, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    connection = sqlcipher3.connect(str(other))
    connection.execute(f"PRAGMA key = {quote_passphrase(PASSPHRASE)}")
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    before = fingerprint(vault, manager)
    with pytest.raises(BackupUnusable) as restoring:
        backup.restore_backup(manager, other, PASSPHRASE)
    with pytest.raises(BackupUnusable) as verifying:
        backup.verify_backup(other, PASSPHRASE)
    for refused in (restoring, verifying):
        assert refused.value.user_message == "This file is not a Confide backup. Nothing has been changed."
    assert fingerprint(vault, manager) == before


def test_missing_backup_file(manager: SignedIn, tmp_path: Path) -> None:
    with pytest.raises(BackupUnusable) as refused:
        backup.restore_backup(manager, tmp_path / "nowhere.confide-backup", PASSPHRASE)
    assert "There is no backup file" in refused.value.user_message
    assert not (tmp_path / "nowhere.confide-backup").exists()


def test_restorer_must_be_a_manager_in_the_backup(
    manager: SignedIn, vault: Vault, tmp_path: Path,
) -> None:
    path = make_backup(manager, tmp_path)
    staff.add_staff(manager, "New Manager", "nina", Role.MANAGER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
    nina = vault.sign_in("nina", COLLEAGUE_PASSWORD)
    try:
        before = fingerprint(vault, nina)
        with pytest.raises(InvalidInput, match="no active manager account called “nina”"):
            backup.restore_backup(nina, path, PASSPHRASE)
        assert fingerprint(vault, nina) == before
        assert backup.list_automatic_copies(nina) == []
        assert nina.is_open
    finally:
        nina.close()


def test_restoring_the_automatic_copy_undoes_a_restore(
    manager: SignedIn, vault: Vault, tmp_path: Path,
) -> None:
    path = make_backup(manager, tmp_path)
    settings.update(manager, {"service_name": "After The Backup"})
    safety_copy = backup.restore_backup(manager, path, PASSPHRASE)
    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    assert settings.load(again).service_name == "Northfield SEN Advice"
    backup.restore_automatic_copy(again, safety_copy)
    assert not again.is_open
    third = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert settings.load(third).service_name == "After The Backup"
        assert audit.verify(third).ok
    finally:
        third.close()


def test_advisers_and_coordinators_cannot_back_up_or_restore(
    manager: SignedIn, tmp_path: Path, adviser: SignedIn, coordinator: SignedIn,
) -> None:
    path = make_backup(manager, tmp_path)
    for role, colleague in ((Role.ADVISER, adviser), (Role.COORDINATOR, coordinator)):
        with pytest.raises(PermissionRefused):
            backup.create_backup(colleague, tmp_path / f"{role}.confide-backup", PASSPHRASE, PASSPHRASE)
        with pytest.raises(PermissionRefused):
            backup.restore_backup(colleague, path, PASSPHRASE)
        assert not (tmp_path / f"{role}.confide-backup").exists()


def test_default_name_sorts_by_date() -> None:
    name = backup.default_backup_name(datetime(2026, 3, 4, 9, 5))
    assert name == "confide-backup-2026-03-04-0905.confide-backup"


def test_backup_that_does_not_read_back_is_removed(
    manager: SignedIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "faulty-stick"
    folder.mkdir()
    real_export = storage_access.database_of(manager).export_to

    def export_to_a_faulty_drive(destination: Path, key_sql: str) -> None:
        real_export(destination, key_sql)
        corrupt_middle(destination)

    monkeypatch.setattr(storage_access.database_of(manager), "export_to", export_to_a_faulty_drive)
    with pytest.raises(backup.BackupFailed) as failed:
        make_backup(manager, folder)
    assert "could not be read back" in failed.value.user_message
    assert list(folder.iterdir()) == []


def test_live_file_in_use_leaves_it_as_it_was(
    manager: SignedIn, vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_backup(manager, tmp_path)
    settings.update(manager, {"service_name": "Still Here"})
    real_replace = os.replace

    def locked(source: object, destination: object) -> None:
        if Path(str(destination)) == vault.database_path:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(backup.RestoreNotFinished) as refused:
        backup.restore_backup(manager, path, PASSPHRASE)
    monkeypatch.undo()
    assert "has not been changed" in refused.value.user_message
    assert not manager.is_open
    assert [p.name for p in vault.data_dir.iterdir() if p.name.startswith(".")] == []
    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert settings.load(again).service_name == "Still Here"
    finally:
        again.close()


def test_restore_on_a_new_computer(manager: SignedIn, vault: Vault, tmp_path: Path) -> None:
    """A backup taken to a fresh install, set up with the same manager username."""
    staff.add_staff(manager, "Ada Adviser", "ada", Role.ADVISER, COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
    settings.update(manager, {"service_phone": "01908 765432"})
    path = make_backup(manager, tmp_path)

    new_install = Vault(tmp_path / "new-computer")
    new_install.set_up(setup_details(service_name="Placeholder", manager_password="new computer pass",
                                      manager_password_confirm="new computer pass"))
    ctx = new_install.sign_in("margaret", "new computer pass")
    backup.restore_backup(ctx, path, PASSPHRASE)

    with pytest.raises(SignInRefused):
        new_install.sign_in("margaret", "a wrong password")
    again = new_install.sign_in("margaret", "new computer pass")
    try:
        assert settings.load(again).service_phone == "01908 765432"
        failed = audit.list_events(again, audit.AuditFilter(action="sign-in failed"))
        assert [event.actor for event in failed] == ["margaret"], "failed sign-ins stay readable"
        ada = next(member for member in staff.list_staff(again) if member.username == "ada")
        assert ada.must_change_password
        with pytest.raises(SignInRefused):
            new_install.sign_in("ada", COLLEAGUE_PASSWORD)
    finally:
        again.close()
