"""The sign-in window starts on Qt, the key file and the vault's front door alone.

SQLAlchemy, Alembic, reportlab and the feature services load after sign-in or on first use
(the bench's "start to sign-in window" row depends on it). Each check runs in a new Python,
as the bench does, since this test process has long since imported everything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import app.services

pytestmark = pytest.mark.slow

# What bench/start.py runs for the sign-in window (the wizard on a new folder), then the
# names of every module loaded.
FIRST_WINDOW = """
import os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.ui.shell.application import build_start_window
app = QApplication([])
window = build_start_window(Path(os.environ["CONFIDE_DATA_DIR"]))
window.show(); app.processEvents()
print(type(window).__name__)
print(" ".join(sorted(sys.modules)))
"""

WARMED_UP = """
import sys
from app.ui.shell import warm_up
warm_up.start().join()
print(" ".join(sorted(sys.modules)))
"""

DATABASE_LAYER = ("sqlalchemy", "alembic", "sqlcipher3", "app.models")


def feature_packages() -> list[str]:
    """app.services' packages other than install (staff, cases, calls …), found on disk."""
    root = Path(app.services.__file__).parent
    return sorted(f"app.services.{folder.name}" for folder in root.iterdir()
                  if (folder / "__init__.py").is_file() and folder.name != "install")


def run_child(code: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def loaded(modules: list[str], packages: tuple[str, ...] | list[str]) -> list[str]:
    return sorted(name for name in modules
                  if any(name == package or name.startswith(package + ".") for package in packages))


def test_the_sign_in_window_loads_no_database_layer_pdf_or_feature(recovery: str) -> None:
    window, modules = run_child(FIRST_WINDOW)
    names = modules.split()
    assert window == "SignInWindow"
    assert len(feature_packages()) >= 8
    assert loaded(names, [*DATABASE_LAYER, "reportlab", *feature_packages()]) == []
    assert "app.services.install.vault" in names


def test_the_setup_wizard_loads_no_database_layer_or_pdf_either() -> None:
    window, modules = run_child(FIRST_WINDOW)  # the data folder is new: nothing set up
    assert window == "SetupWizard"
    assert loaded(modules.split(), [*DATABASE_LAYER, "reportlab", *feature_packages()]) == []


def test_the_warm_up_loads_the_database_layer_but_not_the_main_window() -> None:
    names = run_child(WARMED_UP)[0].split()
    assert {"sqlalchemy", "alembic", "app.services.install.signing_in"} <= set(names)
    assert loaded(names, ["PySide6", "app.ui.shell.main_window", "reportlab"]) == []
