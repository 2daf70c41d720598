"""The destruction register: what is left of a case once retention or an erasure destroys it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class DestructionRecord(Base):
    """One destroyed case: reference, dates, rule and who ran it; nothing about the family."""

    __tablename__ = "destruction_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(16), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_activity_on: Mapped[date] = mapped_column(Date)
    destroyed_at: Mapped[datetime] = mapped_column(DateTime)
    rule: Mapped[str] = mapped_column(String(80))
    run_by: Mapped[str] = mapped_column(String(64))
    calls_kept: Mapped[int] = mapped_column(Integer)
