"""The consent history of a case, read and appended inside a caller's unit of work.

Consent is never edited: each grant or withdrawal is a new row (a trigger refuses UPDATE), and
the current state for a kind (and, for third parties, for one named party) is simply the
latest row recorded for it. No row means "not asked", which allows nothing.

`consent` holds the signed-in services built on these; `calls` and `contact` use these
directly because they record consent inside their own units of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.consent import Consent, ConsentForm
from app.services.cases.fields import ConsentMethod
from app.services.clock import now
from app.services.people import PermissionRefused


class ConsentKind(StrEnum):
    KEEP_DETAILS = "keep_details"
    THIRD_PARTY = "third_party"
    EMAIL = "email"
    VOICEMAIL = "voicemail"
    MESSAGE_WITH_COLLEAGUE = "message_with_colleague"
    QUOTES = "quotes"
    PHOTOGRAPHS = "photographs"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ConsentKind.KEEP_DETAILS: "Keep the family's details",
    ConsentKind.THIRD_PARTY: "Contact a third party",
    ConsentKind.EMAIL: "Contact the family by email",
    ConsentKind.VOICEMAIL: "Leave a voicemail",
    ConsentKind.MESSAGE_WITH_COLLEAGUE: "Leave a message with a colleague or family member",
    ConsentKind.QUOTES: "Use their words in publicity, anonymously",
    ConsentKind.PHOTOGRAPHS: "Use photographs",
}

# The kinds every family is asked about, in the order the tab and the printed form list them.
FAMILY_KINDS: tuple[ConsentKind, ...] = (
    ConsentKind.KEEP_DETAILS, ConsentKind.EMAIL, ConsentKind.VOICEMAIL,
    ConsentKind.MESSAGE_WITH_COLLEAGUE, ConsentKind.QUOTES, ConsentKind.PHOTOGRAPHS,
)


class PartyKind(StrEnum):
    SEN_TEAM = "SEN team"
    SCHOOL = "school"
    EDUCATIONAL_PSYCHOLOGIST = "educational psychologist"
    HEALTH = "health"
    SOCIAL_CARE = "social care"
    OTHER = "other"


class ConsentState(StrEnum):
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"
    NOT_ASKED = "not asked"


@dataclass(frozen=True)
class Party:
    """A third party by kind and its own name ("school", "Northfield Primary")."""

    kind: PartyKind
    name: str

    @property
    def key(self) -> tuple[str, str]:
        return self.kind.value, party_key(self.name)

    def describe(self) -> str:
        return f"{self.name} ({self.kind.value})"


@dataclass(frozen=True)
class ConsentRecordView:
    id: int
    kind: ConsentKind
    party: Party | None
    granted: bool
    method: str
    given_on: date
    recorded_by: str
    recorded_at: datetime
    review_date: date | None
    policy_explained: bool
    form_media_type: str | None  # a scanned form is kept with this record

    @property
    def has_form(self) -> bool:
        return self.form_media_type is not None


@dataclass(frozen=True)
class ConsentStatus:
    """The current state of one kind (or one third party), from its latest record."""

    kind: ConsentKind
    party: Party | None
    state: ConsentState
    latest: ConsentRecordView | None

    def review_due(self, today: date) -> bool:
        review = self.latest.review_date if self.latest else None
        return self.state is ConsentState.GRANTED and review is not None and review <= today

    @property
    def title(self) -> str:
        return f"Contact {self.party.describe()}" if self.party else self.kind.label


@dataclass(frozen=True)
class ConsentRegister:
    family: tuple[ConsentStatus, ...]  # one per FAMILY_KINDS, in that order
    third_parties: tuple[ConsentStatus, ...]  # one per party ever recorded, by name
    history: tuple[ConsentRecordView, ...]  # newest first

    def status(self, kind: ConsentKind, party: Party | None = None) -> ConsentStatus:
        pool = self.third_parties if party is not None else self.family
        for status in pool:
            if status.kind is kind and (party is None or (status.party and status.party.key == party.key)):
                return status
        return ConsentStatus(kind, party, ConsentState.NOT_ASKED, None)

    def consented_parties(self) -> tuple[Party, ...]:
        return tuple(s.party for s in self.third_parties
                     if s.state is ConsentState.GRANTED and s.party is not None)


class ConsentRequired(PermissionRefused):
    """An action needs consent the family has not given (or has withdrawn)."""

    def __init__(self, message: str, kind: ConsentKind, party: Party | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.party = party


def party_key(name: str) -> str:
    """Names match whatever the capitals and spacing: 'Northfield  primary' is the same school."""
    return " ".join(name.casefold().split())


def _party_of(row: Consent) -> Party | None:
    if row.kind != ConsentKind.THIRD_PARTY.value or not row.party:
        return None
    try:
        kind = PartyKind(row.party_kind or PartyKind.OTHER.value)
    except ValueError:
        kind = PartyKind.OTHER
    return Party(kind, row.party)


def _rows(session: Session, case_id: int, kind: ConsentKind | None = None) -> list[Consent]:
    query = select(Consent).where(Consent.case_id == case_id)
    if kind is not None:
        query = query.where(Consent.kind == kind.value)
    return list(session.scalars(query.order_by(Consent.id)))


def _matches(row: Consent, kind: ConsentKind, party: Party | None) -> bool:
    if row.kind != kind.value:
        return False
    if party is None:
        return True
    found = _party_of(row)
    return found is not None and found.key == party.key


def latest(session: Session, case_id: int, kind: ConsentKind, party: Party | None = None) -> Consent | None:
    """The newest record for the kind (and party); recording order decides, not the given date."""
    found = None
    for row in _rows(session, case_id, kind):
        if _matches(row, kind, party):
            found = row
    return found


def is_granted(session: Session, case_id: int, kind: ConsentKind, party: Party | None = None) -> bool:
    row = latest(session, case_id, kind, party)
    return row is not None and row.granted


def append(session: Session, case_id: int, kind: ConsentKind, granted: bool, method: ConsentMethod,
           staff_id: int | None, *, party: Party | None = None, given_on: date | None = None,
           review_date: date | None = None, policy_explained: bool = False) -> Consent:
    at = now().replace(microsecond=0)
    row = Consent(case_id=case_id, kind=kind.value, granted=granted,
                  party_kind=party.kind.value if party else None, party=party.name if party else None,
                  policy_explained=policy_explained, method=method.value, recorded_by=staff_id,
                  recorded_at=at, given_on=given_on or at.date(), review_date=review_date)
    session.add(row)
    session.flush()
    return row


def grant_if_not_current(session: Session, case_id: int, kinds: Iterable[ConsentKind],
                         method: ConsentMethod, staff_id: int | None) -> list[ConsentKind]:
    """Record a grant for each kind that is not granted now; returns the kinds recorded."""
    recorded = []
    for kind in kinds:
        if not is_granted(session, case_id, kind):
            append(session, case_id, kind, True, method, staff_id)
            recorded.append(kind)
    return recorded


def register(session: Session, case_id: int, staff_names: dict[int, str]) -> ConsentRegister:
    """The whole register of a case: current states and the full history."""
    rows = _rows(session, case_id)
    forms = dict(session.execute(
        select(ConsentForm.consent_id, ConsentForm.media_type)
        .where(ConsentForm.consent_id.in_([r.id for r in rows]))).all()) if rows else {}
    views = [ConsentRecordView(
        id=row.id, kind=_kind_of(row), party=_party_of(row), granted=row.granted, method=row.method,
        given_on=row.given_on or row.recorded_at.date(),
        recorded_by=staff_names.get(row.recorded_by or 0, ""), recorded_at=row.recorded_at,
        review_date=row.review_date, policy_explained=row.policy_explained,
        form_media_type=forms.get(row.id)) for row in rows]
    latest_family: dict[ConsentKind, ConsentRecordView] = {}
    latest_party: dict[tuple[str, str], ConsentRecordView] = {}
    for view in views:
        if view.party is not None:
            latest_party[view.party.key] = view
        elif view.kind is not ConsentKind.THIRD_PARTY:
            latest_family[view.kind] = view
    family = tuple(_status(kind, None, latest_family.get(kind)) for kind in FAMILY_KINDS)
    parties = sorted(latest_party.values(), key=lambda v: (party_key(v.party.name), v.party.kind.value)
                     if v.party else ("", ""))
    third = tuple(_status(ConsentKind.THIRD_PARTY, v.party, v) for v in parties)
    return ConsentRegister(family, third, tuple(reversed(views)))


def _kind_of(row: Consent) -> ConsentKind:
    try:
        return ConsentKind(row.kind)
    except ValueError:  # a kind from a newer version: shown, never relied on
        return ConsentKind.THIRD_PARTY if row.party else ConsentKind.KEEP_DETAILS


def _status(kind: ConsentKind, party: Party | None, view: ConsentRecordView | None) -> ConsentStatus:
    if view is None:
        state = ConsentState.NOT_ASKED
    else:
        state = ConsentState.GRANTED if view.granted else ConsentState.WITHDRAWN
    return ConsentStatus(kind, party, state, view)


def require(session: Session, case_id: int, kind: ConsentKind, party: Party | None = None) -> None:
    """ConsentRequired, naming what is missing, unless the latest record is a grant."""
    row = latest(session, case_id, kind, party)
    if row is not None and row.granted:
        return
    what = f"to contact {party.describe()}" if party else f"to: {kind.label.lower()}"
    if row is None:
        state = "has not given consent"
    else:
        state = f"withdrew consent on {(row.given_on or row.recorded_at.date()).strftime('%d/%m/%Y')}"
    raise ConsentRequired(
        f"The family {state} {what}. Record their consent on the Consent tab first; you can "
        "print a consent form for them to sign.", kind, party)
