"""The diary leaving Confide: "Print my day" (PDF) and "Export to calendar" (iCalendar).

Both hold only the signed-in person's own appointments. The printed day is for the adviser's
own use, so it carries the type, case reference, coded reference and purpose, under the
STRICTLY PRIVATE AND CONFIDENTIAL header on every page. The calendar file goes to a phone,
an insecure channel (Surrey 4.5): it carries the type, the coded reference (initials and
month of birth) and the venue, and never a name, a case reference or a purpose.

The iCalendar text is written here (RFC 5545): CRLF line ends, lines folded at 75 octets
without splitting a UTF-8 character, times in UTC, a stable UID per appointment so importing
again updates rather than duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from app.models.foundation import AuditEvent
from app.services import audit, settings
from app.services.access import refuse_coordinator
from app.services.clock import now
from app.services.context import SignedIn
from app.services.diary.diary import AppointmentView, FollowUpDue, my_follow_ups, own_appointments
from app.services.diary.fields import local_day_bounds, to_local
from app.services.printouts.pdf import INK, RULE, SHADE, TEXT_WIDTH, confidential_pdf

PRODUCT_ID = "-//Confide//Staff diary//EN"
FOLD_AT = 75  # octets per line, CRLF not counted (RFC 5545 3.1)


# -- iCalendar -----------------------------------------------------------------------------


def ics_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line, folded with CRLF and a space so no line passes 75 octets."""
    pieces: list[str] = []
    current, size = "", 0
    limit = FOLD_AT
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # A continuation line starts with the space, which counts towards its 75.
            current, size, limit = "", 0, FOLD_AT - 1
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}Z"  # stored times are already naive UTC


def calendar_summary(view: AppointmentView) -> str:
    """The event's title: the type and the coded reference only."""
    return f"{view.kind.label} · {view.coded_reference}" if view.coded_reference else view.kind.label


def calendar_file(views: Iterable[AppointmentView], install: str, stamp: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for view in views:
        lines += [
            "BEGIN:VEVENT",
            f"UID:appointment-{view.id}-{install}@confide",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(view.starts_at)}",
            f"DTEND:{_utc(view.ends_at)}",
            f"SUMMARY:{ics_text(calendar_summary(view))}",
            f"LOCATION:{ics_text(view.where)}",
            # Tells a shared calendar to show it as busy without the title.
            "CLASS:PRIVATE",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _install_token(ctx: SignedIn) -> str:
    """Stable per install, so UIDs from two offices never collide: the first audit hash."""
    with ctx.write() as session:
        first = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id).limit(1))
    return (first or "0" * 12)[:12]


def export_calendar(ctx: SignedIn, start: datetime, end: datetime) -> str:
    """The signed-in person's appointments in [start, end) as .ics text, for a phone calendar."""
    refuse_coordinator(ctx.actor)
    views = own_appointments(ctx, start, end)
    text = calendar_file(views, _install_token(ctx), now().replace(microsecond=0))
    with ctx.write() as session:
        audit.record(session, ctx.actor, "diary exported", detail={"appointments": len(views)})
    return text


# -- print my day --------------------------------------------------------------------------

_BODY = ParagraphStyle("diary-body", fontName="Helvetica", fontSize=10.5, leading=13.5, textColor=INK)
_TITLE = ParagraphStyle("diary-title", parent=_BODY, fontName="Helvetica-Bold", fontSize=18, leading=23,
                        spaceAfter=4)
_HEADING = ParagraphStyle("diary-heading", parent=_BODY, fontName="Helvetica-Bold", fontSize=12,
                          leading=16, spaceBefore=8, spaceAfter=4)
_CELL_HEAD = ParagraphStyle("diary-cell-head", parent=_BODY, fontName="Helvetica-Bold")


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _time_range(view: AppointmentView, day: date) -> str:
    start, end = to_local(view.starts_at), to_local(view.ends_at)
    first = f"{start:%H:%M}" if start.date() == day else f"{start:%d/%m %H:%M}"
    last = f"{end:%H:%M}" if end.date() == day else f"{end:%d/%m %H:%M}"
    return f"{first}–{last}"


def _appointments_table(views: list[AppointmentView], day: date) -> Table:
    widths = [0.16, 0.22, 0.24, 0.38]
    rows: list[list[Flowable]] = [[_p(h, _CELL_HEAD) for h in ("Time", "What", "Where", "Purpose")]]
    for view in views:
        what = view.kind.label + "".join(f"\n{part}" for part in (view.case_reference,
                                                                 view.coded_reference) if part)
        rows.append([_p(_time_range(view, day)), _p(what), _p(view.where), _p(view.purpose or "")])
    table = Table(rows, colWidths=[TEXT_WIDTH * w for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
    ]))
    return table


def day_pdf(service_name: str, adviser: str, day: date, views: list[AppointmentView],
            follow_ups: list[FollowUpDue]) -> bytes:
    title = f"My day: {day:%A} {day.day} {day:%B %Y}"
    story: list[Flowable] = [_p(title, _TITLE), _p(f"Diary of {adviser}"), Spacer(1, 4 * mm)]
    if views:
        story.append(_appointments_table(views, day))
    else:
        story.append(_p("No appointments booked for this day."))
    if follow_ups:
        story.append(_p("Follow-ups due", _HEADING))
        for item in follow_ups:
            on = f" on case {item.case_reference}" if item.case_reference else " (anonymous call)"
            story.append(_p(f"• From the call of {to_local(item.call_at):%d/%m/%Y %H:%M}{on}"))
    story += [Spacer(1, 6 * mm),
              _p("For your own use. Keep it with you, and shred it when the day is over.")]
    return confidential_pdf(story, title, service_name)


def print_my_day(ctx: SignedIn, day: date) -> bytes:
    """The signed-in person's own appointments and follow-ups for a local calendar day, as PDF."""
    refuse_coordinator(ctx.actor)
    start, end = local_day_bounds(day)
    views = own_appointments(ctx, start, end)
    follow_ups = my_follow_ups(ctx, day, day)
    service = settings.load(ctx).service_name
    with ctx.write() as session:
        audit.record(session, ctx.actor, "day printed",
                     detail={"appointments": len(views), "follow_ups": len(follow_ups)})
    return day_pdf(service, ctx.actor.full_name, day, views, follow_ups)
