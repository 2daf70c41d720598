"""The diary grid: people down the side and days across (week), people across (day), or a month.

Each appointment is a small focusable "chip". A colleague's appointment shows only "Busy", the
time and the venue: the grid is built from the services' DiarySlot, which has no field for
anything more, and from the AppointmentView records the services chose to return for the
signed-in person (their own, their cases', or every one for a manager).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.services.diary.diary import AppointmentView, DiaryPerson, DiarySlot, FollowUpDue
from app.ui import theme
from app.ui.diary.period import Period, ViewKind
from app.ui.widgets.times import to_local

MONTH_CHIPS = 3  # per day cell in the month view; the rest behind "+N more"


@dataclass(frozen=True)
class Entry:
    """One line in one person's day: an appointment (either form) or a follow-up."""

    style: str  # "mine", "busy" or "follow-up"
    adviser_id: int
    day: date
    sort_key: datetime
    text: str
    description: str  # the accessible name and tooltip: the same words, never more
    appointment_id: int | None = None


def _times(start: datetime, end: datetime, day: date) -> str:
    first = f"{start:%H:%M}" if start.date() == day else "from " + f"{start:%d/%m %H:%M}"
    last = f"{end:%H:%M}" if end.date() == day else f"{end:%d/%m %H:%M}"
    return f"{first}–{last}"


def _covered_days(start: datetime, end: datetime) -> list[date]:
    last = (end - timedelta(microseconds=1)).date()
    days, day = [], start.date()
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days


def entries_for(slots: Sequence[DiarySlot], details: dict[int, AppointmentView],
                follow_ups: Sequence[FollowUpDue], me: int) -> list[Entry]:
    """Chips for every day each appointment covers (a late session shows on both days)."""
    found: list[Entry] = []
    for slot in slots:
        start, end = to_local(slot.starts_at), to_local(slot.ends_at)
        view = details.get(slot.appointment_id) if slot.mine else None
        for day in _covered_days(start, end):
            times = _times(start, end, day)
            if view is None:
                text = f"{times} {slot.label} · {slot.venue}"
                description = f"{slot.adviser}: {slot.label}, {times.replace('–', ' to ')}, {slot.venue}"
                found.append(Entry("busy", slot.adviser_id, day, start, text, description))
                continue
            text = f"{times} {view.title}\n{view.where}"
            description = f"{view.adviser}: {view.title}, {times.replace('–', ' to ')}, {view.where}"
            if view.purpose:
                description += f". Purpose: {view.purpose}"
            found.append(Entry("mine", slot.adviser_id, day, start, text, description, slot.appointment_id))
    for item in follow_ups:
        what = f"case {item.case_reference}" if item.case_reference else "an anonymous call"
        text = f"Follow-up due · {item.case_reference or 'anonymous call'}"
        description = (f"Follow-up due today on {what}, from the call of "
                       f"{to_local(item.call_at):%d/%m/%Y %H:%M}")
        found.append(Entry("follow-up", me, item.due, datetime.combine(item.due, datetime.min.time()),
                           text, description))
    return sorted(found, key=lambda e: (e.day, e.style != "follow-up", e.sort_key))


class Colours:
    """The grid's colours, picked from the palette so light and dark themes both read well."""

    def __init__(self, palette: QPalette) -> None:
        dark = theme.is_dark(palette)
        self.accent = palette.color(QPalette.ColorRole.Highlight)
        self.line = palette.color(QPalette.ColorRole.Mid)
        amber = QColor("#ffc46b" if dark else "#b06d00")
        self.fills = {"mine": _tint(self.accent, 70 if dark else 45),
                      "busy": _tint(self.line, 90 if dark else 60),
                      "follow-up": _tint(amber, 50 if dark else 35)}
        self.bars = {"mine": self.accent, "busy": self.line, "follow-up": amber}


def _tint(colour: QColor, alpha: int) -> QColor:
    tinted = QColor(colour)
    tinted.setAlpha(alpha)
    return tinted


