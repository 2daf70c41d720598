"""The consent register: third parties by kind, scanned forms, contacts with third parties,
and the destruction register.

- consent.party_kind says what sort of third party a consent names (school, SEN team, …);
  consent.party keeps the organisation or person's own name.
- consent_form holds a scanned signed form inside the encrypted database, never on disk.
- third_party_contact is every contact, referral or letter addressed to a third party, with
  the breach decision that overrode consent when there was one.
- destruction_record says which case was destroyed, when and under which rule, with no
  personal data; retention writes to it too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _staff(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("staff.id"), nullable=True)


def upgrade() -> None:
    # Plain ADD COLUMN: rebuilding consent (batch mode) would drop its append-only trigger.
    op.add_column("consent", sa.Column("party_kind", sa.String(24), nullable=True))
    # The day the family gave or withdrew it, which may be before it was typed in.
    op.add_column("consent", sa.Column("given_on", sa.Date, nullable=True))
    op.create_table(
        "consent_form",
        sa.Column("consent_id", sa.Integer,
                  sa.ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("byte_size", sa.Integer, nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.execute(
        "CREATE TRIGGER consent_form_no_update BEFORE UPDATE ON consent_form "
        "BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END"
    )
    op.create_table(
        "third_party_contact",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("party_kind", sa.String(24), nullable=False),
        sa.Column("party", sa.String(80), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        _staff("recorded_by"),
        sa.Column("breach_note_id", sa.Integer,
                  sa.ForeignKey("case_note.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_table(
        "destruction_record",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_reference", sa.String(16), nullable=False, index=True),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("last_activity_on", sa.Date, nullable=False),
        sa.Column("destroyed_at", sa.DateTime, nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("run_by", sa.String(64), nullable=False),
        sa.Column("calls_kept", sa.Integer, nullable=False),
    )
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER destruction_record_no_{action.lower()} BEFORE {action} "
            "ON destruction_record BEGIN SELECT RAISE(ABORT, 'the destruction register is "
            "append-only'); END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS destruction_record_no_delete")
    op.execute("DROP TRIGGER IF EXISTS destruction_record_no_update")
    op.drop_table("destruction_record")
    op.drop_table("third_party_contact")
    op.execute("DROP TRIGGER IF EXISTS consent_form_no_update")
    op.drop_table("consent_form")
    op.execute("ALTER TABLE consent DROP COLUMN given_on")
    op.execute("ALTER TABLE consent DROP COLUMN party_kind")
