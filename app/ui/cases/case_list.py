"""The list of cases: filters, a search box, and a table that opens a case on Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.cases import cases
from app.services.cases.cases import CaseFilter, CaseSummary
from app.services.cases.fields import CaseStatus
from app.services.context import SignedIn
from app.ui.operations import guarded
from app.ui.widgets.messages import Notice, help_label, tone
from app.ui.widgets.table_model import RowsModel
from app.ui.widgets.times import moment_text

_Index = QModelIndex | QPersistentModelIndex
# Each search is audited, so wait for a pause in typing rather than searching every key.
SEARCH_PAUSE_MS = 250
SAFEGUARDING_MARK = "⚠ Safeguarding"

# (label, filter); advisers always get only their own cases whatever the filter says.
FILTERS: tuple[tuple[str, CaseFilter], ...] = (
    ("My open cases", CaseFilter(mine=True, status=CaseStatus.OPEN)),
    ("All my cases", CaseFilter(mine=True)),
    ("Open cases", CaseFilter(mine=False, status=CaseStatus.OPEN)),
    ("Closed cases", CaseFilter(mine=False, status=CaseStatus.CLOSED)),
    ("Archived cases", CaseFilter(mine=False, status=CaseStatus.ARCHIVED)),
    ("Follow-ups due", CaseFilter(mine=False, follow_ups_due=True)),
    ("Safeguarding concerns", CaseFilter(mine=False, safeguarding=True)),
)


def when(value: Any) -> str:
    return moment_text(value)


SHOWN = 100


class CaseListModel(RowsModel):
    HEADERS = ("Safeguarding", "Case", "Family", "Children", "Status", "Advisers", "Last activity")
    rows: list[CaseSummary]

    def text(self, row: CaseSummary, column: int) -> str:
        status = row.status.value.capitalize() + (" · follow-up due" if row.follow_up_due else "")
        return (SAFEGUARDING_MARK if row.safeguarding else "", row.reference,
                ", ".join(row.family_names), ", ".join(row.child_names), status,
                ", ".join(row.advisers), when(row.last_activity_at))[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and row.safeguarding and index.column() == 0:
            view = self.parent()
            return tone(view, "error") if isinstance(view, QWidget) else None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


class CaseList(QWidget):
    """Emits `open_requested(case_id)` when a case is chosen (double-click, Enter, Open)."""

    open_requested = Signal(int)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Case list")
        column = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.filter = QComboBox(self)
        for index, (label, chosen) in enumerate(FILTERS):
            # Archived cases are findable by a manager only (see app.services.access).
            if chosen.status is not CaseStatus.ARCHIVED or ctx.actor.is_manager:
                self.filter.addItem(label, index)
        self.filter.setAccessibleName("Show")
        filter_label = QLabel("Sho&w:", self)
        filter_label.setBuddy(self.filter)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Family or child name, case reference, postcode or phone")
        self.search.setAccessibleName("Search cases")
        self.search.setToolTip("Search cases (Ctrl+F)")
        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        bar.addWidget(filter_label)
        bar.addWidget(self.filter)
        bar.addSpacing(12)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        column.addLayout(bar)
        scope = ("Only cases assigned to you are listed." if not ctx.actor.is_manager else
                 "Opening a case not assigned to you asks for a reason, which is recorded.")
        column.addWidget(help_label(scope, self))
        self.notice = Notice("Case list message", self)
        column.addWidget(self.notice)
        self.model = CaseListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.activated.connect(lambda index: self._open(index.row()))
        column.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open case", self)
        self.open_button.setToolTip("Open the selected case (Enter)")
        self.open_button.clicked.connect(self._open_selected)
        self.count = QLabel(self)
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.open_button)
        column.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_PAUSE_MS)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())

    def _search_now(self) -> None:
        self.timer.stop()
        self.refresh()
        if self.model.rows:
            self.table.setFocus()
            self.table.selectRow(0)

    def _failed(self, exc: BaseException) -> None:
        self.model.set_rows([])
        self.notice.show_problem(exc)
        self.count.clear()

    def refresh(self) -> None:
        self.timer.stop()
        self.notice.clear_text()
        typed = self.search.text().strip()
        with guarded(self._failed) as call:
            more = False
            if typed:
                search = cases.find_cases(self.ctx, typed, limit=SHOWN)
                found, more = search.cases, search.more
            else:
                found = cases.list_cases(self.ctx, FILTERS[self.filter.currentData() or 0][1])
        if call.failed:
            return
        self.model.set_rows(found)
        what = "found" if typed else "listed"
        if not found:
            self.count.setText("No cases match." if typed else "No cases to show here.")
        elif more:
            self.count.setText(f"The {len(found)} most recently active of many matching cases: "
                               "type more to narrow the search.")
        else:
            self.count.setText(f"{len(found)} case{'s' if len(found) != 1 else ''} {what}.")
        self.count.setAccessibleName(self.count.text())

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._open(rows[0].row())
        elif len(self.model.rows) == 1:
            self._open(0)
        else:
            self.notice.show_text("Select a case in the list first.", "info")

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.open_requested.emit(self.model.rows[row].id)

    def clear(self) -> None:
        self.timer.stop()
        self.model.set_rows([])
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.count.clear()
        self.notice.clear_text()
