"""What the usage reports count of a destroyed case, kept as anonymous statistics.

Destroying a family (withdrawn consent, erasure on request, retention) deleted its case with
its status history and detached its calls, so a report already published for a past period
counted the family's named calls as anonymous, and its case as never opened, closed or open:
figures sent to funders changed because a family left. Destruction now keeps, for each case:

- case_statistic: when it was opened;
- case_statistic_change: each change of status (open, closed, reopened, archived) and when;
- call.case_statistic_id: which of those the family's calls belonged to, so a call still counts
  as named and the family as new or returning in the period it was.

None of it names, addresses or describes anyone: no reference, no people, no text. Families
destroyed before this migration left nothing to keep; their figures stay as they were counted
after their destruction.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_statistic",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("opened_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_case_statistic_opened_at", "case_statistic", ["opened_at"])
    op.create_table(
        "case_statistic_change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("statistic_id", sa.Integer,
                  sa.ForeignKey("case_statistic.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_case_statistic_change_statistic_id", "case_statistic_change",
                    ["statistic_id"])
    # No foreign key: SQLite cannot add one to an existing table, and statistics are never
    # deleted, so there is nothing for one to guard.
    op.add_column("call", sa.Column("case_statistic_id", sa.Integer, nullable=True))
    op.create_index("ix_call_case_statistic_id", "call", ["case_statistic_id"])


def downgrade() -> None:
    op.drop_index("ix_call_case_statistic_id", "call")
    op.drop_column("call", "case_statistic_id")
    op.drop_index("ix_case_statistic_change_statistic_id", "case_statistic_change")
    op.drop_table("case_statistic_change")
    op.drop_index("ix_case_statistic_opened_at", "case_statistic")
    op.drop_table("case_statistic")
