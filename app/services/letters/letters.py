"""Letters about families: templates, filling them in, issuing and reprinting (Surrey 4.3).

A letter goes to a parent or carer of the case, or to a third party the family has consented
to (checked with `consent.require_third_party`, so a letter can never be written for a party
they have not agreed to). The recipient's address must end with a full UK postcode
(Staffordshire 6: care to establish the correct mailing address). Every letter issued is kept
on the case with its PDF, so it can be reprinted exactly; nothing is written to disk here.

Templates live in resources/letters/ as plain text: a few `key: value` lines, `---`, then the
body. Placeholders are `{name}`; those Confide knows are filled in, the rest are left for the
writer, and a letter with any `{name}` still in it is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.calls import Call
from app.models.cases import Case, Child, Parent
from app.models.consent import ThirdPartyContact
from app.models.diary import Appointment
from app.models.letters import Letter, LetterTemplate
from app.models.staff import Staff
from app.paths import resources_dir
from app.services import audit, changes, settings
from app.services.access import (
    case_for_letter,
    record_shown,
    refuse_coordinator,
    require_case,
    require_manager,
    target,
    visible_letters,
)
from app.services.cases import postcodes
from app.services.cases.case_file import touch
from app.services.cases.contact import addressee as spoken_name
from app.services.cases.fields import Channel, text
from app.services.clock import now
from app.services.consent.consent import clean_party, require_third_party
from app.services.consent.records import Party, PartyKind
from app.services.context import SignedIn
from app.services.diary.fields import Venue
from app.services.letters import letterhead
from app.services.letters.content import LetterContent
from app.services.people import InvalidInput
from app.services.settings import ServiceSettings

TEMPLATE_DIR = "letters"
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
BODY_MAX = 12_000
SUBJECT_MAX = 200
TITLE_MAX = 80
ADDRESS_LINE_MAX = 48  # what fits in the envelope window
ADDRESS_LINES_MAX = 4

# Filled in by Confide; shown to managers editing templates so they know what is available.
KNOWN_FIELDS: dict[str, str] = {
    "salutation": "Dear Mrs Smith, (or Dear Jane, when no title is recorded)",
    "addressee_name": "the person the letter is addressed to",
    "parent_name": "the parent or carer's full name",
    "child_name": "the child's full name",
    "child_first_name": "the child's first name",
    "child_date_of_birth": "the child's date of birth",
    "case_reference": "the case reference, such as C-2026-0042",
    "adviser_name": "the name of whoever writes the letter",
    "service_name": "the service's name",
    "service_phone": "the service's phone number",
    "service_email": "the service's email address",
    "date": "today's date",
    "last_call_date": "the date of the latest call on the case",
    "appointment_date": "the day of the case's next appointment in the diary",
    "appointment_time": "the time it starts",
    "appointment_place": "where it is",
}


class AddresseeKind(StrEnum):
    PARENT = "parent"
    THIRD_PARTY = "third party"


@dataclass(frozen=True)
class TemplateView:
    key: str
    title: str
    subject: str
    body: str
    addressee: AddresseeKind  # who the template is written for
    customised: bool  # a manager has changed the wording

    @property
    def writer_fields(self) -> tuple[str, ...]:
        """Placeholders the writer must fill in, in the order they appear."""
        found = PLACEHOLDER.findall(self.subject + "\n" + self.body)
        return tuple(dict.fromkeys(f for f in found if f not in KNOWN_FIELDS))


@dataclass(frozen=True)
class Addressee:
    """A parent of the case by id, or a third party with the address typed in."""

    parent_id: int | None = None
    party_kind: PartyKind | str | None = None
    party_name: str = ""
    contact_name: str = ""  # for a third party: "Mrs A Patel, SENCo"; defaults to the party
    address_lines: tuple[str, ...] = ()
    postcode: str = ""


@dataclass(frozen=True)
class LetterDraft:
    """A template filled in for one addressee: what the editor starts from."""

    template_key: str
    template_title: str
    subject: str
    body: str
    addressee: Addressee
    address_lines: tuple[str, ...]
    copy_to: tuple[str, ...]


@dataclass(frozen=True)
class LetterView:
    id: int
    case_id: int
    case_reference: str
    template_title: str
    addressee_kind: AddresseeKind
    addressee: str
    subject: str
    pages: int
    author: str
    created_at: datetime


@dataclass(frozen=True)
class IssuedLetter:
    view: LetterView
    pdf: bytes


# -- templates ------------------------------------------------------------------------------


def _parse(key: str, raw: str) -> tuple[str, str, AddresseeKind, str]:
    head, _, body = raw.partition("\n---\n")
    values = {}
    for line in head.splitlines():
        name, _, value = line.partition(":")
        values[name.strip()] = value.strip()
    kind = AddresseeKind(values.get("addressee", AddresseeKind.PARENT.value))
    return values.get("title", key), values.get("subject", ""), kind, body.strip("\n")


def _defaults() -> dict[str, tuple[str, str, AddresseeKind, str]]:
    folder = resources_dir() / TEMPLATE_DIR
    found = {}
    for path in sorted(folder.glob("*.txt")):
        key = path.stem.split("_", 1)[1] if "_" in path.stem else path.stem
        found[key] = _parse(key, path.read_text("utf-8"))
    return found


def _template_views(session: Session) -> list[TemplateView]:
    custom = {row.key: row for row in session.scalars(select(LetterTemplate))}
    views = []
    for key, (title, subject, kind, body) in _defaults().items():
        row = custom.get(key)
        if row is not None:
            title, subject, body = row.title, row.subject, row.body
        views.append(TemplateView(key, title, subject, body, kind, row is not None))
    return views


def templates(ctx: SignedIn) -> list[TemplateView]:
    refuse_coordinator(ctx.actor)
    with ctx.read() as session:
        return _template_views(session)


def _template(session: Session, key: str) -> TemplateView:
    for view in _template_views(session):
        if view.key == key:
            return view
    raise InvalidInput("Choose one of the letter templates.", "template")


def save_template(ctx: SignedIn, key: str, title: str, subject: str, body: str) -> TemplateView:
    """A manager's own wording for a template; the original stays in resources/ to go back to."""
    require_manager(ctx.actor, "change letter templates")
    title = text(title, "title", "Title", TITLE_MAX, required=True)
    subject = text(subject, "subject", "Subject", SUBJECT_MAX)
    body = text(body, "body", "Wording", BODY_MAX, required=True, multiline=True)
    with ctx.write() as session:
        _template(session, key)
        row = session.get(LetterTemplate, key)
        if row is None:
            row = LetterTemplate(key=key)
            session.add(row)
        row.title, row.subject, row.body = title, subject, body
        row.updated_at, row.updated_by = now().replace(microsecond=0), ctx.actor.id
        audit.record(session, ctx.actor, "letter template changed", target=f"template:{key}")
        session.flush()
        return _template(session, key)


