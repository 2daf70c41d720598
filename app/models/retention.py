"""What is left of a case once it is destroyed: the destruction register, and the anonymous
statistics the usage reports go on counting (migration 0013)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
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


class CaseStatistic(Base):
    """A destroyed case as the reports count it: when it was opened, and nothing else.

    Calls of the family point here (call.case_statistic_id), so they still count as named and
    the family as new or returning; its status changes are in case_statistic_change.
    """

    __tablename__ = "case_statistic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class CaseStatisticChange(Base):
    """One change of a destroyed case's status, in the order it happened (ids ascend)."""

    __tablename__ = "case_statistic_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statistic_id: Mapped[int] = mapped_column(ForeignKey("case_statistic.id", ondelete="CASCADE"),
                                              index=True)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime)
