"""The whole schema: importing this module registers every table on the one `Base`.

Alembic's environment, the schema test and anything that walks every table (the demo
generator's bulk inserts, the subject access pack) take `Base` from here, so no table is
missed because nothing happened to import its module first. A service that names its tables
imports only their modules.
"""

from __future__ import annotations

from app.models import calls, cases, consent, diary, foundation, letters, reports, retention, staff
from app.models.base import Base

TABLE_MODULES = (foundation, staff, calls, cases, consent, diary, letters, retention, reports)

__all__ = ["TABLE_MODULES", "Base"]
