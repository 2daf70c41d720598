"""The report as CSV: the same controlled tables as the PDF, one rectangular sheet.

Three columns (table, category, count) so a spreadsheet can filter and pivot it; the first
rows say what the report is and how small numbers were controlled. A count is a plain number
when one is published and the published mark (`<5`, `*`) otherwise.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from app.services.reports.wording import generated_text

if TYPE_CHECKING:
    from app.services.reports.report import Report

ABOUT = "About this report"
# A spreadsheet runs a cell starting with one of these as a formula; topic names are typed by
# managers, so a name like "=HYPERLINK(…)" is written as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def report_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(["table", "category", "count"])
    about = [
        ("Report", "Anonymous usage report"),
        ("Service", report.service_name),
        ("Period", report.period.label),
        ("From month", report.period.first.code),
        ("To month", report.period.last.code),
        ("Method", report.rules.method.value),
        ("Threshold", str(report.rules.threshold)),
        ("How small numbers are shown", report.method_note()),
        ("Generated", generated_text(report.generated_at)),
    ]
    if not report.complete:
        about.append(("Note", "The period is not over yet: the figures are to the date generated."))
    for name, value in about:
        out.writerow([ABOUT, name, _safe(value)])
    for table in report.tables:
        for figure in (*table.rows, *((table.total,) if table.total else ())):
            count: str | int = figure.value if figure.value is not None else figure.text
            label = figure.label if figure is not table.total else f"Total: {figure.label}"
            out.writerow([table.title, _safe(label), count])
    # A byte-order mark so Excel on Windows reads the en dash and accents as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")
