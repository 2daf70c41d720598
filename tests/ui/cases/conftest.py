"""Fixtures for the Cases page tests: an adviser beside the manager, and a page to drive."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.services.install.vault import SignedIn, Vault
from app.services.people import Role
from app.services.staff import staff
from app.ui.cases import CasesPage

ADVISER_PASSWORD = "an adviser's long passphrase"


@pytest.fixture
def adviser(manager: SignedIn, vault: Vault) -> Iterator[SignedIn]:
    staff.add_staff(manager, "Alex Adviser", "alex", Role.ADVISER, ADVISER_PASSWORD, ADVISER_PASSWORD)
    signed_in = vault.sign_in("alex", ADVISER_PASSWORD)
    yield signed_in
    signed_in.close()


@pytest.fixture
def make_page(qtbot) -> Callable[[SignedIn], CasesPage]:
    def make(ctx: SignedIn) -> CasesPage:
        page = CasesPage(ctx)
        qtbot.addWidget(page)
        page.resize(1000, 700)
        page.show()
        return page

    return make
