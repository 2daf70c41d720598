"""The consent form a family signs: their details filled in, a Yes/No box for each consent.

Every page is headed STRICTLY PRIVATE AND CONFIDENTIAL (the shared page decorator in
the printouts toolkit). The boxes are printed empty: the family ticks them, not the adviser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.services.cases.family import ChildView, ParentView
from app.services.consent.records import ConsentKind, Party
from app.services.printouts.pdf import (
    BODY,
    HEADING,
    LABEL,
    RULE,
    SHADE,
    SMALL,
    SUBTITLE,
    TEXT_WIDTH,
    TITLE,
    confidential_pdf,
    paragraph_text,
    writing_lines,
)
from app.services.settings import ServiceSettings

# Rows left for the family to write in a party the adviser did not list.
BLANK_PARTY_ROWS = 2
BOX_SIZE = 5 * mm

# In the family's words: the form is theirs to read and sign.
_TITLES = {
    ConsentKind.KEEP_DETAILS: "Keep my family's details",
    ConsentKind.EMAIL: "Email me",
    ConsentKind.VOICEMAIL: "Leave me a voicemail",
    ConsentKind.MESSAGE_WITH_COLLEAGUE: "Leave a message with someone else",
    ConsentKind.QUOTES: "Quote me, anonymously",
    ConsentKind.PHOTOGRAPHS: "Use photographs",
}
_EXPLAIN = {
    ConsentKind.KEEP_DETAILS: "keep a record of my family's details and of our contact with the "
                              "service, in confidence",
    ConsentKind.EMAIL: "contact me by email",
    ConsentKind.VOICEMAIL: "leave a voicemail saying only who it is for, who called and the "
                           "service's number",
    ConsentKind.MESSAGE_WITH_COLLEAGUE: "leave the same short message with someone who answers "
                                        "my phone",
    ConsentKind.QUOTES: "use my words in leaflets or reports without my name or anything that "
                        "could identify us",
    ConsentKind.PHOTOGRAPHS: "use photographs of us in publicity",
}


@dataclass(frozen=True)
class ConsentFormFamily:
    reference: str
    parents: tuple[ParentView, ...]
    children: tuple[ChildView, ...]


def _address(parent: ParentView) -> str:
    lines = [parent.address_line1, parent.address_line2, parent.town, parent.postcode]
    return ", ".join(line for line in lines if line)


def _letterhead(service: ServiceSettings) -> list[Flowable]:
    contact = [service.service_address.replace("\n", ", ")]
    if service.service_phone:
        contact.append(f"Telephone {service.service_phone}")
    if service.service_email:
        contact.append(service.service_email)
    return [Paragraph(paragraph_text(service.service_name or "Confide"), SUBTITLE),
            Paragraph(paragraph_text(" · ".join(c for c in contact if c)), SMALL)]


def _box_table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (-2, 1), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


class TickBox(Flowable):
    """An empty square for a pen tick."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return BOX_SIZE, BOX_SIZE

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.black)
        self.canv.setLineWidth(1)
        self.canv.rect(0, 0, BOX_SIZE, BOX_SIZE)


def _box() -> TickBox:
    return TickBox()


def _yes_no_rows(items: Sequence[tuple[str, str]]) -> list[list[object]]:
    header = [Paragraph("<b>I agree that the service may…</b>", BODY), Paragraph("<b>Yes</b>", BODY),
              Paragraph("<b>No</b>", BODY)]
    return [header, *([Paragraph(f"<b>{escape(title)}</b><br/>{escape(detail)}", BODY), _box(), _box()]
                      for title, detail in items)]


