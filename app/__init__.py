"""Confide: offline, encrypted call logging and case records for SEN advice services."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path


def _version() -> str:
    """The version in pyproject.toml: from the installed package's metadata (the bundle carries
    a copy), else read from pyproject.toml itself in a source tree that was never installed."""
    try:
        return metadata.version("confide")
    except metadata.PackageNotFoundError:
        pass
    try:
        with open(Path(__file__).resolve().parent.parent / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


__version__ = _version()
