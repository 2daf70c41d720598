"""Letters issued on a case, and the managers' own wording of the templates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Letter(Base):
    """One letter as sent, with its PDF kept inside the encrypted database (a trigger refuses UPDATE)."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    template_key: Mapped[str] = mapped_column(String(40))
    template_title: Mapped[str] = mapped_column(String(80))
    addressee_kind: Mapped[str] = mapped_column(String(16))  # parent or third party
    addressee: Mapped[str] = mapped_column(String(160))
    subject: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pages: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class LetterTemplate(Base):
    """A manager's wording for one template; without a row the wording in resources/ is used."""

    __tablename__ = "letter_template"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