def _family_table(family: ConsentFormFamily) -> Table:
    rows: list[list[object]] = []
    for number, parent in enumerate(family.parents, start=1):
        who = f"Parent/carer {number}" if len(family.parents) > 1 else "Parent/carer"
        details = [parent.full_name + (f" ({parent.relationship})" if parent.relationship else "")]
        if _address(parent):
            details.append(_address(parent))
        phones = [p for p in (parent.phone_mobile, parent.phone_home, parent.phone_work) if p]
        if phones:
            details.append("Telephone " + ", ".join(phones))
        if parent.email:
            details.append(parent.email)
        rows.append([Paragraph(escape(who), LABEL), Paragraph(paragraph_text("\n".join(details)), BODY)])
    for number, child in enumerate(family.children, start=1):
        who = f"Child {number}" if len(family.children) > 1 else "Child"
        born = f", born {child.date_of_birth.strftime('%d/%m/%Y')}" if child.date_of_birth else ""
        rows.append([Paragraph(escape(who), LABEL), Paragraph(paragraph_text(child.full_name + born), BODY)])
    if not rows:
        rows.append([Paragraph("Family", LABEL), Paragraph("(no names recorded yet)", BODY)])
    table = Table(rows, colWidths=[38 * mm, TEXT_WIDTH - 38 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.lightgrey),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def consent_form_pdf(service: ServiceSettings, family: ConsentFormFamily, parties: Sequence[Party],
                     adviser_name: str, printed_on: date) -> bytes:
    """The form for a wet signature; `parties` are the third parties to ask about."""
    name = service.service_name or "the service"
    box_widths = [TEXT_WIDTH - 36 * mm, 18 * mm, 18 * mm]
    party_rows = _yes_no_rows([(f"Contact {p.name}", f"({p.kind.value}) and share information "
                                "about my child with them") for p in parties])
    for _ in range(BLANK_PARTY_ROWS):
        party_rows.append([Paragraph("Contact: ____________________________________________", BODY),
                           _box(), _box()])
    story: list[Flowable] = [
        *_letterhead(service),
        Spacer(1, 4 * mm),
        Paragraph("Consent form", TITLE),
        Paragraph(f"<b>Family reference:</b> {escape(family.reference)}", SUBTITLE),
        Spacer(1, 2 * mm),
        _family_table(family),
        Paragraph("Keeping your details", HEADING),
        Paragraph(f"{paragraph_text(name)} keeps information in confidence. It is not passed to "
                  "anyone without your agreement, except where a child may be at risk of harm.",
                  BODY),
        _box_table(_yes_no_rows([(_TITLES[ConsentKind.KEEP_DETAILS],
                                  _EXPLAIN[ConsentKind.KEEP_DETAILS])]), box_widths),
        Paragraph("Contacting other people and organisations for you", HEADING),
        _box_table(party_rows, box_widths),
        Paragraph("How we may contact you", HEADING),
        _box_table(_yes_no_rows([(_TITLES[k], _EXPLAIN[k]) for k in (
            ConsentKind.EMAIL, ConsentKind.VOICEMAIL, ConsentKind.MESSAGE_WITH_COLLEAGUE)]), box_widths),
        Paragraph("Publicity", HEADING),
        _box_table(_yes_no_rows([(_TITLES[k], _EXPLAIN[k]) for k in (
            ConsentKind.QUOTES, ConsentKind.PHOTOGRAPHS)]), box_widths),
        Spacer(1, 3 * mm),
        Paragraph("You can change your mind or withdraw any of these at any time by telling us; "
                  "we will record the change straight away.", BODY),
        KeepTogether([
            Paragraph("Signed by the parent or carer", HEADING),
            writing_lines([("Name", ""), ("Signature", ""), ("Date", "")], TEXT_WIDTH),
            Paragraph("Recorded by the service", HEADING),
            writing_lines([("Adviser", adviser_name), ("Date", "")], TEXT_WIDTH),
            Spacer(1, 2 * mm),
            Paragraph(f"Printed on {printed_on.strftime('%d/%m/%Y')} for case {escape(family.reference)}.",
                      SMALL),
        ]),
    ]
    return confidential_pdf(story, "Consent form", service.service_name)
