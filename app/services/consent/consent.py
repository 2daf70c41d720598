"""The consent register of a case: record, read, print, and enforce.

Information is not passed to anyone without the parent's prior consent, and consent can be
changed or withdrawn at any time (Milton Keynes, Staffordshire 6, Reading, Northamptonshire).
Each grant or withdrawal is a new record; nothing here edits or deletes one.

Anything addressed to a third party (a contact, a referral, a letter) goes through
`require_third_party`, which refuses unless the latest record for that party is a grant. The
one recorded override is a safeguarding breach decision on the case (Staffordshire 7), and only
a decision to share, for a contact with an agency it names.
Withdrawing consent to keep details destroys the family's personal data through the same path
retention uses (`destruction`), which is why it has its own flow in `withdrawal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.calls import Call
from app.models.cases import Case, CaseNote, Child, ContactPreference, Parent
from app.models.consent import Consent, ConsentForm, ThirdPartyContact
from app.models.staff import Staff
from app.services import audit, changes, settings
from app.services.access import (
    case_for_consent,
    may_destroy_on_withdrawal,
    refuse_coordinator,
    require_case,
    target,
)
from app.services.cases.case_file import touch
from app.services.cases.family import child_view, parent_view
from app.services.cases.fields import (
    SUMMARY_MAX,
    Channel,
    ConsentMethod,
    NoteKind,
    choice,
    parse_date,
    text,
)
from app.services.cases.notes import BreachDecisionView, BreachOutcome, breach_decision_of
from app.services.clock import now
from app.services.consent import records as consent_records
from app.services.consent.records import (
    ConsentKind,
    ConsentRecordView,
    ConsentRegister,
    ConsentRequired,
    Party,
    PartyKind,
)
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused
from app.services.retention.destruction import (
    RULE_CONSENT_WITHDRAWN,
    DestructionView,
    after_destruction,
    destroy_case,
)

PARTY_NAME_MAX = 80
FORM_MAX_BYTES = 10 * 1024 * 1024
# What a scanned form may be, told by its first bytes rather than its file name.
FORM_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                   (b"\xff\xd8\xff", "image/jpeg"))
# The kinds that switch a contact preference off on every parent when withdrawn.
PREFERENCE_OF_KIND = {
    ConsentKind.EMAIL: "email_allowed",
    ConsentKind.VOICEMAIL: "voicemail_allowed",
    ConsentKind.MESSAGE_WITH_COLLEAGUE: "message_with_colleague_allowed",
}


class ThirdPartyPurpose(StrEnum):
    CONTACT = "contact"
    REFERRAL = "referral"
    LETTER = "letter"


@dataclass(frozen=True)
class ConsentEntry:
    """One grant or withdrawal, as typed on the Consent tab."""

    kind: ConsentKind | str
    granted: bool
    method: ConsentMethod | str | None
    given_on: date | str | None = None  # None: today
    party_kind: PartyKind | str | None = None
    party_name: str = ""
    review_date: date | str | None = None
    form: bytes | None = None  # a scanned signed form: PDF, PNG or JPEG


@dataclass(frozen=True)
class ScannedForm:
    consent_id: int
    media_type: str
    content: bytes


@dataclass(frozen=True)
class ThirdPartyContactDetails:
    party_kind: PartyKind | str | None
    party_name: str
    purpose: ThirdPartyPurpose | str = ThirdPartyPurpose.CONTACT
    channel: Channel | str = Channel.PHONE
    summary: str = ""
    at: datetime | None = None  # None: now
    breach_note_id: int | None = None  # the breach decision that overrides missing consent


@dataclass(frozen=True)
class ThirdPartyContactView:
    id: int
    party: Party
    purpose: ThirdPartyPurpose
    channel: str
    at: datetime
    summary: str
    recorded_by: str
    overridden_by_breach_note: int | None  # made without consent under this breach decision


def _names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Staff.id, Staff.full_name)).all())


def register_of(session: Session, case_id: int) -> ConsentRegister:
    return consent_records.register(session, case_id, _names(session))


def contacts_of(session: Session, case_id: int,
                names: dict[int, str] | None = None) -> tuple[ThirdPartyContactView, ...]:
    """`names` (staff id to name) when the caller has already read them, as the case view has."""
    names = names if names is not None else _names(session)
    rows = session.scalars(select(ThirdPartyContact).where(ThirdPartyContact.case_id == case_id)
                           .order_by(ThirdPartyContact.at.desc(), ThirdPartyContact.id.desc()))
    return tuple(ThirdPartyContactView(
        id=r.id, party=Party(_party_kind(r.party_kind), r.party), purpose=ThirdPartyPurpose(r.purpose),
        channel=r.channel, at=r.at, summary=r.summary, recorded_by=names.get(r.recorded_by or 0, ""),
        overridden_by_breach_note=r.breach_note_id) for r in rows)


def _party_kind(value: str) -> PartyKind:
    try:
        return PartyKind(value)
    except ValueError:
        return PartyKind.OTHER


def clean_party(party_kind: PartyKind | str | None, name: str | None) -> Party:
    kind = choice(PartyKind, party_kind, "party_kind", "Kind of third party") if party_kind else None
    if kind is None:
        raise InvalidInput("Kind of third party: choose school, SEN team, educational psychologist, "
                           "health, social care or other.", "party_kind")
    cleaned = text(name, "party_name", "Name of the organisation or person", PARTY_NAME_MAX,
                   required=True)
    return Party(kind, cleaned)


def _media_type(content: bytes) -> str:
    if not content:
        raise InvalidInput("The scanned form is an empty file; scan it again.", "form")
    if len(content) > FORM_MAX_BYTES:
        raise InvalidInput(f"The scanned form is {len(content) // (1024 * 1024)} MB; scan it at a "
                           f"lower resolution, under {FORM_MAX_BYTES // (1024 * 1024)} MB.", "form")
    for signature, media_type in FORM_SIGNATURES:
        if content.startswith(signature):
            return media_type
    raise InvalidInput("The scanned form must be a PDF, PNG or JPEG file.", "form")


@dataclass(frozen=True)
class _CleanEntry:
    kind: ConsentKind
    granted: bool
    method: ConsentMethod
    given_on: date
    party: Party | None
    review_date: date | None
    form_type: str | None


def clean_entry(entry: ConsentEntry, today: date) -> _CleanEntry:
    kind = choice(ConsentKind, entry.kind, "kind", "What the consent is for")
    if kind is ConsentKind.KEEP_DETAILS and not entry.granted:
        raise InvalidInput("Withdrawing consent to keep the family's details destroys their record. "
                           "Use “Withdraw consent to keep details…” instead.", "kind")
    if entry.method in (None, ""):
        raise InvalidInput("Say how the family gave or withdrew this: signed form, verbal or email.",
                           "method")
    method = choice(ConsentMethod, entry.method, "method", "How it was given")
    given_on = parse_date(entry.given_on, "given_on", "Date") or today
    if given_on > today:
        raise InvalidInput("Date: this is in the future; consent is recorded once it is given.",
                           "given_on")
    party = clean_party(entry.party_kind, entry.party_name) if kind is ConsentKind.THIRD_PARTY else None
    review = parse_date(entry.review_date, "review_date", "Review date")
    if review is not None and not entry.granted:
        raise InvalidInput("A withdrawal has no review date; leave it empty.", "review_date")
    if review is not None and review <= given_on:
        raise InvalidInput("Review date: choose a day after the consent was given.", "review_date")
    form_type = _media_type(entry.form) if entry.form is not None else None
    return _CleanEntry(kind, entry.granted, method, given_on, party, review, form_type)


def _switch_off_preferences(session: Session, case_id: int, kind: ConsentKind, staff_id: int) -> None:
    column = PREFERENCE_OF_KIND.get(kind)
    if column is None:
        return
    parents = select(Parent.id).where(Parent.case_id == case_id)
    for row in session.scalars(select(ContactPreference).where(ContactPreference.parent_id.in_(parents))):
        setattr(row, column, False)
        if kind is ConsentKind.EMAIL and row.preferred_method == "email":
            row.preferred_method = ""
        row.updated_at, row.updated_by = now().replace(microsecond=0), staff_id


def record_consent(ctx: SignedIn, case_id: int, entry: ConsentEntry,
                   reason: str | None = None) -> ConsentRecordView:
    """Append a grant or withdrawal; a withdrawal takes effect at once for every check."""
    clean = clean_entry(entry, now().date())
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        row = consent_records.append(session, case.id, clean.kind, clean.granted, clean.method,
                                     ctx.actor.id, party=clean.party, given_on=clean.given_on,
                                     review_date=clean.review_date,
                                     policy_explained=clean.kind is ConsentKind.KEEP_DETAILS)
        if entry.form is not None and clean.form_type is not None:
            session.add(ConsentForm(consent_id=row.id, media_type=clean.form_type, content=entry.form,
                                    byte_size=len(entry.form), added_at=row.recorded_at))
        if not clean.granted:
            _switch_off_preferences(session, case.id, clean.kind, ctx.actor.id)
        touch(case)
        audit.record(session, ctx.actor, "consent recorded", target=target(case),
                     detail={"consent_id": row.id, "kind": clean.kind.value, "granted": clean.granted,
                             "party_kind": clean.party.kind.value if clean.party else None,
                             "method": clean.method.value, "form": clean.form_type is not None})
        session.flush()
        view = next(v for v in register_of(session, case.id).history if v.id == row.id)
        reference = case.reference
    changes.publish(changes.CONSENT_CHANGED, reference)
    return view


def consent_register(ctx: SignedIn, case_id: int, reason: str | None = None) -> ConsentRegister:
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        audit.record(session, ctx.actor, "consent register viewed", target=target(case))
        return register_of(session, case.id)


def scanned_form(ctx: SignedIn, consent_id: int, reason: str | None = None) -> ScannedForm:
    """The scan kept with a consent record, for viewing inside Confide."""
    refuse_coordinator(ctx.actor)
    with ctx.write() as session:
        case_id = case_for_consent(session, consent_id)
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        form = session.get(ConsentForm, consent_id)
        if form is None:
            raise InvalidInput("No scanned form is kept with this record.", "form")
        audit.record(session, ctx.actor, "consent form viewed", target=target(case),
                     detail={"consent_id": consent_id})
        return ScannedForm(consent_id, form.media_type, form.content)


def printable_consent_form(ctx: SignedIn, case_id: int, extra_parties: Sequence[Party] = (),
                           reason: str | None = None) -> bytes:
    """The family's consent form, listing every third party on record plus `extra_parties`."""
    from app.services.consent.form_pdf import ConsentFormFamily, consent_form_pdf  # reportlab

    extra = [clean_party(p.kind, p.name) for p in extra_parties]
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        parties: dict[tuple[str, str], Party] = {}
        for party in [*(s.party for s in register_of(session, case.id).third_parties if s.party), *extra]:
            parties.setdefault(party.key, party)
        family = ConsentFormFamily(
            case.reference,
            tuple(parent_view(session, p) for p in session.scalars(
                select(Parent).where(Parent.case_id == case.id).order_by(Parent.id))),
            tuple(child_view(c) for c in session.scalars(
                select(Child).where(Child.case_id == case.id).order_by(Child.id))))
        service = settings.read(session)
        audit.record(session, ctx.actor, "consent form printed", target=target(case),
                     detail={"parties": len(parties)})
    return consent_form_pdf(service, family, list(parties.values()), ctx.actor.full_name, now().date())


