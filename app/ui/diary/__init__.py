"""The Diary page: day, week and month views of one person's diary or the whole team's.

Colleagues' appointments show as "Busy" with the time and the venue only; see
app/services/access.py for who sees more. Follow-up dates from the person's own calls show in
their own row. Keyboard: Page Up / Page Down move a period, T goes to today, Ctrl+Shift+A
books an appointment; the shortcuts are written on the buttons.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services import access, changes
from app.services.context import SignedIn
from app.services.diary import diary
from app.services.diary.diary import AppointmentView, DiaryPerson
from app.ui import operations, theme
from app.ui.diary.dialog import AppointmentDialog
from app.ui.diary.grid import DiaryGrid, entries_for
from app.ui.diary.period import Period, ViewKind
from app.ui.operations import guarded
from app.ui.shell.pages import Page
from app.ui.widgets.files import save_pdf, write_private
from app.ui.widgets.forms import DialogHost
from app.ui.widgets.messages import Notice, help_label
from app.ui.widgets.times import to_utc

__all__ = ["DiaryPage"]
log = logging.getLogger("confide")

NEW_SHORTCUT = "Ctrl+Shift+A"
MINE, TEAM = "mine", "team"
EXPORT_MONTHS = 6


def _today() -> date:
    return datetime.now().date()


class DiaryPage(Page, DialogHost):
    title = "Diary"

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.books = access.sees_families(ctx.actor)
        self.period = Period(ViewKind.WEEK, _today())
        self.people: list[DiaryPerson] = []
        self.details: dict[int, AppointmentView] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(theme.heading("Diary", self))
        self.period_label = theme.heading("", self, 1.2)
        top.addWidget(self.period_label, 1)
        column.addLayout(top)
        column.addLayout(self._navigation_row())
        column.addLayout(self._actions_row())
        self.notice = Notice("Diary message", self)
        column.addWidget(self.notice)
        self.grid = DiaryGrid(self)
        self.grid.appointment_activated.connect(self.open_appointment)
        self.grid.day_requested.connect(self._show_day)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.grid)
        self.scroll.setAccessibleName("Diary grid")
        column.addWidget(self.scroll, 1)
        column.addWidget(help_label(
            "“Busy” is a colleague's appointment: only they, the family's advisers and managers see "
            "who it is with. Your own appointments show the case reference and the child's initials."
            if self.books else
            "Every appointment shows only “Busy”, the time and the venue: coordinators never see who "
            "an appointment is with.", self))
        self._shortcuts()
        self._unsubscribe = operations.listen(self._changed_elsewhere)
        self._load_people()
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: object, tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _navigation_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.previous_button = self._button("◀ Previous (PgUp)", "Previous period",
                                            lambda: self.step(-1), "Show the previous period (Page Up)")
        self.today_button = self._button("Today (T)", "Today", self.go_today, "Show today (T)")
        self.next_button = self._button("Next (PgDn) ▶", "Next period", lambda: self.step(1),
                                        "Show the next period (Page Down)")
        for button in (self.previous_button, self.today_button, self.next_button):
            row.addWidget(button)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        self.view_group = QButtonGroup(self)
        self.view_buttons: dict[ViewKind, QPushButton] = {}
        for kind, text in ((ViewKind.DAY, "&Day"), (ViewKind.WEEK, "&Week"), (ViewKind.MONTH, "&Month")):
            button = self._button(text, f"{kind.value.capitalize()} view",
                                  lambda _checked=False, k=kind: self.set_view(k),
                                  f"{kind.value.capitalize()} view (Alt+{text[1]})")
            button.setCheckable(True)
            self.view_group.addButton(button)
            self.view_buttons[kind] = button
            row.addWidget(button)
        self.view_buttons[ViewKind.WEEK].setChecked(True)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        show = QLabel("&Show:", self)
        self.staff = QComboBox(self)
        self.staff.setAccessibleName("Whose diary")
        self.staff.setMinimumContentsLength(18)
        show.setBuddy(self.staff)
        row.addWidget(show)
        row.addWidget(self.staff)
        row.addStretch(1)
        return row

    def _actions_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_button = self._button(f"&New appointment… ({NEW_SHORTCUT})", "New appointment",
                                       lambda: self.new_appointment(),
                                       f"Book an appointment ({NEW_SHORTCUT})")
        self.print_button = self._button("&Print my day…", "Print my day", self.print_day,
                                         "Your own appointments for the day shown, as a private PDF")
        self.export_button = self._button("E&xport to calendar…", "Export to calendar", self.export,
                                          f"Your next {EXPORT_MONTHS} months as an .ics file for a phone "
                                          "calendar: coded references and venues only, never names")
        for button in (self.new_button, self.print_button, self.export_button):
            row.addWidget(button)
            button.setVisible(self.books)
        row.addStretch(1)
        return row

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.step(-1), context=context)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.step(1), context=context)
        QShortcut(QKeySequence(Qt.Key.Key_T), self, self.go_today, context=context)
        if self.books:
            QShortcut(QKeySequence(NEW_SHORTCUT), self, lambda: self.new_appointment(), context=context)

    def _load_people(self) -> None:
        self.all_people: list[DiaryPerson] = []
        with guarded(self.notice.show_problem):
            self.all_people = diary.diary_staff(self.ctx)
        blocked = self.staff.blockSignals(True)
        self.staff.clear()
        if self.books:
            self.staff.addItem("My diary", MINE)
        self.staff.addItem("Whole team, side by side", TEAM)
        for person in self.all_people:
            self.staff.addItem(person.full_name, person.id)
        self.staff.blockSignals(blocked)
        self.staff.currentIndexChanged.connect(lambda _index: self.refresh())

    # -- what is shown -----------------------------------------------------------------------

    def chosen_people(self) -> list[DiaryPerson]:
        choice = self.staff.currentData()
        if choice == TEAM:
            # The person's own row first, where they look for it.
            me = [p for p in self.all_people if p.id == self.ctx.actor.id]
            return me + [p for p in self.all_people if p.id != self.ctx.actor.id]
        wanted = self.ctx.actor.id if choice == MINE else choice
        return [p for p in self.all_people if p.id == wanted] or (
            [DiaryPerson(self.ctx.actor.id, self.ctx.actor.full_name)] if choice == MINE else [])

    def refresh(self) -> None:
        self.notice.clear_text()
        self.period_label.setText(self.period.title)
        self.period_label.setAccessibleName(self.period.title)
        day = self.period.anchor
        self.print_button.setText(f"&Print my day ({day:%a} {day.day} {day:%b})…")
        people = self.chosen_people()
        ids = [p.id for p in people]
        start, end = self.period.utc_bounds()
        with guarded(self._not_shown) as call:
            slots = diary.team_diary(self.ctx, start, end, ids)
            views = diary.appointment_details(self.ctx, start, end, ids)
            mine = self.ctx.actor.id in ids
            follow_ups = diary.my_follow_ups(self.ctx, self.period.first_day, self.period.last_day) \
                if mine else []
        if call.failed:
            return
        self.people = people
        self.details = {v.id: v for v in views}
        self.grid.show_period(self.period, people, entries_for(slots, self.details, follow_ups,
                                                               self.ctx.actor.id), _today(),
                               self.ctx.actor.id)

    def _not_shown(self, exc: BaseException) -> None:
        self.notice.show_problem(exc)
        self.grid.clear()

    def set_view(self, kind: ViewKind) -> None:
        self.period = Period(kind, self.period.anchor)
        self.view_buttons[kind].setChecked(True)
        self.refresh()

    def step(self, direction: int) -> None:
        self.period = self.period.step(direction)
        self.refresh()

    def go_today(self) -> None:
        self.period = Period(self.period.kind, _today())
        self.refresh()

    def _show_day(self, day: date) -> None:
        self.period = Period(ViewKind.DAY, day)
        self.view_buttons[ViewKind.DAY].setChecked(True)
        self.refresh()

    def show_person(self, choice: object) -> None:
        """Pick whose diary to show: MINE, TEAM or a staff id."""
        index = self.staff.findData(choice)
        if index >= 0:
            self.staff.setCurrentIndex(index)

    # -- booking -----------------------------------------------------------------------------

    def _rooms(self) -> tuple[str, ...]:
        # Not read: the dialog offers no rooms to choose from, and booking still works.
        with guarded(lambda exc: log.info("interview rooms not read: %s", type(exc).__name__)):
            return diary.interview_rooms(self.ctx)
        return ()

    def new_appointment(self, case_id: int | None = None) -> AppointmentDialog | None:
        if not self.books:
            return None
        day = self.period.anchor
        starts = datetime.combine(day, time(10, 0))
        person = self.staff.currentData()
        adviser = person if isinstance(person, int) else self.ctx.actor.id
        dialog = AppointmentDialog(self.ctx, self.all_people, self._rooms(), starts, self._saved,
                                   case_id=case_id, adviser_id=adviser, parent=self)
        self.show_dialog(dialog)
        return dialog

    def open_appointment(self, appointment_id: int) -> AppointmentDialog | None:
        view = self.details.get(appointment_id)
        if view is None or not self.books:
            return None
        dialog = AppointmentDialog(self.ctx, self.all_people, self._rooms(), datetime.now(), self._saved,
                                   existing=view, parent=self)
        if view.adviser_id != self.ctx.actor.id and not self.ctx.actor.is_manager:
            # On a case of theirs but in a colleague's diary: they may read it, not change it.
            dialog.setWindowTitle(f"Appointment in {view.adviser}'s diary")
            dialog.ok_button.setEnabled(False)
            dialog.ok_button.setToolTip(diary.NOT_YOURS)
            if dialog.cancel_button is not None:
                dialog.cancel_button.hide()
        self.show_dialog(dialog)
        return dialog

    def _saved(self, view: AppointmentView) -> None:
        self.refresh()
        what = "cancelled" if view.cancelled_at else "saved"
        self.notice.show_text(f"Appointment {what}: {view.where}.", "ok")

    # -- print and export ---------------------------------------------------------------------

    def print_day(self) -> None:
        # Imported here, as in export: the module draws with reportlab, which loads only when
        # something is printed or exported, not with the page.
        from app.services.diary import export as diary_export

        day = self.period.anchor
        save_pdf(self, "Print my day", f"my-day-{day:%Y-%m-%d}.pdf",
                 lambda: diary_export.print_my_day(self.ctx, day), lambda _path: None,
                 self.notice.show_problem, "Making the page for your day…")

    def export(self, path: Path | None = None) -> Path | None:
        from app.services.diary import export as diary_export

        if path is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to calendar",
                                                    str(Path(folder) / "confide-diary.ics"),
                                                    "Calendar files (*.ics)")
            if not chosen:
                return None
            path = Path(chosen)
        if path.suffix.casefold() != ".ics":
            path = path.with_suffix(".ics")
        start = to_utc(datetime.combine(_today(), time()))
        later = Period(ViewKind.MONTH, _today())
        for _ in range(EXPORT_MONTHS):
            later = later.step(1)
        end = to_utc(datetime.combine(later.anchor, time()))
        with guarded(self.notice.show_problem) as call:
            try:
                write_private(path, diary_export.export_calendar(self.ctx, start, end).encode("utf-8"))
            except OSError as exc:
                self.notice.show_text(f"The calendar file could not be saved there "
                                      f"({exc.strerror or 'the folder refused it'}).", "error")
                return None
        if call.failed:
            return None
        self.notice.show_text(f"Saved {path.name}: your next {EXPORT_MONTHS} months, with coded "
                              "references and venues only.", "ok")
        return path

    # -- the page's duties ---------------------------------------------------------------------

    def _changed_elsewhere(self, change: changes.Change) -> None:
        if change.kind == changes.DIARY_CHANGED and self.isVisible() and self.dialog is None:
            self.refresh()

    def clear(self) -> None:
        self._unsubscribe()
        self.close_dialog()
        self.details = {}
        self.grid.clear()
        self.notice.clear_text()
