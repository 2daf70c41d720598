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

from sqlalchemy import Integer, TextualSelect, text
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


def matching_cases(query: str, limit: int, assigned_to: int | None = None) -> TextualSelect:
    """The ids (`case_id`) of cases with a row matching `query`, newest case first, at most
    `limit` of them; with `assigned_to`, only cases assigned to that member of staff."""
    params: dict[str, object] = {"match": query}
    owned = ""
    if assigned_to is not None:
        owned = ("AND EXISTS (SELECT 1 FROM case_assignment a WHERE a.staff_id = :staff "
                 f"AND a.case_id = case_search.rowid / {CASE_STRIDE}) ")
        params["staff"] = assigned_to
    return (text(f"SELECT rowid / {CASE_STRIDE} AS case_id FROM case_search "
                 f"WHERE case_search MATCH :match {owned}"
                 f"ORDER BY rowid DESC LIMIT {int(limit)}")
            .bindparams(**params).columns(case_id=Integer))


def rewrite_index(session: Session) -> None:
    """Rewrite the index so the words of deleted rows leave the file.

    Deleting from a contentless index only records the row as gone (a tombstone; FTS5's
    'secure-delete' option does not apply to contentless_delete tables): the deleted names,
    postcodes and phone words stay in the index's pages until FTS5 next merges them. Rewriting
    keeps only live rows, and SQLCipher's secure_delete zeroes the pages it frees.
    """
    session.execute(text(REWRITE_INDEX))
