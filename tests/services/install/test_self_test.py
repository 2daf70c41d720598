"""The self-test proves encryption in a throwaway folder and leaves the credential store alone."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from app.services.install import self_test
from tests.memory_keyring import MemoryKeyring


def test_self_test_passes_and_touches_nothing(memory_keyring: MemoryKeyring,
                                              isolated_data_dir: Path) -> None:
    reported: list[str] = []
    steps = self_test.run_self_test(reported.append)
    assert steps == reported
    assert any("no plain SQLite header" in step for step in steps)
    assert any("audit trail verified" in step for step in steps)
    assert keyring.get_keyring() is memory_keyring
    assert memory_keyring.secrets == {}, "the real credential store must never be written"
    assert not isolated_data_dir.exists()


def test_self_test_fails_loudly_when_the_file_is_plain(monkeypatch: pytest.MonkeyPatch,
                                                       memory_keyring: MemoryKeyring) -> None:
    monkeypatch.setattr(self_test, "file_looks_plain", lambda _path: True)
    with pytest.raises(self_test.SelfTestFailed, match="NOT encrypted"):
        self_test.run_self_test()
    assert keyring.get_keyring() is memory_keyring
