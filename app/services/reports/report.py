"""Anonymous usage reports: who may make them, what goes in, and the audited export.

Coordinators and managers make reports; advisers are refused (they see families, and reports
are the coordinator's work). The counts are collected, put through disclosure control and
only then returned, so a caller can never get hold of a true small count. Each export is
audited with who, the period, the format and the method, and never with any figure.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from app.services import audit, settings
from app.services.access import require_report_rules_choice, require_reports
from app.services.clock import now
from app.services.context import SignedIn
from app.services.people import InvalidInput
from app.services.reports import earlier_exports
from app.services.reports import method as report_settings
from app.services.reports.data import collect, earliest_month
from app.services.reports.disclosure_control import (
    Method,
    PublishedTable,
    Rules,
    merge_tables,
    publish,
    publish_merged,
)
from app.services.reports.linked_figures import Cell
from app.services.reports.period import Month, ReportPeriod, check_not_future, is_complete


class ReportFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"


@dataclass(frozen=True)
class Report:
    """A report ready to show or export: every figure in it has been controlled."""

    service_name: str
    period: ReportPeriod
    rules: Rules
    tables: tuple[PublishedTable, ...]
    generated_at: datetime  # naive UTC
    complete: bool  # False while the period is still going on (figures to date)
    # Cells hidden only because reports exported before would give a hidden count away.
    hidden_for_earlier_exports: bool = False
    # What an export of it adds to the register (suppression only): shown figures, no names.
    figures: tuple[Cell, ...] = ()

    def table(self, key: str) -> PublishedTable:
        return next(t for t in self.tables if t.key == key)

    @property
    def made_on(self) -> date:
        """The office's calendar day it was made."""
        return _local_day(self.generated_at)

    def method_note(self) -> str:
        """How small numbers are shown, as written on the report and beside it on screen."""
        note = self.rules.note()
        if self.hidden_for_earlier_exports:
            note += " " + earlier_exports.NOTE
        return note


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int


class ExportFailed(InvalidInput):
    """The file could not be written where the person asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "destination")


def report_months(ctx: SignedIn) -> tuple[Month | None, Month]:
    """The first month with a call on record (None when there is none yet) and this month."""
    require_reports(ctx.actor)
    with ctx.read() as session:
        first = earliest_month(session)
    return first, Month.of(_local_day(now()))


def _local_day(moment: datetime) -> date:
    """Months and due days are the office's calendar; the clock gives naive UTC."""
    return moment.replace(tzinfo=UTC).astimezone().date()


def build_report(ctx: SignedIn, period: ReportPeriod, rules: Rules | None = None) -> Report:
    """The controlled report for `period`, with the service's method unless a manager picks one."""
    require_reports(ctx.actor)
    # One moment for the whole report: its date, and the day the register files it under.
    made = now().replace(microsecond=0)
    today = _local_day(made)
    check_not_future(period, today)
    with ctx.write() as session:
        chosen = report_settings.read_rules(session)
        if rules is not None and rules != chosen:
            require_report_rules_choice(ctx.actor)
            chosen = rules
        data = collect(session, period, today)
        service_name = settings.read(session).service_name
        earlier = earlier_exports.register(session) if chosen.method is Method.SUPPRESSION else []
    complete = is_complete(period, today)
    if chosen.method is not Method.SUPPRESSION:
        return Report(service_name, period, chosen, publish(data.tables, chosen), made, complete)
    # Solved outside the transaction: the check can take a moment, and holds no lock meanwhile.
    merged = merge_tables(data.tables, chosen.threshold)
    protected = earlier_exports.protect(merged, chosen.threshold, period, today, complete, earlier)
    return Report(service_name, period, chosen, publish_merged(merged, chosen, protected.hidden), made,
                  complete, protected.extra, protected.figures)


def render(report: Report, output: ReportFormat) -> bytes:
    if output is ReportFormat.PDF:
        from app.services.reports.pdf import report_pdf

        return report_pdf(report)
    from app.services.reports.csv_export import report_csv

    return report_csv(report)


def _write(destination: Path, data: bytes) -> None:
    """Write beside the destination first, so a failure never leaves half a report there."""
    folder = destination.parent
    handle, temporary = tempfile.mkstemp(prefix=".confide-report-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def export_report(ctx: SignedIn, period: ReportPeriod, output: ReportFormat, destination: Path,
                  rules: Rules | None = None) -> ExportResult:
    """Build, render and save the report, then audit the export (who, period, format; no data)."""
    output = ReportFormat(output)
    report = build_report(ctx, period, rules)
    data = render(report, output)
    destination = Path(destination)
    try:
        _write(destination, data)
    except OSError as exc:
        reason = exc.strerror or "the folder refused it"
        raise ExportFailed(f"The report could not be saved there ({reason}). Choose another folder, "
                           "such as Documents.") from exc
    detail: dict[str, object] = {"from": period.first.code, "to": period.last.code, "format": output.value,
                                 "method": report.rules.method.value, "threshold": report.rules.threshold}
    with ctx.write() as session:
        if report.rules.method is Method.SUPPRESSION:
            # What it showed joins the register the next export with suppression is checked against.
            earlier_exports.record(session, period, report.generated_at, report.made_on, report.complete,
                                   report.rules.threshold, report.figures)
            detail["more hidden for earlier exports"] = report.hidden_for_earlier_exports
        audit.record(session, ctx.actor, "report exported", target="report", detail=detail)
    return ExportResult(destination, len(data))


def file_name(report_period: ReportPeriod, output: ReportFormat) -> str:
    """A suggested file name such as confide-report-2025-04-to-2026-03.pdf."""
    span = (report_period.first.code if report_period.first == report_period.last
            else f"{report_period.first.code}-to-{report_period.last.code}")
    return f"confide-report-{span}.{output.value}"
