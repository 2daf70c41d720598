"""Sending a PDF to a printer through the operating system, leaving no copy behind.

The system's print queue needs a file, so the PDF is written owner-only into a `printing`
folder inside the data folder and removed as soon as the queue has taken it (`lp` copies it
into the spool before it returns). On Windows the file is handed to the PDF reader's print
command, which reads it a moment later, so it is removed when Confide next starts or exits;
`sweep` does that, and runs at every start to catch anything a crash left.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from app.problems import KnownProblem

log = logging.getLogger(__name__)

FOLDER = "printing"
SPOOL_TIMEOUT = 60

Spooler = Callable[[Sequence[str]], subprocess.CompletedProcess[str]]


NO_PRINTING = ("This computer has no printing set up for Confide. Save the letter as a PDF and "
               "print it from there, then delete the file.")


class PrintingUnavailable(KnownProblem):
    """No way to print here; the message says what to do instead."""


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=SPOOL_TIMEOUT, check=False)


_spooler: Spooler = _run


def use_spooler(spooler: Spooler | None) -> None:
    """Tests put a fake print queue here; None goes back to the real one."""
    global _spooler
    _spooler = spooler or _run


def folder(data_dir: Path) -> Path:
    path = data_dir / FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def sweep(data_dir: Path) -> int:
    """Remove every file a print left behind; returns how many there were."""
    path = data_dir / FOLDER
    if not path.is_dir():
        return 0
    removed = 0
    for leftover in path.iterdir():
        try:
            leftover.unlink()
            removed += 1
        except OSError:
            log.warning("a print file could not be removed yet")
    return removed


def _write(data_dir: Path, pdf: bytes) -> Path:
    path = folder(data_dir) / f"{uuid.uuid4().hex}.pdf"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pdf)
    return path


def command_for(path: Path, printer: str | None, copies: int) -> list[str] | None:
    lp = shutil.which("lp")
    if lp:
        command = [lp, "-s", "-n", str(copies)]
        if printer:
            command += ["-d", printer]
        return [*command, str(path)]
    lpr = shutil.which("lpr")
    if lpr:
        return [lpr, *(["-P", printer] if printer else []), "-#", str(copies), str(path)]
    return None


def print_pdf(data_dir: Path, pdf: bytes, printer: str | None = None, copies: int = 1) -> None:
    """Queue `pdf` on `printer` (None: the default printer); the file is gone when this returns."""
    copies = max(1, min(int(copies), 20))
    if sys.platform == "win32":
        _print_windows(data_dir, pdf, copies)
        return
    path = _write(data_dir, pdf)
    try:
        command = command_for(path, printer, copies)
        if command is None:
            raise PrintingUnavailable(NO_PRINTING)
        done = _spooler(command)
        if done.returncode != 0:
            # The queue's own words can name a printer, never a family: safe to log.
            log.warning("the print queue refused a job (exit %s)", done.returncode)
            raise PrintingUnavailable("The printer did not accept the letter. Check that it is switched "
                                      "on and chosen, then try again, or save the letter as a PDF.")
    finally:
        path.unlink(missing_ok=True)


def _print_windows(data_dir: Path, pdf: bytes, copies: int) -> None:  # pragma: no cover - Windows only
    path = _write(data_dir, pdf)
    try:
        for _ in range(copies):
            os.startfile(str(path), "print")  # type: ignore[attr-defined]
            time.sleep(1)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise PrintingUnavailable(NO_PRINTING) from exc
