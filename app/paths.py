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


def resources_dir() -> Path:
    """The `resources/` folder, whether running from source or from a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


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
