"""The audit trail as a read-only table: newest first, times in the computer's local time."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from app.services.audit import SYSTEM_ACTOR, AuditEntry
from app.ui.widgets.table_model import RowsModel
from app.ui.widgets.times import to_local

_Index = QModelIndex | QPersistentModelIndex


def local_time(at: datetime) -> datetime:
    """Audit times are stored as naive UTC; people read them in the office's own time."""
    return to_local(at)


def format_when(at: datetime) -> str:
    return local_time(at).strftime("%d %b %Y %H:%M:%S")


def actor_label(actor: str, full_names: dict[str, str]) -> str:
    """"Margaret Manager (margaret)" for staff, a plain phrase for Confide's own events."""
    if actor == SYSTEM_ACTOR:
        return "Confide itself"
    name = full_names.get(actor)
    return f"{name} ({actor})" if name else actor


def format_detail(detail: str) -> str:
    """The stored JSON detail as "key: value" pairs a person can read."""
    if not detail:
        return ""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return str(data)

    def show(value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(show(v) for v in value)
        return str(value)

    return "; ".join(f"{key.replace('_', ' ')}: {show(value)}" for key, value in data.items())


class AuditModel(RowsModel):
    HEADERS = ("No.", "When", "Who", "Action", "Record", "Details")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: dict[str, str] = {}
        # "staff:3" as stored in the trail, shown as the person's name to office staff.
        self.staff_names: dict[str, str] = {}

    @property
    def entries(self) -> list[AuditEntry]:
        return self.rows

    def set_entries(self, entries: list[AuditEntry], names: dict[str, str] | None = None) -> None:
        if names is not None:
            self.names = dict(names)
        self.set_rows(entries)

    def who(self, actor: str) -> str:
        return actor_label(actor, self.names)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        # Selectable so a row can be read out and copied by hand, never editable.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        Qt.ItemDataRole.ToolTipRole):
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column != 5:
            return None
        record = (f"Staff account: {self.staff_names[entry.target]}"
                  if entry.target in self.staff_names else entry.target)
        values = (str(entry.id), format_when(entry.at), self.who(entry.actor), entry.action, record,
                  format_detail(entry.detail))
        return values[column]
