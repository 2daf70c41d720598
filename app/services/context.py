"""The signed-in context every public service takes as its first parameter, `ctx`.

It offers what a service needs and no more: who is acting (`actor`), where the data folder's
files are (`folder`), messages for the person signing in (`notices`), a writing unit of work
(`write()`, which holds the writer lock from its start) and a reading one (`read()`, a
snapshot that cannot write). The open database stays private: a service that held it could
bypass both units, and the few install tasks that do need the file itself (backup, restore,
self-test, key slots, the search-index rewrite) reach it through
`app.services.install.storage_access`, the one module that reads `_database`.

Only the vault builds a context, when someone signs in or uses the recovery key.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths

if TYPE_CHECKING:
    # Type names only: the sign-in window imports this module and should not pay for
    # SQLAlchemy or the storage module before anyone has signed in.
    from sqlalchemy.orm import Session

    from app.models.storage import Database
    from app.services.people import StaffMember


@dataclass(frozen=True)
class DataFolder:
    """The data folder and the files Confide keeps in it."""

    root: Path
    database: Path
    key_slots: Path
    backups: Path

    @classmethod
    def at(cls, root: Path) -> DataFolder:
        root = Path(root)
        return cls(root, root / paths.DATABASE_NAME, root / paths.KEY_SLOTS_NAME,
                   root / paths.BACKUPS_DIR_NAME)


class SignedIn:
    """One person signed in: the actor, the data folder, and units of work on its database."""

    def __init__(self, actor: StaffMember, folder: DataFolder, database: Database,
                 notices: Iterable[str] = ()) -> None:
        self.actor = actor
        self.folder = folder
        self.notices = list(notices)
        self._database = database

    def write(self) -> AbstractContextManager[Session]:
        """A writing unit of work: takes the writer lock at its start, commits on success and
        rolls back on any error. Any read whose answer decides a write belongs in one."""
        return self._database.unit_of_work()

    def read(self) -> AbstractContextManager[Session]:
        """A reading unit of work: one consistent snapshot, no lock, and any write fails."""
        return self._database.reading()

    @property
    def is_open(self) -> bool:
        """False once closed (signed out, locked, or a restore replaced the database)."""
        return self._database.is_open

    def close(self) -> None:
        self._database.close()
