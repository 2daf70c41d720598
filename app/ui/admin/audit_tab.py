"""The Audit trail tab: who did what and when, with filters, and a check that nothing was altered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import audit
from app.services.audit import AuditFilter, ChainCheck
from app.services.clock import now
from app.services.context import SignedIn
from app.services.staff import staff
from app.ui import operations
from app.ui.admin.audit_model import AuditModel, actor_label, local_time
from app.ui.operations import guarded
from app.ui.widgets.messages import Notice, help_label

LIMIT = 500


def utc_start_of(day: date) -> datetime:
    """Local midnight at the start of `day`, as the naive UTC the audit trail stores."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC).replace(tzinfo=None)


def _today() -> date:
    return local_time(now()).date()


class AuditTab(QWidget):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Audit trail")
        column = QVBoxLayout(self)
        column.addWidget(help_label(
            "Every sign-in, change and look at a record is written here, and nobody can edit "
            "it. The newest events come first. To see fewer, tick From or To and pick a date, "
            "or choose who or which action.", self))

        filters = QGridLayout()
        today = QDate(_today())
        self.from_check, self.from_date = self._date_filter("Fro&m:", "From date", today.addDays(-30))
        self.to_check, self.to_date = self._date_filter("&To:", "To date", today)
        filters.addWidget(self.from_check, 0, 0)
        filters.addWidget(self.from_date, 0, 1)
        filters.addWidget(self.to_check, 0, 2)
        filters.addWidget(self.to_date, 0, 3)

        self.actor_combo = QComboBox(self)
        self.actor_combo.setAccessibleName("Who")
        self.action_combo = QComboBox(self)
        self.action_combo.setAccessibleName("Action")
        for combo in (self.actor_combo, self.action_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(12)
        filters.addWidget(self._caption("&Who:", self.actor_combo), 1, 0)
        filters.addWidget(self.actor_combo, 1, 1)
        filters.addWidget(self._caption("A&ction:", self.action_combo), 1, 2)
        filters.addWidget(self.action_combo, 1, 3)

        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search record and details")
        self.search.setPlaceholderText("a record, such as staff:3, or a word in the details")
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self._caption("Sea&rch:", self.search), 2, 0)
        filters.addWidget(self.search, 2, 1, 1, 3)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        column.addLayout(filters)

        buttons = QHBoxLayout()
        self.apply_button = QPushButton("Apply &filters", self)
        self.apply_button.setAccessibleName("Apply filters")
        self.clear_button = QPushButton("C&lear filters", self)
        self.clear_button.setAccessibleName("Clear filters")
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        column.addLayout(buttons)

        self.model = AuditModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audit events")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        column.addWidget(self.table, 1)
        self.count_note = Notice("How many events are shown", self)
        column.addWidget(self.count_note)

        check_row = QHBoxLayout()
        self.verify_button = QPushButton("Chec&k the audit trail is intact", self)
        self.verify_button.setAccessibleName("Check the audit trail is intact")
        check_row.addWidget(self.verify_button)
        check_row.addStretch(1)
        column.addLayout(check_row)
        self.verify_result = Notice("Audit trail check result", self)
        column.addWidget(self.verify_result)

        self.apply_button.clicked.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.search.returnPressed.connect(self.apply_filters)
        self.verify_button.clicked.connect(self.verify)
        for check in (self.from_check, self.to_check):
            check.toggled.connect(self.apply_filters)
        for edit in (self.from_date, self.to_date):
            edit.dateChanged.connect(self._date_changed)
        for combo in (self.actor_combo, self.action_combo):
            combo.activated.connect(self.apply_filters)

    def _caption(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _date_filter(self, text: str, name: str, initial: QDate) -> tuple[QCheckBox, QDateEdit]:
        # Unticked means "any date": the box says which end of the period is limited.
        check = QCheckBox(text, self)
        check.setAccessibleName(f"Limit the {name.lower()}")
        edit = QDateEdit(initial, self)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        return check, edit

    def _date_changed(self) -> None:
        if self.from_check.isChecked() or self.to_check.isChecked():
            self.apply_filters()

    # -- loading ---------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        since = utc_start_of(self.from_date.date().toPython()) if self.from_check.isChecked() else None
        until = None
        if self.to_check.isChecked():
            until = utc_start_of(self.to_date.date().toPython() + timedelta(days=1))
        text = self.search.text().strip()
        return AuditFilter(
            since=since,
            until=until,
            actor=self.actor_combo.currentData(),
            action=self.action_combo.currentData(),
            text=text or None,
            # One more than is shown tells whether there are more.
            limit=LIMIT + 1,
        )

    def refresh(self) -> None:
        with guarded(self.count_note.show_problem) as call:
            actors = audit.known_actors(self.ctx)
            actions = audit.known_actions(self.ctx)
            members = staff.list_staff(self.ctx)
        if call.failed:
            return
        names = {m.username: m.full_name for m in members}
        self.model.names = names
        self.model.staff_names = {f"staff:{m.id}": m.full_name for m in members}
        self._fill(self.actor_combo, "Anyone", [(actor_label(a, names), a) for a in actors])
        self._fill(self.action_combo, "Any action", [(a.capitalize(), a) for a in actions])
        self.apply_filters()

    @staticmethod
    def _fill(combo: QComboBox, anything: str, items: list[tuple[str, str]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(anything, None)
        for text, value in items:
            combo.addItem(text, value)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def apply_filters(self) -> None:
        chosen = self.current_filter()
        if chosen.since and chosen.until and chosen.since >= chosen.until:
            self.model.set_entries([])
            self.count_note.show_text("The “From” date is after the “To” date, so nothing matches.",
                                      "warning")
            return
        with guarded(self.count_note.show_problem) as call:
            entries = audit.list_events(self.ctx, chosen)
        if call.failed:
            return
        more = len(entries) > LIMIT
        self.model.set_entries(entries[:LIMIT])
        if more:
            self.count_note.show_text(
                f"Showing the newest {LIMIT} events; there are older ones too. Use the dates, "
                "Who or Action to narrow the list.", "info")
        elif entries:
            self.count_note.show_text(f"{len(entries)} event{'s' if len(entries) != 1 else ''} "
                                      "shown.", "info")
        else:
            self.count_note.show_text("No events match these filters.", "info")

    def clear_filters(self) -> None:
        for widget in (self.from_check, self.to_check, self.actor_combo, self.action_combo):
            widget.blockSignals(True)
        self.from_check.setChecked(False)
        self.to_check.setChecked(False)
        self.from_date.setEnabled(False)
        self.to_date.setEnabled(False)
        self.actor_combo.setCurrentIndex(0)
        self.action_combo.setCurrentIndex(0)
        for widget in (self.from_check, self.to_check, self.actor_combo, self.action_combo):
            widget.blockSignals(False)
        self.search.clear()
        self.apply_filters()

    def clear(self) -> None:
        self.model.set_entries([], {})
        self.actor_combo.clear()
        self.action_combo.clear()
        self.search.clear()
        self.count_note.clear_text()
        self.verify_result.clear_text()

    # -- the chain check -------------------------------------------------------------------

    def verify(self) -> None:
        self.verify_result.clear_text()
        self.verify_button.setEnabled(False)
        operations.run(self, "Checking the audit trail…", lambda: audit.verify(self.ctx),
                       self._verified, self._verify_failed)

    def _verified(self, check: ChainCheck) -> None:
        self.verify_button.setEnabled(True)
        if check.ok:
            self.verify_result.show_text(
                f"The audit trail is intact: all {check.checked} events checked, none altered.", "ok")
            return
        found = list(check.findings)
        if check.first_broken_id is not None:
            found.insert(0, f"Event No. {check.first_broken_id} no longer matches the events before "
                         "it: it, or an event just before it, was changed or removed outside "
                         f"Confide ({check.checked} earlier events are intact).")
        self.verify_result.show_text(
            "Warning: the audit trail has been altered. " + " ".join(found) + " Leave this "
            "computer as it is and tell the person responsible for data protection.", "error")

    def _verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.verify_result.show_problem(exc)
