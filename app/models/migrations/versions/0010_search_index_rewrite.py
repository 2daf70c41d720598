"""Rewrite the search index once, so words of people destroyed before 0.1.0's fix leave it.

Until then destruction deleted rows from the contentless search index without rewriting it,
and FTS5 keeps a deleted row's words in its pages (behind a tombstone) until it next merges
them. Destruction now rewrites the index each time; this does it once for what came before.
Nothing in the schema changes, and downgrading has nothing to undo.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO case_search(case_search) VALUES ('optimize')")


def downgrade() -> None:
    pass
