"""The foundation's tables: settings, the audit trail and drafts (app/services' settings, audit
and drafts modules).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Setting(Base):
    __tablename__ = "setting"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEvent(Base):
    """Append-only and hash-chained; triggers in the migration refuse UPDATE and DELETE."""

    __tablename__ = "audit_event"
    # No two events may follow the same one: the chain cannot fork (migration 0011).
    __table_args__ = (Index("uq_audit_event_prev_hash", "prev_hash", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Draft(Base):
    """A half-typed form saved at lock time; it only ever returns to its owner."""

    __tablename__ = "draft"
    __table_args__ = (Index("uq_draft_staff_form", "staff_id", "form", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime)
