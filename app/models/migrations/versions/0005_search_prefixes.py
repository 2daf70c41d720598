"""Longer prefix indexes in the search index, so a phone number's first digits are one seek.

With prefixes of up to four characters, typing `07700 9` made FTS5 merge the postings of
every distinct number starting 07700 (thousands of terms) before it could return the first
match. Indexing prefixes up to eight characters turns those into single lookups whose
postings come out in rowid (case) order, which lets a search stop after a few hundred
candidates (see app/services/cases.py). The index is rebuilt from the parent and child
tables, so nothing is lost; the triggers are unchanged.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CASE_STRIDE = 1_000_000_000
COLUMNS = "rowid, name, postcode, phone"
PARENT_ROWS = (f"SELECT case_id * {CASE_STRIDE} + id * 2, name_key, coalesce(postcode_key, ''), "
               "coalesce(phone_key, '') FROM parent")
CHILD_ROWS = f"SELECT case_id * {CASE_STRIDE} + id * 2 + 1, name_key, '', '' FROM child"


def _rebuild(prefixes: str) -> None:
    # Triggers refer to case_search by name and are only resolved when they fire, so the
    # table can be swapped underneath them inside this transaction.
    op.execute("DROP TABLE case_search")
    op.execute(
        "CREATE VIRTUAL TABLE case_search USING fts5("
        "name, postcode, phone, content='', contentless_delete=1, "
        f"prefix='{prefixes}', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO case_search(case_search, rank) VALUES ('secure-delete', 1)")
    op.execute(f"INSERT INTO case_search({COLUMNS}) {PARENT_ROWS}")
    op.execute(f"INSERT INTO case_search({COLUMNS}) {CHILD_ROWS}")


def upgrade() -> None:
    _rebuild("1 2 3 4 5 6 7 8")


def downgrade() -> None:
    _rebuild("1 2 3 4")
