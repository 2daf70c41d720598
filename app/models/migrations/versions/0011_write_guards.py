"""Guards in the schema for the writes that read first, so two writers can never fork them.

Each of these is read and then written inside a writing unit, which holds the writer lock
(Database.unit_of_work). The lock is what keeps them right; these guards are the backstop
that turns a mistake (a unit that forgot the lock, a second desk once team mode arrives)
into a refused write instead of silent damage:

- the audit chain: no two events may follow the same event (a unique previous hash), so the
  chain can never fork;
- drafts: one per person and form (the older ones are dropped first, newest kept);
- staff: no change may leave the service without an active manager, and no two usernames
  may differ only in (ASCII) case.

The case number already has its guard (uq_case_year_sequence, 0002).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("uq_audit_event_prev_hash", "audit_event", ["prev_hash"], unique=True)
    op.execute(
        "DELETE FROM draft WHERE id NOT IN "
        "(SELECT max(id) FROM draft GROUP BY staff_id, form)"
    )
    op.create_index("uq_draft_staff_form", "draft", ["staff_id", "form"], unique=True)
    op.execute("CREATE UNIQUE INDEX uq_staff_username_folded ON staff (lower(username))")
    op.execute(
        "CREATE TRIGGER staff_keeps_a_manager AFTER UPDATE OF role, active ON staff "
        "WHEN NOT EXISTS (SELECT 1 FROM staff WHERE role = 'manager' AND active) "
        "BEGIN SELECT RAISE(ABORT, 'Confide needs at least one active manager'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS staff_keeps_a_manager")
    op.drop_index("uq_staff_username_folded", "staff")
    op.drop_index("uq_draft_staff_form", "draft")
    op.drop_index("uq_audit_event_prev_hash", "audit_event")
