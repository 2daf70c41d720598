"""The register of reports exported with small counts hidden (migration 0015).

Each row is what one export showed: its period, the day it was made and every figure, shown
or hidden, by what it counts ("channel:phone"), never a true hidden count and nothing about
anyone. A new export is checked against all of them together
(app/services/reports/earlier_exports.py), so figures from overlapping reports cannot be
combined to work out a count one of them hid.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ExportedReport(Base):
    __tablename__ = "exported_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    made_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    made_on: Mapped[date] = mapped_column(Date)  # the office's calendar day
    first_month: Mapped[str] = mapped_column(String(7))
    last_month: Mapped[str] = mapped_column(String(7))
    complete: Mapped[bool] = mapped_column(Boolean)
    threshold: Mapped[int] = mapped_column(Integer)
    # JSON: [{"table", "key", "role", "combines", "value" (null where hidden)}, ...]
    figures: Mapped[str] = mapped_column(Text)
