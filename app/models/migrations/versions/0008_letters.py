"""Letters: each one issued on a case with its PDF kept for exact reprinting, and the managers'
own wording of the letter templates.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("template_key", sa.String(40), nullable=False),
        sa.Column("template_title", sa.String(80), nullable=False),
        sa.Column("addressee_kind", sa.String(16), nullable=False),
        sa.Column("addressee", sa.String(160), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
    )
    # A letter is what was sent: it is never changed, only reprinted.
    op.execute(
        "CREATE TRIGGER letter_no_update BEFORE UPDATE ON letter "
        "BEGIN SELECT RAISE(ABORT, 'a letter is kept as it was sent'); END"
    )
    op.create_table(
        "letter_template",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("letter_template")
    op.execute("DROP TRIGGER IF EXISTS letter_no_update")
    op.drop_table("letter")
