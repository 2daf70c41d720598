"""The on-screen report: a heading, the method note, then each table with its chart.

Everything shown comes from a `Report`, whose figures have already been through disclosure
control in the services; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.services.reports.disclosure_control import PublishedTable
from app.services.reports.report import Report
from app.services.reports.wording import generated_text
from app.ui import theme
from app.ui.reports.charts import BAR_ROLE, BarDelegate, MonthChart
from app.ui.widgets.messages import help_label, wrapped_label
from app.ui.widgets.table_model import RowsModel

_Index = QModelIndex | QPersistentModelIndex
COUNTED = {"families": "Families", "cases": "Cases", "follow_ups": "Follow-ups"}


@dataclass(frozen=True)
class Line:
    label: str
    text: str
    bar: float | None
    total: bool = False


class ReportTableModel(RowsModel):
    HEADERS = ("", "Contacts", "Chart")
    rows: list[Line]

    def __init__(self, table: PublishedTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.HEADERS = ("", COUNTED.get(table.key, "Contacts"), "")
        largest = max((row.value or 0 for row in table.rows), default=0)
        lines = [Line(row.label, row.text, (row.value or 0) / largest if largest else None)
                 for row in table.rows]
        if table.total is not None:
            lines.append(Line(f"Total: {table.total.label}", table.total.text, None, total=True))
        self.set_rows(lines)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole and column < 2:
            return (line.label, line.text)[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{line.label}: {line.text}" if column == 0 else (line.text if column == 1 else "")
        if role == BAR_ROLE and column == 2:
            return line.bar
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and line.total:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ReportTable(QTableView):
    """A table as tall as its rows: the page scrolls, not each table."""

    def __init__(self, table: PublishedTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(ReportTableModel(table, self))
        self.setAccessibleName(table.title)
        self.setItemDelegateForColumn(2, BarDelegate(self))
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        chars = self.fontMetrics().averageCharWidth()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, chars * 40)
        header.resizeSection(1, chars * 12)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        rows = self.model().rowCount()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setFixedHeight(header.sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
                            + 2 * self.frameWidth() + 2)


class ReportView(QWidget):
    """All of a report, top to bottom; placed in a scroll area by the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Report preview")
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 0, 12, 12)
        self.report: Report | None = None
        self.content: QWidget | None = None
        self.clear()

    def _replace(self, content: QWidget) -> None:
        if self.content is not None:
            self.outer.removeWidget(self.content)
            self.content.hide()
            # Out of the tree at once: until Qt deletes it, nothing should find the old report.
            self.content.setParent(None)
            self.content.deleteLater()
        self.content = content
        self.outer.addWidget(content)

    def clear(self) -> None:
        self.report = None
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(help_label("Choose a period above to see its report.", content))
        column.addStretch(1)
        self._replace(content)

    def show_report(self, report: Report) -> None:
        self.report = report
        content = QWidget(self)
        # Past about 120 characters a table's label and its figure drift too far apart to read.
        content.setMaximumWidth(self.fontMetrics().averageCharWidth() * 120)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(theme.heading(report.period.label, content, 1.3))
        made = f"{report.service_name} · made {generated_text(report.generated_at)}"
        if not report.complete:
            made += " · the period is not over yet, so the figures are to date"
        column.addWidget(help_label(made, content))
        method = wrapped_label(report.method_note(), content)
        method.setAccessibleName("How small numbers are shown")
        theme.set_banner_style(method)
        method.setContentsMargins(8, 6, 8, 6)
        column.addWidget(method)
        for table in report.tables:
            column.addSpacing(self.fontMetrics().height())
            column.addWidget(theme.heading(table.title, content, 1.15))
            if table.note:
                column.addWidget(help_label(table.note, content))
            if table.chart == "months":
                column.addWidget(MonthChart(table, content))
            column.addWidget(ReportTable(table, content))
        column.addStretch(1)
        self._replace(content)

    def texts(self) -> list[str]:
        """What the preview shows, as text (tests compare it with the PDF and CSV)."""
        found: list[str] = []
        if self.content is None:
            return found
        for child in self.content.findChildren(QLabel):
            found.append(child.text())
        for table in self.content.findChildren(ReportTable):
            model = table.model()
            for row in range(model.rowCount()):
                found += [str(model.index(row, c).data() or "") for c in (0, 1)]
        return found
