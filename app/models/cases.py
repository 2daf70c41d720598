"""Case records: the case file, its advisers, the people in it, how they may be contacted and
the notes written on it.

The `*_key` columns are lower-cased or digit-only copies kept for search as you type (the
index that serves it is in app/models/search.py). Every table here with a `case_id` goes with
its case (ON DELETE CASCADE), which is how destruction reaches it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Case(Base):
    __tablename__ = "case_file"
    __table_args__ = (UniqueConstraint("year", "sequence", name="uq_case_year_sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Who raised the current concern and when, for the banner; cleared with the flag.
    safeguarding_raised_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    safeguarding_raised_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a staff id
    legal_hold_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class CaseStatusChange(Base):
    """Every open, close, reopen and archive, so 'reopened' shows in the case's history."""

    __tablename__ = "case_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime)
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class CaseAssignment(Base):
    __tablename__ = "case_assignment"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True, index=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class ManagerAccess(Base):
    """A manager opening a case not assigned to them, with the reason they gave."""

    __tablename__ = "manager_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(300))


class Parent(Base):
    __tablename__ = "parent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(20), default="")
    full_name: Mapped[str] = mapped_column(String(120))
    relationship: Mapped[str] = mapped_column(String(40), default="")
    address_line1: Mapped[str] = mapped_column(String(120), default="")
    address_line2: Mapped[str] = mapped_column(String(120), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    phone_mobile: Mapped[str] = mapped_column(String(30), default="")
    phone_home: Mapped[str] = mapped_column(String(30), default="")
    phone_work: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    name_key: Mapped[str] = mapped_column(String(130), index=True)
    postcode_key: Mapped[str] = mapped_column(String(8), index=True, default="")
    phone_key: Mapped[str] = mapped_column(String(100), default="")


class Child(Base):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    gender: Mapped[str] = mapped_column(String(40), default="")
    school: Mapped[str] = mapped_column(String(120), default="")
    year_group: Mapped[str] = mapped_column(String(20), default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    name_key: Mapped[str] = mapped_column(String(130), index=True)


class ContactPreference(Base):
    """How a parent agreed to be contacted; no row means nothing beyond a direct call."""

    __tablename__ = "contact_preference"

    parent_id: Mapped[int] = mapped_column(
        ForeignKey("parent.id", ondelete="CASCADE"), primary_key=True
    )
    use_mobile: Mapped[bool] = mapped_column(Boolean, default=False)
    use_home: Mapped[bool] = mapped_column(Boolean, default=False)
    use_work: Mapped[bool] = mapped_column(Boolean, default=False)
    voicemail_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    message_with_colleague_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    email_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_method: Mapped[str] = mapped_column(String(16), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class Referral(Base):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    referred_by: Mapped[str] = mapped_column(String(120))
    parent_permission_confirmed: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class CaseNote(Base):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class NoteRevision(Base):
    """The text a note had before an edit, with who replaced it and when."""

    __tablename__ = "note_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("case_note.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(DateTime)
    replaced_at: Mapped[datetime] = mapped_column(DateTime)
    replaced_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)


class BreachDecision(Base):
    """The structured part of a note of kind breach_decision (Staffordshire 7)."""

    __tablename__ = "breach_decision"

    note_id: Mapped[int] = mapped_column(
        ForeignKey("case_note.id", ondelete="CASCADE"), primary_key=True
    )
    concern: Mapped[str] = mapped_column(Text)
    consulted: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(Text)
    # The agencies in words: as typed before migration 0012, since then written from the rows
    # of breach_decision_agency, which are what a contact is checked against.
    agencies_contacted: Mapped[str] = mapped_column(String(400), default="")
    parent_told: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_told_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # "shared" or "not shared": only a decision to share lets a contact through without consent.
    outcome: Mapped[str] = mapped_column(String(12), server_default="not shared")


class BreachDecisionAgency(Base):
    """An agency a decision to share names, as a contact names its third party (kind, name)."""

    __tablename__ = "breach_decision_agency"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("breach_decision.note_id", ondelete="CASCADE"), index=True
    )
    party_kind: Mapped[str] = mapped_column(String(24))
    party: Mapped[str] = mapped_column(String(80))
