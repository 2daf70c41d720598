"""The one place that talks SQLCipher: opening with the key, PRAGMAs, units of work, export.

Everything SQLCipher-specific (PRAGMA key, cipher checks, sqlcipher_export) lives here so
the rest of the program only sees SQLAlchemy sessions and the typed errors below.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.problems import KnownProblem

# The driver's connection and error types, for the services that hold a raw connection (a
# backup being checked or restored): they name these rather than import the driver.
RawConnection = sqlcipher3.Connection
DriverError = sqlcipher3.Error

RAW_KEY_PATTERN = re.compile(r"^x'[0-9a-f]{64}'$")
PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"

# Applied to every connection straight after the key has been proven.
#
# cipher_memory_security stays at SQLCipher's default, OFF. It zeroes and locks in memory
# every one of SQLite's allocations, and measured on ten years of data it made each query three
# to eight times slower (a search's index lookup 3.8 ms against 0.7 ms). What is given up:
# SQLite's cache of decrypted pages is neither zeroed when freed nor kept out of swap, so
# whole pages (families not on screen among them) can reach swap in plain text; encrypted
# swap or full-disk encryption on the office computer covers that (README). SQLCipher still
# wipes its own key and page buffers, and every value read goes on into Python strings,
# objects and Qt widgets that no setting wipes or locks. Once ON it cannot be turned off for
# the rest of the process, so nothing here turns it on.
CONNECTION_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("journal_mode", "WAL"),
    ("synchronous", "FULL"),
    ("temp_store", "MEMORY"),
    ("secure_delete", "ON"),
    ("foreign_keys", "ON"),
    ("busy_timeout", "5000"),
)


class StorageError(KnownProblem):
    """A known problem with the database file that the user can act on."""

    user_message = "The database could not be used."


class WrongKey(StorageError):
    user_message = "The key does not open this database."


class DatabaseDamaged(StorageError):
    user_message = (
        "The database file is damaged and has not been opened. "
        "Restore it from your most recent backup (Admin → Backup and restore, "
        "or `confide restore FILE`)."
    )


class DatabaseMissing(StorageError):
    user_message = "There is no database in the data folder."


class DiskFull(StorageError):
    user_message = (
        "The computer's disk is full, so the change was not saved. "
        "Free some space and try again; nothing already saved has been lost."
    )


class DatabaseBusy(StorageError):
    user_message = (
        "Confide could not save because the database stayed busy with another change (another "
        "window, a backup or a command-line task). Nothing was lost: wait a moment and try again."
    )


# SQLite's primary result codes (the low byte of an extended code), as the driver reports
# them in `sqlite_errorcode`: deciding by code, not by the wording of a message, which
# changes between SQLite versions and translations.
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26

# The execution option that marks a reading unit's connection (see Database.reading).
_READING = "confide_reading"


def key_literal(key: bytes) -> str:
    """The raw-key literal for PRAGMA key, checked before it can reach SQL."""
    if len(key) != 32:
        raise ValueError("a data key is 32 bytes")
    literal = f"x'{key.hex()}'"
    if not RAW_KEY_PATTERN.match(literal):
        raise ValueError("malformed raw key literal")
    return literal


def _restrict_permissions(path: Path) -> None:
    if os.name != "posix":
        return
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            os.chmod(candidate, 0o600)


def _sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_disk_full(exc: BaseException) -> bool:
    return _sqlite_code(exc) == SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC


def known_problem(exc: BaseException) -> StorageError | None:
    """The typed storage error a driver error stands for, or None when it is a bug."""
    code = _sqlite_code(exc)
    if _is_disk_full(exc):
        return DiskFull(str(exc))
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusy(str(exc))
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseDamaged(str(exc))
    return None


def connect_raw(path: Path, key: bytes) -> sqlcipher3.Connection:
    """Open one SQLCipher connection and prove the key with a read before anything else.

    A wrong key fails on that first read, before any PRAGMA that could write, so the file
    on disk is left exactly as it was.
    """
    literal = key_literal(key)
    old_umask = os.umask(0o077)
    try:
        connection = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    finally:
        os.umask(old_umask)
    try:
        connection.execute(f'PRAGMA key = "{literal}"')
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        connection.close()
        # A wrong key reads as "not a database": SQLCipher cannot tell it from a foreign file.
        if _sqlite_code(exc) == SQLITE_NOTADB:
            raise WrongKey(str(exc)) from exc
        raise DatabaseDamaged(str(exc)) from exc
    for name, value in CONNECTION_PRAGMAS:
        connection.execute(f"PRAGMA {name} = {value}")
    return connection


def fold_log_into_file(path: Path, key: bytes) -> None:
    """Fold the write-ahead log into the file and stop using one, so the file alone is the
    whole database (a restored copy about to replace the live file)."""
    connection = connect_raw(path, key)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()


def integrity_problems(connection: sqlcipher3.Connection | sqlite3.Connection) -> list[str]:
    """Run SQLite's and SQLCipher's integrity checks; an empty list means the file is sound."""
    problems: list[str] = []
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        problems += [str(row[0]) for row in rows if row[0] != "ok"]
        problems += [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher3.DatabaseError as exc:
        problems.append(str(exc))
    return problems


@dataclass(frozen=True)
class StorageSettings:
    """The PRAGMA values read back from an open connection, for checks and tests."""

    journal_mode: str
    synchronous: int
    temp_store: int
    secure_delete: int
    cipher_memory_security: str


class Database:
    """An open encrypted database: an engine, a session factory and the key that opened it."""

    def __init__(self, path: Path, key: bytes, *, check_integrity: bool = True) -> None:
        self.path = Path(path)
        self._key = bytearray(key)
        if not self.path.exists():
            raise DatabaseMissing(str(self.path))
        first = connect_raw(self.path, bytes(self._key))
        try:
            if check_integrity:
                problems = integrity_problems(first)
                if problems:
                    raise DatabaseDamaged("; ".join(problems[:5]))
        except BaseException:
            first.close()
            raise
        first.close()
        self.engine: Engine = create_engine(
            "sqlite://",
            module=sqlcipher3,
            creator=self._new_connection,
            poolclass=QueuePool,
            pool_size=2,
            max_overflow=2,
        )
        event.listen(self.engine, "begin", self._begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        _restrict_permissions(self.path)

    @classmethod
    def create(cls, path: Path, key: bytes) -> Database:
        """Create a new, empty encrypted database; refuses to touch an existing file."""
        path = Path(path)
        if path.exists():
            raise FileExistsError(f"{path} already exists and will not be replaced")
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = connect_raw(path, key)
        connection.execute("CREATE TABLE IF NOT EXISTS confide_marker (id INTEGER PRIMARY KEY)")
        connection.close()
        return cls(path, key, check_integrity=False)

    def _new_connection(self) -> sqlcipher3.Connection:
        if not self._key:
            raise StorageError("the database is closed")
        return connect_raw(self.path, bytes(self._key))

    @staticmethod
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        # The driver runs in autocommit, so the transaction's kind is chosen here. A writing
        # unit takes the writer lock up front: its reads (the audit chain's end, the next
        # case number) then cannot be overtaken by another writer before its own write.
        if conn.get_execution_options().get(_READING):
            conn.exec_driver_sql("BEGIN DEFERRED")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    def data_key(self) -> bytes:
        """The raw data key, for sealing a new key slot while signed in."""
        if not self._key:
            raise StorageError("the database is closed")
        return bytes(self._key)

    @property
    def is_open(self) -> bool:
        return bool(self._key)

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """The writing unit: holds the writer lock from its start; committed on success, rolled
        back on any error. Every read-then-write (the audit chain's end, the next case number,
        topic positions, the last active manager, a draft's replacement) happens inside one.
        """
        session = self._sessions()
        try:
            yield session
            session.commit()
        except (OperationalError, DBAPIError) as exc:
            session.rollback()
            known = known_problem(exc.orig or exc)
            if known is not None:
                raise known from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        _restrict_permissions(self.path)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A reading unit: one consistent snapshot, no writer lock, and no writes.

        Readers never wait for a writer (WAL), and a write attempted here fails at once
        (query_only) instead of silently taking the lock a writing unit should have taken.
        """
        session = self._sessions()
        try:
            connection = session.connection(execution_options={_READING: True})
            connection.exec_driver_sql("PRAGMA query_only = ON")
            try:
                yield session
            finally:
                # Before close() hands the connection back to the pool (which rolls the read
                # back), where a writer may take it next. Not session.rollback(): that would
                # expire what was read, as commit does not in a writing unit.
                connection.exec_driver_sql("PRAGMA query_only = OFF")
        except (OperationalError, DBAPIError) as exc:
            known = known_problem(exc.orig or exc)
            if known is not None:
                raise known from exc
            raise
        finally:
            session.close()

    def raw_connection(self) -> sqlcipher3.Connection:
        """A fresh keyed connection outside the pool, for exports and checks."""
        return self._new_connection()

    def storage_settings(self) -> StorageSettings:
        connection = self._new_connection()
        try:
            return StorageSettings(
                journal_mode=connection.execute("PRAGMA journal_mode").fetchone()[0],
                synchronous=connection.execute("PRAGMA synchronous").fetchone()[0],
                temp_store=connection.execute("PRAGMA temp_store").fetchone()[0],
                secure_delete=connection.execute("PRAGMA secure_delete").fetchone()[0],
                cipher_memory_security=str(
                    connection.execute("PRAGMA cipher_memory_security").fetchone()[0]
                ),
            )
        finally:
            connection.close()

    def checkpoint(self) -> None:
        connection = self._new_connection()
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()

    def export_to(self, destination: Path, key_sql: str) -> None:
        """Write an encrypted copy of the whole database to `destination`.

        `key_sql` is the KEY clause value: a raw-key literal or a passphrase, already quoted.
        """
        connection = self._new_connection()
        try:
            export_connection(connection, destination, key_sql)
        finally:
            connection.close()

    def export_with_key(self, destination: Path, key: bytes) -> None:
        self.export_to(destination, f'"{key_literal(key)}"')

    def export_same_key(self, destination: Path) -> None:
        """An encrypted copy that opens with this database's own key."""
        self.export_with_key(destination, bytes(self._key))

    def close(self) -> None:
        """Close every connection and forget the key."""
        if hasattr(self, "engine"):
            self.engine.dispose()
        for index in range(len(self._key)):
            self._key[index] = 0
        self._key = bytearray()


def export_connection(connection: sqlcipher3.Connection, destination: Path, key_sql: str) -> None:
    """Copy everything `connection` can read into a new file encrypted under `key_sql`.

    Also used the other way round by restore: from a passphrase-keyed backup into a file
    keyed with the live data key.
    """
    destination = Path(destination)
    if destination.exists():
        raise FileExistsError(str(destination))
    old_umask = os.umask(0o077)
    try:
        connection.execute(f"ATTACH DATABASE ? AS export_target KEY {key_sql}", (str(destination),))
        connection.execute("SELECT sqlcipher_export('export_target')")
        connection.execute("DETACH DATABASE export_target")
    except sqlcipher3.OperationalError as exc:
        with contextlib.suppress(OSError):
            destination.unlink()
        if _is_disk_full(exc):
            raise DiskFull(str(exc)) from exc
        raise
    finally:
        os.umask(old_umask)
    _restrict_permissions(destination)


def quote_passphrase(passphrase: str) -> str:
    """A passphrase as an SQL string literal for ATTACH … KEY."""
    return "'" + passphrase.replace("'", "''") + "'"


def open_with_passphrase(path: Path, passphrase: str) -> sqlcipher3.Connection:
    """Open a passphrase-protected copy (a backup) and prove the passphrase by reading."""
    connection = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        connection.execute(f"PRAGMA key = {quote_passphrase(passphrase)}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        connection.close()
        raise WrongKey(str(exc)) from exc
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


def file_looks_plain(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == PLAIN_SQLITE_HEADER


def silence_cipher_log() -> None:
    """Stop SQLCipher writing its own diagnostics to stderr (a wrong key is reported by us).

    The log level is process-wide, so one connection is enough.
    """
    connection = sqlcipher3.connect(":memory:")
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
    finally:
        connection.close()


def sqlcipher_version() -> str:
    return library_versions()[0]


def library_versions() -> tuple[str, str]:
    """(SQLCipher, SQLite) as the loaded library reports them, from a throwaway in-memory database."""
    connection = sqlcipher3.connect(":memory:")
    try:
        cipher = connection.execute("PRAGMA cipher_version").fetchone()
        sqlite = connection.execute("SELECT sqlite_version()").fetchone()
        return (str(cipher[0]) if cipher else "unknown", str(sqlite[0]) if sqlite else "unknown")
    finally:
        connection.close()
