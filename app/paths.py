"""Where Confide keeps its data and finds its resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

DATA_DIR_ENV = "CONFIDE_DATA_DIR"
DATABASE_NAME = "confide.db"
KEY_SLOTS_NAME = "keyslots.json"
BACKUPS_DIR_NAME = "backups"


SOURCE_ROOT = Path(__file__).resolve().parent.parent


def bundle_root() -> Path | None:
    """The folder a PyInstaller bundle unpacked its files into, or None when running from source.

    installer/confide.spec lays that folder out like the source tree: `resources/` and
    `app/models/migrations/` sit at the same places under it.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_root:
        return Path(frozen_root)
    return None


def resources_dir() -> Path:
    """The `resources/` folder, whether running from source or from a frozen bundle."""
    return (bundle_root() or SOURCE_ROOT) / "resources"


def migrations_dir() -> Path:
    """The Alembic scripts, which Alembic reads as files (not imports), in source or bundle."""
    return (bundle_root() or SOURCE_ROOT) / "app" / "models" / "migrations"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: an explicit override, then the environment, then the user's data folder."""
    if override:
        return Path(override).expanduser().resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return Path(user_data_dir("Confide", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create the folder readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
