"""`confide self-test`: prove on this computer that the database really is encrypted.

Everything happens in a throwaway folder with a throwaway credential store kept in memory,
so neither the office's data nor the computer's real credential store is touched.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring

from app.models.storage import file_looks_plain, sqlcipher_version
from app.services import audit, settings
from app.services.install import audit_anchor, storage_access
from app.services.install.memory_keyring import MemoryKeyring
from app.services.install.vault import SetupDetails, Vault
from app.services.people import Role
from app.services.staff import staff


class SelfTestFailed(Exception):
    """A check failed; the message says which, in words a support person can act on."""


@contextlib.contextmanager
def _throwaway_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def _contains_any(data: bytes, markers: list[str]) -> str | None:
    for marker in markers:
        for encoding in ("utf-8", "utf-16-le"):
            if marker.encode(encoding) in data:
                return marker
    return None


def _check(condition: bool, failure: str) -> None:
    if not condition:
        raise SelfTestFailed(failure)


def run_self_test(report: Callable[[str], None] | None = None) -> list[str]:
    """Run every step, passing each one to `report` as it passes; raise SelfTestFailed otherwise."""
    steps: list[str] = []

    def passed(step: str) -> None:
        steps.append(step)
        if report:
            report(step)

    # Random markers, so a match in the file cannot be a coincidence with real text.
    tag = secrets.token_hex(4)
    markers = {
        "service": f"Selftest Service {tag}",
        "address": f"{tag} Marker Road",
        "name": f"Selftest Person {tag}",
        "username": f"selftest{tag}",
    }
    password = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="confide-self-test-") as folder, _throwaway_keyring():
        passed(f"SQLCipher {sqlcipher_version()} loaded")
        vault = Vault(Path(folder) / "data")
        vault.set_up(
            SetupDetails(
                service_name=markers["service"],
                service_address=markers["address"],
                service_phone="01234 567890",
                manager_name=f"Selftest Manager {tag}",
                manager_username=f"manager{tag}",
                manager_password=password,
                manager_password_confirm=password,
            )
        )
        passed("throwaway encrypted database created")
        ctx = vault.sign_in(f"manager{tag}", password)
        try:
            passed("signed in with a password and a key slot")
            stored = storage_access.database_of(ctx).storage_settings()
            _check(stored.journal_mode == "wal" and stored.synchronous == 2
                   and stored.secure_delete == 1,
                   "The database safety settings (WAL, full sync, secure delete) are not in force.")
            passed("storage settings in force")
            staff.add_staff(ctx, markers["name"], markers["username"], Role.ADVISER, password, password)
            names = {member.full_name for member in staff.list_staff(ctx)}
            _check(markers["name"] in names, "A staff account written to the database did not read back.")
            _check(settings.load(ctx).service_address == markers["address"],
                   "A setting written to the database did not read back.")
            passed("records written and read back")
            chain = audit.verify(ctx)
            _check(chain.ok and chain.checked >= 3, chain.message)
            keeper = storage_access.audit_anchor_of(ctx)
            _check(keeper is not None and any(a.where == audit_anchor.KEY_FILE for a in keeper.anchors()),
                   "The audit trail's last event is not recorded in the key file.")
            passed(f"audit trail verified ({chain.checked} events; its end matches the record "
                   "kept in the key file and the append-only guards are in place)")
            storage_access.database_of(ctx).checkpoint()
        finally:
            ctx.close()
        _check(not file_looks_plain(vault.database_path),
               "The database file starts with the plain SQLite header: it is NOT encrypted.")
        passed("database file has no plain SQLite header")
        for path in (vault.database_path, Path(f"{vault.database_path}-wal"), vault.key_slots_path):
            if path.exists():
                found = _contains_any(path.read_bytes(), list(markers.values()))
                _check(found is None, f"{path.name} contains text that was written ({found!r}).")
        passed("no written text readable in the database or key files")
    _check(_report_checker_works(), "The check of overlapping reports (HiGHS, FLINT) did not run.")
    passed("overlapping-report check solved (HiGHS and FLINT loaded)")
    return steps


def _report_checker_works() -> bool:
    """Two hidden counts whose shown total of 5 says both are small: the solver must see it."""
    from app.services.reports.data import Combines
    from app.services.reports.linked_figures import Cell, Export, Role, exposed
    from app.services.reports.period import Month

    month = Month(2026, 4)
    figures = (Cell("channel", "channel:phone", Role.ROW, Combines.SUM, None),
               Cell("channel", "channel:email", Role.ROW, Combines.SUM, None),
               Cell("channel", "contacts", Role.TOTAL, Combines.SUM, 5))
    found = exposed([Export(month, month, month.plus(1).first_day(), True, 5, figures)])
    return {item.key for item in found if item.export == 0} == {"channel:phone", "channel:email"}