def require_third_party(session: Session, case: Case, party: Party) -> None:
    """For any service addressing a third party (letters too): ConsentRequired unless granted."""
    consent_records.require(session, case.id, consent_records.ConsentKind.THIRD_PARTY, party)


def check_third_party(ctx: SignedIn, case_id: int, party_kind: PartyKind | str | None,
                      party_name: str, reason: str | None = None) -> Party:
    """Whether the family has consented to `party`, before anything is written for it."""
    party = clean_party(party_kind, party_name)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        require_third_party(session, case, party)
    return party


def _breach_override(session: Session, case: Case,
                     note_id: int) -> tuple[CaseNote, BreachDecisionView]:
    note = session.get(CaseNote, note_id)
    decision = breach_decision_of(session, note_id) if note is not None else None
    if (note is None or decision is None or note.case_id != case.id
            or note.kind != NoteKind.BREACH_DECISION.value):
        raise InvalidInput("Choose a confidentiality breach decision recorded on this case.",
                           "breach_note_id")
    return note, decision


def _not_allowed(note: CaseNote, decision: BreachDecisionView, party: Party) -> InvalidInput:
    """Why this decision does not let a contact with `party` through, in the adviser's words."""
    of = f"The breach decision of {note.at.strftime('%d/%m/%Y')}"
    if decision.outcome is not BreachOutcome.SHARED:
        why = f"{of} was not to share information, so it does not replace the family's consent."
    else:
        named = ", ".join(agency.describe() for agency in decision.agencies) or "no agency"
        why = (f"{of} shares information only with {named}, not with {party.describe()}. "
               "Record a decision that names them, or the family's consent.")
    return InvalidInput(why, "breach_note_id")


