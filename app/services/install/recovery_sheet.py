"""The recovery key sheet: the key in numbered groups, what it is for, and where it is kept."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.services.install.recovery_key import groups
from app.services.printouts.pdf import (
    BODY,
    HEADING,
    ITEM,
    SHADE,
    SMALL,
    SUBTITLE,
    TEXT_WIDTH,
    TITLE,
    confidential_pdf,
    long_date,
    paragraph_text,
    writing_lines,
)

GROUPS_PER_ROW = 4
_KEY = ParagraphStyle("key", fontName="Courier-Bold", fontSize=21, leading=26, alignment=TA_CENTER,
                      textColor=colors.black)
_GROUP_NUMBER = ParagraphStyle("group", parent=BODY, fontSize=8, leading=9, alignment=TA_CENTER)


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
    return confidential_pdf(story, "Confide recovery key", service_name)
