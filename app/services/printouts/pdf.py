"""The PDF toolkit every printed document uses: page size and margins, the house styles,
dates as people read them, lines for handwriting, and STRICTLY PRIVATE AND CONFIDENTIAL at the
top and foot of every page.

Documents come back as PDF bytes; nothing is written to disk here, so the caller decides where
(if anywhere) a copy goes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

# Re-exported: every document takes its dates from the toolkit.
from app.services.printouts.dates import long_date as long_date
from app.services.printouts.dates import long_date_time as long_date_time

CONFIDENTIAL = "STRICTLY PRIVATE AND CONFIDENTIAL"
MARGIN = 20 * mm
# The frame keeps 6 points of padding each side; tables must fit inside it to line up.
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#555555")
SHADE = colors.HexColor("#f0f0f0")

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15, textColor=INK,
                       spaceAfter=6)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9.5, leading=12.5, spaceAfter=3)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=20, leading=25,
                        spaceAfter=4)
HEADING = ParagraphStyle("heading", parent=BODY, fontName="Helvetica-Bold", fontSize=12.5,
                          leading=16, spaceBefore=8, spaceAfter=4)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=12, leading=16, spaceAfter=2)
ITEM = ParagraphStyle("item", parent=BODY, leftIndent=8 * mm, bulletIndent=0,
                       bulletFontName="Helvetica", bulletFontSize=11)
LABEL = ParagraphStyle("label", parent=BODY, fontName="Helvetica-Bold", spaceAfter=0)


def paragraph_text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _page_decorator(document_title: str, service_name: str) -> Callable[[Canvas, object], None]:
    def decorate(canvas: Canvas, document: object) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setFont("Helvetica-Bold", 15)
        canvas.drawCentredString(width / 2, height - 14 * mm, CONFIDENTIAL)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN, height - 17 * mm, width - MARGIN, height - 17 * mm)
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(RULE)
        footer = f"{service_name} · {document_title}" if service_name else document_title
        canvas.drawString(MARGIN, 11 * mm, footer[:110])
        canvas.drawRightString(width - MARGIN, 11 * mm, f"Page {canvas.getPageNumber()}")
        canvas.drawCentredString(width / 2, 6 * mm, CONFIDENTIAL)
        canvas.restoreState()

    return decorate


def confidential_pdf(story: list[Flowable], document_title: str, service_name: str) -> bytes:
    """The document as PDF bytes, marked STRICTLY PRIVATE AND CONFIDENTIAL on every page."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=26 * mm,
        bottomMargin=20 * mm,
        title=document_title,
        author="Confide",
        subject=CONFIDENTIAL,
    )
    decorate = _page_decorator(document_title, service_name)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def writing_lines(labels: list[tuple[str, str]], width: float) -> Table:
    """Label / line pairs for handwriting, with any pre-filled value printed on the line."""
    label_width = 38 * mm
    rows = [[Paragraph(escape(label), LABEL), Paragraph(paragraph_text(value), BODY)]
            for label, value in labels]
    table = Table(rows, colWidths=[label_width, width - label_width], rowHeights=11 * mm)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table
