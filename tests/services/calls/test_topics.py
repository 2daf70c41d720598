"""Call topics: seeded, then added and put in order by managers only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.calls import CallTopic
from app.services.calls import topics
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused


def test_topics_managed_by_managers(manager: SignedIn, adviser: SignedIn) -> None:
    seeded = [t.name for t in topics.list_topics(manager)]
    assert "EHC needs assessment" in seeded and "Transport" in seeded
    added = topics.add_topic(manager, "Elective home education")
    with pytest.raises(InvalidInput):
        topics.add_topic(manager, "elective HOME education")
    with pytest.raises(PermissionRefused):
        topics.add_topic(adviser, "Something")
    topics.move_topic(manager, added.id, 0)
    assert topics.list_topics(adviser)[0].name == "Elective home education"
    with manager.write() as session:
        assert session.scalars(select(CallTopic)).first() is None
