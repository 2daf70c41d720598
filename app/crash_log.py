"""Logging unexpected errors without personal data: the error's type and where it happened only.

Exception messages can quote record text (a name in a failed INSERT, say), so they never
reach the log file.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType

log = logging.getLogger("confide")


def error_location(tb: TracebackType | None) -> str:
    """File, line and function of the innermost frames, with no values in them."""
    frames = traceback.extract_tb(tb)[-10:]
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


def log_unexpected(exc: BaseException, what: str = "unexpected error") -> None:
    log.error("%s %s at %s", what, type(exc).__name__, error_location(exc.__traceback__))
