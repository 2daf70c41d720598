"""Recent calls and follow-ups due, with the actions an adviser takes on them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.calls.calls import CallRecord
from app.ui import theme
from app.ui.calls.widgets import capitalised
from app.ui.widgets.times import to_local

RECENT_HEADERS = ("Date", "Channel", "Caller", "Topics", "Outcome", "Case")
FOLLOW_UP_HEADERS = ("Due", "Called", "Topics", "Outcome", "Case")


def _case_text(record: CallRecord) -> str:
    return record.case_reference or "Anonymous"


def _table(name: str, headers: Sequence[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(len(headers) - 3, QHeaderView.ResizeMode.Stretch)
    table.setTabKeyNavigation(False)
    return table


def _fill(table: QTableWidget, records: Sequence[CallRecord], rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(0)
    table.setRowCount(len(records))
    for number, (record, cells) in enumerate(zip(records, rows, strict=True)):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            if record.safeguarding_concern and column == len(cells) - 1:
                item.setText(f"{text} · safeguarding")
            table.setItem(number, column, item)


class CallsList(QWidget):
    new_call = Signal()
    open_case = Signal(int)
    mark_done = Signal(int)
    link_call = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(theme.heading("Calls", self), 1)
        self.new_button = QPushButton("&New call", self)
        self.new_button.setToolTip("Log a new call (Ctrl+N)")
        self.new_button.clicked.connect(self.new_call)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        self.notice = QFrame(self)
        self.notice.setAccessibleName("Saved")
        theme.set_banner_style(self.notice)
        notice_row = QHBoxLayout(self.notice)
        self.notice_text = QLabel(self.notice)
        self.notice_text.setWordWrap(True)
        self.notice_open = QPushButton("&Open the case", self.notice)
        self.notice_open.clicked.connect(self._open_saved_case)
        notice_row.addWidget(self.notice_text, 1)
        notice_row.addWidget(self.notice_open)
        self.notice.hide()
        self._saved_case: int | None = None
        layout.addWidget(self.notice)

        layout.addWidget(theme.heading("Follow-ups due", self, 1.15))
        self.follow_ups = _table("Follow-ups due", FOLLOW_UP_HEADERS, self)
        layout.addWidget(self.follow_ups, 1)
        follow_buttons = QHBoxLayout()
        self.done_button = QPushButton("&Mark follow-up done", self)
        self.done_button.clicked.connect(lambda: self._emit_selected(self.follow_ups, self.mark_done))
        self.follow_open = QPushButton("Open its &case", self)
        self.follow_open.clicked.connect(lambda: self._open_selected(self.follow_ups))
        follow_buttons.addWidget(self.done_button)
        follow_buttons.addWidget(self.follow_open)
        follow_buttons.addStretch(1)
        layout.addLayout(follow_buttons)

        layout.addWidget(theme.heading("Recent calls", self, 1.15))
        self.recent = _table("Recent calls", RECENT_HEADERS, self)
        layout.addWidget(self.recent, 2)
        recent_buttons = QHBoxLayout()
        self.link_button = QPushButton("&Link to a case…", self)
        self.link_button.setToolTip("The caller now agrees to be known: put this anonymous call on a case")
        self.link_button.clicked.connect(lambda: self._emit_selected(self.recent, self.link_call))
        self.recent_open = QPushButton("O&pen the case", self)
        self.recent_open.clicked.connect(lambda: self._open_selected(self.recent))
        recent_buttons.addWidget(self.link_button)
        recent_buttons.addWidget(self.recent_open)
        recent_buttons.addStretch(1)
        layout.addLayout(recent_buttons)
        self.records: dict[int, CallRecord] = {}
        for table in (self.recent, self.follow_ups):
            table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def show_calls(self, recent: Sequence[CallRecord], due: Sequence[CallRecord]) -> None:
        self.records = {record.id: record for record in [*recent, *due]}
        _fill(self.recent, recent, [(
            to_local(r.at).strftime("%d/%m/%Y %H:%M"), capitalised(r.channel.value),
            capitalised(r.caller_type.value), ", ".join(r.topics),
            capitalised(r.outcome.value) if r.outcome else "", _case_text(r)) for r in recent])
        _fill(self.follow_ups, due, [(
            r.follow_up_date.strftime("%d/%m/%Y") if r.follow_up_date else "",
            to_local(r.at).strftime("%d/%m/%Y"), ", ".join(r.topics),
            capitalised(r.outcome.value) if r.outcome else "", _case_text(r)) for r in due])
        self._update_buttons()

    def selected(self, table: QTableWidget) -> CallRecord | None:
        items = table.selectedItems()
        if not items:
            return None
        return self.records.get(int(items[0].data(Qt.ItemDataRole.UserRole)))

    def _update_buttons(self) -> None:
        recent, due = self.selected(self.recent), self.selected(self.follow_ups)
        self.link_button.setEnabled(recent is not None and recent.case_id is None)
        self.recent_open.setEnabled(recent is not None and recent.case_id is not None)
        self.done_button.setEnabled(due is not None)
        self.follow_open.setEnabled(due is not None and due.case_id is not None)

    def _emit_selected(self, table: QTableWidget, signal: Signal) -> None:
        record = self.selected(table)
        if record is not None:
            signal.emit(record.id)  # type: ignore[attr-defined]

    def _open_selected(self, table: QTableWidget) -> None:
        record = self.selected(table)
        if record is not None and record.case_id is not None:
            self.open_case.emit(record.case_id)

    def show_saved(self, record: CallRecord) -> None:
        """After a save: say so, and for a named call offer to open its case."""
        when = to_local(record.at).strftime("%H:%M")
        if record.case_id is None:
            self.notice_text.setText(f"The anonymous call at {when} is saved.")
        else:
            self.notice_text.setText(f"The call at {when} is saved on case {record.case_reference}.")
        self._saved_case = record.case_id
        self.notice_open.setVisible(record.case_id is not None)
        self.notice.show()

    def _open_saved_case(self) -> None:
        if self._saved_case is not None:
            self.open_case.emit(self._saved_case)

    def clear(self) -> None:
        self.records = {}
        self.recent.setRowCount(0)
        self.follow_ups.setRowCount(0)
        self.notice_text.clear()
        self.notice.hide()
        self._saved_case = None
