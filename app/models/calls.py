"""Calls and their topics: what the statistics in every report count.

A call's anonymous statistical fields live on the call row, and the call table has no
column that can hold a name, phone number or address: identity lives only in the case
tables (app/models/cases.py), so detaching a call from a case (or destroying the case)
leaves pure statistics.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Topic(Base):
    """The managed list of call topics; retired topics stay for old calls' statistics."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Call(Base):
    """One contact. No identity column here by design; see the module docstring."""

    __tablename__ = "call"
    # Migration 0014: the calls not on a case whose summary retention has still to clear.
    __table_args__ = (Index("ix_call_summary_kept", "case_id", "at",
                            sqlite_where=text("case_id IS NULL AND summary <> ''")),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=0)
    direction: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16))
    caller_type: Mapped[str] = mapped_column(String(16))
    child_phase: Mapped[str | None] = mapped_column(String(16), nullable=True)
    child_year_group: Mapped[str | None] = mapped_column(String(20), nullable=True)
    area_district: Mapped[str | None] = mapped_column(String(4), nullable=True)
    how_heard: Mapped[str | None] = mapped_column(String(40), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    follow_up_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    safeguarding_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    adviser_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True, index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="SET NULL"), nullable=True, index=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when the family's case is destroyed: the anonymous statistics of that case
    # (app.models.retention.CaseStatistic), so the call still counts as it did. No foreign key:
    # migration 0013 could not add one, and statistics are never deleted.
    case_statistic_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    logged_at: Mapped[datetime] = mapped_column(DateTime)
    linked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class CallTopic(Base):
    __tablename__ = "call_topic"

    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), primary_key=True, index=True)
