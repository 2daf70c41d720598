"""Staff accounts, and each person's acceptance of the confidentiality agreement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Staff(Base):
    __tablename__ = "staff"
    # Usernames are also unique ignoring case (sign-in finds "Ann" for "ann"): an expression
    # index, uq_staff_username_folded, made by migration 0011 only, since SQLite's reflection
    # cannot compare one. Its lower() folds ASCII; the service's casefold check does the rest.

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The key slot that opens the database with this person's password; none when inactive.
    key_slot_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)


class AgreementAcceptance(Base):
    __tablename__ = "agreement_acceptance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    agreement_version: Mapped[str] = mapped_column(String(32))
    accepted_at: Mapped[datetime] = mapped_column(DateTime)
