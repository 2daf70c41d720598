"""An index on third_party_contact.breach_note_id, so destroying a case does not scan every
contact once per note.

Deleting a case note makes SQLite look for contacts made under it (ON DELETE SET NULL); with
no index that is a full scan of third_party_contact for each note deleted, which made
destroying 1,000 cases in a retention run take seconds more than it needs to.

Numbered 0009 on top of 0006 while other branches add 0007 and 0008; re-chained on merge.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_third_party_contact_breach_note_id", "third_party_contact",
                    ["breach_note_id"])


def downgrade() -> None:
    op.drop_index("ix_third_party_contact_breach_note_id", "third_party_contact")
