"""`confide report`: a coordinator's scheduled export, signed in with a password from stdin or a file."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.services import audit
from app.services.calls.calls import CallDetails, log_anonymous_call
from app.services.install.vault import Vault
from app.services.people import Role
from app.services.staff import staff
from tests.test_cli import PASSWORD, run, set_up

COORDINATOR_PASSWORD = "coordinator's long passphrase"
SECRET = COORDINATOR_PASSWORD + "\n"


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
             time_machine) -> Path:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime(2026, 4, 20, 12, 0))
    folder = tmp_path / "data"
    set_up(monkeypatch, capsys, folder)
    ctx = Vault(folder).sign_in("hilda", PASSWORD)
    try:
        for role, name in ((Role.COORDINATOR, "colin"), (Role.ADVISER, "ada")):
            staff.add_staff(ctx, f"Test {role.label}", name, role, COORDINATOR_PASSWORD, COORDINATOR_PASSWORD)
        for day in range(1, 13):
            log_anonymous_call(ctx, CallDetails(at=datetime(2026, 3, day, 10), area_district="MK6"))
    finally:
        ctx.close()
    return folder


def test_coordinator_exports_pdf_and_csv(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                         data_dir: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "year.pdf"
    code, out, err = run(monkeypatch, capsys, data_dir, [
        "report", "--username", "colin", "--from", "2025-04", "--to", "2026-03", "--format", "pdf",
        "--out", str(pdf)], SECRET)
    assert code == 0, err
    assert "Financial year 2025–26" in out and str(pdf) in out
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Anonymous usage report" in text and "Hillside SEN Advice" in text

    password_file = tmp_path / "password.txt"
    password_file.write_text(COORDINATOR_PASSWORD + "\n", encoding="utf-8")
    sheet = tmp_path / "march.csv"
    code, _, err = run(monkeypatch, capsys, data_dir, [
        "report", "--username", "colin", "--password-file", str(password_file), "--from", "2026-03",
        "--to", "2026-03", "--format", "csv", "--out", str(sheet)])
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert ["Contacts per month", "March 2026", "10"] in rows

    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    try:
        events = audit.list_events(ctx, audit.AuditFilter(action="report exported"))
    finally:
        ctx.close()
    assert [(e.actor, json.loads(e.detail)["format"]) for e in reversed(events)] == [
        ("colin", "pdf"), ("colin", "csv")]


def test_refusals_are_plain(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                            data_dir: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "r.pdf"
    base = ["report", "--from", "2026-03", "--to", "2026-03", "--out", str(out_file)]
    code, _, err = run(monkeypatch, capsys, data_dir, [*base, "--username", "ada"], SECRET)
    assert code == 1 and "coordinators and managers" in err and not out_file.exists()
    code, _, err = run(monkeypatch, capsys, data_dir, [*base, "--username", "colin"], "wrong password\n")
    assert code == 2 and not out_file.exists()
    code, _, err = run(monkeypatch, capsys, data_dir, ["report", "--username", "colin", "--from", "March",
                                                       "--to", "2026-03", "--out", str(out_file)],
                       SECRET)
    assert code == 1 and "such as 2025-04" in err
    out_file.write_text("keep me", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, data_dir, [*base, "--username", "colin"], SECRET)
    assert code == 1 and "--replace" in err and out_file.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(monkeypatch, capsys, data_dir, [*base, "--username", "colin", "--replace"],
                       SECRET)
    assert code == 0, err
    assert out_file.read_bytes().startswith(b"%PDF")
