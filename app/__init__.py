"""Confide: offline, encrypted call logging and case records for SEN advice services."""

from importlib import metadata

try:
    __version__ = metadata.version("confide")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"
