"""Walking away from the agreement or password step signs out, as the idle lock would."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from app.services.context import SignedIn
from app.ui.shell import first_steps


@pytest.mark.gui
def test_idle_on_the_agreement_signs_out(qtbot, manager: SignedIn, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(first_steps, "_idle_minutes", lambda ctx: 0.002)  # about 120 ms
    host = QWidget()
    qtbot.addWidget(host)
    steps = first_steps.FirstSteps(manager, host)
    ready: list[object] = []
    steps.ready.connect(ready.append)
    with qtbot.waitSignal(steps.cancelled, timeout=3000):
        steps.start()
        assert steps.dialog is not None and steps.dialog.isVisible()
    assert not ready
    assert not manager.is_open
    assert steps.dialog is None
