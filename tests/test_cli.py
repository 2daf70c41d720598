"""The `confide` command: setup, backup, restore and audit verify, secrets only from stdin or files."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app import cli
from app.services import audit, settings
from app.services.context import SignedIn
from app.services.install import recovery_key, storage_access
from app.services.install.vault import Vault

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long manager passphrase"
PASSPHRASE = "off-site backup passphrase"
SETUP = ["setup", "--service-name", "Hillside SEN Advice", "--address", r"2 Low Road\nHillside",
         "--phone", "01234 555666", "--manager-name", "Hilda Head", "--username", "hilda"]


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path,
        args: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def set_up(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path) -> str:
    code, out, _ = run(monkeypatch, capsys, data_dir, SETUP, PASSWORD + "\n")
    assert code == 0
    match = re.search(r"^\s+([0-9A-Z]{5}(?:-[0-9A-Z]{1,5})+)$", out, re.MULTILINE)
    assert match, out
    return match.group(1)


@pytest.mark.slow
def test_self_test_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "CONFIDE_DATA_DIR": str(tmp_path / "never-used")}
    result = subprocess.run([sys.executable, "-m", "app", "self-test"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("self-test ok")
    assert "no plain SQLite header" in result.stdout
    assert not (tmp_path / "never-used").exists()


def test_setup_prints_a_recovery_key_that_opens_the_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    printed = set_up(monkeypatch, capsys, data_dir)
    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    try:
        assert recovery_key.decode(printed) == storage_access.database_of(ctx).data_key()
        stored = settings.load(ctx)
        assert stored.service_name == "Hillside SEN Advice"
        assert stored.service_address == "2 Low Road\nHillside"
    finally:
        ctx.close()
    code, _, err = run(monkeypatch, capsys, data_dir, SETUP, PASSWORD + "\n")
    assert code == 1 and "already set up" in err


def test_setup_without_a_credential_store_needs_the_flag(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    keyring.set_keyring(fail.Keyring())
    data_dir = tmp_path / "data"
    code, out, err = run(monkeypatch, capsys, data_dir, SETUP, PASSWORD + "\n")
    assert code == 1
    assert "no credential store" in err and "--allow-password-only" in err
    assert "RECOVERY KEY" not in out
    assert not Vault(data_dir).is_set_up()

    code, out, err = run(monkeypatch, capsys, data_dir, [*SETUP, "--allow-password-only"], PASSWORD + "\n")
    assert code == 0 and "RECOVERY KEY" in out
    assert "no credential store" in err
    assert Vault(data_dir).is_password_only()


def test_setup_refuses_a_short_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    code, _, err = run(monkeypatch, capsys, tmp_path / "data", SETUP, "short\n")
    assert code == 1 and "at least 12 characters" in err
    assert not Vault(tmp_path / "data").is_set_up()


def test_backup_restore_and_verify(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)
    sign_in = ["--username", "hilda"]
    out_file = tmp_path / "office.confide-backup"

    code, out, _ = run(monkeypatch, capsys, data_dir, ["backup", *sign_in, "--out", str(out_file)],
                       f"{PASSWORD}\n{PASSPHRASE}\n")
    assert code == 0 and str(out_file) in out and out_file.exists()

    # Same again: an existing file is never overwritten.
    before = out_file.read_bytes()
    code, _, err = run(monkeypatch, capsys, data_dir, ["backup", *sign_in, "--out", str(out_file)],
                       f"{PASSWORD}\n{PASSPHRASE}\n")
    assert code == 1 and "never overwrites" in err
    assert out_file.read_bytes() == before

    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    settings.update(ctx, {"service_name": "Changed Since"})
    ctx.close()

    code, _, err = run(monkeypatch, capsys, data_dir, ["restore", *sign_in, str(out_file)],
                       f"{PASSWORD}\nnot the passphrase\n")
    assert code == 1 and "Nothing has been changed" in err

    code, out, _ = run(monkeypatch, capsys, data_dir, ["restore", *sign_in, str(out_file)],
                       f"{PASSWORD}\n{PASSPHRASE}\n")
    assert code == 0 and "sign in again" in out

    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    try:
        assert settings.load(ctx).service_name == "Hillside SEN Advice"
        assert "backup restored" in audit.known_actions(ctx)
    finally:
        ctx.close()

    code, out, _ = run(monkeypatch, capsys, data_dir, ["audit", "verify", *sign_in], PASSWORD + "\n")
    assert code == 0 and "Audit trail intact" in out


def test_secrets_from_files(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    password_file = tmp_path / "password.txt"
    password_file.write_text(PASSWORD + "\n")
    passphrase_file = tmp_path / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\r\n")
    code, _, _ = run(monkeypatch, capsys, data_dir, [*SETUP, "--password-file", str(password_file)])
    assert code == 0
    out_file = tmp_path / "b.confide-backup"
    code, _, _ = run(monkeypatch, capsys, data_dir,
                     ["backup", "--username", "hilda", "--password-file", str(password_file),
                      "--passphrase-file", str(passphrase_file), "--out", str(out_file)])
    assert code == 0
    # Password from a file, passphrase from the first line of standard input.
    code, _, _ = run(monkeypatch, capsys, data_dir,
                     ["restore", "--username", "hilda", "--password-file", str(password_file),
                      str(out_file)], PASSPHRASE + "\n")
    assert code == 0


def test_wrong_password_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)
    code, out, err = run(monkeypatch, capsys, data_dir, ["audit", "verify", "--username", "hilda"],
                         "not the password at all\n")
    assert code == 2
    assert "username or password is not right" in err and out == ""


def test_missing_secret_and_missing_install_are_plain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    code, _, err = run(monkeypatch, capsys, tmp_path / "empty", ["audit", "verify", "--username", "x"])
    assert code == 1 and "not set up" in err
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)
    code, _, err = run(monkeypatch, capsys, data_dir, ["audit", "verify", "--username", "hilda"], "")
    assert code == 1 and "No password was given" in err
    code, _, err = run(monkeypatch, capsys, data_dir,
                       ["audit", "verify", "--username", "hilda", "--password-file",
                        str(tmp_path / "nope.txt")])
    assert code == 1 and "could not be read" in err


def test_a_bug_gets_an_apology_and_a_log_line_without_personal_data(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)

    def broken(_database: object) -> None:
        raise RuntimeError("Wilhelmina Markerby's details")

    monkeypatch.setattr(audit, "verify", broken)
    code, out, err = run(monkeypatch, capsys, data_dir, ["audit", "verify", "--username", "hilda"],
                         PASSWORD + "\n")
    assert code == 1 and "Sorry, something went wrong" in err
    assert "Wilhelmina" not in out + err
    for handler in list(cli.log.handlers):
        handler.flush()
    logged = (data_dir / "logs" / "confide.log").read_text()
    assert "RuntimeError" in logged and "Wilhelmina" not in logged


def test_no_command_starts_the_window(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    started: list[Path] = []
    fake = types.ModuleType("app.ui.shell.application")
    fake.run_gui = lambda data_dir: started.append(data_dir) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.ui.shell.application", fake)
    assert cli.main(["--data-dir", str(tmp_path / "here")]) == 0
    assert started == [(tmp_path / "here").resolve()]
    monkeypatch.setenv("CONFIDE_DATA_DIR", str(tmp_path / "from-env"))
    assert cli.main([]) == 0
    assert started[-1] == (tmp_path / "from-env").resolve()


def test_a_mistyped_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bakcup"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_self_test_failure_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    from app.services.install import self_test

    monkeypatch.setattr(self_test, "file_looks_plain", lambda _path: True)
    code, out, err = run(monkeypatch, capsys, tmp_path / "data", ["self-test"])
    assert code == 1
    assert "self-test ok" not in out
    assert "self-test FAILED" in err and "NOT encrypted" in err

    def broken(*_args: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr(self_test, "sqlcipher_version", broken)
    code, _, err = run(monkeypatch, capsys, tmp_path / "data", ["self-test"])
    assert code == 1 and "unexpected ZeroDivisionError" in err


def test_audit_verify_checks_before_it_records_its_sign_in(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)
    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    before = len(audit.list_events(ctx, audit.AuditFilter()))
    ctx.close()
    counted_while_checking: list[int] = []
    real_verify = audit.verify

    def counting_verify(found: SignedIn) -> audit.ChainCheck:
        counted_while_checking.append(len(audit.list_events(found, audit.AuditFilter())))
        return real_verify(found)

    monkeypatch.setattr(audit, "verify", counting_verify)
    code, out, _ = run(monkeypatch, capsys, data_dir, ["audit", "verify", "--username", "hilda"],
                       PASSWORD + "\n")
    assert code == 0 and "Audit trail intact" in out
    assert counted_while_checking == [before]
    monkeypatch.setattr(audit, "verify", real_verify)
    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    try:
        # The command's own sign-in is still audited, after the check.
        actions = [event.action for event in audit.list_events(ctx, audit.AuditFilter())]
        assert len(actions) == before + 2 and actions[:2] == ["signed in", "signed in"]
    finally:
        ctx.close()


def test_a_restore_moves_the_anchor_back_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)
    out_file = tmp_path / "office.confide-backup"
    code, _, _ = run(monkeypatch, capsys, data_dir, ["backup", "--username", "hilda", "--out",
                                                     str(out_file)], f"{PASSWORD}\n{PASSPHRASE}\n")
    assert code == 0
    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    for name in ("Changed Once", "Changed Twice"):
        settings.update(ctx, {"service_name": name})
    last_live = audit.list_events(ctx, audit.AuditFilter(limit=1))[0].id
    ctx.close()
    code, _, _ = run(monkeypatch, capsys, data_dir, ["restore", "--username", "hilda", str(out_file)],
                     f"{PASSWORD}\n{PASSPHRASE}\n")
    assert code == 0

    code, out, _ = run(monkeypatch, capsys, data_dir, ["audit", "verify", "--username", "hilda"],
                       PASSWORD + "\n")
    assert code == 0 and "Audit trail intact" in out
    ctx = Vault(data_dir).sign_in("hilda", PASSWORD)
    try:
        restored = audit.list_events(ctx, audit.AuditFilter(action="backup restored"))[0]
        # The restore's own sign-in (the command signs in first) was the live chain's last event.
        assert f'"audit_anchor_moved_back_from_event": {last_live + 1}' in restored.detail
    finally:
        ctx.close()
