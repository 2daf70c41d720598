"""The storage module: settings after every open, key checks, wrong keys, damage, full disks."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import event

from app.models import migrate
from app.models.foundation import Setting
from app.models.storage import (
    RAW_KEY_PATTERN,
    Database,
    DatabaseDamaged,
    DatabaseMissing,
    DiskFull,
    WrongKey,
    connect_raw,
    file_looks_plain,
    key_literal,
)
from app.services import settings
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault
from tests.conftest import MANAGER_PASSWORD

# cipher_memory_security is left off on purpose (see CONNECTION_PRAGMAS): once any connection
# turns it on, every query in the process pays for it.
EXPECTED = {"journal_mode": "wal", "synchronous": 2, "temp_store": 2, "secure_delete": 1,
            "cipher_memory_security": "0"}


def assert_storage_settings(database: Database) -> None:
    stored = database.storage_settings()
    assert {name: getattr(stored, name) for name in EXPECTED} == EXPECTED
    # The pooled connections the services use, not only a fresh one.
    with database.unit_of_work() as session:
        connection = session.connection()
        for name, value in EXPECTED.items():
            assert str(connection.exec_driver_sql(f"PRAGMA {name}").scalar()) == str(value), name


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_settings_after_every_kind_of_open(tmp_path: Path, manager: SignedIn, vault: Vault) -> None:
    key = os.urandom(32)
    created = Database.create(tmp_path / "new.db", key)
    assert_storage_settings(created)
    migrate.upgrade(created)
    assert_storage_settings(created)
    created.close()
    reopened = Database(tmp_path / "new.db", key)
    assert_storage_settings(reopened)
    reopened.close()
    assert_storage_settings(storage_access.database_of(manager))
    second = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert_storage_settings(storage_access.database_of(second))
    finally:
        second.close()


@pytest.mark.parametrize(
    "literal",
    ["x'" + "A" * 64 + "'", "x'" + "0" * 63 + "'", "x'" + "0" * 64 + "'; DROP TABLE staff; --",
     "'" + "0" * 64 + "'", "x'" + "g" * 64 + "'", ""],
)
def test_key_pattern_refuses_anything_but_a_raw_key(literal: str) -> None:
    assert not RAW_KEY_PATTERN.match(literal)


def test_key_literal_checks_length() -> None:
    assert RAW_KEY_PATTERN.match(key_literal(os.urandom(32)))
    for bad in (b"", os.urandom(16), os.urandom(33)):
        with pytest.raises(ValueError):
            key_literal(bad)


def test_wrong_key_changes_no_byte(manager: SignedIn, vault: Vault) -> None:
    manager.close()
    path = vault.database_path
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert not wal.exists() and not shm.exists()
    before = sha256(path)
    with pytest.raises(WrongKey):
        Database(path, os.urandom(32))
    with pytest.raises(WrongKey):
        connect_raw(path, os.urandom(32))
    assert sha256(path) == before
    assert not wal.exists() and not shm.exists()


def test_missing_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing):
        Database(tmp_path / "absent.db", os.urandom(32))
    assert not (tmp_path / "absent.db").exists()


def test_create_refuses_an_existing_file(manager: SignedIn, vault: Vault) -> None:
    before = sha256(vault.database_path)
    with pytest.raises(FileExistsError):
        Database.create(vault.database_path, os.urandom(32))
    assert sha256(vault.database_path) == before


@pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX idea")
def test_files_are_readable_by_the_owner_only(manager: SignedIn, vault: Vault) -> None:
    settings.update(manager, {"service_phone": "01234 000111"})
    files = [Path(f"{vault.database_path}{suffix}") for suffix in ("", "-wal", "-shm")]
    files.append(vault.key_slots_path)
    for path in files:
        assert path.exists(), path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE(vault.data_dir.stat().st_mode) == 0o700


def damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle + 100 : middle + 300] = os.urandom(200)
    path.write_bytes(bytes(data))


def test_damaged_file_is_reported_and_never_replaced(manager: SignedIn, vault: Vault) -> None:
    key = storage_access.database_of(manager).data_key()
    manager.close()
    damage_middle(vault.database_path)
    damaged = sha256(vault.database_path)

    with pytest.raises(DatabaseDamaged) as refused:
        Database(vault.database_path, key)
    assert "Restore it from your most recent backup" in refused.value.user_message
    with pytest.raises(DatabaseDamaged):
        vault.sign_in("margaret", MANAGER_PASSWORD)

    assert vault.is_set_up()
    assert sha256(vault.database_path) == damaged
    assert not Path(f"{vault.database_path}-wal").exists()


def test_full_disk_is_a_plain_error_and_keeps_what_was_saved(tmp_path: Path) -> None:
    key = os.urandom(32)
    Database.create(tmp_path / "small.db", key).close()
    database = Database(tmp_path / "small.db", key)
    migrate.upgrade(database)
    database.engine.dispose()

    @event.listens_for(database.engine, "connect")
    def cap_size(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA max_page_count = 40")

    saved = 0
    with pytest.raises(DiskFull) as full:
        for number in range(200):
            with database.unit_of_work() as session:
                session.add(Setting(name=f"filler{number}", value="x" * 3000))
            saved += 1
    assert "disk is full" in full.value.user_message
    assert saved > 0
    with database.unit_of_work() as session:
        assert session.query(Setting).filter(Setting.name.like("filler%")).count() == saved
    database.close()


def test_plain_header_check(tmp_path: Path, manager: SignedIn, vault: Vault) -> None:
    import sqlite3

    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    assert file_looks_plain(plain)
    assert not file_looks_plain(vault.database_path)
