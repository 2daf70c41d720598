"""Admin → Retention: presets in plain words, numbers of one's own, the preview and the last run."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.context import SignedIn
from app.services.retention import retention
from app.services.retention.rules import CUSTOM, PRESET_BY_KEY
from app.ui.admin import AdminPage
from tests.services.retention.test_retention import family_case

pytestmark = pytest.mark.gui


def shown(page: AdminPage) -> None:
    assert page.tabs is not None
    page.tabs.setCurrentWidget(page.retention_tab)


def test_choosing_a_preset_fills_its_numbers_and_ctrl_s_saves(qtbot: QtBot, page: AdminPage,
                                                             manager: SignedIn) -> None:
    shown(page)
    tab = page.retention_tab
    assert tab.preset.currentData() == "default" and not tab.save_button.isEnabled()
    tab.preset.setCurrentIndex(tab.preset.findData("surrey"))
    assert tab.spins["destroy_inactive_years"].value() == 7
    assert tab.spins["destroy_child_age"].value() == 25
    assert "youngest child reaches 25" in tab.words.text()
    assert "Surrey" in tab.source.text()
    tab.spins["destroy_child_age"].setFocus()
    qtbot.keyClick(tab.spins["destroy_child_age"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert retention.load_rules(manager) == PRESET_BY_KEY["surrey"].rules
    assert "saved" in tab.notice.text()


def test_changing_a_number_makes_the_rules_your_own(page: AdminPage, manager: SignedIn) -> None:
    shown(page)
    tab = page.retention_tab
    tab.spins["archive_inactive_months"].setValue(9)
    assert tab.preset.currentData() == CUSTOM
    assert "9 months without activity" in tab.words.text()
    tab.save()
    assert retention.load_rules(manager).archive_inactive_months == 9
    tab.spins["archive_inactive_months"].setValue(6)
    assert tab.preset.currentData() == "default"  # the numbers match the preset again
    tab.revert()
    assert tab.spins["archive_inactive_months"].value() == 9
    assert tab.spins["destroy_child_age"].specialValueText() == "never"


def test_preview_lists_cases_due_and_the_last_run(page: AdminPage, manager: SignedIn) -> None:
    start = datetime(2026, 1, 10, 9, 30)
    with time_machine.travel(start, tick=False):
        family_case(manager, "Previewby")
    with time_machine.travel(start + timedelta(days=170), tick=False):
        shown(page)
        page.retention_tab.refresh()
        tab = page.retention_tab
        assert tab.model.rowCount() == 1
        assert tab.model.text(tab.model.rows[0], 1) == "Archive"
        assert "At the next start: 0 cases archived" in tab.preview_count.text()
        assert "not run yet" in tab.last_run.text()
    with time_machine.travel(start + timedelta(days=200), tick=False):
        retention.run(manager)
        tab.refresh()
        assert "1 case archived" in tab.last_run.text()
