"""Fixtures for the Diary page tests: the small office of tests/services/diary/helpers.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import time_machine

from app.services.context import SignedIn
from app.ui.diary import DiaryPage
from tests.services.diary.helpers import NOW, Office, build_office


@pytest.fixture(autouse=True)
def fixed_today() -> Iterator[None]:
    # Ticking, so Qt's own timers and qtbot's waits still see time pass.
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def office(manager: SignedIn, adviser: SignedIn, second_adviser: SignedIn, coordinator: SignedIn,
           sign_in_as: Callable[..., SignedIn]) -> Office:
    return build_office(manager, adviser, second_adviser, coordinator, sign_in_as)


@pytest.fixture
def make_page(qtbot) -> Callable[[SignedIn], DiaryPage]:  # type: ignore[no-untyped-def]
    def make(ctx: SignedIn) -> DiaryPage:
        page = DiaryPage(ctx)
        qtbot.addWidget(page)
        page.resize(1300, 800)
        page.show()
        return page

    return make
