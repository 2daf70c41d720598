"""The one declarative base: every table module registers its tables on `Base.metadata`.

Import `app.models.schema` for the whole schema (Alembic, the schema test, anything that walks
every table); a service imports only the table modules it uses.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
