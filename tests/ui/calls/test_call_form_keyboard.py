"""The call form by keyboard alone: Tab follows the form, and Alt shortcuts do not collide."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from app.ui.calls.call_form import CallForm
from app.ui.shell.main_window import MainWindow
from tests.ui.calls.conftest import new_call_form

pytestmark = pytest.mark.gui


def tab_walk(qtbot, start: QWidget, steps: int) -> list[QWidget]:
    start.setFocus()
    seen: list[QWidget] = []
    for _ in range(steps):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def mnemonics(form: CallForm) -> Counter[str]:
    found: Counter[str] = Counter()
    for widget in [*form.findChildren(QAbstractButton), *form.findChildren(QLabel)]:
        match = re.search(r"&([^&])", widget.text())
        if match and widget.isVisibleTo(form):
            found[match.group(1).lower()] += 1
    return found


def test_tab_reaches_the_parents_name_before_save(qtbot, window: MainWindow) -> None:
    form = new_call_form(qtbot, window)
    form.named.setChecked(True)
    form.consent.explained.setChecked(True)
    form.consent.agreed.setChecked(True)
    form.consent.method.setCurrentIndex(1)
    parent = form.new_case_panel.parents[0]
    child = form.new_case_panel.children[0]

    after_summary = tab_walk(qtbot, form.fields.summary, 1)
    assert after_summary == [form.consent.explained]
    walk = tab_walk(qtbot, form.consent.method, 60)
    name = walk.index(parent.edits["full_name"])
    assert name < walk.index(parent.remove) < walk.index(child.name) < walk.index(form.save_button)
    assert walk.index(form.new_case_panel.add_child_button) < walk.index(form.referred)

    # A box added later still sits before Save, after the boxes already there.
    qtbot.mouseClick(form.new_case_panel.add_parent_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()  # a box added to a shown form appears on the next event pass
    second = form.new_case_panel.parents[1]
    walk = tab_walk(qtbot, parent.remove, 60)
    assert walk.index(second.edits["full_name"]) < walk.index(form.save_button)

    # Removing the first box renumbers the second, for screen readers as well as on screen.
    qtbot.mouseClick(parent.remove, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert second.title() == "Parent/carer 1"
    assert second.accessibleName() == "Parent/carer 1"
    assert second.remove.accessibleName() == "Remove Parent/carer 1"


def test_alt_s_saves_and_alt_n_switches_to_named(qtbot, window: MainWindow) -> None:
    form = new_call_form(qtbot, window)
    for named in (False, True):
        form.named.setChecked(named)
        counts = mnemonics(form)
        # One control per Alt letter: a shared letter only moves focus between its owners.
        assert [letter for letter, count in counts.items() if count > 1] == []
    form.named.setChecked(False)
    qtbot.keyClick(form.fields.duration, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert form.named.isChecked()
