"""The case search index: with the migrations that build it, the one place holding FTS5 SQL.

The index (`case_search`, migrations 0003 and 0005) is a contentless FTS5 table that triggers
keep in step with the parent and child tables. Its rowid carries the case: case_id *
CASE_STRIDE + id * 2 for a parent, + 1 for a child, so a search reads the case straight off
the index instead of decrypting thousands of pages to visit the rows. With the prefix lengths
of migration 0005 a typed prefix is one posting list read in rowid order, so the newest
candidates come first and a scan can stop at its limit.

FTS5 is SQLite's: a PostgreSQL port would replace this module (a trigram or prefix index)
and leave the services that call it as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Integer, Select, literal_column, select, table, text
from sqlalchemy.orm import Session

CASE_STRIDE = 1_000_000_000
# Rebuilds the index's pages from its live rows only (see rewrite_index).
REWRITE_INDEX = "INSERT INTO case_search(case_search) VALUES ('optimize')"


def _term(value: str) -> str:
    # Only letters and digits reach a query, each inside quotes, so nothing typed can change
    # the query's meaning (no column filter, operator or unbalanced quote).
    if not value or not value.isalnum():
        raise ValueError("a search term holds only letters and digits")
    return f'"{value}"*'


def word_start_query(words: Sequence[str], postcode: str | None = None, phone: str | None = None) -> str:
    """An FTS5 query: every word starts a name word, or `postcode` or `phone` starts that column.

    `words`, `postcode` and `phone` hold letters and digits only (ValueError otherwise); the
    caller decides which of them a typed text stands for.
    """
    alternatives = ["name : (" + " AND ".join(_term(word) for word in words) + ")"]
    if postcode:
        alternatives.append(f"postcode : {_term(postcode)}")
    if phone:
        alternatives.append(f"phone : {_term(phone)}")
    return " OR ".join(alternatives)


# The case an index row belongs to, for the conditions a caller adds (who may see the case).
CASE_ID = literal_column(f"case_search.rowid / {CASE_STRIDE}", Integer)


def matching_cases(query: str, limit: int, where: ColumnElement[bool] | None = None) -> Select[tuple[int]]:
    """The ids (`case_id`) of cases with a row matching `query`, newest case first, at most
    `limit` of them; `where`, a condition on `CASE_ID`, narrows them before the limit."""
    statement = (select(CASE_ID.label("case_id")).select_from(table("case_search"))
                 .where(text("case_search MATCH :match").bindparams(match=query)))
    if where is not None:
        statement = statement.where(where)
    return statement.order_by(literal_column("case_search.rowid").desc()).limit(limit)


def rewrite_index(session: Session) -> None:
    """Rewrite the index so the words of deleted rows leave the file.

    Deleting from a contentless index only records the row as gone (a tombstone; FTS5's
    'secure-delete' option does not apply to contentless_delete tables): the deleted names,
    postcodes and phone words stay in the index's pages until FTS5 next merges them. Rewriting
    keeps only live rows, and SQLCipher's secure_delete zeroes the pages it frees.
    """
    session.execute(text(REWRITE_INDEX))


def holds_name_word(session: Session, word: str) -> bool:
    """Whether some parent's or child's name in the index has `word` as a whole word (any
    case, accents ignored), such as "jamie" for "Jamie Smith"; `word` holds letters and
    digits only (ValueError otherwise)."""
    if not word or not word.isalnum():
        raise ValueError("a search term holds only letters and digits")
    statement = (select(literal_column("1")).select_from(table("case_search"))
                 .where(text("case_search MATCH :match").bindparams(match=f'name : "{word}"'))
                 .limit(1))
    return session.scalar(statement) is not None
