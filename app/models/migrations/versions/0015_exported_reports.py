"""The register of reports exported with small counts hidden.

A quarter's report minus its three months' reports gave exact values for cells the monthly
reports hid, and from those the hidden small counts. Each export made with suppression now
records what it showed (period, day, every figure shown or hidden; no true hidden count), and
a new export hides further cells until nothing hidden in any of them can be worked out from
all of them together (app/services/reports/earlier_exports.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exported_report",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("made_at", sa.DateTime, nullable=False),
        sa.Column("made_on", sa.Date, nullable=False),
        sa.Column("first_month", sa.String(7), nullable=False),
        sa.Column("last_month", sa.String(7), nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("threshold", sa.Integer, nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("exported_report")
