"""Nothing written through Confide can be read in the files it leaves on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import drafts, settings
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import SignInRefused, Vault
from app.services.people import Role
from app.services.staff import staff
from tests.conftest import COLLEAGUE_PASSWORD, setup_details

MARKERS = {
    "service_name": "Zanzibar Marker Service",
    "service_address": "17 Quixotic Marker Lane",
    "service_email": "marker.mail@quixotic.example",
    "staff_name": "Xenophon Markerfield",
    "username": "xmarkerfield",
    "failed_username": "ymarkerguess",
    "draft": "Draft about Wilhelmina Markerby",
}


def leaked(data: bytes) -> list[str]:
    found = []
    for name, marker in MARKERS.items():
        for encoding in ("utf-8", "utf-16-le"):
            if marker.encode(encoding) in data or marker.lower().encode(encoding) in data:
                found.append(f"{name} ({encoding})")
    return found


def files_on_disk(vault: Vault) -> list[Path]:
    files = [path for path in vault.data_dir.rglob("*") if path.is_file()]
    assert vault.database_path in files and vault.key_slots_path in files
    return files


def test_no_marker_in_any_file(vault: Vault) -> None:
    vault.set_up(setup_details(service_name=MARKERS["service_name"],
                               service_address=MARKERS["service_address"]))
    ctx: SignedIn = vault.sign_in("margaret", "correct horse battery")
    try:
        settings.update(ctx, {"service_email": MARKERS["service_email"]})
        staff.add_staff(ctx, MARKERS["staff_name"], MARKERS["username"], Role.ADVISER,
                        COLLEAGUE_PASSWORD, COLLEAGUE_PASSWORD)
        drafts.save(ctx, "call", {"notes": MARKERS["draft"]})
        with pytest.raises(SignInRefused):
            vault.sign_in(MARKERS["failed_username"], "not anybody's password")
        # While open: the write-ahead log holds the newest pages, and must be encrypted too.
        wal = Path(f"{vault.database_path}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        for path in files_on_disk(vault):
            assert leaked(path.read_bytes()) == [], path.name
        storage_access.database_of(ctx).checkpoint()
    finally:
        ctx.close()
    for path in files_on_disk(vault):
        assert leaked(path.read_bytes()) == [], path.name
    header = vault.database_path.read_bytes()[:16]
    assert not header.startswith(b"SQLite format 3")
    # The markers really were stored: signing in again reads them back.
    again = vault.sign_in(MARKERS["username"], COLLEAGUE_PASSWORD)
    try:
        assert settings.load(again).service_name == MARKERS["service_name"]
    finally:
        again.close()
