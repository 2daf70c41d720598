"""The diary's service tests run at one fixed moment, in one office of four people."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import time_machine

from app.services.context import SignedIn
from tests.services.diary.helpers import NOW, Office, build_office


@pytest.fixture(autouse=True)
def fixed_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def office(manager: SignedIn, adviser: SignedIn, second_adviser: SignedIn, coordinator: SignedIn,
           sign_in_as: Callable[..., SignedIn]) -> Office:
    return build_office(manager, adviser, second_adviser, coordinator, sign_in_as)
