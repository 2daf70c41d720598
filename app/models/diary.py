"""The staff diary: one row per appointment.

Everything a colleague may see (adviser, times, venue, room) sits beside what only the adviser,
the family's other advisers and managers may see (type, linked case, purpose); the services
decide which half leaves the database. Times are naive UTC like every other stored time.

An appointment on a case goes when the case does (ON DELETE CASCADE): destroying a family's
record must not leave their meetings behind.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.calls import Call

# The diary shows the follow-up dates of an adviser's own calls on their days: one index read
# instead of walking every call the adviser ever logged. Declared here, beside its only user.
Index("ix_call_adviser_follow_up", Call.adviser_id, Call.follow_up_date)


class Appointment(Base):
    __tablename__ = "appointment"
    __table_args__ = (
        # The diary reads one adviser's or everyone's appointments in a time window.
        Index("ix_appointment_adviser_starts", "adviser_id", "starts_at"),
        # Clash checks for an interview room look up the room in a window.
        Index("ix_appointment_room_starts", "room", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ck_appointment_ends_after_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    venue: Mapped[str] = mapped_column(String(16))
    # The school's or other place's own name; never an address (home visits have none).
    venue_name: Mapped[str] = mapped_column(String(80), default="")
    # An office interview room booked with it; None when no room is booked.
    room: Mapped[str | None] = mapped_column(String(40), nullable=True)
    kind: Mapped[str] = mapped_column(String(24))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), nullable=True, index=True
    )
    purpose: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
