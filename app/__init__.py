"""Confide: offline, encrypted call logging and case records for SEN advice services."""

from __future__ import annotations

from pathlib import Path


def _version() -> str:
    """The version in pyproject.toml: from the installed package's metadata (the bundle carries
    a copy), else read from pyproject.toml itself in a source tree that was never installed."""
    # Imported here: importlib.metadata and tomllib take ~40 ms to load, which every start
    # would pay before the sign-in window shows; only the About box asks for the version.
    import tomllib
    from importlib import metadata

    try:
        return metadata.version("confide")
    except metadata.PackageNotFoundError:
        pass
    try:
        with open(Path(__file__).resolve().parent.parent / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def __getattr__(name: str) -> str:
    # `app.__version__` (and `from app import __version__`) is worked out on first use.
    if name == "__version__":
        version = _version()
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
