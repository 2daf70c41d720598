"""The in-memory credential store the tests use in place of the OS keyring."""

from __future__ import annotations

from app.services.install.memory_keyring import MemoryKeyring

__all__ = ["MemoryKeyring", "OtherMemoryKeyring"]


class OtherMemoryKeyring(MemoryKeyring):
    """A different kind of store, to show a change of backend is noticed."""
