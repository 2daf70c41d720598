"""`make bench`: every measured figure in one table, each beside its target and a baseline
measured in the same run.

Each group of rows comes from its own module, named in SECTIONS below: a module in bench/
with `rows(bench: Bench) -> list[Row]` (see bench/rows.py). To add rows for a feature, write
such a module and add its name here; `python -m bench.run NAME…` runs only the sections named
(for example `python -m bench.run memory`).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Row and print_table lived here first; bench modules may still import them from bench.run.
from bench.rows import Bench, Row, print_table

__all__ = ["SECTIONS", "Bench", "Row", "main", "print_table"]

SECTIONS = [
    "bench.start",  # issue 2: start to sign-in window, sign-in to main window
    "bench.calls_cases",  # issue 3: search as you type, open a case, save a call (year10)
    "bench.diary",  # issue 5: the team week view for 10 advisers (year10)
    "bench.letters",  # issue 6: one letter and a batch of 100, issued on year10 cases
    "bench.retention",  # issue 8: the start-up retention pass, and destroying 1,000 cases (year10)
    "bench.reports",  # issue 7: the financial-year report as CSV and as PDF (year10)
    "bench.earlier_exports",  # issue 16: a suppressed report checked against 38 earlier exports
    "bench.memory",  # issue 9: peak memory of an adviser's session on year10
]

PASSWORD = "bench password for confide"


def make_install(data_dir: Path, password: str) -> None:
    """A new install with one manager who has accepted the agreement, as a returning user."""
    from app.services.install import credential_store
    from app.services.install.vault import SetupDetails, Vault
    from app.services.staff import agreement

    # Without a credential store the bench measures password-only slots (same scrypt cost).
    allow = not credential_store.is_available()
    vault = Vault(data_dir)
    vault.set_up(
        SetupDetails(
            service_name="Bench Advice Service",
            service_address="1 High Street\nMilton Keynes\nMK9 1AA",
            service_phone="01908 000000",
            manager_name="Bench Manager",
            manager_username="bench.manager",
            manager_password=password,
            manager_password_confirm=password,
            allow_password_only=allow,
        )
    )
    ctx = vault.sign_in("bench.manager", password)
    agreement.accept(ctx, agreement.load_agreement("").version)
    ctx.close()


def chosen_sections(names: list[str]) -> list[str]:
    if not names:
        return SECTIONS
    wanted = [name if name.startswith("bench.") else f"bench.{name}" for name in names]
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown bench section(s): {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    return [name for name in SECTIONS if name in wanted]


def main(argv: list[str] | None = None) -> int:
    sections = chosen_sections(sys.argv[1:] if argv is None else argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as temp:
        bench = Bench(work=Path(temp), install=Path(temp) / "data", password=PASSWORD)
        make_install(bench.install, bench.password)
        for name in sections:
            rows += importlib.import_module(name).rows(bench)
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for note in bench.notes:
        print(f"Data: {note}.")
    print()
    print_table(rows)
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
