"""Resources and Alembic migrations are found from source and from a frozen (PyInstaller) bundle."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from app import paths
from app.models import migrate
from app.models.storage import Database

SOURCE = Path(__file__).resolve().parent.parent


@pytest.fixture
def frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out as installer/confide.spec lays out the bundle, with Python pretending
    to run from it (PyInstaller's bootloader sets sys.frozen and sys._MEIPASS)."""
    bundle = tmp_path / "_internal"
    shutil.copytree(SOURCE / "app/models/migrations", bundle / "app/models/migrations",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SOURCE / "resources", bundle / "resources")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle


def test_from_source() -> None:
    assert paths.bundle_root() is None
    assert paths.migrations_dir() == SOURCE / "app/models/migrations"
    assert (paths.migrations_dir() / "env.py").is_file()
    assert (paths.resources_dir() / "confidentiality_agreement.txt").is_file()


def test_frozen_bundle_finds_its_own_copies(frozen_bundle: Path) -> None:
    assert paths.bundle_root() == frozen_bundle
    assert paths.resources_dir() == frozen_bundle / "resources"
    assert paths.migrations_dir() == frozen_bundle / "app/models/migrations"
    script = ScriptDirectory.from_config(migrate._config())
    assert Path(script.dir) == frozen_bundle / "app/models/migrations"
    assert migrate.head_revision() == script.get_current_head()


def test_frozen_bundle_migrates_a_new_database_from_its_copy(frozen_bundle: Path, tmp_path: Path) -> None:
    key = os.urandom(32)
    database = Database.create(tmp_path / "frozen.db", key)
    try:
        migrate.upgrade(database)
        assert migrate.current_revision(database) == migrate.head_revision()
    finally:
        database.close()
    # The bundle's copy really is the one read: without its newest script the head moves back.
    source_head = migrate.head_revision()
    sorted((frozen_bundle / "app/models/migrations/versions").glob("0*.py"))[-1].unlink()
    assert migrate.head_revision() != source_head


def test_sys_meipass_alone_is_not_a_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only PyInstaller's bootloader sets both; a stray attribute must not redirect the app."""
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert paths.bundle_root() is None
    assert paths.resources_dir() == SOURCE / "resources"
