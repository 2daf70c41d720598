"""The Admin page built for the signed-in manager (tests/ui/conftest.py makes work run at once)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.services.context import SignedIn
from app.ui.admin import AdminPage


@pytest.fixture
def page(qtbot: QtBot, manager: SignedIn) -> AdminPage:
    admin = AdminPage(manager)
    qtbot.addWidget(admin)
    admin.resize(1000, 700)
    admin.show()
    qtbot.waitExposed(admin)
    return admin
