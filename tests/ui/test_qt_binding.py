"""The Qt binding must not eat references to None (PySide6 6.12.0 did, and Python 3.11 aborted)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QComboBox, QListWidgetItem


@pytest.mark.gui
def test_empty_values_keep_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    combo = QComboBox()
    qtbot.addWidget(combo)
    item = QListWidgetItem("x")
    before = sys.getrefcount(None)
    for _ in range(2000):
        combo.currentData()
        item.data(1000)
    # Other code may hold or release a few references meanwhile; a leak would be ~-4000.
    assert sys.getrefcount(None) - before > -100
