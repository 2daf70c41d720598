"""Calls and cases: topics, cases, parents, children, consent, referrals, calls, notes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The starting list; managers edit it afterwards (app/services/topics.py).
SEED_TOPICS = (
    "SEN support in school",
    "EHC needs assessment",
    "EHC plan",
    "Annual review",
    "Exclusion",
    "School placement or transfer",
    "Transport",
    "Tribunal or appeal",
    "Disagreement resolution or mediation",
    "Health",
    "Other",
)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _case_id(ondelete: str = "CASCADE") -> sa.Column:
    return sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id", ondelete=ondelete),
                     nullable=False, index=True)


def _staff(name: str, nullable: bool = True, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("staff.id"), nullable=nullable, index=index)


def upgrade() -> None:
    topic = op.create_table(
        "topic",
        _id(),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.bulk_insert(topic, [{"name": name, "active": True, "position": number}
                           for number, name in enumerate(SEED_TOPICS)])
    op.create_table(
        "case_file",
        _id(),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime, nullable=True),
        sa.Column("last_activity_at", sa.DateTime, nullable=False, index=True),
        sa.Column("safeguarding", sa.Boolean, nullable=False, index=True),
        sa.Column("legal_hold_reason", sa.String(300), nullable=True),
        _staff("opened_by"),
        sa.UniqueConstraint("year", "sequence", name="uq_case_year_sequence"),
    )
    op.create_table(
        "case_status_change",
        _id(),
        _case_id(),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        _staff("by_staff_id"),
    )
    op.create_table(
        "case_assignment",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id"), primary_key=True, index=True),
        sa.Column("assigned_at", sa.DateTime, nullable=False),
        _staff("assigned_by"),
    )
    op.create_table(
        "manager_access",
        _id(),
        _case_id(),
        _staff("staff_id", nullable=False, index=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
    )
    op.create_table(
        "parent",
        _id(),
        _case_id(),
        sa.Column("title", sa.String(20), nullable=False),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("relationship", sa.String(40), nullable=False),
        sa.Column("address_line1", sa.String(120), nullable=False),
        sa.Column("address_line2", sa.String(120), nullable=False),
        sa.Column("town", sa.String(80), nullable=False),
        sa.Column("postcode", sa.String(8), nullable=False),
        sa.Column("phone_mobile", sa.String(30), nullable=False),
        sa.Column("phone_home", sa.String(30), nullable=False),
        sa.Column("phone_work", sa.String(30), nullable=False),
        sa.Column("email", sa.String(120), nullable=False),
        sa.Column("name_key", sa.String(130), nullable=False, index=True),
        sa.Column("postcode_key", sa.String(8), nullable=False, index=True),
        sa.Column("phone_key", sa.String(100), nullable=False),
    )
    op.create_table(
        "child",
        _id(),
        _case_id(),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=True),
        sa.Column("gender", sa.String(40), nullable=False),
        sa.Column("school", sa.String(120), nullable=False),
        sa.Column("year_group", sa.String(20), nullable=False),
        sa.Column("needs", sa.Text, nullable=False),
        sa.Column("name_key", sa.String(130), nullable=False, index=True),
    )
    op.create_table(
        "contact_preference",
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("use_mobile", sa.Boolean, nullable=False),
        sa.Column("use_home", sa.Boolean, nullable=False),
        sa.Column("use_work", sa.Boolean, nullable=False),
        sa.Column("voicemail_allowed", sa.Boolean, nullable=False),
        sa.Column("message_with_colleague_allowed", sa.Boolean, nullable=False),
        sa.Column("email_allowed", sa.Boolean, nullable=False),
        sa.Column("preferred_method", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        _staff("updated_by"),
    )
    op.create_table(
        "consent",
        _id(),
        _case_id(),
        sa.Column("kind", sa.String(32), nullable=False, index=True),
        sa.Column("party", sa.String(80), nullable=True),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("policy_explained", sa.Boolean, nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        _staff("recorded_by"),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("review_date", sa.Date, nullable=True),
    )
    # History is append-only; deleting stays possible because retention destroys whole cases.
    op.execute(
        "CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent "
        "BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END"
    )
    op.create_table(
        "referral",
        _id(),
        _case_id(),
        sa.Column("referred_by", sa.String(120), nullable=False),
        sa.Column("parent_permission_confirmed", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        _staff("recorded_by"),
    )
    op.create_table(
        "call",
        _id(),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("caller_type", sa.String(16), nullable=False),
        sa.Column("child_phase", sa.String(16), nullable=True),
        sa.Column("child_year_group", sa.String(20), nullable=True),
        sa.Column("area_district", sa.String(4), nullable=True),
        sa.Column("how_heard", sa.String(40), nullable=True),
        sa.Column("outcome", sa.String(24), nullable=True),
        sa.Column("follow_up_date", sa.Date, nullable=True, index=True),
        sa.Column("follow_up_done_at", sa.DateTime, nullable=True),
        sa.Column("safeguarding_concern", sa.Boolean, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        _staff("adviser_id", index=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id", ondelete="SET NULL"),
                  nullable=True, index=True),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("logged_at", sa.DateTime, nullable=False),
        sa.Column("linked_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "call_topic",
        sa.Column("call_id", sa.Integer, sa.ForeignKey("call.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("topic_id", sa.Integer, sa.ForeignKey("topic.id"), primary_key=True, index=True),
    )
    op.create_table(
        "case_note",
        _id(),
        _case_id(),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        _staff("author_id"),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("edited_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "note_revision",
        _id(),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("case_note.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("written_at", sa.DateTime, nullable=False),
        sa.Column("replaced_at", sa.DateTime, nullable=False),
        _staff("replaced_by"),
    )
    op.create_table(
        "breach_decision",
        sa.Column("note_id", sa.Integer, sa.ForeignKey("case_note.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("concern", sa.Text, nullable=False),
        sa.Column("consulted", sa.String(200), nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("agencies_contacted", sa.String(400), nullable=False),
        sa.Column("parent_told", sa.Boolean, nullable=False),
        sa.Column("parent_told_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS consent_no_update")
    for table in ("breach_decision", "note_revision", "case_note", "call_topic", "call",
                  "referral", "consent", "contact_preference", "child", "parent",
                  "manager_access", "case_assignment", "case_status_change", "case_file", "topic"):
        op.drop_table(table)
