"""Encrypted backups: made with a passphrase, checked before restore, restored without risk.

A backup is a full copy of the database encrypted under a passphrase the manager chooses
(not the data key), so it can be kept off site and opened on a new computer. Restoring
never touches the live database until the restored copy has been decrypted, re-keyed with
the live data key, integrity-checked and migrated; the live database is copied to the
backups folder first, then swapped for the restored copy in one rename.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import paths
from app.models import migrate
from app.models.staff import Staff
from app.models.storage import (
    Database,
    DriverError,
    RawConnection,
    StorageError,
    WrongKey,
    export_connection,
    fold_log_into_file,
    integrity_problems,
    key_literal,
    open_with_passphrase,
    quote_passphrase,
)
from app.services import audit, settings
from app.services.access import require_manager
from app.services.clock import now
from app.services.context import SignedIn
from app.services.install import audit_anchor, storage_access
from app.services.install.key_slots import KeySlotFile
from app.services.install.signing_in import staff_member as _staff_member
from app.services.install.vault import AUDIT_KEY_SETTING
from app.services.people import (
    MIN_PASSWORD_LENGTH,
    InvalidInput,
    Role,
    StaffMember,
    check_characters,
    is_text,
)

BACKUP_SUFFIX = ".confide-backup"
# Tables every Confide database has had since the first release.
REQUIRED_TABLES = frozenset({"alembic_version", "staff", "setting", "audit_event"})

UNCHANGED = "Nothing has been changed."
WRONG_PASSPHRASE = (
    "This backup could not be opened. Either the passphrase is not the one chosen when the "
    "backup was made (passphrases are case-sensitive), or the file is not a Confide backup. "
    + UNCHANGED
)
DAMAGED = (
    "This backup file is damaged and cannot be restored. Try an older backup. " + UNCHANGED
)
NOT_CONFIDE = "This file is not a Confide backup. " + UNCHANGED
NEWER_VERSION = (
    "This backup was made by a newer version of Confide. Update Confide on this computer, "
    "then restore the backup. " + UNCHANGED
)
NOT_SAME_KEY = (
    "This copy was not made from this database, so it cannot be restored here. " + UNCHANGED
)
WRITE_FAILED = (
    "The backup could not be written there. Check that the drive is plugged in and that you "
    "are allowed to save files in that folder, then try again."
)
READ_BACK_FAILED = (
    "The backup was written but could not be read back correctly, so it has been removed. "
    "The drive may be faulty: try again, or choose another drive."
)
SWAP_FAILED = (
    "The backup was checked but could not be put in place, because the database file could "
    "not be replaced (another Confide window may be using it). The data has not been changed. "
    "Close other Confide windows, sign in again and retry."
)


class BackupUnusable(StorageError):
    """A backup that cannot be restored; `user_message` says why in plain words."""

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(detail or user_message)
        self.user_message = user_message


class BackupFailed(StorageError):
    """The backup file could not be written (folder missing, read-only, unplugged drive)."""

    user_message = WRITE_FAILED

    def __init__(self, detail: str, user_message: str = WRITE_FAILED) -> None:
        super().__init__(detail)
        self.user_message = user_message


class RestoreNotFinished(StorageError):
    """The checked copy could not replace the live file; the live file is as it was."""

    user_message = SWAP_FAILED


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: datetime


def default_backup_name(when: datetime | None = None) -> str:
    """A file name that sorts by date, for the save dialog and the command line."""
    return f"confide-backup-{(when or now()).strftime('%Y-%m-%d-%H%M')}{BACKUP_SUFFIX}"


def check_passphrase(passphrase: str, confirm: str) -> None:
    check_characters(passphrase, "passphrase", "Backup passphrase")
    if len(passphrase) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The backup passphrase must be at least {MIN_PASSWORD_LENGTH} characters long.",
            "passphrase",
        )
    if passphrase != confirm:
        raise InvalidInput("The two passphrases are not the same.", "confirm")


# -- small file helpers ---------------------------------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def _remove_with_sidecars(path: Path) -> None:
    for candidate in [path, *_sidecars(path)]:
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    # Makes a rename durable on POSIX; Windows has no directory handles to sync.
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _temp_beside(target: Path, label: str) -> Path:
    """A fresh name in `target`'s folder; hidden, so a half-written file is not mistaken."""
    return target.parent / f".{target.name}.{label}-{secrets.token_hex(6)}"


def _move_without_overwrite(source: Path, destination: Path) -> None:
    """Rename, refusing to replace a file that appeared at `destination` meanwhile."""
    if os.name == "nt":
        os.rename(source, destination)  # refuses an existing destination on Windows
        return
    try:
        os.link(source, destination)  # fails if the destination exists, atomically
    except FileExistsError:
        raise
    except OSError:
        # Some USB sticks (FAT) have no hard links; check, then rename.
        if destination.exists():
            raise FileExistsError(str(destination)) from None
        os.replace(source, destination)
        return
    source.unlink()


# -- making a backup ------------------------------------------------------------------------