class Chip(QWidget):
    """One appointment. Enter, Space or a click opens it, when the person may open it.

    Drawn by hand (a tinted box, a coloured bar on the left, the words wrapped inside) rather
    than as a styled QLabel: a team week holds hundreds of these, and QLabel's search for the
    best wrapped size, with style sheets, took most of the time a week needed to appear.
    """

    activated = Signal(int)
    MARGINS = (9, 3, 4, 3)  # left (after the bar), top, right, bottom

    def __init__(self, entry: Entry, prefix: str, colours: Colours, parent: QWidget) -> None:
        super().__init__(parent)
        self.entry = entry
        self.colours = colours
        self._text = prefix + entry.text
        self._heights: dict[int, int] = {}
        self.setObjectName(f"chip-{entry.style}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(entry.description)
        self.setToolTip(entry.description)
        if entry.appointment_id is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def text(self) -> str:
        return self._text

    @property
    def label(self) -> Chip:
        """The chip holds its own words (kept so callers can read `chip.label.text()`)."""
        return self

    def _text_height(self, width: int) -> int:
        # Layouts ask for the same few widths again and again while settling: remember them.
        known = self._heights.get(width)
        if known is not None:
            return known
        left, top, right, bottom = self.MARGINS
        inner = max(1, width - left - right)
        bound = self.fontMetrics().boundingRect(QRect(0, 0, inner, 100_000),
                                                int(Qt.TextFlag.TextWordWrap), self._text)
        self._heights[width] = bound.height() + top + bottom
        return self._heights[width]

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._text_height(width)

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().averageCharWidth() * 24
        return QSize(width, self._text_height(width))

    def minimumSizeHint(self) -> QSize:
        width = self.fontMetrics().averageCharWidth() * 8
        return QSize(width, self.fontMetrics().height() + self.MARGINS[1] + self.MARGINS[3])

    def paintEvent(self, _event: QPaintEvent) -> None:
        # Square, unsmoothed boxes: antialiased rounded corners cost more than the rest of a week.
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.colours.fills[self.entry.style])
        painter.fillRect(QRect(0, 0, 4, self.height()), self.colours.bars[self.entry.style])
        if self.hasFocus():
            painter.setPen(QPen(self.colours.accent, 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        left, top, right, bottom = self.MARGINS
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.rect().adjusted(left, top, -right, -bottom),
                         int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignTop), self._text)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._activate()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._activate()
            return
        super().keyPressEvent(event)

    def _activate(self) -> None:
        if self.entry.appointment_id is not None:
            self.activated.emit(self.entry.appointment_id)


class Cell(QWidget):
    """One person's day: a thin box (a thicker accent one for today) holding the chips."""

    def __init__(self, name: str, today: bool, colours: Colours, parent: QWidget) -> None:
        super().__init__(parent)
        self.today = today
        self.colours = colours
        self.setObjectName("todayCell" if today else "dayCell")
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        width = 2 if self.today else 1
        painter.setPen(QPen(self.colours.accent if self.today else self.colours.line, width))
        half = width / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        painter.end()


