"""A letter as a PDF: letterhead, STRICTLY PRIVATE AND CONFIDENTIAL on every page, the address
where a window envelope shows it, and "Page 1 of 2" on long letters (Surrey 4.3).

The address block sits where the window of a UK DL envelope (A4 folded in three) and of a C5
envelope (folded once) both fall: 20 mm from the left edge, 52 mm from the top, 90 × 35 mm,
with STRICTLY PRIVATE AND CONFIDENTIAL as its first line so it also shows on the envelope.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)

from app.services.letters.content import LetterContent
from app.services.printouts.pdf import CONFIDENTIAL

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = 20 * mm
WINDOW_TOP = 52 * mm
WINDOW_WIDTH = 90 * mm
WINDOW_HEIGHT = 35 * mm
FIRST_BODY_TOP = 100 * mm
LATER_BODY_TOP = 30 * mm
BOTTOM = 22 * mm
LOGO_HEIGHT = 18 * mm
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#555555")

BODY = ParagraphStyle("letter", fontName="Helvetica", fontSize=11, leading=15, textColor=INK,
                      spaceAfter=8)
SUBJECT = ParagraphStyle("subject", parent=BODY, fontName="Helvetica-Bold", spaceAfter=10)


class _NumberedCanvas(Canvas):
    """Holds each page back until the end, so every page can say "Page n of N"."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if total > 1:
                self.setFont("Helvetica", 9)
                self.setFillColor(GREY)
                self.drawRightString(PAGE_WIDTH - RIGHT, 12 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _paragraph_text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _header(canvas: Canvas) -> None:
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, CONFIDENTIAL)
    canvas.setLineWidth(1)
    canvas.line(LEFT, PAGE_HEIGHT - 15 * mm, PAGE_WIDTH - RIGHT, PAGE_HEIGHT - 15 * mm)


def _footer(canvas: Canvas, content: LetterContent) -> None:
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(GREY)
    canvas.drawString(LEFT, 12 * mm, f"{content.service_name} · {content.reference}"[:100])
    canvas.drawCentredString(PAGE_WIDTH / 2, 7 * mm, CONFIDENTIAL)


def _letterhead(canvas: Canvas, content: LetterContent) -> None:
    top = PAGE_HEIGHT - 20 * mm
    if content.logo:
        try:
            image = ImageReader(io.BytesIO(content.logo))
            width, height = image.getSize()
            draw_width = LOGO_HEIGHT * width / height if height else LOGO_HEIGHT
            canvas.drawImage(image, LEFT, top - LOGO_HEIGHT, width=min(draw_width, 60 * mm),
                             height=LOGO_HEIGHT, preserveAspectRatio=True, mask="auto")
        except (OSError, ValueError):
            pass  # a logo that cannot be read leaves the text letterhead on its own
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawRightString(PAGE_WIDTH - RIGHT, top - 5 * mm, content.service_name[:60])
    canvas.setFont("Helvetica", 9)
    y = top - 10 * mm
    for line in content.service_lines[:7]:
        canvas.drawRightString(PAGE_WIDTH - RIGHT, y, line[:80])
        y -= 4.2 * mm


def _address(canvas: Canvas, content: LetterContent) -> None:
    top = PAGE_HEIGHT - WINDOW_TOP
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica-Bold", 9.5)
    canvas.drawString(LEFT, top - 4 * mm, CONFIDENTIAL)
    canvas.setFont("Helvetica", 11)
    y = top - 10 * mm
    for line in content.address_lines[:6]:
        canvas.drawString(LEFT, y, line[:48])
        y -= 4.8 * mm
    canvas.setFont("Helvetica", 11)
    canvas.drawRightString(PAGE_WIDTH - RIGHT, top - 10 * mm, content.date_text)
    canvas.setFont("Helvetica", 9.5)
    canvas.drawRightString(PAGE_WIDTH - RIGHT, top - 15 * mm, f"Our reference: {content.reference}")


def letter_pdf(content: LetterContent, title: str) -> tuple[bytes, int]:
    """The letter's PDF bytes and its number of pages; nothing is written to disk."""
    buffer = io.BytesIO()
    width = PAGE_WIDTH - LEFT - RIGHT
    first = Frame(LEFT, BOTTOM, width, PAGE_HEIGHT - FIRST_BODY_TOP - BOTTOM, id="first",
                  leftPadding=0, rightPadding=0)
    later = Frame(LEFT, BOTTOM, width, PAGE_HEIGHT - LATER_BODY_TOP - BOTTOM, id="later",
                  leftPadding=0, rightPadding=0)

    def first_page(canvas: Canvas, _document: object) -> None:
        canvas.saveState()
        _header(canvas)
        _letterhead(canvas, content)
        _address(canvas, content)
        _footer(canvas, content)
        canvas.restoreState()

    def later_page(canvas: Canvas, _document: object) -> None:
        canvas.saveState()
        _header(canvas)
        _footer(canvas, content)
        canvas.restoreState()

    document = BaseDocTemplate(buffer, pagesize=A4, title=title, author=content.service_name,
                               subject=CONFIDENTIAL, leftMargin=LEFT, rightMargin=RIGHT)
    document.addPageTemplates([PageTemplate("first", [first], onPage=first_page),
                               PageTemplate("later", [later], onPage=later_page)])
    story: list = [NextPageTemplate("later")]
    if content.subject:
        story.append(Paragraph(_paragraph_text(content.subject), SUBJECT))
    for block in content.body.split("\n\n"):
        if block.strip():
            story.append(Paragraph(_paragraph_text(block.strip("\n")), BODY))
    signature = [Spacer(1, 2 * mm), Paragraph(_paragraph_text(content.closing), BODY), Spacer(1, 14 * mm),
                 Paragraph(f"<b>{_paragraph_text(content.signer)}</b><br/>"
                           f"{_paragraph_text(content.signer_role)}<br/>"
                           f"{_paragraph_text(content.service_name)}", BODY)]
    if content.copy_to:
        signature.append(Spacer(1, 4 * mm))
        signature.append(Paragraph("Copy to: " + _paragraph_text("; ".join(content.copy_to)), BODY))
    story.append(KeepTogether(signature))
    made: list[_NumberedCanvas] = []

    def canvas_maker(*args: object, **kwargs: object) -> _NumberedCanvas:
        made.append(_NumberedCanvas(*args, **kwargs))
        return made[-1]

    document.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue(), made[-1].page_count
