"""`confide demo`: builds a fictional install whose printed passwords work, never over real data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.cli import main
from app.services.install.vault import Vault


def test_demo_prints_accounts_that_sign_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(folder), "--size", "small"]) == 0
    out = capsys.readouterr().out
    accounts = re.findall(r"^ {4}(\S+) +(.+?\d\d) +(manager|adviser|coordinator)$", out, re.MULTILINE)
    assert len(accounts) == 11
    assert {role for _, _, role in accounts} == {"manager", "adviser", "coordinator"}
    vault = Vault(folder)
    for username, password, role in accounts:
        ctx = vault.sign_in(username, password)
        assert ctx.actor.role.value == role
        assert not ctx.actor.must_change_password
        ctx.close()


def test_demo_refuses_an_existing_install(tmp_path: Path, manager: object,
                                          isolated_data_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = (isolated_data_dir / "confide.db").read_bytes()
    assert main(["demo", "--data-dir", str(isolated_data_dir)]) == 1
    assert "already set up" in capsys.readouterr().err
    assert (isolated_data_dir / "confide.db").read_bytes() == before
