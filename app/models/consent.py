"""Consent: the append-only history of what a family agreed to, the scanned signed forms, and
the contacts with third parties that need that consent.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Consent(Base):
    """Append-only consent history (a trigger refuses UPDATE). kind="keep_details" is intake."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    # For kind="third_party": what sort of party (school, SEN team, …) and its own name.
    party_kind: Mapped[str | None] = mapped_column(String(24), nullable=True)
    party: Mapped[str | None] = mapped_column(String(80), nullable=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    policy_explained: Mapped[bool] = mapped_column(Boolean, default=False)
    method: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The day the family gave or withdrew it (may be before it was typed in); None before 0006.
    given_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class ConsentForm(Base):
    """A scanned signed form for one consent record, kept inside the encrypted database."""

    __tablename__ = "consent_form"

    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    byte_size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)


class ThirdPartyContact(Base):
    """A contact, referral or letter addressed to a third party; needs the family's consent."""

    __tablename__ = "third_party_contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    party_kind: Mapped[str] = mapped_column(String(24))
    party: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    # The safeguarding breach decision that allowed it without consent, if any.
    breach_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_note.id", ondelete="SET NULL"), nullable=True, index=True
    )
