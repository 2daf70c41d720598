"""The one root of the problems a person can act on, below every layer so each can raise one.

A `KnownProblem` carries a plain message to show as it is (a full disk, a wrong password, a
refused action, a field typed wrongly). Any other exception is a bug: the front end logs it
without personal data and apologises. Storage, services and the UI all derive from this one
class, so telling the two apart is one `isinstance`, not a list kept in step by hand.
"""

from __future__ import annotations


class KnownProblem(Exception):
    """A problem the person can act on. `user_message` is what they are shown."""

    @property
    def user_message(self) -> str:
        return str(self)
