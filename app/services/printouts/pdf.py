"""Printed forms for the foundation: the recovery key sheet and the confidentiality agreement.

Both come back as PDF bytes; nothing is written to disk here, so the caller decides where
(if anywhere) a copy goes. Every page is headed STRICTLY PRIVATE AND CONFIDENTIAL.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.services.install.recovery_key import groups
from app.services.staff.agreement import Agreement

CONFIDENTIAL = "STRICTLY PRIVATE AND CONFIDENTIAL"
MARGIN = 20 * mm
# The frame keeps 6 points of padding each side; tables must fit inside it to line up.
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12
GROUPS_PER_ROW = 4
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
_KEY = ParagraphStyle("key", fontName="Courier-Bold", fontSize=21, leading=26, alignment=TA_CENTER,
                      textColor=colors.black)
ITEM = ParagraphStyle("item", parent=BODY, leftIndent=8 * mm, bulletIndent=0,
                       bulletFontName="Helvetica", bulletFontSize=11)
_GROUP_NUMBER = ParagraphStyle("group", parent=BODY, fontSize=8, leading=9, alignment=TA_CENTER)
LABEL = ParagraphStyle("label", parent=BODY, fontName="Helvetica-Bold", spaceAfter=0)


def _local(moment: datetime) -> datetime:
    """Confide stores naive UTC; people read the office's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def long_date(moment: datetime) -> str:
    return f"{_local(moment).day} {_local(moment).strftime('%B %Y')}"


def long_date_time(moment: datetime) -> str:
    return f"{long_date(moment)} at {_local(moment).strftime('%H:%M')}"


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


def render_pdf(story: list[Flowable], document_title: str, service_name: str) -> bytes:
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


def confidential_pdf(story: list[Flowable], document_title: str, service_name: str) -> bytes:
    """Another module's document with the same header and footer on every page as these forms."""
    return render_pdf(story, document_title, service_name)


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


def _key_table(recovery_key: str, width: float) -> Table:
    parts = groups(recovery_key)
    rows: list[list[list[Paragraph] | str]] = []
    for start in range(0, len(parts), GROUPS_PER_ROW):
        # Numbered like the setup wizard, which asks for groups back by number.
        row: list[list[Paragraph] | str] = [
            [Paragraph(f"Group {start + offset + 1}", _GROUP_NUMBER), Paragraph(escape(part), _KEY)]
            for offset, part in enumerate(parts[start : start + GROUPS_PER_ROW])
        ]
        row += [""] * (GROUPS_PER_ROW - len(row))
        rows.append(row)
    table = Table(rows, colWidths=[width / GROUPS_PER_ROW] * GROUPS_PER_ROW, rowHeights=18 * mm)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def recovery_sheet_pdf(service_name: str, recovery_key: str, created: datetime) -> bytes:
    """The sheet to lock away: the recovery key in readable groups and what it is for."""
    width = TEXT_WIDTH
    group_count = len(groups(recovery_key))
    story: list[Flowable] = [
        Paragraph("Confide recovery key", TITLE),
        Paragraph(f"<b>Service:</b> {paragraph_text(service_name)}", SUBTITLE),
        Paragraph(f"<b>Created:</b> {escape(long_date(created))}", SUBTITLE),
        Spacer(1, 6 * mm),
        _key_table(recovery_key, width),
        Spacer(1, 2 * mm),
        Paragraph(
            f"{group_count} groups of letters and digits. When typing it in, dashes, spaces "
            "and capital letters do not matter, and Confide checks it for typing mistakes.",
            SMALL,
        ),
        Paragraph("What this key is for", HEADING),
        Paragraph(
            "This key opens the Confide database without anyone's password. You will need it "
            "only if:", BODY,
        ),
        Paragraph("Confide is moved to a new computer, or", ITEM, bulletText="•"),
        Paragraph(
            "the passwords, or this computer's credential store (for example Windows "
            "Credential Manager), have been lost.", ITEM, bulletText="•",
        ),
        Paragraph(
            "A manager chooses “Use recovery key” on Confide's sign-in window, types the key "
            "in and chooses a new password. That manager then gives everyone else new "
            "passwords.", BODY,
        ),
        Paragraph("Keep it safe", HEADING),
        Paragraph(
            "<b>Anyone who has this key and a copy of the database can read everything in it.</b> "
            "Lock this sheet away, for example in the office safe. Never keep it with the "
            "computer, in a desk drawer, or as a photo or file on a computer or phone. "
            "Do not make copies. If it may have been seen by someone who should not have it, "
            "tell the head of service straight away.", BODY,
        ),
        KeepTogether(
            [
                Paragraph("Who stored this sheet", HEADING),
                writing_lines(
                    [("Name", ""), ("Signature", ""), ("Date", ""), ("Where it is kept", "")],
                    width,
                ),
            ]
        ),
    ]
    return render_pdf(story, "Confide recovery key", service_name)


def _agreement_paragraphs(body: str) -> list[Flowable]:
    flowables: list[Flowable] = []
    for block in body.split("\n\n"):
        text = block.strip()
        if not text:
            continue
        number, dot, rest = text.partition(". ")
        if dot and number.isdigit():
            # Hanging indent, so numbered duties read as a list.
            flowables.append(Paragraph(paragraph_text(rest), ITEM, bulletText=f"{number}."))
        else:
            flowables.append(Paragraph(paragraph_text(text), BODY))
    return flowables


def agreement_pdf(service_name: str, agreement: Agreement, staff_name: str | None,
                  accepted_at: datetime | None) -> bytes:
    """The confidentiality agreement with lines for a wet signature."""
    width = TEXT_WIDTH
    story: list[Flowable] = [
        Paragraph(paragraph_text(agreement.title), TITLE),
        Paragraph(paragraph_text(service_name), SUBTITLE),
        Paragraph(f"Version {escape(agreement.version)}", SMALL),
        Spacer(1, 5 * mm),
        *_agreement_paragraphs(agreement.body),
    ]
    signature: list[Flowable] = [
        Paragraph("Signed by the member of staff or volunteer", HEADING),
        writing_lines(
            [("Name", staff_name or ""), ("Job title", ""), ("Signed", ""), ("Date", "")], width
        ),
    ]
    if accepted_at is not None:
        signature += [
            Spacer(1, 3 * mm),
            Paragraph(f"Accepted in Confide on {escape(long_date_time(accepted_at))}.", SMALL),
        ]
    story.append(KeepTogether(signature))
    return render_pdf(story, agreement.title, service_name)
