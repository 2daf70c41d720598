"""`confide self-test --window`: the installed Qt draws real screens, or the check says what is missing."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon

from app import cli
from app.services.install.self_test import SelfTestFailed
from app.ui import theme
from app.ui.shell import window_check

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_draws_the_wizard_and_about_box(qapp) -> None:  # type: ignore[no-untyped-def]
    steps: list[str] = []
    window_check.run_window_check(steps.append)
    assert steps[0].startswith("Qt ") and "offscreen" in steps[0]
    assert steps[1:3] == ["icons drawn", "setup wizard drawn"]
    assert steps[3].startswith("About box drawn (Confide ")


def test_missing_icons_fail_with_the_reason(qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(theme, "icon", lambda name: QIcon())
    with pytest.raises(SelfTestFailed, match="confide icon could not be drawn"):
        window_check.run_window_check(lambda step: None)


def test_cli_self_test_with_window(qapp, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["self-test", "--window"]) == 0
    out = capsys.readouterr().out
    assert "  ok   setup wizard drawn" in out
    assert out.strip().endswith("self-test ok")
