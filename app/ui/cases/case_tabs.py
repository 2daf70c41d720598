"""The smaller tabs of a case: calls, follow-ups, advisers, status and the family's appointments."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QListWidgetItem, QPushButton, QWidget

from app.services import access
from app.services.calls import calls
from app.services.calls.calls import CallRecord
from app.services.cases import cases
from app.services.cases.fields import CaseStatus
from app.services.context import SignedIn
from app.services.diary import diary
from app.services.diary.diary import AppointmentView
from app.services.staff import staff
from app.ui.cases.tab_base import CaseTab, day, moment, record_list
from app.ui.operations import guarded
from app.ui.widgets.messages import ask_to_confirm, help_label
from app.ui.widgets.times import to_local


def call_line(call: CallRecord) -> str:
    topics = ", ".join(call.topics) or "no topics"
    parts = [moment(call.at), f"{call.direction.value} {call.channel.value}",
             f"{call.duration_minutes} min", call.caller_type.value, topics]
    if call.outcome is not None:
        parts.append(call.outcome.value)
    if call.safeguarding_concern:
        parts.append("⚠ safeguarding concern")
    line = " · ".join(parts) + f" · by {call.adviser or 'unknown'}"
    return f"{line}\n{call.summary}" if call.summary else line


class CallsTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Calls", parent)
        self.list = record_list(self, "Calls on this case, newest first")
        self.column.addWidget(self.list, 1)

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        self.list.clear()
        for call in case.calls:
            self.list.addItem(call_line(call))
        if not case.calls:
            self.list.addItem("No calls are recorded on this case yet.")

    def clear(self) -> None:
        super().clear()
        self.list.clear()


class FollowUpsTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Follow-ups", parent)
        self.list = record_list(self, "Follow-ups, soonest first")
        self.column.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.done_button = QPushButton("Mark selected follow-up &done", self)
        self.done_button.clicked.connect(self.mark_done)
        row.addStretch(1)
        row.addWidget(self.done_button)
        self.column.addLayout(row)

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        self.list.clear()
        for call in case.follow_ups:
            item = QListWidgetItem(f"Due {day(call.follow_up_date)} · from the call of {moment(call.at)}"
                                   f" · {call.adviser or 'unknown'}")
            item.setData(Qt.ItemDataRole.UserRole, call.id)
            self.list.addItem(item)
        done = [c for c in case.calls if c.follow_up_date and c.follow_up_done_at]
        for call in done:
            self.list.addItem(f"Done {moment(call.follow_up_done_at)} · was due {day(call.follow_up_date)}")
        if not case.follow_ups and not done:
            self.list.addItem("No follow-ups on this case.")

    def mark_done(self) -> None:
        item = self.list.currentItem()
        call_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if call_id is None:
            self.notice.show_text("Select a follow-up that is still due first.", "info")
            return
        self.attempt(lambda: calls.mark_follow_up_done(self.ctx, call_id), "Follow-up marked done.")

    def clear(self) -> None:
        super().clear()
        self.list.clear()


class AdvisersTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Advisers", parent)
        self.list = record_list(self, "Advisers assigned to this case")
        self.column.addWidget(self.list, 1)
        self.people = QComboBox(self)
        self.people.setAccessibleName("Adviser to assign")
        self.assign_button = QPushButton("&Assign", self)
        self.assign_button.clicked.connect(self.assign)
        self.unassign_button = QPushButton("&Unassign selected", self)
        self.unassign_button.clicked.connect(self.unassign)
        row = QHBoxLayout()
        row.addWidget(self.people, 1)
        row.addWidget(self.assign_button)
        row.addWidget(self.unassign_button)
        self.column.addLayout(row)
        if not ctx.actor.is_manager:
            for widget in (self.people, self.assign_button, self.unassign_button):
                widget.hide()
            self.column.addWidget(help_label("Only a manager can change who is assigned.", self))

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        self.list.clear()
        for adviser in case.advisers:
            item = QListWidgetItem(adviser.full_name)
            item.setData(Qt.ItemDataRole.UserRole, adviser.id)
            self.list.addItem(item)
        if self.ctx.actor.is_manager:
            self.people.clear()
            assigned = {a.id for a in case.advisers}
            # On failure the rest of the case still shows; only the choice of advisers is missing.
            with guarded(self.notice.show_problem) as call:
                members = staff.list_staff(self.ctx)
            if call.failed:
                return
            for member in members:
                if access.may_hold_cases(member) and member.id not in assigned:
                    self.people.addItem(f"{member.full_name} ({member.role.label})", member.id)

    def assign(self) -> None:
        staff_id = self.people.currentData()
        if self.case is not None and staff_id is not None:
            case_id = self.case.id
            self.attempt(lambda: cases.assign_adviser(self.ctx, case_id, staff_id), "Adviser assigned.")

    def unassign(self) -> None:
        item = self.list.currentItem()
        if self.case is None or item is None:
            self.notice.show_text("Select an adviser in the list first.", "info")
            return
        case_id, staff_id = self.case.id, item.data(Qt.ItemDataRole.UserRole)
        self.attempt(lambda: cases.unassign_adviser(self.ctx, case_id, staff_id), "Adviser unassigned.")

    def clear(self) -> None:
        super().clear()
        self.list.clear()
        self.people.clear()


class StatusTab(CaseTab):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Status", parent)
        self.list = record_list(self, "Status history")
        self.column.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.close_button = QPushButton("&Close case…", self)
        self.close_button.clicked.connect(self.ask_close)
        self.reopen_button = QPushButton("Reopen ca&se…", self)
        self.reopen_button.clicked.connect(self.ask_reopen)
        row.addStretch(1)
        row.addWidget(self.close_button)
        row.addWidget(self.reopen_button)
        self.column.addLayout(row)

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        self.list.clear()
        for change in reversed(case.history):
            self.list.addItem(f"{moment(change.at)} · {change.status} · by {change.by or 'unknown'}")
        self.close_button.setEnabled(case.status is CaseStatus.OPEN)
        self.reopen_button.setEnabled(case.status is not CaseStatus.OPEN)

    def ask_close(self) -> None:
        if self.case is not None:
            case_id = self.case.id
            self.track(ask_to_confirm(
                self, "Close case", f"Close case {self.case.reference}?",
                "You can reopen it later; nothing on it is deleted.", "Close case",
                lambda: self.attempt(lambda: cases.close_case(self.ctx, case_id), "Case closed.")))

    def ask_reopen(self) -> None:
        if self.case is not None:
            case_id = self.case.id
            self.track(ask_to_confirm(
                self, "Reopen case", f"Reopen case {self.case.reference}?",
                "It goes back on the open cases list of its advisers.", "Reopen case",
                lambda: self.attempt(lambda: cases.reopen_case(self.ctx, case_id), "Case reopened.")))

    def clear(self) -> None:
        super().clear()
        self.list.clear()


def appointment_line(view: AppointmentView) -> str:
    start, end = to_local(view.starts_at), to_local(view.ends_at)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d/%m/%Y %H:%M}"
    line = (f"{start:%a %d/%m/%Y %H:%M}–{until} · {view.kind.label} · {view.where} · "
            f"{view.adviser or 'unknown'}")
    if view.cancelled_at is not None:
        line = f"Cancelled: {line}"
    return f"{line}\n{view.purpose}" if view.purpose else line


class DiaryTab(CaseTab):
    """The family's appointments, newest first, cancelled ones marked; book one from here."""

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Diary", parent)
        self.list = record_list(self, "Appointments for this case, newest first")
        self.column.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.book_button = QPushButton("Boo&k an appointment for this case…", self)
        self.book_button.clicked.connect(self.book)
        row.addWidget(help_label("Colleagues see these only as “Busy” in the team diary.", self), 1)
        row.addWidget(self.book_button)
        self.column.addLayout(row)

    def show_case(self, case: cases.CaseView) -> None:
        super().show_case(case)
        self.list.clear()
        with guarded(self.notice.show_problem) as call:
            views = diary.case_appointments(self.ctx, case.id)
        if call.failed:
            return
        for view in views:
            self.list.addItem(appointment_line(view))
        if not views:
            self.list.addItem("No appointments are booked for this case.")

    def book(self) -> None:
        from app.ui.diary.dialog import AppointmentDialog

        if self.case is None:
            return
        with guarded(self.notice.show_problem) as call:
            people, rooms = diary.diary_staff(self.ctx), diary.interview_rooms(self.ctx)
        if call.failed:
            return
        tomorrow = datetime.combine(datetime.now().date() + timedelta(days=1), time(10, 0))

        def saved(_view: AppointmentView) -> None:
            self.changed.emit()
            self.notice.show_text("Appointment booked.", "ok")

        self.show_dialog(AppointmentDialog(self.ctx, people, rooms, tomorrow, saved,
                                           case_id=self.case.id, parent=self))

    def clear(self) -> None:
        super().clear()
        self.list.clear()
