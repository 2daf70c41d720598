"""One classification of the problems a person can act on, for every front end to share.

A known problem (`app.problems.KnownProblem`: storage, input, permission, sign-in, credential
store and printing problems all derive from it) has a plain message to show as it is; anything
else is a bug, which the front end logs (without personal data) and apologises for.
"""

from __future__ import annotations

from app.problems import KnownProblem


def known_problem_message(exc: BaseException) -> str | None:
    """The message for a problem the user can act on, or None for a bug."""
    return exc.user_message if isinstance(exc, KnownProblem) else None
