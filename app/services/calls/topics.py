"""The managed list of call topics. Everyone reads it; managers add, rename, reorder and retire.

Topics are retired rather than deleted, so old calls keep their statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.calls import Topic
from app.services import audit, changes
from app.services.access import require_manager
from app.services.cases.fields import text
from app.services.context import SignedIn
from app.services.people import InvalidInput


@dataclass(frozen=True)
class TopicView:
    id: int
    name: str
    active: bool
    position: int


def _view(row: Topic) -> TopicView:
    return TopicView(row.id, row.name, row.active, row.position)


def list_topics(ctx: SignedIn, include_retired: bool = False) -> list[TopicView]:
    query = select(Topic).order_by(Topic.position, Topic.name)
    if not include_retired:
        query = query.where(Topic.active.is_(True))
    with ctx.read() as session:
        return [_view(row) for row in session.scalars(query)]


def _clean_name(session: Session, name: str, except_id: int | None = None) -> str:
    cleaned = " ".join(text(name, "name", "Topic", 80, required=True).split())
    for row in session.scalars(select(Topic)):
        if row.id != except_id and row.name.casefold() == cleaned.casefold():
            raise InvalidInput("There is already a topic with that name.", "name")
    return cleaned


def add_topic(ctx: SignedIn, name: str) -> TopicView:
    require_manager(ctx.actor, "change the list of topics")
    with ctx.write() as session:
        cleaned = _clean_name(session, name)
        last = session.scalar(select(func.max(Topic.position))) or 0
        row = Topic(name=cleaned, active=True, position=last + 1)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "topic added", target=f"topic:{row.id}",
                     detail={"name": cleaned})
        view = _view(row)
    changes.publish(changes.TOPICS_CHANGED)
    return view


def _row(session: Session, topic_id: int) -> Topic:
    row = session.get(Topic, topic_id)
    if row is None:
        raise InvalidInput("That topic no longer exists.", "topic_id")
    return row


def rename_topic(ctx: SignedIn, topic_id: int, name: str) -> TopicView:
    require_manager(ctx.actor, "change the list of topics")
    with ctx.write() as session:
        row = _row(session, topic_id)
        cleaned = _clean_name(session, name, except_id=topic_id)
        before, row.name = row.name, cleaned
        audit.record(session, ctx.actor, "topic renamed", target=f"topic:{row.id}",
                     detail={"from": before, "to": cleaned})
        view = _view(row)
    changes.publish(changes.TOPICS_CHANGED)
    return view


def set_topic_active(ctx: SignedIn, topic_id: int, active: bool) -> TopicView:
    """Retire a topic (it disappears from the call form) or bring it back."""
    require_manager(ctx.actor, "change the list of topics")
    with ctx.write() as session:
        row = _row(session, topic_id)
        if row.active != active:
            row.active = active
            audit.record(session, ctx.actor, "topic retired" if not active else "topic restored",
                         target=f"topic:{row.id}")
        view = _view(row)
    changes.publish(changes.TOPICS_CHANGED)
    return view


def move_topic(ctx: SignedIn, topic_id: int, position: int) -> list[TopicView]:
    """Put a topic at `position` (0 = first) in the call form's list."""
    require_manager(ctx.actor, "change the list of topics")
    with ctx.write() as session:
        rows = list(session.scalars(select(Topic).order_by(Topic.position, Topic.name)))
        moving = _row(session, topic_id)
        rows.remove(moving)
        rows.insert(max(0, min(position, len(rows))), moving)
        for number, row in enumerate(rows):
            row.position = number
        audit.record(session, ctx.actor, "topic moved", target=f"topic:{topic_id}")
        views = [_view(row) for row in rows]
    changes.publish(changes.TOPICS_CHANGED)
    return views
