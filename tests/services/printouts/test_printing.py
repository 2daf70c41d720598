"""Printing a PDF through the print queue without leaving a copy on disk."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.services.printouts import printing


class FakeQueue:
    def __init__(self, code: int = 0) -> None:
        self.code = code
        self.jobs: list[tuple[list[str], bytes, int]] = []

    def __call__(self, command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        path = Path(command[-1])
        self.jobs.append((list(command), path.read_bytes(), path.stat().st_mode & 0o777))
        return subprocess.CompletedProcess(list(command), self.code, "", "")


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> FakeQueue:
    fake = FakeQueue()
    monkeypatch.setattr(printing.shutil, "which", lambda name: f"/usr/bin/{name}" if name == "lp" else None)
    printing.use_spooler(fake)
    yield fake
    printing.use_spooler(None)


def test_printing_leaves_no_file(tmp_path: Path, queue: FakeQueue) -> None:
    printing.print_pdf(tmp_path, b"%PDF-1.4 letter", printer="Office", copies=2)
    command, sent, mode = queue.jobs[0]
    assert sent == b"%PDF-1.4 letter" and mode == 0o600
    assert command[:6] == ["/usr/bin/lp", "-s", "-n", "2", "-d", "Office"]
    assert list((tmp_path / printing.FOLDER).iterdir()) == []


def test_a_refused_print_still_leaves_no_file(tmp_path: Path, queue: FakeQueue) -> None:
    queue.code = 1
    with pytest.raises(printing.PrintingUnavailable, match="did not accept"):
        printing.print_pdf(tmp_path, b"%PDF-1.4 letter")
    assert list((tmp_path / printing.FOLDER).iterdir()) == []


def test_no_print_system_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    with pytest.raises(printing.PrintingUnavailable, match="Save the letter as a PDF"):
        printing.print_pdf(tmp_path, b"%PDF-1.4 letter")
    assert list((tmp_path / printing.FOLDER).iterdir()) == []


def test_leftovers_are_swept(tmp_path: Path) -> None:
    folder = printing.folder(tmp_path)
    (folder / "left-by-a-crash.pdf").write_bytes(b"%PDF")
    assert printing.sweep(tmp_path) == 1 and list(folder.iterdir()) == []
    assert printing.sweep(tmp_path / "nowhere") == 0
