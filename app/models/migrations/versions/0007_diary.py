"""The staff diary: appointments, with an optional case and an optional interview room.

Also an index on call (adviser_id, follow_up_date) for the follow-ups in an adviser's diary.

Colleagues see an appointment's adviser, times and venue; the type, case and purpose are for
the adviser, the family's advisers and managers only (app/services/diary.py). An appointment
on a case is deleted with the case, so destroying a family's record leaves none behind.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _staff(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("staff.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer, primary_key=True),
        _staff("adviser_id", nullable=False),
        sa.Column("starts_at", sa.DateTime, nullable=False),
        sa.Column("ends_at", sa.DateTime, nullable=False),
        sa.Column("venue", sa.String(16), nullable=False),
        sa.Column("venue_name", sa.String(80), nullable=False),
        sa.Column("room", sa.String(40), nullable=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("cancelled_at", sa.DateTime, nullable=True),
        _staff("cancelled_by"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        _staff("created_by"),
        sa.Column("changed_at", sa.DateTime, nullable=True),
        _staff("changed_by"),
        # An appointment ends after it starts, whatever writes the row.
        sa.CheckConstraint("ends_at > starts_at", name="ck_appointment_ends_after_start"),
    )
    op.create_index("ix_appointment_starts_at", "appointment", ["starts_at"])
    op.create_index("ix_appointment_case_id", "appointment", ["case_id"])
    op.create_index("ix_appointment_adviser_starts", "appointment", ["adviser_id", "starts_at"])
    op.create_index("ix_appointment_room_starts", "appointment", ["room", "starts_at"])
    # Follow-up dates from an adviser's own calls appear in their diary.
    op.create_index("ix_call_adviser_follow_up", "call", ["adviser_id", "follow_up_date"])


def downgrade() -> None:
    op.drop_index("ix_call_adviser_follow_up", "call")
    op.drop_index("ix_appointment_room_starts", "appointment")
    op.drop_index("ix_appointment_adviser_starts", "appointment")
    op.drop_index("ix_appointment_case_id", "appointment")
    op.drop_index("ix_appointment_starts_at", "appointment")
    op.drop_table("appointment")