def create_backup(ctx: SignedIn, destination: Path, passphrase: str, confirm: str) -> BackupInfo:
    """Write an encrypted copy of the whole database to `destination`. Managers only.

    The copy is written under a hidden temporary name in the same folder, read back to prove
    the passphrase opens it, and only then given its real name, so a backup interrupted
    half-way never looks complete. An existing file is never overwritten.
    """
    require_manager(ctx.actor, "make backups")
    check_passphrase(passphrase, confirm)
    destination = Path(destination)
    if destination.exists():
        raise InvalidInput(
            f"There is already a file called “{destination.name}” there. Choose another name: "
            "Confide never overwrites a file.",
            "destination",
        )
    if not destination.parent.is_dir():
        raise InvalidInput(
            "That folder does not exist. Check that the drive is plugged in and choose the "
            "folder again.",
            "destination",
        )
    temp = _temp_beside(destination, "partial")
    try:
        storage_access.database_of(ctx).export_to(temp, quote_passphrase(passphrase))
        verify_backup(temp, passphrase)
        _fsync_file(temp)
        _move_without_overwrite(temp, destination)
        _fsync_dir(destination.parent)
    except FileExistsError:
        _remove_with_sidecars(temp)
        raise InvalidInput(
            f"A file called “{destination.name}” appeared there while the backup was being "
            "written. Choose another name.",
            "destination",
        ) from None
    except (OSError, DriverError) as exc:
        _remove_with_sidecars(temp)
        raise BackupFailed(str(exc)) from exc
    except BackupUnusable as exc:
        _remove_with_sidecars(temp)
        raise BackupFailed(str(exc), READ_BACK_FAILED) from exc
    except BaseException:
        _remove_with_sidecars(temp)
        raise
    size = destination.stat().st_size
    created = now().replace(microsecond=0)
    with ctx.write() as session:
        # No path: folder names can say more than they should (a person's name, a USB label).
        audit.record(session, ctx.actor, "backup made", detail={"bytes": size})
    return BackupInfo(destination, size, created)


# -- checking a backup ----------------------------------------------------------------------


def _open_backup(source: Path, passphrase: str) -> RawConnection:
    source = Path(source)
    if not source.is_file():
        raise BackupUnusable(f"There is no backup file at “{source}”. " + UNCHANGED)
    if not is_text(passphrase) or "\x00" in passphrase:
        # No backup was ever made with one of these (SQLCipher's key cannot hold them), so it
        # is the wrong passphrase; other characters the rule now refuses were once allowed.
        raise BackupUnusable(WRONG_PASSPHRASE, "passphrase not text")
    try:
        return open_with_passphrase(source, passphrase)
    except WrongKey as exc:
        if "malformed" in str(exc):
            raise BackupUnusable(DAMAGED, str(exc)) from exc
        raise BackupUnusable(WRONG_PASSPHRASE, str(exc)) from exc
    except DriverError as exc:
        raise BackupUnusable(DAMAGED, str(exc)) from exc


def _check_contents(connection: RawConnection) -> None:
    try:
        problems = integrity_problems(connection)
        if problems:
            raise BackupUnusable(DAMAGED, "; ".join(problems[:5]))
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except DriverError as exc:
        raise BackupUnusable(DAMAGED, str(exc)) from exc
    missing = REQUIRED_TABLES - tables
    if missing:
        raise BackupUnusable(NOT_CONFIDE, f"missing tables: {sorted(missing)}")


def verify_backup(source: Path, passphrase: str) -> None:
    """Raise BackupUnusable unless `source` opens with `passphrase` and is a sound Confide backup."""
    connection = _open_backup(source, passphrase)
    try:
        _check_contents(connection)
    finally:
        connection.close()


# -- restoring ------------------------------------------------------------------------------


def restore_backup(ctx: SignedIn, source: Path, passphrase: str) -> Path:
    """Replace the live database with the backup at `source`. Managers only.

    Returns the automatic copy of the live database taken just before it was replaced.
    The live database is not touched until the backup has been opened, re-keyed with this
    install's data key, checked and migrated; any failure before that leaves it exactly as
    it was, and open. Once this returns, or raises RestoreNotFinished, `ctx` is closed
    and the key forgotten: the caller (screen or command line) must ask the person
    to sign in again.
    """
    require_manager(ctx.actor, "restore a backup")
    connection = _open_backup(source, passphrase)
    try:
        _check_contents(connection)
        live_key_sql = f'"{key_literal(storage_access.database_of(ctx).data_key())}"'
        return _restore(ctx, lambda temp: export_connection(connection, temp, live_key_sql))
    finally:
        connection.close()


def restore_automatic_copy(ctx: SignedIn, source: Path) -> Path:
    """Put back one of the automatic copies from `list_automatic_copies`. Managers only.

    Those copies are encrypted with the data key itself, so no passphrase is needed. Same
    guarantees and same sign-in-again rule as `restore_backup`.
    """
    require_manager(ctx.actor, "restore a backup")
    source = Path(source)
    if not source.is_file():
        raise BackupUnusable(f"There is no copy at “{source}”. " + UNCHANGED)

    def copy_into(temp: Path) -> None:
        old_umask = os.umask(0o077)
        try:
            shutil.copyfile(source, temp)
        finally:
            os.umask(old_umask)

    return _restore(ctx, copy_into)


