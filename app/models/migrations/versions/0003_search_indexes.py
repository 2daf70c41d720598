"""A word-start search index for search as you type.

Search finds cases by the start of any word of a parent's or child's name, a postcode or a
phone number. LIKE '% smi%' cannot use an index, and on ten years of data its p95 was twice
the 30 ms target; an FTS5 prefix index answers the same question by seeking. Triggers keep it
in step with every write, bulk ones included, and 'secure-delete' makes FTS5 erase the
tokens of deleted rows rather than leave them in old segments, as retention requires.

FTS5 is SQLite's; a PostgreSQL port would use a trigram or prefix index here instead.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The index keeps no copy of the text (contentless), and its rowid carries the case:
# case_id * CASE_STRIDE + id * 2 for a parent, + 1 for a child. A search then reads the case
# straight off the index instead of visiting thousands of rows, which with SQLCipher means
# decrypting thousands of pages.
CASE_STRIDE = 1_000_000_000
PARENT_ROWID = f"new.case_id * {CASE_STRIDE} + new.id * 2"
CHILD_ROWID = f"new.case_id * {CASE_STRIDE} + new.id * 2 + 1"
PARENT_ROW = f"{PARENT_ROWID}, new.name_key, coalesce(new.postcode_key, ''), coalesce(new.phone_key, '')"
CHILD_ROW = f"{CHILD_ROWID}, new.name_key, '', ''"
COLUMNS = "rowid, name, postcode, phone"


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE case_search USING fts5("
        "name, postcode, phone, content='', contentless_delete=1, "
        "prefix='1 2 3 4', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO case_search(case_search, rank) VALUES ('secure-delete', 1)")
    for table, row, rowid in (("parent", PARENT_ROW, PARENT_ROWID), ("child", CHILD_ROW, CHILD_ROWID)):
        old_rowid = rowid.replace("new.", "old.")
        op.execute(
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO case_search({COLUMNS}) VALUES ({row}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} BEGIN "
            f"DELETE FROM case_search WHERE rowid = {old_rowid}; "
            f"INSERT INTO case_search({COLUMNS}) VALUES ({row}); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM case_search WHERE rowid = {old_rowid}; END"
        )
        select_row = row.replace("new.", "")
        op.execute(f"INSERT INTO case_search({COLUMNS}) SELECT {select_row} FROM {table}")
    op.create_index("ix_case_reference_search", "case_file", ["reference", "id"])
    # Search results come newest first; this lets SQLite stop after the first twenty.
    op.execute("CREATE INDEX ix_case_recent ON case_file (last_activity_at DESC, id DESC)")


def downgrade() -> None:
    op.drop_index("ix_case_recent", table_name="case_file")
    op.drop_index("ix_case_reference_search", table_name="case_file")
    for table in ("parent", "child"):
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{event}")
    op.execute("DROP TABLE IF EXISTS case_search")
