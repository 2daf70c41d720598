"""Case notes: short, dated, authored; an edit keeps the earlier text in note_revision.

A confidentiality-breach decision (Staffordshire 7) is a note of kind breach_decision with a
structured record beside it: whether confidentiality is breached (its outcome) and, when it is,
the agencies information goes to. Only a decision to share lets a contact through without the
family's consent, and only with an agency it names (`consent.log_third_party_contact`).
`cases` re-exports these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.cases import BreachDecision, BreachDecisionAgency, CaseNote, NoteRevision
from app.models.staff import Staff
from app.services import audit, changes
from app.services.access import case_for_note, require_case, require_note_editor, target
from app.services.cases.case_file import raise_safeguarding, touch
from app.services.cases.fields import NOTE_MAX, NoteKind, choice
from app.services.cases.fields import text as check_text
from app.services.clock import now
from app.services.consent.records import Party, PartyKind
from app.services.context import SignedIn
from app.services.people import InvalidInput


@dataclass(frozen=True)
class NoteRevisionView:
    text: str
    written_at: datetime
    replaced_at: datetime
    replaced_by: str


class BreachOutcome(StrEnum):
    SHARED = "shared"  # confidentiality breached: information goes to the agencies named
    NOT_SHARED = "not shared"

    @property
    def label(self) -> str:
        return ("Share information without consent" if self is BreachOutcome.SHARED
                else "Do not share")


AGENCY_NAME_MAX = 80  # as a contact's third party
AGENCIES_MAX = 10


@dataclass(frozen=True)
class BreachDecisionView:
    concern: str
    consulted: str
    decision: str
    agencies_contacted: str  # in words: the agencies below, or as typed before they were asked
    parent_told: bool
    parent_told_at: datetime | None
    outcome: BreachOutcome = BreachOutcome.NOT_SHARED
    agencies: tuple[Party, ...] = ()

    def allows(self, party: Party) -> bool:
        """Whether this decision lets a contact with `party` through without consent."""
        return (self.outcome is BreachOutcome.SHARED
                and party.key in {agency.key for agency in self.agencies})


@dataclass(frozen=True)
class NoteView:
    id: int
    case_id: int
    kind: NoteKind
    text: str
    author_id: int | None
    author: str
    at: datetime
    edited_at: datetime | None
    history: tuple[NoteRevisionView, ...] = ()
    breach: BreachDecisionView | None = None


@dataclass(frozen=True)
class BreachDecisionDetails:
    concern: str
    consulted: str
    decision: str
    outcome: BreachOutcome | str | None = None  # required: the decision must say which
    agencies: Sequence[Party] = ()  # required when sharing, and only then
    parent_told: bool = False
    parent_told_at: datetime | None = None


def _names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Staff.id, Staff.full_name)).all())


def note_views(session: Session, case_id: int) -> tuple[NoteView, ...]:
    """Every note on a case, newest first, with its history and any breach decision."""
    names = _names(session)
    notes = list(session.scalars(
        select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.at.desc(),
                                                                     CaseNote.id.desc())
    ))
    ids = [note.id for note in notes]
    revisions: dict[int, list[NoteRevisionView]] = {}
    for rev in session.scalars(select(NoteRevision).where(NoteRevision.note_id.in_(ids))
                               .order_by(NoteRevision.id)):
        revisions.setdefault(rev.note_id, []).append(NoteRevisionView(
            rev.text, rev.written_at, rev.replaced_at, names.get(rev.replaced_by or 0, "")))
    breaches = {b.note_id: b for b in session.scalars(
        select(BreachDecision).where(BreachDecision.note_id.in_(ids)))}
    agencies = _agencies(session, list(breaches))
    return tuple(_view(note, names, revisions.get(note.id, []), breaches.get(note.id),
                       agencies.get(note.id, ()))
                 for note in notes)


def _agencies(session: Session, note_ids: list[int]) -> dict[int, tuple[Party, ...]]:
    found: dict[int, list[Party]] = {}
    for row in session.scalars(select(BreachDecisionAgency).where(
            BreachDecisionAgency.note_id.in_(note_ids)).order_by(BreachDecisionAgency.id)):
        found.setdefault(row.note_id, []).append(Party(_kind(row.party_kind), row.party))
    return {note_id: tuple(parties) for note_id, parties in found.items()}


def _kind(value: str) -> PartyKind:
    try:
        return PartyKind(value)
    except ValueError:
        return PartyKind.OTHER


def breach_decision_of(session: Session, note_id: int) -> BreachDecisionView | None:
    """The decision recorded with a note, or None when the note is not a breach decision."""
    breach = session.get(BreachDecision, note_id)
    if breach is None:
        return None
    return _breach_view(breach, _agencies(session, [note_id]).get(note_id, ()))


def _breach_view(breach: BreachDecision, agencies: tuple[Party, ...]) -> BreachDecisionView:
    words = "; ".join(agency.describe() for agency in agencies) or breach.agencies_contacted
    return BreachDecisionView(breach.concern, breach.consulted, breach.decision, words,
                              breach.parent_told, breach.parent_told_at,
                              _outcome(breach.outcome), agencies)


def _outcome(value: str) -> BreachOutcome:
    # Anything unreadable counts as not shared: it must never unlock a contact.
    return BreachOutcome.SHARED if value == BreachOutcome.SHARED.value else BreachOutcome.NOT_SHARED


def _view(note: CaseNote, names: dict[int, str], history: list[NoteRevisionView],
          breach: BreachDecision | None, agencies: tuple[Party, ...] = ()) -> NoteView:
    breach_view = None if breach is None else _breach_view(breach, agencies)
    return NoteView(note.id, note.case_id, NoteKind(note.kind), note.text, note.author_id,
                    names.get(note.author_id or 0, ""), note.at, note.edited_at, tuple(history),
                    breach_view)


def _note_text(value: str) -> str:
    return check_text(value, "text", "Note", NOTE_MAX, required=True, multiline=True)


def add_note(ctx: SignedIn, case_id: int, text: str, kind: NoteKind = NoteKind.NOTE,
             reason: str | None = None) -> NoteView:
    kind = choice(NoteKind, kind, "kind", "Kind of note")
    if kind is NoteKind.BREACH_DECISION:
        raise InvalidInput("Record a breach decision with its own form.", "kind")
    cleaned = _note_text(text)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        at = now().replace(microsecond=0)
        note = CaseNote(case_id=case.id, kind=kind.value, text=cleaned, author_id=ctx.actor.id,
                        at=at)
        session.add(note)
        session.flush()
        touch(case, at)
        audit.record(session, ctx.actor, "note added", target=target(case),
                     detail={"note_id": note.id, "kind": kind.value})
        view, reference = _view(note, _names(session), [], None), case.reference
    changes.publish(changes.NOTE_CHANGED, reference)
    return view


def edit_note(ctx: SignedIn, note_id: int, text: str, reason: str | None = None) -> NoteView:
    """Change a note's text; the earlier text goes to its history. Authors and managers only."""
    cleaned = _note_text(text)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_for_note(session, note_id), reason)
        note = session.get(CaseNote, note_id)
        assert note is not None
        require_note_editor(ctx.actor, note)
        if note.text != cleaned:
            at = now().replace(microsecond=0)
            session.add(NoteRevision(note_id=note.id, text=note.text,
                                     written_at=note.edited_at or note.at, replaced_at=at,
                                     replaced_by=ctx.actor.id))
            note.text, note.edited_at = cleaned, at
            touch(case, at)
            audit.record(session, ctx.actor, "note edited", target=target(case),
                         detail={"note_id": note.id})
        reference = case.reference
        view = next(v for v in note_views(session, case.id) if v.id == note_id)
    changes.publish(changes.NOTE_CHANGED, reference)
    return view


