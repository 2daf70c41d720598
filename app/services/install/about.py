"""What the About box shows: Confide's version and licence, and the libraries actually loaded.

The versions come from the running program (the package metadata, the SQLCipher library's
own `PRAGMA cipher_version`), so a support person reading them off a screen learns what is
installed on that computer, not what the source tree says. Qt's versions are added by the
window, since nothing in services imports Qt.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

from app import __version__
from app.models.storage import library_versions

LICENCE_ID = "GPL-3.0-or-later"
LICENCE_NAME = "GNU General Public License, version 3 or later"
LICENCE_NOTICE = (
    "Confide is free software: you can redistribute it and/or modify it under the terms of "
    "the GNU General Public License as published by the Free Software Foundation, either "
    "version 3 of the License, or (at your option) any later version. It is distributed in the "
    "hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty "
    "of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. The full text is in the LICENSE "
    "file installed with Confide."
)


@dataclass(frozen=True)
class AboutInfo:
    version: str
    licence_id: str
    licence_name: str
    licence_notice: str
    sqlcipher: str
    sqlite: str
    python: str


def _licence_id() -> str:
    try:
        return metadata.metadata("confide").get("License-Expression") or LICENCE_ID
    except metadata.PackageNotFoundError:
        return LICENCE_ID


def about_info() -> AboutInfo:
    sqlcipher, sqlite = library_versions()
    return AboutInfo(
        version=__version__,
        licence_id=_licence_id(),
        licence_name=LICENCE_NAME,
        licence_notice=LICENCE_NOTICE,
        sqlcipher=sqlcipher,
        sqlite=sqlite,
        python=f"{platform.python_version()} ({platform.python_implementation()})",
    )
