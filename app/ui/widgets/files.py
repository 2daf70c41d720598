"""Saving what Confide makes (PDFs, copies of forms) to a file the person chooses.

The file is asked for on the GUI thread; making the document and writing it run as an
operation (app/ui/operations.py), behind a progress indicator when they take a moment.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.ui import operations
from app.ui.widgets.messages import tell

Contents = Callable[[], bytes] | bytes


def save_pdf(parent: QWidget, title: str, file_name: str, make_pdf: Contents,
             on_saved: Callable[[Path], None], on_error: operations.Failure | None = None,
             label: str = "Making the PDF…") -> None:
    """Ask where to save, then make the PDF and write it there only: Confide keeps no other copy.
    `on_saved(path)` follows; nothing happens if they cancel."""
    save_file(parent, title, file_name, make_pdf, on_saved, on_error, "PDF documents (*.pdf)", label)


def save_file(parent: QWidget, title: str, file_name: str, make: Contents,
              on_saved: Callable[[Path], None], on_error: operations.Failure | None = None,
              file_filter: str = "", label: str = "Saving the file…") -> None:
    """Ask where to save, then write an owner-only file there; the suffix of `file_name` is kept."""
    suffix = Path(file_name).suffix
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / file_name),
                                            file_filter or f"{suffix[1:].upper()} files (*{suffix})")
    if not chosen:
        return
    path = Path(chosen)
    if suffix and path.suffix.casefold() != suffix.casefold():
        path = path.with_suffix(suffix)

    def work() -> Path:
        write_private(path, make() if callable(make) else make)
        return path

    def failed(exc: BaseException) -> None:
        if isinstance(exc, OSError):
            tell(parent, "Confide", f"The file could not be saved there "
                 f"({exc.strerror or 'the folder refused it'}). Choose another folder, such as "
                 "Documents.", icon=QMessageBox.Icon.Warning)
        elif on_error is not None:
            on_error(exc)
        else:
            operations.default_failure(parent)(exc)

    operations.run(parent, label, work, on_saved, failed)


def write_private(path: Path, data: bytes) -> None:
    """Owner-only on creation: a recovery sheet opens the whole database to whoever reads it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
