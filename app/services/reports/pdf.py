"""The report as a PDF (reportlab): title, service, period, method, then each table with a chart.

Every figure comes from the controlled tables: a bar is drawn only for a published number, so
a hidden or `<5` count has no bar whose length could give it away. Contacts per month get a
column chart; every other table has its bars in a column of the table itself, so each bar sits
on the line it belongs to however long the category names are.

The report holds no personal data (that is the point of it), so it is not marked STRICTLY
PRIVATE AND CONFIDENTIAL like letters; each page says instead that it is anonymous.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.services.reports.disclosure_control import Figure, PublishedTable
from app.services.reports.wording import generated_text

if TYPE_CHECKING:
    from app.services.reports.report import Report

MARGIN = 18 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12  # the frame's own padding, as in app.services.printouts.pdf
INK = colors.HexColor("#1a1a1a")
QUIET = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#eef2f6")
BAR = colors.HexColor("#2f6690")  # dark enough to print well in black and white
LABEL_WIDTH = 78 * mm
COUNT_WIDTH = 24 * mm
BAR_WIDTH = TEXT_WIDTH - LABEL_WIDTH - COUNT_WIDTH
BAR_HEIGHT = 7
# Month labels under every column up to two years; beyond that only each January.
LABEL_EVERY_MONTH = 24

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, textColor=INK)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8.5, leading=11, textColor=QUIET)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName="Helvetica-Bold", fontSize=21, leading=26,
                        spaceAfter=2)
_SUBTITLE = ParagraphStyle("subtitle", parent=_BODY, fontSize=12.5, leading=17)
_HEADING = ParagraphStyle("heading", parent=_BODY, fontName="Helvetica-Bold", fontSize=12.5,
                          leading=16, spaceBefore=10, spaceAfter=4)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=9.5, leading=12)
_CELL_BOLD = ParagraphStyle("cell-bold", parent=_CELL, fontName="Helvetica-Bold")


def _decorate(service_name: str) -> object:
    def draw(canvas: Canvas, document: object) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(QUIET)
        canvas.drawString(MARGIN, height - 11 * mm, "Anonymous usage report: no family can be "
                          "identified from these figures")
        canvas.drawRightString(width - MARGIN, height - 11 * mm, service_name[:70])
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, height - 13 * mm, width - MARGIN, height - 13 * mm)
        canvas.drawString(MARGIN, 10 * mm, "Made with Confide")
        canvas.drawRightString(width - MARGIN, 10 * mm, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    return draw


def _bar(value: int | None, largest: int) -> Drawing:
    drawing = Drawing(BAR_WIDTH - 8, BAR_HEIGHT + 2)
    if value and largest:
        drawing.add(Rect(0, 1, (BAR_WIDTH - 8) * value / largest, BAR_HEIGHT, fillColor=BAR,
                         strokeColor=None))
    return drawing


def _table(table: PublishedTable) -> Table:
    largest = max((row.value or 0 for row in table.rows), default=0)
    rows: list[list[object]] = [[Paragraph("", _CELL), Paragraph("<b>Contacts</b>" if table.key not in (
        "families", "cases", "follow_ups") else "<b>Number</b>", _CELL), ""]]
    for row in table.rows:
        rows.append([Paragraph(escape(row.label), _CELL), row.text, _bar(row.value, largest)])
    if table.total is not None:
        rows.append([Paragraph(escape(f"Total: {table.total.label}"), _CELL_BOLD), table.total.text, ""])
    flow = Table(rows, colWidths=[LABEL_WIDTH, COUNT_WIDTH, BAR_WIDTH], repeatRows=1)
    style = [
        ("FONT", (1, 1), (1, -1), "Helvetica", 9.5),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("ROWBACKGROUNDS", (0, 1), (-1, len(table.rows)), [colors.white, SHADE]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (1, 0), (1, -1), 10),
    ]
    if table.total is not None:
        style += [("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
                  ("FONT", (1, -1), (1, -1), "Helvetica-Bold", 9.5)]
    flow.setStyle(TableStyle(style))
    return flow


def _nice_top(largest: int) -> tuple[int, int]:
    """An axis top and step (1, 2 or 5 times a power of ten) giving at most six gridlines."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if largest <= step * factor * 5:
                top = step * factor * max(1, -(-largest // (step * factor)))
                return top, step * factor
        step *= 10


def _month_chart(table: PublishedTable) -> Drawing:
    width, height = TEXT_WIDTH, 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 40, height - 42
    values = [row.value or 0 for row in table.rows]
    chart.data = [values]
    count = len(values)
    months = [row.label.split() for row in table.rows]  # "April 2025" -> ["April", "2025"]
    if count <= LABEL_EVERY_MONTH:
        names = [f"{name[:3]}\n{year}" if i == 0 or name == "January" else name[:3]
                 for i, (name, year) in enumerate(months)]
        chart.barLabelFormat = "values"
        chart.barLabelArray = [[row.text for row in table.rows]]
        chart.barLabels.fontName = "Helvetica"
        chart.barLabels.fontSize = 7
        chart.barLabels.nudge = 6
    else:
        names = [year if name == "January" else "" for name, year in months]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = RULE
    top, step = _nice_top(max(values, default=0) or 5)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "{:,.0f}".format
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.strokeColor = RULE
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 3 if count <= LABEL_EVERY_MONTH else 1
    drawing.add(chart)
    drawing.add(String(0, height - 8, "Contacts", fontName="Helvetica", fontSize=7.5, fillColor=QUIET))
    return drawing


def _section(table: PublishedTable) -> list[Flowable]:
    head: list[Flowable] = [Paragraph(escape(table.title), _HEADING)]
    if table.note:
        head.append(Paragraph(escape(table.note), _SMALL))
        head.append(Spacer(1, 2 * mm))
    body: list[Flowable] = []
    if table.chart == "months":
        head += [_month_chart(table), Spacer(1, 2 * mm)]
    body.append(_table(table))
    # Keep a short table with its heading; a long one (many districts) may run onto the next page.
    if len(table.rows) <= 24:
        return [KeepTogether([*head, *body])]
    return [CondPageBreak(80 * mm), *head, *body]


def _figure_text(figure: Figure | None) -> str:
    return figure.text if figure is not None else "0"


def report_pdf(report: Report) -> bytes:
    months = report.table("months")
    story: list[Flowable] = [
        Paragraph("Anonymous usage report", _TITLE),
        Paragraph(escape(report.service_name), _SUBTITLE),
        Paragraph(f"<b>Period:</b> {escape(report.period.label)}", _SUBTITLE),
        Spacer(1, 2 * mm),
        Paragraph(f"Generated on {escape(generated_text(report.generated_at))}.", _BODY),
    ]
    if not report.complete:
        story.append(Paragraph("The period is not over yet: the figures are to the date above.", _BODY))
    story.append(Paragraph(f"<b>Contacts in the period:</b> {escape(_figure_text(months.total))}", _BODY))
    note = Table([[Paragraph("<b>How small numbers are shown</b>", _BODY)],
                  [Paragraph(escape(report.method_note()), _BODY)]], colWidths=[TEXT_WIDTH])
    note.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), SHADE), ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                              ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                              ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 7)]))
    story += [Spacer(1, 4 * mm), note, Spacer(1, 2 * mm)]
    for table in report.tables:
        story += _section(table)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=20 * mm, bottomMargin=18 * mm,
                                 title=f"Anonymous usage report: {report.period.label}",
                                 author="Confide", subject="Anonymous usage report")
    decorate = _decorate(report.service_name)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