def list_automatic_copies(ctx: SignedIn) -> list[Path]:
    """The copies taken before upgrades and restores, newest first (also once `ctx` is closed)."""
    backups = ctx.folder.backups
    if not backups.is_dir():
        return []
    copies = [path for path in backups.glob("*.db") if path.is_file()]
    return sorted(copies, key=lambda path: path.stat().st_mtime, reverse=True)


def _restore(ctx: SignedIn, copy_into: Callable[[Path], None]) -> Path:
    folder = ctx.folder
    live = storage_access.database_of(ctx)
    key = live.data_key()
    with live.unit_of_work() as session:
        audit_key = settings.read_private(session, AUDIT_KEY_SETTING)
    temp = _temp_beside(folder.database, "restore")
    safety_copy: Path | None = None
    swapping = False
    try:
        copy_into(temp)
        restored = _open_restored(temp, key)
        try:
            with restored.unit_of_work() as session:
                member = _rebind_staff(session, folder.key_slots, ctx.actor)
                if audit_key:
                    # Failed sign-ins are sealed to this install's key; keep them readable.
                    settings.write(session, {AUDIT_KEY_SETTING: audit_key})
                safety_copy = _safety_copy(live, folder.backups)
                # The restored chain ends earlier than the live one: the anchor is moved back
                # to its end, and this event says from where.
                keeper = storage_access.audit_anchor_of(ctx)
                anchored = keeper.head[0] if keeper and keeper.head else None
                audit.record(session, member, "backup restored",
                             detail={"safety_copy": safety_copy.name,
                                     "audit_anchor_moved_back_from_event": anchored})
                head = audit.chain_head(session)
        finally:
            restored.close()
        _make_self_contained(temp, key)
        swapping = True
        _swap_in(live, temp, folder.database)
        if head is not None:
            audit_anchor.DeskAnchor(folder.key_slots, key).reset(head)
    except BaseException:
        _remove_with_sidecars(temp)
        if safety_copy is not None and not swapping:
            # The live database is untouched, so this copy of it is not needed.
            _remove_with_sidecars(safety_copy)
        raise
    assert safety_copy is not None
    return safety_copy


def _open_restored(temp: Path, key: bytes) -> Database:
    try:
        restored = Database(temp, key)
    except WrongKey as exc:
        raise BackupUnusable(NOT_SAME_KEY, str(exc)) from exc
    except StorageError as exc:
        raise BackupUnusable(DAMAGED, str(exc)) from exc
    try:
        migrate.upgrade(restored)
    except CommandError as exc:
        restored.close()
        raise BackupUnusable(NEWER_VERSION, str(exc)) from exc
    except BaseException:
        restored.close()
        raise
    return restored


def _safety_copy(live: Database, backups: Path) -> Path:
    paths.ensure_private_dir(backups)
    stamp = now().strftime("%Y%m%d-%H%M%S")
    target = backups / f"before-restore-{stamp}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = backups / f"before-restore-{stamp}-{counter}.db"
    live.export_same_key(target)
    return target


def _rebind_staff(session: Session, key_slots: Path, actor: StaffMember) -> StaffMember:
    """Point restored accounts at this install's key slots; return the restoring manager.

    A key slot is found by username, so active accounts keep working with their current
    passwords. Accounts with no slot here (deactivated since, or from another computer)
    cannot sign in until a manager resets their password.
    """
    slots = KeySlotFile.load(key_slots)
    restorer: Staff | None = None
    for row in session.scalars(select(Staff)):
        if not row.active:
            continue
        slot_id = slots.slot_id_for(row.username)
        if slot_id in slots.slots:
            row.key_slot_id = slot_id
        else:
            row.key_slot_id = None
            row.must_change_password = True
        if (row.username.casefold() == actor.username.casefold()
                and row.role == Role.MANAGER.value and row.key_slot_id):
            restorer = row
    if restorer is None:
        raise InvalidInput(
            f"This backup has no active manager account called “{actor.username}”, so you "
            "could not sign in after restoring it. Ask a manager whose account is in the "
            "backup to restore it. " + UNCHANGED
        )
    session.flush()
    return _staff_member(restorer)


def _make_self_contained(temp: Path, key: bytes) -> None:
    """Fold the write-ahead log into the file, so the single file is the whole database."""
    fold_log_into_file(temp, key)
    leftovers = [path for path in _sidecars(temp) if path.exists()]
    if leftovers:
        raise StorageError(f"restored copy still has {leftovers[0].name}")
    _fsync_file(temp)


def _swap_in(live: Database, temp: Path, live_path: Path) -> None:
    live.checkpoint()
    live.close()
    try:
        # A log left beside the new file would be replayed into it and corrupt it.
        for sidecar in _sidecars(live_path):
            with contextlib.suppress(FileNotFoundError):
                sidecar.unlink()
        os.replace(temp, live_path)
    except OSError as exc:
        # Windows refuses while any handle is open. The checkpoint folded the log into the
        # live file first, so it is complete as it stands.
        raise RestoreNotFinished(str(exc)) from exc
    _fsync_dir(live_path.parent)
