"""The Reports page driven through qtbot: periods, preview, exports, and the manager's method."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from app.services import audit
from app.services.calls.calls import CallDetails, log_anonymous_call
from app.services.cases.fields import Channel
from app.services.context import SignedIn
from app.services.reports import earlier_exports, report
from app.services.reports.disclosure_control import HIDDEN, Method
from app.services.reports.period import Month, month_period
from app.services.reports.report import ReportFormat
from app.ui.reports import ReportsPage
from app.ui.reports.charts import MonthChart
from app.ui.reports.report_view import ReportTable
from tests.services.reports.exported import log_spring_calls

pytestmark = pytest.mark.gui


@pytest.fixture
def calls(manager: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    """Twelve phone calls and three letters in May 2026; the page is used in November."""
    time_machine.move_to(datetime(2026, 11, 20, 12, 0))
    for day in range(1, 13):
        log_anonymous_call(manager, CallDetails(at=datetime(2026, 5, day, 11), area_district="MK6"))
    for day in (14, 15, 18):
        log_anonymous_call(manager, CallDetails(at=datetime(2026, 5, day, 11), channel=Channel.LETTER))


def open_page(qtbot: QtBot, ctx: SignedIn) -> ReportsPage:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.report is not None, timeout=3000)
    return page


def shown(page: ReportsPage, table_title: str) -> dict[str, str]:
    table = next(t for t in page.view.findChildren(ReportTable) if t.accessibleName() == table_title)
    model = table.model()
    return {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}


@pytest.mark.usefixtures("calls")
def test_coordinator_sees_the_controlled_report_for_a_month(qtbot: QtBot, coordinator: SignedIn) -> None:
    page = open_page(qtbot, coordinator)
    assert page.report is not None and page.report.period.label.startswith("Financial year 2026–27")
    assert "A manager chooses this" in page.method_text.text() and not page.method.isVisible()
    page.picker.choose(2, "May 2026")
    qtbot.waitUntil(lambda: page.report is not None and page.report.period.label == "May 2026", timeout=3000)
    # Three letters are too few to name: they are counted under Other.
    assert shown(page, "Contacts by channel") == {
        "Phone": "10", "Email": "0", "Face to face": "0", "Other": "<5", "Not recorded": "0",
        "Total: All contacts": "15"}
    assert shown(page, "Contacts per month") == {"May 2026": "15", "Total: All contacts": "15"}
    chart = page.view.findChild(MonthChart)
    assert chart is not None and chart.accessibleDescription() == "May 2026: 15"
    assert page.pdf_button.isEnabled() and page.csv_button.isEnabled()


@pytest.mark.usefixtures("calls")
def test_exports_through_the_buttons_and_shortcuts(qtbot: QtBot, coordinator: SignedIn, manager: SignedIn,
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = open_page(qtbot, coordinator)
    page.picker.choose(2, "May 2026")
    qtbot.waitUntil(lambda: page.report is not None and page.report.period.label == "May 2026", timeout=3000)
    asked: list[str] = []

    def choose(output: ReportFormat, suggested: str) -> Path:
        asked.append(suggested)
        return tmp_path / suggested

    monkeypatch.setattr(page, "choose_file", choose)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    pdf = tmp_path / "confide-report-2026-05.pdf"
    assert "Report saved as confide-report-2026-05.pdf" in page.notice.text()
    assert "Contacts by channel" in "".join(p.extract_text() for p in PdfReader(pdf).pages)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=1000)
    qtbot.keyClick(page.pdf_button, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert asked == ["confide-report-2026-05.pdf", "confide-report-2026-05.csv"]
    assert "Contacts per month,May 2026,15" in (tmp_path / asked[1]).read_text(encoding="utf-8-sig")
    events = audit.list_events(manager, audit.AuditFilter(action="report exported"))
    assert [json.loads(e.detail)["format"] for e in reversed(events)] == ["pdf", "csv"]


@pytest.mark.usefixtures("calls")
def test_a_failed_export_is_explained(qtbot: QtBot, coordinator: SignedIn, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    page = open_page(qtbot, coordinator)
    monkeypatch.setattr(page, "choose_file", lambda output, suggested: tmp_path / "gone" / suggested)
    page.export(ReportFormat.PDF)
    assert page.notice.kind == "error" and "could not be saved there" in page.notice.text()
    assert "Traceback" not in page.notice.text()


@pytest.mark.usefixtures("calls")
def test_manager_chooses_the_method_for_everyone(qtbot: QtBot, manager: SignedIn,
                                                 coordinator: SignedIn) -> None:
    page = open_page(qtbot, manager)
    page.picker.choose(2, "May 2026")
    qtbot.waitUntil(lambda: page.report is not None and page.report.period.label == "May 2026", timeout=3000)
    assert page.method.isVisible() and not page.save_method_button.isEnabled()
    page.method.setCurrentIndex(page.method.findData(Method.SUPPRESSION))
    qtbot.waitUntil(lambda: page.report is not None and page.report.rules.method is Method.SUPPRESSION,
                    timeout=3000)
    # The 3 letters (under Other) are hidden, and so are the 12 phone calls, which the total would
    # otherwise give away; the total itself is exact.
    channel = shown(page, "Contacts by channel")
    assert (channel["Other"], channel["Phone"], channel["Total: All contacts"]) == (HIDDEN, HIDDEN, "15")
    assert "Not yet the service's method" in page.method_text.text()
    qtbot.mouseClick(page.save_method_button, Qt.MouseButton.LeftButton)
    assert "for coordinators too" in page.notice.text() and not page.save_method_button.isEnabled()

    theirs = open_page(qtbot, coordinator)
    assert theirs.report is not None and theirs.report.rules.method is Method.SUPPRESSION
    assert "small counts hidden" in theirs.method_text.text()


def test_buttons_have_shortcuts_and_names(qtbot: QtBot, manager: SignedIn) -> None:
    page = open_page(qtbot, manager)
    buttons = [b for b in page.findChildren(QAbstractButton) if b.text()]
    assert buttons and all("&" in b.text() for b in buttons), [b.text() for b in buttons]
    assert all(b.accessibleName() for b in buttons)
    assert "Ctrl+E" in page.pdf_button.toolTip() and "Ctrl+Shift+E" in page.csv_button.toolTip()
    assert page.picker.kind.accessibleName() == "Kind of period"
    page.clear()
    assert page.report is None and not page.pdf_button.isEnabled()
    assert page.view.findChildren(ReportTable) == [] or all(not t.isVisible() for t in
                                                           page.view.findChildren(ReportTable))


def test_a_quarter_after_its_months_says_more_is_hidden(qtbot: QtBot, coordinator: SignedIn,
                                                        manager: SignedIn, tmp_path: Path,
                                                        time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime(2026, 7, 6, 9, 0))
    log_spring_calls(manager)
    for month in (4, 5, 6):
        report.export_report(coordinator, month_period(Month(2026, month)), ReportFormat.CSV,
                             tmp_path / f"{month}.csv")
    page = open_page(qtbot, coordinator)
    page.picker.choose(1, "Q1 2026")
    qtbot.waitUntil(lambda: page.report is not None and page.report.period.first == Month(2026, 4),
                    timeout=5000)
    note = next(label for label in page.view.findChildren(QLabel)
                if label.accessibleName() == "How small numbers are shown")
    assert earlier_exports.NOTE in note.text()
    assert shown(page, "Contacts by channel")["Email"] == HIDDEN
