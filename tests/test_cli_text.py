"""The command line keeps the one text rule: what is not text gets a plain message, never the apology.

On Linux a command-line argument or a terminal line that is not UTF-8 reaches Python as lone
surrogates ("\\udcff"); a file that is not UTF-8 fails to decode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import cli
from app.services.install.vault import Vault
from tests.test_cli import PASSWORD, SETUP, run, set_up

BROKEN = "Hillside \udcff Advice"


def test_setup_refuses_a_broken_service_name_in_plain_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    arguments = [BROKEN if value == "Hillside SEN Advice" else value for value in SETUP]
    code, _, err = run(monkeypatch, capsys, tmp_path / "data", arguments, PASSWORD + "\n")
    assert code == cli.EXIT_PROBLEM
    assert err.startswith("Service name: part of this is a broken character")
    assert cli.APOLOGY not in err
    assert not Vault(tmp_path / "data").is_set_up()


@pytest.mark.parametrize("typed", [f"a long {BROKEN}", "a long \x7f password"])
def test_setup_refuses_a_new_password_that_is_not_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, typed: str,
) -> None:
    code, _, err = run(monkeypatch, capsys, tmp_path / "data", SETUP, typed + "\n")
    assert code == cli.EXIT_PROBLEM and cli.APOLOGY not in err
    assert "broken character" in err or err.startswith("Password: remove the invisible control")
    assert not Vault(tmp_path / "data").is_set_up()


def test_a_password_file_that_is_not_utf8_is_a_plain_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)
    password_file = tmp_path / "password.txt"
    password_file.write_bytes(b"a long manager \xff passphrase\n")
    code, _, err = run(monkeypatch, capsys, data_dir, ["backup", "--username", "hilda", "--password-file",
                                                       str(password_file), "--out", str(tmp_path / "b")])
    assert code == cli.EXIT_PROBLEM
    assert "has a broken character in it" in err and "UTF-8" in err
    assert cli.APOLOGY not in err


def test_a_broken_username_is_refused_like_a_wrong_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    set_up(monkeypatch, capsys, data_dir)
    code, _, err = run(monkeypatch, capsys, data_dir, ["backup", "--username", "hil\udcffda",
                                                       "--out", str(tmp_path / "b")], PASSWORD + "\n")
    assert code == cli.EXIT_SIGN_IN
    assert "The username or password is not right" in err
