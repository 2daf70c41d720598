"""One classification of the problems a person can act on, for every front end to share.

A known problem has a plain message to show as it is; anything else is a bug, which the
front end logs (without personal data) and apologises for.
"""

from __future__ import annotations

import sys

# Where each kind of known problem is defined, and how its message is read. A class is looked
# up only if its module is already loaded: an exception of that class cannot exist otherwise,
# and classifying a sign-in error then costs no import of SQLAlchemy or the printing module.
_KNOWN: tuple[tuple[str, str, bool], ...] = (
    # (module, class name, message is in `user_message` rather than str(exc))
    ("app.models.storage", "StorageError", True),
    ("app.services.people", "InvalidInput", False),
    ("app.services.people", "PermissionRefused", False),
    ("app.services.install.vault", "SignInRefused", False),
    ("app.services.install.vault", "CredentialStoreProblem", False),
    ("app.services.printouts.printing", "PrintingUnavailable", False),
)


def known_problem_message(exc: BaseException) -> str | None:
    """The message for a problem the user can act on, or None for a bug."""
    for module_name, class_name, own_message in _KNOWN:
        module = sys.modules.get(module_name)
        kind = getattr(module, class_name, None) if module is not None else None
        if isinstance(kind, type) and isinstance(exc, kind):
            return str(getattr(exc, "user_message", exc)) if own_message else str(exc)
    return None
