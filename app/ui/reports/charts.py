"""Charts for the on-screen report, drawn with QPainter from the published figures only.

A hidden or `<5` figure gets no bar, just its mark, exactly as in the PDF. Colours come from
the palette (highlight for bars, the text colour for words), so dark mode stays readable.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.services.reports.disclosure_control import PublishedTable

BAR_ROLE = Qt.ItemDataRole.UserRole + 1  # a row's bar length, 0..1, or None for no bar
# Month names under every column up to two years; beyond that only each January, with its year.
LABEL_EVERY_MONTH = 24


def nice_top(largest: int) -> tuple[int, int]:
    """An axis top and step (1, 2 or 5 times a power of ten) giving at most five gridlines."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            unit = step * factor
            if largest <= unit * 5:
                return unit * max(1, -(-largest // unit)), unit
        step *= 10


class MonthChart(QWidget):
    """Columns of contacts per month, each labelled with its published figure."""

    def __init__(self, table: PublishedTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.setAccessibleName(f"Chart: {table.title}")
        self.setAccessibleDescription("; ".join(f"{row.label}: {row.text}" for row in table.rows))
        self.setMinimumHeight(self.fontMetrics().height() * 12)

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 14)

    def paintEvent(self, event: QPaintEvent) -> None:
        rows = self.table.rows
        if not rows:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height()
        palette = self.palette()
        text_pen = QPen(palette.color(QPalette.ColorRole.WindowText))
        grid_pen = QPen(palette.color(QPalette.ColorRole.Mid))
        grid_pen.setWidthF(0.6)
        top_value, step = nice_top(max((row.value or 0 for row in rows), default=0) or 5)
        left = metrics.horizontalAdvance(f"{top_value:,}") + 10
        area = QRectF(left, line * 1.5, self.width() - left - 8, self.height() - line * 4)
        painter.setPen(text_pen)
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, "Contacts")
        for tick in range(0, top_value + 1, step):
            y = area.bottom() - area.height() * tick / top_value
            painter.setPen(grid_pen)
            painter.drawLine(int(area.left()), int(y), int(area.right()), int(y))
            painter.setPen(text_pen)
            painter.drawText(QRectF(0, y - line / 2, left - 6, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{tick:,}")
        slot = area.width() / len(rows)
        width = max(1.0, slot * (0.72 if len(rows) <= LABEL_EVERY_MONTH else 0.9))
        bar_colour = palette.color(QPalette.ColorRole.Highlight)
        for index, row in enumerate(rows):
            x = area.left() + slot * index + (slot - width) / 2
            height = area.height() * (row.value or 0) / top_value
            if height:
                painter.fillRect(QRectF(x, area.bottom() - height, width, height), bar_colour)
            name, year = row.label.split()[0], row.label.split()[-1]
            painter.setPen(text_pen)
            centre = QRectF(area.left() + slot * index - 20, 0, slot + 40, line)
            if len(rows) <= LABEL_EVERY_MONTH:
                if slot > metrics.horizontalAdvance(row.text) + 2:
                    painter.drawText(centre.translated(0, area.bottom() - height - line - 2),
                                     Qt.AlignmentFlag.AlignHCenter, row.text)
                painter.drawText(centre.translated(0, area.bottom() + 3), Qt.AlignmentFlag.AlignHCenter,
                                 name[:3])
                if index == 0 or name == "January":
                    painter.drawText(centre.translated(0, area.bottom() + 3 + line),
                                     Qt.AlignmentFlag.AlignHCenter, year)
            elif name == "January" or index == 0:
                painter.drawText(centre.translated(0, area.bottom() + 3), Qt.AlignmentFlag.AlignHCenter, year)
        painter.end()


class BarDelegate(QStyledItemDelegate):
    """Draws a row's bar in the chart column of a report table."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        length = index.data(BAR_ROLE)
        if not length:
            return
        rect = option.rect.adjusted(4, 4, -8, -4)  # type: ignore[attr-defined]
        painter.save()
        painter.fillRect(QRectF(rect.left(), rect.top(), rect.width() * float(length), rect.height()),
                         option.palette.color(QPalette.ColorRole.Highlight))  # type: ignore[attr-defined]
        painter.restore()
