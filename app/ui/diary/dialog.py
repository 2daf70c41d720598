"""Booking, moving (by changing the times) and cancelling one appointment.

The form keeps everything typed when the services refuse it; the message goes under its
field. A clash with the adviser's own diary asks "save anyway?"; a room already booked is
refused by the services and shown under Room.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.services.access import ReasonRequired
from app.services.context import SignedIn
from app.services.diary import diary
from app.services.diary.diary import AdviserBusy, AppointmentView, CaseChoice, DiaryPerson
from app.services.diary.fields import (
    NAMED_VENUES,
    PURPOSE_MAX,
    AppointmentDetails,
    AppointmentKind,
    Venue,
)
from app.ui.operations import guarded
from app.ui.widgets.forms import FormDialog
from app.ui.widgets.messages import ask_to_confirm
from app.ui.widgets.times import to_local, to_utc

NO_ROOM = "No room"
DATE_TIME_FORMAT = "ddd dd/MM/yyyy HH:mm"


def _qt(moment: datetime) -> QDateTime:
    return QDateTime(moment.date(), moment.time())


class AppointmentDialog(FormDialog):
    """New (`existing` None) or edit. `saved(view)` runs after the services accepted it."""

    def __init__(self, ctx: SignedIn, people: list[DiaryPerson], rooms: tuple[str, ...],
                 starts_local: datetime, saved: Callable[[AppointmentView], None],
                 existing: AppointmentView | None = None, case_id: int | None = None,
                 adviser_id: int | None = None, parent: QWidget | None = None) -> None:
        title = "Change appointment" if existing else "New appointment"
        super().__init__(title, "&Save changes" if existing else "&Book", parent)
        self.ctx = ctx
        self.existing = existing
        self.saved = saved
        self.accepting_clash = False
        self.adviser = QComboBox(self)
        for person in people:
            self.adviser.addItem(person.full_name, person.id)
        chosen = existing.adviser_id if existing else (adviser_id or ctx.actor.id)
        self.adviser.setCurrentIndex(max(0, self.adviser.findData(chosen)))
        # Advisers book in their own diary; a manager may book for anyone.
        self.adviser.setEnabled(ctx.actor.is_manager)
        self.add_field("adviser_id", "A&dviser:", self.adviser)
        self.starts = self._date_time()
        self.ends = self._date_time()
        start = to_local(existing.starts_at) if existing else starts_local
        end = to_local(existing.ends_at) if existing else starts_local + timedelta(hours=1)
        self.starts.setDateTime(_qt(start))
        self.ends.setDateTime(_qt(end))
        self._length = end - start
        self.starts.dateTimeChanged.connect(self._start_moved)
        self.ends.dateTimeChanged.connect(self._end_moved)
        self.add_field("starts_at", "&Starts:", self.starts)
        self.add_field("ends_at", "&Ends:", self.ends,
                       "Moving the start moves the end with it. It may end on a later day.")
        self.kind = QComboBox(self)
        for kind in AppointmentKind:
            self.kind.addItem(kind.label, kind.value)
        self.add_field("kind", "&Type:", self.kind)
        self.venue = QComboBox(self)
        for venue in Venue:
            self.venue.addItem(venue.label, venue.value)
        self.add_field("venue", "&Venue:", self.venue)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText("Name of the school or place, never an address")
        self.add_field("venue_name", "&Place:", self.place,
                       "Colleagues see the venue and place, so they know where you are.")
        self.room = QComboBox(self)
        self.room.setEditable(True)
        self.room.addItem(NO_ROOM, "")
        for name in rooms:
            self.room.addItem(name, name)
        self.add_field("room", "&Room:", self.room, "An office interview room; Confide refuses to book "
                       "one twice at the same time.")
        self.case = QComboBox(self)
        self.add_field("case_id", "&Case:", self.case, "Only the case reference and the child's "
                       "initials are shown in the diary, and only to you, the family's advisers and "
                       "managers.")
        self.purpose = QPlainTextEdit(self)
        self.purpose.setTabChangesFocus(True)
        self.purpose.setFixedHeight(self.purpose.fontMetrics().lineSpacing() * 3 + 14)
        self.add_field("purpose", "P&urpose (private):", self.purpose,
                       f"Colleagues see only “Busy”. At most {PURPOSE_MAX} characters.")
        self.reason = QLineEdit(self)
        if ctx.actor.is_manager:
            self.add_field("reason", "Reason (&managers):", self.reason,
                           "Needed only to link a case that is not assigned to you; it is recorded.")
        else:
            # Advisers link only their own cases, so they are never asked for a reason.
            self.reason.setAccessibleName("Reason")
            self.reason.hide()
        self.venue.currentIndexChanged.connect(self._venue_changed)
        self.adviser.currentIndexChanged.connect(self._load_cases)
        self.cancel_button: QPushButton | None = None
        self.finish_layout()
        if existing is not None:
            self._fill(existing)
        else:
            self._load_cases(preselect=case_id)
        self._venue_changed()
        if existing is not None and existing.cancelled_at is None:
            self.cancel_button = self.buttons.addButton("Cancel &appointment…",
                                                        QDialogButtonBox.ButtonRole.DestructiveRole)
            self.cancel_button.setAccessibleName("Cancel appointment")
            self.cancel_button.clicked.connect(self._ask_cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self.submit = lambda: self._save(False)

    def _date_time(self) -> QDateTimeEdit:
        edit = QDateTimeEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_TIME_FORMAT)
        return edit

    # -- keeping the form consistent --------------------------------------------------------

    def _start_moved(self, _moment: QDateTime) -> None:
        blocked = self.ends.blockSignals(True)
        self.ends.setDateTime(_qt(self.starts.dateTime().toPython() + self._length))
        self.ends.blockSignals(blocked)

    def _end_moved(self, _moment: QDateTime) -> None:
        length = self.ends.dateTime().toPython() - self.starts.dateTime().toPython()
        if length > timedelta(0):
            self._length = length

    def _venue_changed(self, _index: int = 0) -> None:
        venue = Venue(self.venue.currentData())
        named = venue in NAMED_VENUES
        self.place.setEnabled(named)
        if not named:
            self.place.clear()
        self.room.setEnabled(venue is Venue.OFFICE)
        if venue is not Venue.OFFICE:
            self.room.setCurrentIndex(0)

    def _load_cases(self, _index: int = 0, preselect: int | None = None) -> None:
        keep = preselect if preselect is not None else self.case.currentData()
        self.case.clear()
        self.case.addItem("No case", None)
        choices: list[CaseChoice] = []
        # Only a manager may list a colleague's cases; an adviser reading a colleague's
        # appointment on a shared case sees just the case it already has.
        if self.ctx.actor.is_manager or self.adviser.currentData() == self.ctx.actor.id:
            with guarded(self.general.show_problem):
                choices = diary.bookable_cases(self.ctx, self.adviser.currentData())
        for choice in choices:
            self.case.addItem(choice.text, choice.id)
        if keep is not None and self.case.findData(keep) < 0 and self.existing is not None \
                and self.existing.case_id == keep:
            # A closed case, or one not the adviser's any more, stays linked unless changed.
            self.case.addItem(self.existing.case_reference or "Linked case", keep)
        self.case.setCurrentIndex(max(0, self.case.findData(keep)))

    def _fill(self, view: AppointmentView) -> None:
        self.kind.setCurrentIndex(self.kind.findData(view.kind.value))
        self.venue.setCurrentIndex(self.venue.findData(view.venue.value))
        self.place.setText(view.venue_name)
        if view.room:
            index = self.room.findData(view.room)
            if index < 0:
                self.room.addItem(view.room, view.room)
                index = self.room.count() - 1
            self.room.setCurrentIndex(index)
        self._load_cases(preselect=view.case_id)
        self.purpose.setPlainText(view.purpose)

    # -- saving -------------------------------------------------------------------------------

    def details(self) -> AppointmentDetails:
        room = self.room.currentText().strip()
        return AppointmentDetails(
            adviser_id=self.adviser.currentData(),
            starts_at=to_utc(self.starts.dateTime().toPython()),
            ends_at=to_utc(self.ends.dateTime().toPython()),
            kind=AppointmentKind(self.kind.currentData()), venue=Venue(self.venue.currentData()),
            venue_name=self.place.text(), room="" if room == NO_ROOM else room,
            case_id=self.case.currentData(), purpose=self.purpose.toPlainText(),
            reason=self.reason.text() or None)

    def _save(self, accept_clashes: bool) -> None:
        with guarded(self.failed) as call:
            try:
                if self.existing is None:
                    view = diary.book(self.ctx, self.details(), accept_clashes)
                else:
                    view = diary.change(self.ctx, self.existing.id, self.details(), accept_clashes)
            except AdviserBusy as busy:
                self.ok_button.setEnabled(True)
                self._ask_clash(busy)
                return
            except ReasonRequired as exc:
                self.failed(exc)
                if "reason" in self.errors.fields:
                    self.errors.show_at("reason", str(exc))
                return
        if not call.failed:
            self.saved(view)
            self.succeeded()

    def _ask_clash(self, busy: AdviserBusy) -> None:
        listed = "\n".join(c.describe() for c in busy.clashes)
        self.clash_box = ask_to_confirm(
            self, "Appointments overlap", str(busy), f"{listed}\n\nSave this one as well?",
            "Save &anyway", lambda: self._save(True))

    def _ask_cancel(self) -> None:
        existing = self.existing
        if existing is None:
            return
        when = f"{to_local(existing.starts_at):%A %d/%m/%Y %H:%M}"

        def cancel() -> None:
            with guarded(self.failed) as call:
                view = diary.cancel(self.ctx, existing.id)
            if not call.failed:
                self.saved(view)
                self.succeeded()

        self.cancel_box = ask_to_confirm(
            self, "Cancel appointment", f"Cancel the appointment on {when}?",
            "The time is freed in the team diary. The appointment stays listed, as cancelled, on "
            "its case.", "Cancel &appointment", cancel)
        self.cancel_box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
