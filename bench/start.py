"""Bench rows for issue 2: app start to sign-in window, sign-in to main window.

Targets: start under 1.5 s; sign-in under 1 s including the key derivation (scrypt at OWASP
parameters). Baselines: an empty Qt window started the same way, and opening the same
database directly with its raw key. Measured on a new install with one manager account.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.rows import Bench, Row, median_of, timed_subprocess

ROOT = Path(__file__).resolve().parent.parent

EMPTY_WINDOW = """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.show(); app.processEvents()
"""

SIGN_IN_WINDOW = """
from pathlib import Path
import os
from app.ui.shell.application import build_start_window
from PySide6.QtWidgets import QApplication
app = QApplication([])
window = build_start_window(Path(os.environ["CONFIDE_DATA_DIR"]))
window.show(); app.processEvents()
"""


START_PAIRS = 9


def _compile_app() -> None:
    """Compile Confide's bytecode, as every installed copy has it (pip compiles on install, the
    bundle ships it, and a first start writes it). Qt, the baseline's side, is compiled already;
    without this, a machine that sets PYTHONDONTWRITEBYTECODE (as some sandboxes do) would
    measure Confide recompiling its own modules at every start."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "app")], check=True,
                   capture_output=True)


def bench_start(data_dir: Path) -> Row:
    env = {**os.environ, "CONFIDE_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    _compile_app()
    # Each start and its baseline run back to back, so a burst of load on this shared machine
    # falls on both rather than on one side of the ratio.
    figures: list[float] = []
    baselines: list[float] = []
    for _ in range(START_PAIRS):
        figures.append(timed_subprocess(SIGN_IN_WINDOW, env))
        baselines.append(timed_subprocess(EMPTY_WINDOW, env))
    return Row("start to sign-in window", statistics.median(figures), 1.5, "empty Qt window",
               statistics.median(baselines))


def bench_sign_in(data_dir: Path, password: str) -> Row:
    from PySide6.QtWidgets import QApplication

    from app.models.storage import Database
    from app.services.install import storage_access
    from app.services.install.vault import Vault
    from app.ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    vault = Vault(data_dir)

    def sign_in_to_window() -> float:
        started = time.perf_counter()
        ctx = vault.sign_in("bench.manager", password)
        window = MainWindow(vault, ctx)
        window.show()
        app.processEvents()
        elapsed = time.perf_counter() - started
        window.close()
        window.deleteLater()
        app.processEvents()
        ctx.close()
        return elapsed

    key_holder: dict[str, bytes] = {}
    ctx = vault.sign_in("bench.manager", password)
    key_holder["key"] = storage_access.database_of(ctx).data_key()
    ctx.close()

    def raw_open() -> float:
        started = time.perf_counter()
        database = Database(vault.database_path, key_holder["key"])
        with database.unit_of_work() as session:
            session.connection().exec_driver_sql("SELECT count(*) FROM staff").fetchone()
        database.close()
        return time.perf_counter() - started

    figure = median_of(sign_in_to_window)
    baseline = median_of(raw_open)
    return Row("sign-in to main window (scrypt N=2^17)", figure, 1.0, "raw-key open + query", baseline)


def rows(bench: Bench) -> list[Row]:
    bench.notes.append(f"start: a new install with one manager account, Confide's bytecode compiled, median "
                       f"of {START_PAIRS} starts, each beside its baseline; sign-in: median of 5 runs")
    return [bench_start(bench.install), bench_sign_in(bench.install, bench.password)]
