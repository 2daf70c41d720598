"""Who raised a case's safeguarding concern, and when, for the red banner.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN: rebuilding case_file (batch mode) would fight its search triggers.
    op.add_column("case_file", sa.Column("safeguarding_raised_at", sa.DateTime, nullable=True))
    op.add_column("case_file", sa.Column("safeguarding_raised_by", sa.Integer, nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE case_file DROP COLUMN safeguarding_raised_by")
    op.execute("ALTER TABLE case_file DROP COLUMN safeguarding_raised_at")
