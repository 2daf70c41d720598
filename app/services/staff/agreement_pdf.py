"""The confidentiality agreement as a form to sign by hand, with its acceptance in Confide."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.services.printouts.pdf import (
    BODY,
    HEADING,
    ITEM,
    SMALL,
    SUBTITLE,
    TEXT_WIDTH,
    TITLE,
    confidential_pdf,
    long_date_time,
    paragraph_text,
    writing_lines,
)
from app.services.staff.agreement import Agreement


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
    return confidential_pdf(story, agreement.title, service_name)