def log_third_party_contact(ctx: SignedIn, case_id: int, details: ThirdPartyContactDetails,
                            reason: str | None = None) -> ThirdPartyContactView:
    """Record a contact, referral or letter to a third party; refused without current consent."""
    party = clean_party(details.party_kind, details.party_name)
    purpose = choice(ThirdPartyPurpose, details.purpose, "purpose", "What it was")
    channel = choice(Channel, details.channel, "channel", "How")
    summary = text(details.summary, "summary", "Summary", SUMMARY_MAX, multiline=True)
    at = (details.at or now()).replace(microsecond=0)
    if at > now():
        raise InvalidInput("When: this is in the future; record the contact once it is made.", "at")
    refusal: ConsentRequired | InvalidInput | None = None
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        reference = case.reference
        override = None
        decided: dict[str, object] = {}
        if details.breach_note_id is not None:
            note, decision = _breach_override(session, case, details.breach_note_id)
            # The audit record names the decision and what it decided, allowed or not.
            decided = {"breach_note_id": note.id, "breach_decided_on": note.at.date().isoformat(),
                       "breach_outcome": decision.outcome.value}
            if decision.allows(party):
                override = note.id
            else:
                refusal = _not_allowed(note, decision, party)
        else:
            try:
                require_third_party(session, case, party)
            except ConsentRequired as exc:
                refusal = exc
        if refusal is None:
            row = ThirdPartyContact(case_id=case.id, party_kind=party.kind.value, party=party.name,
                                    purpose=purpose.value, channel=channel.value, at=at,
                                    summary=summary, recorded_by=ctx.actor.id,
                                    breach_note_id=override)
            session.add(row)
            session.flush()
            touch(case, at)
            audit.record(session, ctx.actor, f"third-party {purpose.value} recorded", target=target(case),
                         detail={"contact_id": row.id, "party_kind": party.kind.value,
                                 "consent_overridden_by_note": override, **decided})
            view = next(v for v in contacts_of(session, case.id) if v.id == row.id)
        else:
            missing = "consent" if isinstance(refusal, ConsentRequired) else "breach decision to share"
            audit.record(session, ctx.actor, f"third-party {purpose.value} refused", target=target(case),
                         detail={"party_kind": party.kind.value, "missing": missing, **decided})
    # Raised after the unit of work has committed, so the refusal stays in the audit trail.
    if refusal is not None:
        raise refusal
    changes.publish(changes.CONSENT_CHANGED, reference)
    return view


