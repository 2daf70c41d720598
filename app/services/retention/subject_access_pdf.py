"""The "Everything we hold" pack as a PDF, for a family's subject access request.

Written for the family to read: plain headings, every date spelt out, nothing abbreviated to
codes. Every page is headed STRICTLY PRIVATE AND CONFIDENTIAL (the printouts toolkit's page decorator), and
every piece of record text goes through `paragraph_text`, so nothing typed can become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.services.calls.calls import CallRecord
from app.services.cases.family import ParentView
from app.services.cases.fields import Direction, NoteKind
from app.services.consent.records import ConsentRecordView
from app.services.printouts.dates import long_day
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
    long_date,
    long_date_time,
    paragraph_text,
)
from app.services.retention.subject_access import REDACTED, SubjectAccessPack

# A heading never ends a page on its own: it goes over with the table or text under it.
SECTION = ParagraphStyle("section", parent=HEADING, keepWithNext=1)
GRID_PADDING = 3
SHORT = 1.1  # a column this much over its fair share still counts as short
BOLD_FONT = "Helvetica-Bold"  # the grid's headers are <b> in SMALL's Helvetica
STATUS_CHANGES = {"open": "opened", "closed": "closed", "reopened": "reopened", "archived": "archived"}
NOTE_KINDS = {
    NoteKind.NOTE: "Note",
    NoteKind.SAFEGUARDING: "Safeguarding note",
    NoteKind.BREACH_DECISION: "Decision about sharing information without consent",
    NoteKind.DISCLOSURE_REQUEST: "Request for information",
}


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return long_date_time(value)
    return long_day(value)


def _capital(text: str) -> str:
    """Stored choices are lower case ("signed form"); a table cell starts like a sentence."""
    return text[:1].upper() + text[1:]


def _call_how(call: CallRecord) -> str:
    way = f"{_capital(call.channel.value)}, {'incoming' if call.direction is Direction.IN else 'outgoing'}"
    minutes = call.duration_minutes
    return f"{way}, {minutes} minute{'s' if minutes != 1 else ''}" if minutes else way


def _p(text: str, style: object = SMALL) -> Paragraph:
    return Paragraph(paragraph_text(text), style)  # type: ignore[arg-type]


def _pairs(rows: Sequence[tuple[str, str]]) -> Table:
    """Label and value, for one person or one record."""
    label = 45 * mm
    table = Table([[Paragraph(escape(k), LABEL), _p(v, BODY)] for k, v in rows if v],
                  colWidths=[label, TEXT_WIDTH - label])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, SHADE)]))
    return table


def _text_width(text: str, font: str, size: float) -> tuple[float, float]:
    """The widest word and the widest line of `text`: the least and the most a column needs."""
    lines = text.split("\n")
    words = [word for line in lines for word in line.split()]
    return (max((stringWidth(w, font, size) for w in words), default=0.0),
            max((stringWidth(line, font, size) for line in lines), default=0.0))


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]],
                  width: float = TEXT_WIDTH) -> list[float]:
    """Widths from the columns' content, so that cells wrap at spaces and never inside a word.

    Every column gets at least its longest word. A column whose longest line fits in about a
    fair share of what is left gets all of it, so short cells ("PDF kept, 1 page") stay on one line;
    the rest of the width goes to the columns that still wrap, in proportion to what they lack.
    """
    padding = 2 * GRID_PADDING + 1
    least, most = [], []
    for index, header in enumerate(headers):
        sizes = [_text_width(header, BOLD_FONT, SMALL.fontSize)]
        sizes += [_text_width(row[index], SMALL.fontName, SMALL.fontSize) for row in rows]
        least.append(max(word for word, _ in sizes) + padding)
        most.append(max(line for _, line in sizes) + padding)
    if sum(least) >= width:  # a word too long for any layout: share the page by need
        return [width * need / sum(least) for need in least]
    if sum(most) <= width:  # every cell fits on one line: share out the slack by need
        return [width * need / sum(most) for need in most]
    widths = list(least)
    wrapping = set(range(len(headers)))
    while True:
        fair = (width - sum(widths[i] for i in range(len(widths)) if i not in wrapping)) / len(wrapping)
        settled = {i for i in wrapping if most[i] <= fair * SHORT}
        if not settled or settled == wrapping:
            break
        for i in settled:
            widths[i] = most[i]
        wrapping -= settled
    spare = width - sum(widths)
    wants = {i: most[i] - least[i] for i in wrapping}
    if spare < 0 or not sum(wants.values()):  # giving short columns their line cost too much
        return [w + (width - sum(least)) * (m - w) / (sum(most) - sum(least))
                for w, m in zip(least, most, strict=True)]
    for i, want in wants.items():
        widths[i] += spare * want / sum(wants.values())
    return widths


def _grid(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """A table that wraps its cells at spaces and repeats its header on each page."""
    data = [[Paragraph(f"<b>{escape(h)}</b>", SMALL) for h in headers]]
    data += [[_p(cell) for cell in row] for row in rows]
    table = Table(data, colWidths=column_widths(headers, rows), repeatRows=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                               ("LEFTPADDING", (0, 0), (-1, -1), GRID_PADDING),
                               ("RIGHTPADDING", (0, 0), (-1, -1), GRID_PADDING)]))
    return table


def _none(what: str) -> Paragraph:
    return _p(f"No {what} are held.", BODY)


def _address(parent: ParentView) -> str:
    return "\n".join(line for line in (parent.address_line1, parent.address_line2, parent.town,
                                        parent.postcode) if line)


def _preferences(parent: ParentView) -> str:
    prefs = parent.preferences
    if prefs is None:
        return "None recorded: only a direct call."
    ways = [name for name, yes in (("mobile", prefs.use_mobile), ("home phone", prefs.use_home),
                                   ("work phone", prefs.use_work), ("email", prefs.email_allowed))
            if yes]
    messages = [name for name, yes in (("voicemail", prefs.voicemail_allowed),
                                       ("a message with someone else",
                                        prefs.message_with_colleague_allowed)) if yes]
    text = "May be contacted by " + (", ".join(ways) if ways else "direct call only") + "."
    text += " Messages may be left by " + " or ".join(messages) + "." if messages else \
        " No messages may be left."
    if prefs.preferred_method:
        text += f" Prefers {prefs.preferred_method.value}."
    return text


def _consent_what(record: ConsentRecordView) -> str:
    what = record.kind.label
    return f"{what}: {record.party.describe()}" if record.party else what


def _people(pack: SubjectAccessPack) -> list[Flowable]:
    case = pack.case
    story: list[Flowable] = [Paragraph("Parents and carers", SECTION)]
    for parent in case.parents:
        story.append(KeepTogether([_pairs([
            ("Name", " ".join(p for p in (parent.title, parent.full_name) if p)),
            ("Relationship", _capital(parent.relationship)), ("Address", _address(parent)),
            ("Mobile", parent.phone_mobile), ("Home phone", parent.phone_home),
            ("Work phone", parent.phone_work), ("Email", parent.email),
            ("Contact", _preferences(parent))]), Spacer(1, 3 * mm)]))
    if not case.parents:
        story.append(_none("parents or carers"))
    story.append(Paragraph("Children and young people", SECTION))
    for child in case.children:
        story.append(KeepTogether([_pairs([
            ("Name", child.full_name), ("Date of birth", _when(child.date_of_birth)),
            ("Gender", child.gender), ("School", child.school), ("Year group", child.year_group),
            ("Needs", child.needs)]), Spacer(1, 3 * mm)]))
    if not case.children:
        story.append(_none("children"))
    return story


def _records(pack: SubjectAccessPack) -> list[Flowable]:
    case = pack.case
    story: list[Flowable] = [Paragraph("Consent: every record, oldest first", SECTION)]
    if case.consents:
        story.append(_grid(
            ("Given or withdrawn on", "For", "Answer", "How", "Recorded by", "Notes"),
            [(_when(c.given_on), _consent_what(c), "Given" if c.granted else "Withdrawn",
              _capital(c.method), f"{c.recorded_by} on {_when(c.recorded_at)}",
              "\n".join(x for x in (f"Review on {_when(c.review_date)}." if c.review_date else "",
                                     "Signed form kept; not printed in this pack." if c.has_form
                                     else "") if x))
             for c in case.consents]))
    else:
        story.append(_none("consent records"))
    story.append(Paragraph("Calls and contacts with the service", SECTION))
    if case.calls:
        story.append(_grid(
            ("When", "How", "About", "Outcome", "Adviser", "Summary"),
            [(_when(c.at), _call_how(c), ", ".join(c.topics), "\n".join(x for x in (
                  _capital(c.outcome.value) if c.outcome else "",
                  f"Follow-up on {_when(c.follow_up_date)}" if c.follow_up_date else "",
                  "Safeguarding concern raised" if c.safeguarding_concern else "") if x),
              c.adviser, c.summary) for c in reversed(case.calls)]))
    else:
        story.append(_none("calls"))
    story += _notes(pack)
    story.append(Paragraph("Information shared with others", SECTION))
    story.append(_p("Contacts, referrals and letters to other organisations about the family, "
                    "and referrals made to this service.", BODY))
    if case.third_party_contacts or case.referrals:
        rows = [(_when(t.at), t.party.describe(), _capital(t.purpose.value), _capital(t.channel),
                 t.summary + ("\nMade without consent under a recorded safeguarding decision."
                              if t.overridden_by_breach_note else ""), t.recorded_by)
                for t in reversed(case.third_party_contacts)]
        rows += [(_when(r.recorded_at), r.referred_by, "Referral to this service", "",
                  "The parent's permission was confirmed." if r.parent_permission_confirmed else "",
                  r.recorded_by) for r in case.referrals]
        story.append(_grid(("When", "Who", "What", "How", "Summary", "Recorded by"), rows))
    else:
        story.append(_none("contacts with other organisations"))
    for other in pack.other:
        story.append(Paragraph(escape(other.title), SECTION))
        story.append(_grid(other.columns, other.rows))
    return story


def _notes(pack: SubjectAccessPack) -> list[Flowable]:
    notes = list(reversed(pack.case.notes))
    story: list[Flowable] = [Paragraph("Case notes, oldest first", SECTION)]
    if pack.redacted_note_ids:
        story.append(_p(f"{len(pack.redacted_note_ids)} note"
                        f"{'s' if len(pack.redacted_note_ids) != 1 else ''} by or about other "
                        f"people {'are' if len(pack.redacted_note_ids) != 1 else 'is'} shown as "
                        f"{REDACTED}.", BODY))
    if not notes:
        story.append(_none("notes"))
    for note in notes:
        rows = [("Written", f"{_when(note.at)} by {note.author or 'a former colleague'}"),
                ("Kind", NOTE_KINDS.get(note.kind, note.kind.value)), ("Text", note.text)]
        if note.breach is not None:
            b = note.breach
            rows += [("Concern", b.concern), ("Who was consulted", b.consulted),
                     ("Agencies contacted", b.agencies_contacted),
                     ("Parent told", f"Yes, {_when(b.parent_told_at)}" if b.parent_told else "No")]
        for number, revision in enumerate(note.history, 1):
            rows.append((f"Earlier text {number}", f"{revision.text}\n(written "
                         f"{_when(revision.written_at)}, replaced {_when(revision.replaced_at)} by "
                         f"{revision.replaced_by or 'a former colleague'})"))
        story += [_pairs(rows), Spacer(1, 3 * mm)]
    return story


def _trail(pack: SubjectAccessPack) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph("Who has looked at or changed this record", SECTION),
        _p("Every time the record was opened, searched for, changed or printed, from Confide's "
           "audit trail. A manager who opened it without being assigned to the family gave a "
           "reason, shown here.", BODY)]
    if pack.events:
        story.append(_grid(("When", "Who", "What", "Reason given"),
                           [(_when(e.at), e.who, e.action, e.reason) for e in pack.events]))
    else:
        story.append(_none("audit entries"))
    return story


def pack_pdf(pack: SubjectAccessPack) -> bytes:
    case = pack.case
    advisers = ", ".join(a.full_name for a in case.advisers) or "nobody"
    story: list[Flowable] = [
        Paragraph("Everything we hold", TITLE),
        Paragraph(f"Case {escape(case.reference)} · {paragraph_text(pack.service_name)}", SUBTITLE),
        _p(f"Made on {_when(pack.made_at)} by {pack.made_by}.", SMALL),
        Spacer(1, 4 * mm),
        _p("This is all the information the service holds about your family and your children: "
           "your details, your contacts with us, our notes, the consents you gave or withdrew, "
           "what was shared with others, and a record of who has looked at your record.", BODY),
        Paragraph("The case", SECTION),
        _pairs([("Reference", case.reference), ("Status", case.status.value.capitalize()),
                ("Opened", _when(case.opened_at)), ("Closed", _when(case.closed_at)),
                ("Last activity", _when(case.last_activity_at)), ("Advisers", advisers),
                ("Legal hold", case.legal_hold_reason or ""),
                ("Status history", "\n".join(f"{_when(s.at)}: {STATUS_CHANGES.get(s.status, s.status)}"
                                             f" by {s.by or 'Confide'}" for s in case.history))]),
        *_people(pack), *_records(pack), *_trail(pack),
        Spacer(1, 6 * mm),
        _p(f"End of the pack for case {case.reference}, made {long_date(pack.made_at)}.", SMALL),
    ]
    return confidential_pdf(story, f"Everything we hold · case {case.reference}", pack.service_name)
