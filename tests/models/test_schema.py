"""The tables the migrations build are the tables the models declare: no change without a migration."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.models.schema import Base
from app.services.context import SignedIn
from app.services.install import storage_access

# Built by migrations in raw SQL on purpose: the FTS5 search index and the indexes that serve it.
SEARCH_ONLY = {"ix_case_recent", "ix_case_reference_search"}


def _declared(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name and name.startswith("case_search"):
        return False
    return not (type_ == "index" and name in SEARCH_ONLY)


# Migration 0011's case-folded username index is an expression, which SQLite cannot reflect.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrated_database_matches_the_models(manager: SignedIn) -> None:
    with storage_access.database_of(manager).engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _declared})
        assert compare_metadata(context, Base.metadata) == []