def reset_template(ctx: SignedIn, key: str) -> TemplateView:
    require_manager(ctx.actor, "change letter templates")
    with ctx.write() as session:
        row = session.get(LetterTemplate, key)
        if row is not None:
            session.delete(row)
            audit.record(session, ctx.actor, "letter template reset", target=f"template:{key}")
        session.flush()
        return _template(session, key)


# -- filling in -----------------------------------------------------------------------------


def long_date(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%B %Y')}"


def _parent_address(parent: Parent) -> tuple[str, ...]:
    name = f"{parent.title} {parent.full_name}".strip() if parent.title else parent.full_name
    lines = [name, parent.address_line1, parent.address_line2, parent.town, parent.postcode]
    return tuple(line for line in lines if line)


def _check_address(lines: tuple[str, ...], postcode: str) -> None:
    """The envelope window shows six lines: a name, up to four more and the full postcode."""
    if not postcode or not postcodes.is_postcode(postcode):
        raise InvalidInput("The address needs a full UK postcode, such as MK6 1AA, before a letter "
                           "can be sent; check it with the family or the organisation.", "postcode")
    for line in lines:
        if len(line) > ADDRESS_LINE_MAX:
            raise InvalidInput(f"Address: keep each line under {ADDRESS_LINE_MAX} characters so it "
                               "shows in the envelope window.", "address_lines")


def _resolve(session: Session, case: Case, who: Addressee) -> tuple[AddresseeKind, str, tuple[str, ...],
                                                                    Party | None, Parent | None]:
    """Who the letter is to, their address block, and the party whose consent it needs."""
    if who.parent_id is not None:
        parent = session.get(Parent, who.parent_id)
        if parent is None or parent.case_id != case.id:
            raise InvalidInput("Choose a parent or carer of this case.", "addressee")
        lines = _parent_address(parent)
        _check_address(lines, parent.postcode)
        return AddresseeKind.PARENT, lines[0], lines, None, parent
    party = clean_party(who.party_kind, who.party_name)
    require_third_party(session, case, party)
    contact = text(who.contact_name, "contact_name", "For the attention of", ADDRESS_LINE_MAX) or party.name
    typed = [text(line, "address_lines", "Address", ADDRESS_LINE_MAX) for line in who.address_lines]
    typed = [line for line in typed if line]
    if not typed:
        raise InvalidInput("Type the organisation's address.", "address_lines")
    if len(typed) > ADDRESS_LINES_MAX:
        raise InvalidInput(f"Address: at most {ADDRESS_LINES_MAX} lines fit in the envelope window.",
                           "address_lines")
    postcode = postcodes.normalise_postcode(who.postcode) if who.postcode.strip() else ""
    header = [contact] if contact == party.name else [contact, party.name]
    lines = (*header, *typed, postcode)
    _check_address(lines, postcode)
    return AddresseeKind.THIRD_PARTY, contact, lines, party, None


def _values(session: Session, case: Case, service: ServiceSettings, author: str,
            addressee_name: str, salutation: str, parent: Parent | None) -> dict[str, str]:
    parents = list(session.scalars(select(Parent).where(Parent.case_id == case.id).order_by(Parent.id)))
    first_parent = parent or (parents[0] if parents else None)
    child = session.scalars(select(Child).where(Child.case_id == case.id).order_by(Child.id)).first()
    last_call = session.scalar(select(Call.at).where(Call.case_id == case.id).order_by(Call.at.desc()))
    values = {
        "salutation": salutation, "addressee_name": addressee_name,
        "case_reference": case.reference, "adviser_name": author,
        "service_name": service.service_name, "service_phone": service.service_phone,
        "service_email": service.service_email, "date": long_date(now()),
    }
    if first_parent is not None:
        values["parent_name"] = first_parent.full_name
    if child is not None:
        values["child_name"] = child.full_name
        values["child_first_name"] = child.full_name.split()[0]
        if child.date_of_birth:
            values["child_date_of_birth"] = child.date_of_birth.strftime("%d/%m/%Y")
    if last_call is not None:
        values["last_call_date"] = long_date(last_call)
    values.update(_next_appointment(session, case, service))
    # An empty service detail stays a placeholder, so the letter cannot go out with a gap.
    return {k: v for k, v in values.items() if v}


def _place(appointment: Appointment, service: ServiceSettings) -> str:
    venue = Venue(appointment.venue)
    office = service.service_address.splitlines()[0].strip() if service.service_address.strip() else ""
    return {
        Venue.OFFICE: ", ".join(p for p in ("our office", office, appointment.room or "") if p),
        Venue.SCHOOL: appointment.venue_name or "at school",
        Venue.HOME: "at your home",
        Venue.TELEPHONE: "by telephone: we will ring you",
        Venue.ONLINE: "online: we will send you the link",
        Venue.OTHER: appointment.venue_name or "to be confirmed",
    }[venue]


def _next_appointment(session: Session, case: Case, service: ServiceSettings) -> dict[str, str]:
    """The case's next appointment in the diary, for the appointment confirmation letter."""
    row = session.scalars(select(Appointment).where(
        Appointment.case_id == case.id, Appointment.cancelled_at.is_(None),
        Appointment.starts_at >= now()).order_by(Appointment.starts_at).limit(1)).first()
    if row is None:
        return {}
    local = row.starts_at.replace(tzinfo=UTC).astimezone()
    return {"appointment_date": f"{local.strftime('%A')} {long_date(local)}",
            "appointment_time": local.strftime("%H:%M"), "appointment_place": _place(row, service)}


def fill(template: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def unfilled(*texts: str) -> list[str]:
    return list(dict.fromkeys(name for t in texts for name in PLACEHOLDER.findall(t)))


def draft_letter(ctx: SignedIn, case_id: int, template_key: str, who: Addressee,
                 reason: str | None = None) -> LetterDraft:
    """The template filled in for `who`; refused for a third party without current consent."""
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        template = _template(session, template_key)
        kind, name, lines, _party, parent = _resolve(session, case, who)
        salutation = f"Dear {spoken_name(parent)}," if parent is not None else f"Dear {name},"
        values = _values(session, case, settings.read(session), ctx.actor.full_name, name, salutation,
                         parent)
        copy_to = _copy_to(session, case) if kind is AddresseeKind.THIRD_PARTY else ()
        body = fill(template.body, values)
    return LetterDraft(template.key, template.title, fill(template.subject, values), body, who, lines,
                       copy_to)


def _copy_to(session: Session, case: Case) -> tuple[str, ...]:
    parents = session.scalars(select(Parent).where(Parent.case_id == case.id).order_by(Parent.id))
    return tuple(f"{p.full_name} ({p.relationship})" if p.relationship else p.full_name for p in parents)


def _content(session: Session, ctx: SignedIn, reference: str, lines: tuple[str, ...], subject: str,
             body: str, copy_to: tuple[str, ...]) -> LetterContent:
    service = settings.read(session)
    contact = [line.strip() for line in service.service_address.splitlines() if line.strip()]
    if service.service_phone:
        contact.append(f"Telephone {service.service_phone}")
    if service.service_email:
        contact.append(service.service_email)
    role = ctx.actor.role.label if ctx.actor.role.value != "adviser" else "Adviser"
    return LetterContent(service_name=service.service_name, service_lines=tuple(contact),
                         address_lines=lines, date_text=long_date(now()), reference=reference,
                         subject=subject, body=body, signer=ctx.actor.full_name, signer_role=role,
                         copy_to=copy_to, logo=letterhead.logo(session))


def checked_text(subject: str, body: str) -> tuple[str, str]:
    subject = text(subject, "subject", "Subject", SUBJECT_MAX)
    body = text(body, "body", "Letter", BODY_MAX, required=True, multiline=True)
    missing = unfilled(subject, body)
    if missing:
        names = ", ".join("{" + name + "}" for name in missing)
        raise InvalidInput(f"Fill in {names} before the letter can be made: type the words in its "
                           "place.", "body")
    return subject, body


def preview_content(ctx: SignedIn, case_id: int, draft: LetterDraft, subject: str, body: str,
                    reason: str | None = None) -> LetterContent:
    """What the page will hold, for the on-screen preview; placeholders may still be there."""
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        return _content(session, ctx, case.reference, draft.address_lines, subject, body, draft.copy_to)


def issue_letter(ctx: SignedIn, case_id: int, draft: LetterDraft, subject: str, body: str,
                 reason: str | None = None) -> IssuedLetter:
    """Make the PDF, keep it on the case, and log it; checks consent and address again."""
    subject, body = checked_text(subject, body)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        kind, name, lines, party, _parent = _resolve(session, case, draft.addressee)
        copy_to = _copy_to(session, case) if kind is AddresseeKind.THIRD_PARTY else ()
        content = _content(session, ctx, case.reference, lines, subject, body, copy_to)
        from app.services.letters.pdf import letter_pdf  # reportlab only when a PDF is made

        pdf, pages = letter_pdf(content, draft.template_title)
        at = now().replace(microsecond=0)
        row = Letter(case_id=case.id, template_key=draft.template_key,
                     template_title=draft.template_title, addressee_kind=kind.value,
                     addressee=name[:160], subject=subject, pdf=pdf, pages=pages,
                     author_id=ctx.actor.id, created_at=at)
        session.add(row)
        session.flush()
        if party is not None:
            session.add(ThirdPartyContact(case_id=case.id, party_kind=party.kind.value, party=party.name,
                                          purpose="letter", channel=Channel.LETTER.value, at=at,
                                          summary=f"Letter: {draft.template_title}",
                                          recorded_by=ctx.actor.id))
        touch(case, at)
        audit.record(session, ctx.actor, "letter issued", target=target(case),
                     detail={"letter_id": row.id, "template": draft.template_key, "to": kind.value,
                             "pages": row.pages})
        view = _views(session, [row])[0]
        reference = case.reference
    changes.publish(changes.CASE_CHANGED, reference)
    return IssuedLetter(view, pdf)


def _views(session: Session, rows: list[Letter], names: dict[int, str] | None = None) -> list[LetterView]:
    if names is None:
        names = dict(session.execute(select(Staff.id, Staff.full_name)).all())
    refs = dict(session.execute(select(Case.id, Case.reference).where(
        Case.id.in_({r.case_id for r in rows}))).all()) if rows else {}
    return [LetterView(r.id, r.case_id, refs.get(r.case_id, ""), r.template_title,
                       AddresseeKind(r.addressee_kind), r.addressee, r.subject, r.pages,
                       names.get(r.author_id or 0, ""), r.created_at) for r in rows]


def letters_of(session: Session, case_id: int,
               names: dict[int, str] | None = None) -> tuple[LetterView, ...]:
    """The case's letters, newest first; `names` as for `consent.contacts_of`."""
    rows = list(session.scalars(select(Letter).where(Letter.case_id == case_id)
                                .order_by(Letter.created_at.desc(), Letter.id.desc())))
    return tuple(_views(session, rows, names))


def letter_pdf_bytes(ctx: SignedIn, letter_id: int, reason: str | None = None) -> bytes:
    """The PDF exactly as it was issued, for reprinting or saving a copy."""
    refuse_coordinator(ctx.actor)
    with ctx.write() as session:
        case_id = case_for_letter(session, letter_id)
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        row = session.get(Letter, letter_id)
        assert row is not None  # its case was found through it
        audit.record(session, ctx.actor, "letter reprinted", target=target(case),
                     detail={"letter_id": letter_id})
        return row.pdf


def recent_letters(ctx: SignedIn, limit: int = 300) -> list[LetterView]:
    """The Letters page: every letter for a manager, those on their own cases for an adviser."""
    query = (select(Letter).where(visible_letters(ctx.actor))
             .order_by(Letter.created_at.desc(), Letter.id.desc()).limit(limit))
    with ctx.write() as session:
        rows = list(session.scalars(query))
        record_shown(session, ctx.actor, "letters listed", [r.case_id for r in rows],
                     detail={"found": len(rows)}, always=True)
        return _views(session, rows)


# Fictional values for the template preview in Admin, so no family's details are needed there.
SAMPLE_VALUES = {
    "salutation": "Dear Mrs Example,", "addressee_name": "Mrs Alex Example",
    "parent_name": "Alex Example", "child_name": "Sam Example", "child_first_name": "Sam",
    "child_date_of_birth": "09/03/2015", "case_reference": "C-2026-0001",
    "last_call_date": "3 November 2026", "appointment_date": "Tuesday 8 December 2026",
    "appointment_time": "10:30", "appointment_place": "our office, Interview room 1",
}


SAMPLE_ADDRESS = ("Mrs Alex Example", "1 Example Road", "Milton Keynes", "MK6 1AA")


def sample_content(ctx: SignedIn, subject: str, body: str) -> LetterContent:
    """A template as it would print, filled in for a made-up family (the Admin preview)."""
    require_manager(ctx.actor, "change letter templates")
    with ctx.write() as session:
        service = settings.read(session)
        values = {**SAMPLE_VALUES, "adviser_name": ctx.actor.full_name,
                  "service_name": service.service_name, "service_phone": service.service_phone,
                  "service_email": service.service_email, "date": long_date(now())}
        return _content(session, ctx, SAMPLE_VALUES["case_reference"], SAMPLE_ADDRESS,
                        fill(subject, values), fill(body, values), ())
