"""Fixtures for GUI tests: slow work runs at once, and helpers to open the main window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.ui import operations


@pytest.fixture(autouse=True)
def immediate_operations() -> Iterator[None]:
    operations.run_immediately(True)
    yield
    operations.run_immediately(False)
