"""The report service: who may make reports, what they count, the audited export, and that no
identifying value from the database ever reaches a PDF or CSV."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from app.demo.data import build_demo, read_accounts
from app.models.calls import Call
from app.models.cases import BreachDecision, Case, CaseNote, Child, Parent, Referral
from app.models.staff import Staff
from app.services import audit
from app.services.calls import topics
from app.services.calls.calls import CallDetails, log_anonymous_call
from app.services.cases.fields import Channel
from app.services.context import SignedIn
from app.services.install.vault import Vault
from app.services.people import PermissionRefused
from app.services.reports import method as report_settings
from app.services.reports import report
from app.services.reports.disclosure_control import HIDDEN, Method, Rules
from app.services.reports.period import Month, financial_year_period, month_period, month_range
from app.services.reports.report import ExportFailed, ReportFormat
from tests.services.case_helpers import open_case_for
from tests.services.reports.exported import csv_rows

TODAY = datetime(2026, 11, 20, 12, 0)
MAY = month_period(Month(2026, 5))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def may_calls(manager: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    """Seven phone calls and two emails in May 2026, and a named call opening a case."""
    time_machine.move_to(datetime(2026, 5, 20, 9, 0))
    for day in range(1, 8):
        log_anonymous_call(manager, CallDetails(at=datetime(2026, 5, day, 11), area_district="MK6"))
    for day in (8, 9):
        log_anonymous_call(manager, CallDetails(at=datetime(2026, 5, day, 11), channel=Channel.EMAIL))
    open_case_for(manager, "Quillfeather", area_district="MK6")


@pytest.mark.usefixtures("may_calls")
def test_coordinator_gets_the_controlled_figures(coordinator: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(TODAY)
    made = report.build_report(coordinator, MAY)
    assert made.rules == Rules() and made.complete
    assert made.service_name == "Northfield SEN Advice"
    months = made.table("months")
    assert [(f.label, f.text) for f in months.rows] == [("May 2026", "10")]
    channel = {f.label: f.text for f in made.table("channel").rows}
    # 8 phone calls round to 10; the 2 emails are too few to name, so they count under Other.
    assert channel == {"Phone": "10", "Face to face": "0", "Letter": "0", "Other": "<5", "Not recorded": "0"}
    anonymity = {f.label: f.text for f in made.table("anonymity").rows}
    assert anonymity == {"Anonymous": "10", "Named": "<5"}
    assert {f.label: f.text for f in made.table("cases").rows} == {
        "Opened": "<5", "Closed": "0", "Open at the end of May 2026": "<5"}
    assert {f.label: f.text for f in made.table("families").rows} == {"New families": "<5",
                                                                       "Returning families": "0"}


@pytest.mark.usefixtures("may_calls")
def test_only_a_manager_chooses_the_method(coordinator: SignedIn, manager: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(TODAY)
    stricter = Rules(Method.SUPPRESSION, 10)
    with pytest.raises(PermissionRefused):
        report.build_report(coordinator, MAY, stricter)
    with pytest.raises(PermissionRefused):
        report_settings.save_rules(coordinator, stricter)
    assert report.build_report(manager, MAY, stricter).rules == stricter
    report_settings.save_rules(manager, stricter)
    chosen = report.build_report(coordinator, MAY)
    assert chosen.rules == stricter
    # Under 10, phone and email are both merged into Other. It reaches 10, but the month's
    # total of 10 is hidden too: shown, with 9 anonymous calls and 1 named (both hidden), it
    # would say each of those was between 1 and 9.
    assert {f.label: f.text for f in chosen.table("channel").rows if f.text != "0"} == {"Other": "*"}
    assert chosen.table("anonymity").total.text == "*"
    assert {f.label: f.text for f in chosen.table("anonymity").rows} == {"Anonymous": HIDDEN, "Named": HIDDEN}
    events = audit.list_events(manager,
                               audit.AuditFilter(action="report method changed"))
    assert len(events) == 1 and json.loads(events[0].detail) == {"method": "suppression", "threshold": 10}


def test_advisers_are_refused(adviser: SignedIn, tmp_path: Path) -> None:
    with pytest.raises(PermissionRefused, match="coordinators and managers"):
        report.build_report(adviser, MAY)
    with pytest.raises(PermissionRefused):
        report.export_report(adviser, MAY, ReportFormat.CSV, tmp_path / "r.csv")
    with pytest.raises(PermissionRefused):
        report.report_months(adviser)
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.usefixtures("may_calls")
def test_each_export_is_audited_without_figures(coordinator: SignedIn, manager: SignedIn, tmp_path: Path,
                                                time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(TODAY)
    result = report.export_report(coordinator, MAY, ReportFormat.PDF, tmp_path / "may.pdf")
    assert result.path.read_bytes().startswith(b"%PDF") and result.size == result.path.stat().st_size
    report.export_report(coordinator, financial_year_period(2026), ReportFormat.CSV, tmp_path / "fy.csv")
    events = audit.list_events(manager, audit.AuditFilter(action="report exported"))
    assert [(e.actor, json.loads(e.detail)) for e in reversed(events)] == [
        ("cora", {"from": "2026-05", "to": "2026-05", "format": "pdf", "method": "rounding", "threshold": 5}),
        ("cora", {"from": "2026-04", "to": "2027-03", "format": "csv", "method": "rounding", "threshold": 5}),
    ]
    assert audit.verify(manager).ok


def test_a_failed_save_says_so_and_is_not_audited(coordinator: SignedIn, manager: SignedIn,
                                                  tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="could not be saved"):
        report.export_report(coordinator, MAY, ReportFormat.PDF, tmp_path / "no such folder" / "r.pdf")
    exported = audit.AuditFilter(action="report exported")
    assert audit.list_events(manager, exported) == []


def test_future_periods_are_refused(coordinator: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(TODAY)
    with pytest.raises(Exception, match="has not started"):
        report.build_report(coordinator, month_period(Month(2027, 1)))
    current = report.build_report(coordinator, month_period(Month(2026, 11)))
    assert not current.complete
    assert "not over yet" in pdf_text(report.render(current, ReportFormat.PDF))


def test_csv_holds_the_same_tables_and_no_formulas(coordinator: SignedIn, manager: SignedIn,
                                                   time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(TODAY)
    topic = topics.add_topic(manager, "=HYPERLINK(\"http://example.org\")")
    for day in range(1, 7):
        log_anonymous_call(manager, CallDetails(at=datetime(2026, 5, day, 11), topic_ids=(topic.id,)))
    made = report.build_report(coordinator, MAY)
    rows = csv_rows(report.render(made, ReportFormat.CSV))
    assert rows[0] == ["table", "category", "count"]
    assert ["About this report", "Period", "May 2026"] in rows
    assert ["Contacts per month", "May 2026", "5"] in rows
    assert ["Contacts per month", "Total: All contacts", "5"] in rows
    assert ["Contacts by topic", "'=HYPERLINK(\"http://example.org\")", "5"] in rows
    published = {(t.title, f.label) for t in made.tables for f in t.rows}
    assert published == {(r[0], r[1]) for r in rows[1:] if r[0] != "About this report"
                         and not r[1].startswith(("Total:", "'"))} | {("Contacts by topic", topic.name)}


# -- no identifying value reaches a report --------------------------------------------------

IDENTIFYING = [
    Parent.full_name, Parent.address_line1, Parent.address_line2, Parent.postcode, Parent.phone_mobile,
    Parent.phone_home, Parent.phone_work, Parent.email, Child.full_name, Child.school, Child.needs,
    Case.reference, Call.summary, CaseNote.text, BreachDecision.concern, BreachDecision.decision,
    Referral.referred_by, Staff.full_name, Staff.username,
]


def identifying_values(ctx: SignedIn) -> set[str]:
    values: set[str] = set()
    with ctx.write() as session:
        for column in IDENTIFYING:
            values |= {v for v in session.scalars(select(column)) if v and len(v.strip()) >= 4}
        for born in session.scalars(select(Child.date_of_birth)):
            if born is not None:
                values |= {born.isoformat(), born.strftime("%d/%m/%Y")}
    return values


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(1, 10_000), method=st.sampled_from(tuple(Method)))
def test_no_identifying_value_appears_in_the_pdf_or_csv(tmp_path_factory: pytest.TempPathFactory,
                                                         seed: int, method: Method) -> None:
    folder = tmp_path_factory.mktemp("demo") / "data"
    build_demo(folder, "small", seed=seed, today=TODAY)
    manager_account = read_accounts(folder)[0]
    ctx = Vault(folder).sign_in(manager_account.username, manager_account.password)
    try:
        secrets = identifying_values(ctx)
        assert len(secrets) > 100
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(report, "now", lambda: TODAY)
            made = report.build_report(ctx, month_range(Month(2025, 11), Month(2026, 11)), Rules(method))
        outputs = {"pdf": pdf_text(report.render(made, ReportFormat.PDF)),
                   "csv": report.render(made, ReportFormat.CSV).decode("utf-8-sig")}
    finally:
        ctx.close()
    assert "Contacts per month" in outputs["pdf"] and "Contacts per month" in outputs["csv"]
    for name, text in outputs.items():
        leaked = sorted(value for value in secrets if value in text)
        assert leaked == [], f"{name} holds {leaked[:5]}"


def test_the_report_date_is_the_day_it_was_made(coordinator: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(TODAY)
    made = report.build_report(coordinator, MAY)
    assert made.generated_at.date() == date(2026, 11, 20)
    assert report.file_name(MAY, ReportFormat.PDF) == "confide-report-2026-05.pdf"
    assert report.file_name(financial_year_period(2025), ReportFormat.CSV) == (
        "confide-report-2025-04-to-2026-03.csv")