@dataclass(frozen=True)
class WithdrawalPreview:
    """What withdrawing consent to keep details will destroy, and what stays."""

    case_id: int
    reference: str
    parents: int
    children: int
    notes: int
    consent_records: int
    third_party_contacts: int
    calls_kept: int
    legal_hold: bool
    safeguarding: bool


def _count(session: Session, model: type, case_id: int) -> int:
    column = model.case_id  # type: ignore[attr-defined]
    return session.scalar(select(func.count()).select_from(model).where(column == case_id)) or 0


def withdrawal_preview(ctx: SignedIn, case_id: int, reason: str | None = None) -> WithdrawalPreview:
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        return WithdrawalPreview(
            case.id, case.reference, _count(session, Parent, case.id), _count(session, Child, case.id),
            _count(session, CaseNote, case.id), _count(session, Consent, case.id),
            _count(session, ThirdPartyContact, case.id), _count(session, Call, case.id),
            bool(case.legal_hold_reason), case.safeguarding)


def withdraw_keep_details(ctx: SignedIn, case_id: int, method: ConsentMethod | str | None,
                          typed_reference: str, reason: str | None = None) -> DestructionView:
    """The family withdrew consent to keep their details: destroy them now, keep the statistics.

    `typed_reference` must be the case reference, typed by the adviser to confirm. A case with a
    safeguarding concern needs a manager, who decides whether the record must be kept.
    """
    if method in (None, ""):
        raise InvalidInput("Say how the family withdrew their consent: signed form, verbal or email.",
                           "method")
    how = choice(ConsentMethod, method, "method", "How it was withdrawn")
    with ctx.write() as session:
        # An archived case is read-only, but a family may still withdraw: destruction is allowed.
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        if " ".join((typed_reference or "").split()).upper() != case.reference.upper():
            raise InvalidInput(f"Type the case reference, {case.reference}, to confirm.", "reference")
        if not may_destroy_on_withdrawal(ctx.actor, case.safeguarding):
            raise PermissionRefused("This case has a safeguarding concern. A manager must decide "
                                    "whether its records may be destroyed; ask them to do this.")
        audit.record(session, ctx.actor, "consent to keep details withdrawn", target=target(case),
                     detail={"method": how.value})
        done = destroy_case(session, case, RULE_CONSENT_WITHDRAWN, ctx.actor)
    after_destruction(ctx)
    changes.publish(changes.CASE_DESTROYED, done.case_reference)
    return done
