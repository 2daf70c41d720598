"""The Calls page: logging calls (anonymous first, named with consent) and the recent-calls list."""

from app.ui.calls.page import CallsPage

__all__ = ["CallsPage"]
