"""Case notes: short, dated, authored; an edit keeps the earlier text in note_revision.

A confidentiality-breach decision (Staffordshire 7) is a note of kind breach_decision with a
structured record beside it. `cases` re-exports these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.cases import BreachDecision, CaseNote, NoteRevision
from app.models.staff import Staff
from app.services import audit, changes
from app.services.access import case_for_note, require_case, require_note_editor, target
from app.services.cases.case_file import raise_safeguarding, touch
from app.services.cases.fields import NOTE_MAX, NoteKind, choice
from app.services.cases.fields import text as check_text
from app.services.clock import now
from app.services.context import SignedIn
from app.services.people import InvalidInput


@dataclass(frozen=True)
class NoteRevisionView:
    text: str
    written_at: datetime
    replaced_at: datetime
    replaced_by: str


@dataclass(frozen=True)
class BreachDecisionView:
    concern: str
    consulted: str
    decision: str
    agencies_contacted: str
    parent_told: bool
    parent_told_at: datetime | None


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
    agencies_contacted: str = ""
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
    return tuple(_view(note, names, revisions.get(note.id, []), breaches.get(note.id))
                 for note in notes)


def _view(note: CaseNote, names: dict[int, str], history: list[NoteRevisionView],
          breach: BreachDecision | None) -> NoteView:
    breach_view = None if breach is None else BreachDecisionView(
        breach.concern, breach.consulted, breach.decision, breach.agencies_contacted,
        breach.parent_told, breach.parent_told_at)
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
    agencies = check_text(details.agencies_contacted, "agencies_contacted", "Agencies contacted", 400)
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
                                decision=decision, agencies_contacted=agencies,
                                parent_told=details.parent_told, parent_told_at=told_at)
        session.add(breach)
        raise_safeguarding(case, ctx.actor.id, at)
        touch(case, at)
        audit.record(session, ctx.actor, "breach decision recorded", target=target(case),
                     detail={"note_id": note.id, "parent_told": details.parent_told})
        view, reference = _view(note, _names(session), [], breach), case.reference
    changes.publish(changes.NOTE_CHANGED, reference)
    return view
