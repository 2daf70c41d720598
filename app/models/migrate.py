"""Schema migrations: run at start, after an automatic encrypted copy of the database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.models.storage import Database
from app.paths import migrations_dir


def _config() -> Config:
    config = Config()
    # Looked up on each use, so a frozen bundle (and a test pretending to be one) finds its copy.
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, backups_dir: Path | None = None) -> Path | None:
    """Bring the schema to the newest revision; returns the pre-migration copy, if one was taken.

    A database with data in it is copied first (same key, in `backups_dir`), so a migration
    that goes wrong can be undone by restoring that copy.
    """
    current = current_revision(database)
    if current == head_revision():
        return None
    safety_copy: Path | None = None
    if current is not None and backups_dir is not None:
        backups_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        safety_copy = backups_dir / f"before-upgrade-from-{current}-{stamp}.db"
        database.export_same_key(safety_copy)
    config = _config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return safety_copy