def record_breach_decision(ctx: SignedIn, case_id: int, details: BreachDecisionDetails,
                           reason: str | None = None) -> NoteView:
    """Record a decision to breach (or not) confidentiality; also flags safeguarding on the case."""
    concern = check_text(details.concern, "concern", "Concern", NOTE_MAX, required=True,
                         multiline=True)
    consulted = check_text(details.consulted, "consulted", "Who was consulted", 200, required=True)
    decision = check_text(details.decision, "decision", "Decision", NOTE_MAX, required=True,
                          multiline=True)
    outcome, agencies = _clean_outcome(details)
    told_at = details.parent_told_at if details.parent_told else None
    if told_at is not None and told_at > now():
        raise InvalidInput("When the parent was told: this is in the future.", "parent_told_at")
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        at = now().replace(microsecond=0)
        note = CaseNote(case_id=case.id, kind=NoteKind.BREACH_DECISION.value, text=decision,
                        author_id=ctx.actor.id, at=at)
        session.add(note)
        session.flush()
        breach = BreachDecision(note_id=note.id, concern=concern, consulted=consulted,
                                decision=decision, agencies_contacted="",
                                parent_told=details.parent_told, parent_told_at=told_at,
                                outcome=outcome.value)
        session.add(breach)
        session.add_all(BreachDecisionAgency(note_id=note.id, party_kind=agency.kind.value,
                                             party=agency.name) for agency in agencies)
        raise_safeguarding(case, ctx.actor.id, at)
        touch(case, at)
        audit.record(session, ctx.actor, "breach decision recorded", target=target(case),
                     detail={"note_id": note.id, "outcome": outcome.value,
                             "agency_kinds": [agency.kind.value for agency in agencies],
                             "parent_told": details.parent_told})
        view, reference = _view(note, _names(session), [], breach, agencies), case.reference
    changes.publish(changes.NOTE_CHANGED, reference)
    return view


def _clean_outcome(details: BreachDecisionDetails) -> tuple[BreachOutcome, tuple[Party, ...]]:
    """The decision's two answers: share or not, and with whom (each agency once)."""
    if details.outcome in (None, ""):
        raise InvalidInput("Choose whether to share information without the family's consent.",
                           "outcome")
    outcome = choice(BreachOutcome, details.outcome, "outcome", "Decision")
    agencies: dict[tuple[str, str], Party] = {}
    for agency in details.agencies:
        kind = choice(PartyKind, agency.kind, "agencies", "Kind of agency") if agency.kind else None
        if kind is None:
            raise InvalidInput("Agencies: choose the kind of each agency.", "agencies")
        name = check_text(agency.name, "agencies", "Agency", AGENCY_NAME_MAX, required=True)
        party = Party(kind, name)
        agencies.setdefault(party.key, party)
    if outcome is BreachOutcome.SHARED and not agencies:
        raise InvalidInput("Name each agency to be contacted; information is shared only with "
                           "the agencies named here.", "agencies")
    if outcome is BreachOutcome.NOT_SHARED and agencies:
        raise InvalidInput("You chose not to share, so no agency is contacted. Remove the "
                           "agencies, or choose to share with them.", "agencies")
    if len(agencies) > AGENCIES_MAX:
        raise InvalidInput(f"Name at most {AGENCIES_MAX} agencies in one decision.", "agencies")
    return outcome, tuple(agencies.values())
