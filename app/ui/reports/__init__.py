"""The Reports page (coordinators and managers): choose a period, see the report, export it.

The preview follows the chosen period as soon as it changes. Making a report and exporting one
run off the GUI thread behind a progress indicator; the services check the role, control the
small numbers and audit each export, so this page only asks and shows.

Managers also see how small numbers are controlled and may change it for the service; a
coordinator sees the service's choice written out, with no control.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from app.services.context import SignedIn
from app.services.reports import method as report_settings
from app.services.reports import report
from app.services.reports.disclosure_control import (
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    THRESHOLD_STEP,
    Method,
    Rules,
)
from app.services.reports.report import ExportResult, Report, ReportFormat
from app.ui import operations, theme
from app.ui.operations import guarded
from app.ui.reports.period_picker import PeriodPicker
from app.ui.reports.report_view import ReportView
from app.ui.shell.pages import Page
from app.ui.widgets.messages import Notice, help_label

__all__ = ["ReportsPage"]

# Wait for a pause while someone steps through periods with the arrow keys.
PREVIEW_PAUSE_MS = 300
FILTERS = {ReportFormat.PDF: "PDF documents (*.pdf)", ReportFormat.CSV: "CSV spreadsheets (*.csv)"}


def _button(text: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.setToolTip(tip)
    return button


class ReportsPage(Page):
    title = "Reports"

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.report: Report | None = None
        self._asked = 0  # numbers each preview, so a late answer for an old period is dropped
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.addWidget(theme.heading("Reports", self))
        layout.addWidget(help_label(
            "Anonymous figures about the service, for funders, the local authority and the team. "
            "Small numbers are controlled before anything is shown, so no family can be recognised.",
            self))

        self.picker = PeriodPicker(self)
        layout.addWidget(self.picker)
        self.method_row = self._method_row()
        layout.addWidget(self.method_row)

        buttons = QHBoxLayout()
        self.pdf_button = _button("Export P&DF…", "Save the report as a PDF with charts (Ctrl+E)", self)
        self.csv_button = _button("Export C&SV…", "Save the same tables as a CSV spreadsheet (Ctrl+Shift+E)",
                                  self)
        self.pdf_button.clicked.connect(lambda: self.export(ReportFormat.PDF))
        self.csv_button.clicked.connect(lambda: self.export(ReportFormat.CSV))
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.csv_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        for keys, output in (("Ctrl+E", ReportFormat.PDF), ("Ctrl+Shift+E", ReportFormat.CSV)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda output=output: self.export(output))
        self.notice = Notice("Reports message", self)
        layout.addWidget(self.notice)

        self.view = ReportView(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.view)
        self.scroll.setAccessibleName("Report preview")
        layout.addWidget(self.scroll, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_PAUSE_MS)
        self.timer.timeout.connect(self.preview)
        self.picker.changed.connect(self._period_changed)
        self._set_exportable(False)

    def _method_row(self) -> QWidget:
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.method = QComboBox(row)
        self.threshold = QSpinBox(row)
        self.save_method_button = _button("Make this the service's &method",
                                          "Use this method for every report, including coordinators' "
                                          "and scheduled exports", row)
        self.method_text = QLabel(row)
        self.method_text.setWordWrap(True)
        if not self.ctx.actor.is_manager:
            # Coordinators get the service's choice; the services refuse any other.
            line.addWidget(self.method_text, 1)
            for widget in (self.method, self.threshold, self.save_method_button):
                widget.hide()
            return row
        label = QLabel("S&mall numbers:", row)
        label.setBuddy(self.method)
        self.method.setAccessibleName("How small numbers are controlled")
        self.method.addItem("Rounded to the nearest 5, small counts shown as <5", Method.ROUNDING)
        self.method.addItem("Small counts hidden, others exact", Method.SUPPRESSION)
        below = QLabel("&below", row)
        below.setBuddy(self.threshold)
        self.threshold.setRange(MIN_THRESHOLD, MAX_THRESHOLD)
        self.threshold.setSingleStep(THRESHOLD_STEP)
        self.threshold.setAccessibleName("Small means fewer than")
        self.threshold.setToolTip(f"Counts below this are never shown. {MIN_THRESHOLD} at least, in steps "
                                  f"of {THRESHOLD_STEP} so that rounding never shows a figure under it.")
        self.threshold.lineEdit().setReadOnly(True)  # steps of 5 only, with the arrows or keys
        for widget in (label, self.method, below, self.threshold, self.save_method_button):
            line.addWidget(widget)
        line.addWidget(self.method_text, 1)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.threshold.valueChanged.connect(self._method_changed)
        self.save_method_button.clicked.connect(self.save_method)
        return row

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Offer the periods with calls in them, show the service's method, and preview."""
        self.notice.clear_text()
        with guarded(self.notice.show_problem) as call:
            first, this_month = report.report_months(self.ctx)
            saved = report_settings.service_rules(self.ctx)
        if call.failed:
            return
        self._saved_rules = saved
        self._show_rules(saved)
        self.picker.set_months(first or this_month, this_month)
        if first is None:
            self.notice.show_text("No calls have been logged yet, so every figure is 0.", "info")

    def _show_rules(self, rules: Rules) -> None:
        if not self.ctx.actor.is_manager:
            self.method_text.setText(f"Small numbers: {rules.method.label}; counts below "
                                     f"{rules.threshold} are never shown. A manager chooses this.")
            self.method_text.setAccessibleName(self.method_text.text())
            return
        for widget in (self.method, self.threshold):
            widget.blockSignals(True)
        self.method.setCurrentIndex(self.method.findData(rules.method))
        self.threshold.setValue(rules.threshold)
        for widget in (self.method, self.threshold):
            widget.blockSignals(False)
        self._update_method_note()

    def chosen_rules(self) -> Rules | None:
        """The method for the next report: a manager's choice on the page, else the service's."""
        if not self.ctx.actor.is_manager:
            return None
        return Rules(Method(self.method.currentData()), self.threshold.value())

    def _update_method_note(self) -> None:
        same = self.chosen_rules() == getattr(self, "_saved_rules", None)
        self.save_method_button.setEnabled(not same)
        self.method_text.setText("This is the service's method." if same else
                                 "Not yet the service's method: only this preview and your exports use it.")

    def _method_changed(self) -> None:
        self._update_method_note()
        self._period_changed()

    def _period_changed(self) -> None:
        self._set_exportable(False)
        self.timer.start()

    def _set_exportable(self, ready: bool) -> None:
        for button in (self.pdf_button, self.csv_button):
            button.setEnabled(ready)

    # -- preview and export ----------------------------------------------------------------

    def preview(self) -> None:
        self.timer.stop()
        self.notice.clear_text()
        with guarded(self._not_previewed) as call:
            period = self.picker.period()
            rules = self.chosen_rules()
        if call.failed:
            return
        self._asked += 1
        asked = self._asked

        def done(made: Report) -> None:
            if asked == self._asked:
                self.report = made
                self.view.show_report(made)
                self._set_exportable(True)

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.report = None
                self._not_previewed(exc)

        operations.run(self, "Making the report…", lambda: report.build_report(self.ctx, period, rules),
                       done, failed)

    def _not_previewed(self, exc: BaseException) -> None:
        self.view.clear()
        self.notice.show_problem(exc)

    def choose_file(self, output: ReportFormat, suggested: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        title = f"Export the report as {output.value.upper()}"
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / suggested), FILTERS[output])
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.casefold() == f".{output.value}" else path.with_suffix(f".{output.value}")

    def export(self, output: ReportFormat) -> None:
        shown = self.report
        if shown is None or not self.pdf_button.isEnabled():
            self.notice.show_text("Wait for the report to appear, then export it.", "info")
            return
        path = self.choose_file(output, report.file_name(shown.period, output))
        if path is None:
            return
        self.notice.clear_text()
        rules = shown.rules if self.ctx.actor.is_manager else None

        def done(result: ExportResult) -> None:
            message = f"Report saved as {result.path.name} in {result.path.parent}."
            self.notice.show_text(message, "ok")
            bar = self.window().findChild(QStatusBar)
            if bar is not None:
                bar.showMessage(message, 8000)

        operations.run(self, f"Exporting the report as {output.value.upper()}…",
                       lambda: report.export_report(self.ctx, shown.period, output, path, rules), done,
                       self.notice.show_problem)

    def save_method(self) -> None:
        rules = self.chosen_rules()
        if rules is None:
            return
        with guarded(self.notice.show_problem) as call:
            self._saved_rules = report_settings.save_rules(self.ctx, rules)
        if call.failed:
            return
        self._update_method_note()
        self.notice.show_text("Every report now uses this method, for coordinators too.", "ok")

    # -- Page ------------------------------------------------------------------------------

    def clear(self) -> None:
        self.timer.stop()
        self._asked += 1
        self.report = None
        self.view.clear()
        self.notice.clear_text()
        self._set_exportable(False)
