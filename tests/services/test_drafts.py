"""Drafts kept at lock time come back only to the person who typed them."""

from __future__ import annotations

from app.services import drafts
from app.services.context import SignedIn


def test_draft_returns_to_its_owner_only(manager: SignedIn,
                                         adviser: SignedIn) -> None:
    drafts.save(adviser, "call", {"notes": "Half-typed note about a call", "minutes": 12})
    assert drafts.has_drafts(adviser)
    assert not drafts.has_drafts(manager)
    assert drafts.take(manager) == {}
    assert drafts.take(adviser) == {"call": {"notes": "Half-typed note about a call", "minutes": 12}}
    # Handed back once: a second unlock does not bring it back again.
    assert drafts.take(adviser) == {}
    assert not drafts.has_drafts(adviser)


def test_one_draft_per_form(manager: SignedIn) -> None:
    drafts.save(manager, "call", {"notes": "first"})
    drafts.save(manager, "call", {"notes": "second"})
    drafts.save(manager, "settings", {"service_phone": "0190"})
    assert drafts.take(manager) == {"call": {"notes": "second"}, "settings": {"service_phone": "0190"}}


def test_an_enormous_draft_is_dropped_not_stored(manager: SignedIn) -> None:
    drafts.save(manager, "call", {"notes": "x" * (drafts.MAX_DRAFT_CHARS + 1)})
    assert drafts.take(manager) == {"call": {}}
