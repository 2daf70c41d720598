"""Choosing the period of a report: a financial year, a quarter, a month or a range of months.

Only whole months can be chosen (the services refuse anything finer), from the month of the
first call on record to this month, newest first, since recent periods are the usual ones.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QWidget

from app.services.people import InvalidInput
from app.services.reports.period import (
    Month,
    ReportPeriod,
    financial_year_name,
    financial_year_of,
    financial_year_period,
    month_period,
    month_range,
    quarter_period,
)

KINDS = ("Financial year", "Quarter", "Month", "Range of months")


def _combo(name: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class PeriodPicker(QWidget):
    """Emits `changed` whenever the chosen period changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Report period")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Pe&riod:", self)
        self.kind = _combo("Kind of period", self)
        self.kind.addItems(KINDS)
        label.setBuddy(self.kind)
        self.stack = QStackedWidget(self)
        self.year = _combo("Financial year", self.stack)
        self.quarter = _combo("Quarter", self.stack)
        self.month = _combo("Month", self.stack)
        range_box = QWidget(self.stack)
        range_row = QHBoxLayout(range_box)
        range_row.setContentsMargins(0, 0, 0, 0)
        self.first = _combo("First month", range_box)
        self.last = _combo("Last month", range_box)
        from_label = QLabel("&from", range_box)
        from_label.setBuddy(self.first)
        to_label = QLabel("&to", range_box)
        to_label.setBuddy(self.last)
        for widget in (from_label, self.first, to_label, self.last):
            range_row.addWidget(widget)
        for widget in (self.year, self.quarter, self.month, range_box):
            self.stack.addWidget(widget)
        row.addWidget(label)
        row.addWidget(self.kind)
        row.addWidget(self.stack)
        row.addStretch(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.year, self.quarter, self.month, self.first, self.last):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())

    def set_months(self, first: Month, last: Month) -> None:
        """Offer periods from `first` to `last` (this month); the current financial year is chosen."""
        combos = (self.year, self.quarter, self.month, self.first, self.last)
        for combo in combos:
            combo.blockSignals(True)
            combo.clear()
        months = [first.plus(n) for n in range(first.months_until(last) + 1)]
        for month in reversed(months):
            for combo in (self.month, self.first, self.last):
                combo.addItem(month.label, month)
        for start in range(financial_year_of(last), financial_year_of(first) - 1, -1):
            period = financial_year_period(start)
            self.year.addItem(f"{financial_year_name(start)} ({period.span})", start)
            for quarter in range(4, 0, -1):
                q = quarter_period(start, quarter)
                if q.first <= last and q.last >= first:
                    name = f"Q{quarter} {financial_year_name(start)} ({q.span})"
                    self.quarter.addItem(name, (start, quarter))
        # A range starts as the last twelve months, the figure people most often ask for.
        self.first.setCurrentIndex(min(11, self.first.count() - 1))
        for combo in combos:
            combo.blockSignals(False)
        self.changed.emit()

    def _kind_changed(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.changed.emit()

    def period(self) -> ReportPeriod:
        """The chosen period, or InvalidInput saying what to change."""
        index = self.kind.currentIndex()
        if index == 0 and self.year.currentData() is not None:
            return financial_year_period(self.year.currentData())
        if index == 1 and self.quarter.currentData() is not None:
            start, quarter = self.quarter.currentData()
            return quarter_period(start, quarter)
        if index == 2 and self.month.currentData() is not None:
            return month_period(self.month.currentData())
        if index == 3 and self.first.currentData() is not None and self.last.currentData() is not None:
            return month_range(self.first.currentData(), self.last.currentData())
        raise InvalidInput("Choose a period.", "period")

    def choose(self, kind: int, text: str = "") -> None:
        """Pick a kind of period and, if given, the entry whose text starts with `text` (for tests)."""
        self.kind.setCurrentIndex(kind)
        combo = (self.year, self.quarter, self.month, self.first)[kind]
        if text:
            found = next((i for i in range(combo.count()) if combo.itemText(i).startswith(text)), -1)
            if found < 0:
                raise ValueError(f"no period {text!r}")
            combo.setCurrentIndex(found)
