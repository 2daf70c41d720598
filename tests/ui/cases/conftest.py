"""Fixtures for the Cases page tests: the shared adviser under an on-screen name, and a page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.services.context import SignedIn
from app.services.people import Role
from app.ui.cases import CasesPage


@pytest.fixture
def adviser(sign_in_as: Callable[..., SignedIn]) -> SignedIn:
    """tests/conftest.py's adviser, named as these tests read it on the case list and notes."""
    return sign_in_as(Role.ADVISER, "alex", "Alex Adviser")


@pytest.fixture
def make_page(qtbot) -> Callable[[SignedIn], CasesPage]:
    def make(ctx: SignedIn) -> CasesPage:
        page = CasesPage(ctx)
        qtbot.addWidget(page)
        page.resize(1000, 700)
        page.show()
        return page

    return make
