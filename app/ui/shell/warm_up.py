"""Loading what signing in needs on a background thread, while the person types their password.

The sign-in window imports only Qt, the key file and the vault's front door, so it shows
quickly; SQLAlchemy, the tables, Alembic and the services that run straight after sign-in
would otherwise load when the password is submitted, and lengthen the wait behind "Signing
in…". Services and models never import Qt (the layer rules), so loading them off the GUI
thread is safe; the main window's own Qt modules still load on the GUI thread, at sign-in.
"""

from __future__ import annotations

import importlib
import threading

# Services that the first steps, retention and the main window import once someone is in.
# Only an optimisation: a module left off loads where it is first needed, as it would anyway.
AFTER_SIGN_IN = (
    "app.services.retention.retention",
    "app.services.staff.agreement",
    "app.services.drafts",
    "app.services.install.session_events",
)

# Long enough for the first window to have painted: the warm-up must not delay it.
DELAY_MS = 300


def start() -> threading.Thread:
    """Start loading on a new thread (not a daemon: quitting waits for an import in progress
    rather than cut it off half-way). Returns the thread."""
    thread = threading.Thread(target=_load, name="confide-warm-up")
    thread.start()
    return thread


def _load() -> None:
    # A module that fails to load here fails again where it is needed, and is reported there.
    from app.services.install import signing_in

    # First, so SQLCipher is silenced well before any database opens: signing in spends
    # longer than this on deriving the password's key alone.
    signing_in.load_ahead()
    for name in AFTER_SIGN_IN:
        importlib.import_module(name)