class DiaryGrid(QWidget):
    """Rebuilt whole for each period and staff choice, as one body widget swapped in at once."""

    appointment_activated = Signal(int)
    day_requested = Signal(object)  # a date, from "+N more" in the month view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Diary")
        self.colours = Colours(self.palette())
        self.bold = theme.scaled_font(self, 1.0, bold=True)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 0, 0, 0)
        self.body: QWidget | None = None
        self.layout_ = QGridLayout()
        self.chips: list[Chip] = []
        self.me: int | None = None

    def clear(self) -> None:
        """Drop the whole body at once: one deletion rather than one per chip."""
        self.chips = []
        body, self.body = self.body, None
        if body is not None:
            body.hide()
            self.outer.removeWidget(body)
            body.deleteLater()

    def show_period(self, period: Period, people: Sequence[DiaryPerson], entries: Sequence[Entry],
                    today: date, me: int | None = None) -> None:
        self.clear()
        self.me = me
        body = QWidget(self)
        # Built hidden and shown once, so Qt lays it out once rather than after every widget.
        body.hide()
        self.body = body
        self.layout_ = QGridLayout(body)
        self.layout_.setSpacing(4)
        self.layout_.setContentsMargins(4, 4, 4, 4)
        by_cell: dict[tuple[int, date], list[Entry]] = {}
        for entry in entries:
            by_cell.setdefault((entry.adviser_id, entry.day), []).append(entry)
        if period.kind is ViewKind.MONTH:
            self._month(period, people, entries, today)
        elif period.kind is ViewKind.WEEK:
            self._week(period, people, by_cell, today)
        else:
            self._day(period, people, by_cell, today)
        self.outer.addWidget(body)
        body.show()

    # -- the three layouts ------------------------------------------------------------------

    def _header(self, text: str, row: int, column: int, today: bool = False,
                align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
        label = QLabel(text, self.body)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        label.setWordWrap(True)
        label.setFont(self.bold)
        label.setAccessibleName(text + (" (today)" if today else ""))
        if today:
            label.setForegroundRole(QPalette.ColorRole.Highlight)
        self.layout_.addWidget(label, row, column)

    def _cell(self, entries: Sequence[Entry], name: str, today: bool, prefix: Callable[[Entry], str],
              limit: int | None = None, day: date | None = None, caption: str = "") -> Cell:
        cell = Cell(name, today, self.colours, self.body or self)
        if not entries and not caption:
            return cell  # most cells of a week are empty: no layout to build or lay out
        column = QVBoxLayout(cell)
        column.setContentsMargins(3, 3, 3, 3)
        column.setSpacing(3)
        if caption:
            label = QLabel(caption, cell)
            label.setAccessibleName(name)
            label.setFont(theme.scaled_font(label, 1.0, bold=today))
            column.addWidget(label)
        shown = entries if limit is None else entries[:limit]
        for entry in shown:
            chip = Chip(entry, prefix(entry), self.colours, cell)
            chip.activated.connect(self.appointment_activated)
            self.chips.append(chip)
            column.addWidget(chip)
        hidden = len(entries) - len(shown)
        if hidden and day is not None:
            more = QPushButton(f"+{hidden} more", cell)
            more.setFlat(True)
            more.setAccessibleName(f"{hidden} more on {day:%d/%m/%Y}: open the day")
            more.clicked.connect(lambda _checked=False, d=day: self.day_requested.emit(d))
            column.addWidget(more)
        column.addStretch(1)
        return cell

    def _week(self, period: Period, people: Sequence[DiaryPerson],
              by_cell: dict[tuple[int, date], list[Entry]], today: date) -> None:
        for column, day in enumerate(period.days, start=1):
            self._header(f"{day:%a} {day.day} {day:%b}", 0, column, day == today)
            self.layout_.setColumnStretch(column, 1 if day.weekday() < 5 else 0)
            self.layout_.setColumnMinimumWidth(column, self.fontMetrics().averageCharWidth() * 14)
        for row, person in enumerate(people, start=1):
            self._header(self._name(person), row, 0, align=Qt.AlignmentFlag.AlignLeft)
            for column, day in enumerate(period.days, start=1):
                cell = self._cell(by_cell.get((person.id, day), []),
                                  f"{person.full_name}, {day:%A %d/%m/%Y}", day == today, lambda _e: "")
                self.layout_.addWidget(cell, row, column)
            self.layout_.setRowStretch(row, 1)
        self._empty_note(people, len(period.days) + 1)

    def _day(self, period: Period, people: Sequence[DiaryPerson],
             by_cell: dict[tuple[int, date], list[Entry]], today: date) -> None:
        day = period.anchor
        for column, person in enumerate(people):
            self._header(self._name(person), 0, column)
            self.layout_.addWidget(self._cell(by_cell.get((person.id, day), []),
                                              f"{person.full_name}, {day:%A %d/%m/%Y}", day == today,
                                              lambda _e: ""), 1, column)
            self.layout_.setColumnStretch(column, 1)
            self.layout_.setColumnMinimumWidth(column, self.fontMetrics().averageCharWidth() * 18)
        self.layout_.setRowStretch(1, 1)
        self._empty_note(people, max(1, len(people)))

    def _month(self, period: Period, people: Sequence[DiaryPerson], entries: Sequence[Entry],
               today: date) -> None:
        shown = {p.id: p.full_name.split()[0] for p in people}
        several = len(people) > 1
        by_day: dict[date, list[Entry]] = {}
        for entry in entries:
            if entry.adviser_id in shown:
                by_day.setdefault(entry.day, []).append(entry)
        for column, day in enumerate(period.days[:7]):
            self._header(f"{day:%A}", 0, column)
            self.layout_.setColumnStretch(column, 1)
        for index, day in enumerate(period.days):
            row, column = 1 + index // 7, index % 7
            outside = day.month != period.anchor.month
            caption = f"{day.day}" if not outside else f"{day.day} {day:%b}"
            cell = self._cell(
                by_day.get(day, []), f"{day:%A %d/%m/%Y}", day == today,
                (lambda e: f"{shown.get(e.adviser_id, '')}: ") if several else (lambda _e: ""),
                MONTH_CHIPS, day, caption)
            if outside:
                cell.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.layout_.addWidget(cell, row, column)
            self.layout_.setRowStretch(row, 1)

    def _name(self, person: DiaryPerson) -> str:
        return f"{person.full_name} (you)" if person.id == self.me else person.full_name

    def _empty_note(self, people: Sequence[DiaryPerson], span: int) -> None:
        if not people:
            note = QLabel("Nobody has a diary to show yet.", self.body)
            self.layout_.addWidget(note, 1, 0, 1, span)
