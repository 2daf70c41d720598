"""The staff diary: booking, moving and cancelling appointments, and reading them back.

Anonymised by construction (Milton Keynes: "others can see where appointments are booked, but
not who with"). `team_diary` returns `DiarySlot`, a type with no field for the family, the case
or the purpose, so a screen built on it cannot leak them by mistake. The full record
(`AppointmentView`) comes only from `appointment_details` and friends, and only for the
appointment's own adviser, advisers assigned to its case, and managers. Coordinators always
get the anonymised form.

Clashes are found before anything is saved, inside the same unit of work as the save:
- the same adviser twice at once raises `AdviserBusy`, which the form may overrule ("save
  anyway"): people do knowingly overlap a short phone call with a training day, or hold a
  slot while a meeting is being rearranged;
- an interview room twice at once raises `RoomTaken`, which cannot be overruled: two families
  turning up to one room is exactly what booking rooms is for, and the colleague holding the
  room is not there to agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.models.calls import Call
from app.models.cases import Case, Child
from app.models.diary import Appointment
from app.models.staff import Staff
from app.services import audit, changes, settings
from app.services.access import (
    APPOINTMENT_NOT_YOURS,
    assigned_to,
    holds_cases,
    may_hold_cases,
    record_shown,
    refuse_coordinator,
    require_appointment,
    require_case,
    require_may_book_for,
    require_may_see_cases_of,
    require_own_appointment,
    sees_every_case,
    sees_families,
    visible_appointments,
)
from app.services.cases.coded_reference import coded_reference, initials
from app.services.cases.fields import CaseStatus
from app.services.clock import now
from app.services.context import SignedIn
from app.services.diary.fields import (
    LONGEST,
    AppointmentDetails,
    AppointmentKind,
    Venue,
    clean_details,
    overlaps,
    to_local,
    venue_text,
)
from app.services.people import InvalidInput, StaffMember

BUSY = "Busy"
NOT_YOURS = APPOINTMENT_NOT_YOURS  # the diary page shows it beside a colleague's appointment


@dataclass(frozen=True)
class DiaryPerson:
    id: int
    full_name: str


@dataclass(frozen=True)
class DiarySlot:
    """What anyone may know about an appointment: who is busy, when, and where.

    There is deliberately no field for the family, the child, the case or the purpose.
    `label` is always "Busy"; `mine` says the viewer may ask for the details.
    """

    appointment_id: int
    adviser_id: int
    adviser: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    room: str | None
    mine: bool
    label: str = BUSY


@dataclass(frozen=True)
class AppointmentView:
    """The whole appointment, for its adviser, the family's advisers and managers only."""

    id: int
    adviser_id: int
    adviser: str
    starts_at: datetime
    ends_at: datetime
    kind: AppointmentKind
    venue: Venue
    venue_name: str
    room: str | None
    case_id: int | None
    case_reference: str | None
    coded_reference: str | None  # initials and month of birth of the case's first child
    purpose: str
    cancelled_at: datetime | None

    @property
    def where(self) -> str:
        return venue_text(self.venue, self.venue_name, self.room)

    @property
    def title(self) -> str:
        """One line for the diary: type, then the case as reference and coded reference."""
        parts = [self.kind.label]
        if self.case_reference:
            parts.append(self.case_reference)
        if self.coded_reference:
            parts.append(self.coded_reference)
        return " · ".join(parts)


@dataclass(frozen=True)
class FollowUpDue:
    """A follow-up date from one of the viewer's own calls, shown on that day of their diary."""

    call_id: int
    due: date
    call_at: datetime
    case_reference: str | None


@dataclass(frozen=True)
class Clash:
    """Another appointment in the way, in the anonymised form (it may be a colleague's)."""

    kind: str  # "adviser" or "room"
    slot: DiarySlot

    def describe(self) -> str:
        start, end = to_local(self.slot.starts_at), to_local(self.slot.ends_at)
        when = f"{start:%d/%m/%Y %H:%M} to {end:%H:%M}" if start.date() == end.date() else \
            f"{start:%d/%m/%Y %H:%M} to {end:%d/%m/%Y %H:%M}"
        if self.kind == "room":
            return f"{self.slot.room} is booked by {self.slot.adviser}, {when}."
        return f"{self.slot.adviser} is already busy {when} ({self.slot.venue})."


class AdviserBusy(InvalidInput):
    """The adviser already has an appointment then; the person may choose to save anyway."""

    def __init__(self, clashes: Sequence[Clash]) -> None:
        count = len(clashes)
        super().__init__("The adviser already has " + ("an appointment" if count == 1 else
                         f"{count} appointments") + " at that time.", "starts_at")
        self.clashes = tuple(clashes)


class RoomTaken(InvalidInput):
    """The interview room is booked then; choose another room or time."""

    def __init__(self, clashes: Sequence[Clash]) -> None:
        slot = clashes[0].slot
        super().__init__(f"Room: {slot.room} is already booked then, by {slot.adviser}. Choose another "
                         "room or time.", "room")
        self.clashes = tuple(clashes)


# -- whose diary --------------------------------------------------------------------------
# Who may see and change which appointment is decided in `app.services.access`.


def _check_adviser(session: Session, actor: StaffMember, adviser_id: int) -> Staff:
    require_may_book_for(actor, adviser_id)
    person = session.get(Staff, adviser_id)
    if person is None or not may_hold_cases(person):
        raise InvalidInput("Adviser: choose an active adviser or manager.", "adviser_id")
    return person


def diary_staff(ctx: SignedIn) -> list[DiaryPerson]:
    """Everyone with a diary (active advisers and managers), for the staff picker."""
    with ctx.read() as session:
        rows = session.execute(select(Staff.id, Staff.full_name).where(holds_cases())
                               .order_by(Staff.full_name))
        return [DiaryPerson(i, n) for i, n in rows]


def interview_rooms(ctx: SignedIn) -> tuple[str, ...]:
    return settings.load(ctx).rooms


@dataclass(frozen=True)
class CaseChoice:
    """A case to link, by reference and the child's initials: the picker shows no names."""

    id: int
    reference: str
    initials: str

    @property
    def text(self) -> str:
        return f"{self.reference} · {self.initials}" if self.initials else self.reference


def bookable_cases(ctx: SignedIn, adviser_id: int | None = None) -> list[CaseChoice]:
    """Open cases assigned to the adviser (the signed-in person by default), newest activity first.

    A manager picking a colleague's cases sees families not theirs, which is recorded; anyone
    else sees only their own, so their read takes no writer lock.
    """
    refuse_coordinator(ctx.actor)
    adviser = adviser_id if adviser_id is not None else ctx.actor.id
    require_may_see_cases_of(ctx.actor, adviser)
    with (ctx.write() if sees_every_case(ctx.actor) else ctx.read()) as session:
        rows = list(session.execute(
            select(Case.id, Case.reference)
            .where(assigned_to(adviser), Case.status == CaseStatus.OPEN.value)
            .order_by(Case.last_activity_at.desc())))
        first_child: dict[int, str] = {}
        for case_id, name in session.execute(select(Child.case_id, Child.full_name).where(
                Child.case_id.in_([r.id for r in rows])).order_by(Child.id)):
            first_child.setdefault(case_id, initials(name))
        record_shown(session, ctx.actor, "bookable cases listed", [r.id for r in rows],
                     detail={"adviser_id": adviser})
    return [CaseChoice(r.id, r.reference, first_child.get(r.id, "")) for r in rows]


# -- reading -------------------------------------------------------------------------------


def _in_window(start: datetime, end: datetime) -> Select[tuple[Appointment]]:
    # Bounded on starts_at both ways so the (adviser, starts_at) index does the work.
    return select(Appointment).where(
        Appointment.cancelled_at.is_(None), Appointment.starts_at < end,
        Appointment.starts_at > start - LONGEST, Appointment.ends_at > start)


def _names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Staff.id, Staff.full_name)).all())


def _slot(row: Appointment, names: dict[int, str], mine: bool) -> DiarySlot:
    return DiarySlot(row.id, row.adviser_id, names.get(row.adviser_id, ""), row.starts_at, row.ends_at,
                     venue_text(row.venue, row.venue_name, row.room), row.room, mine)


def team_diary(ctx: SignedIn, start: datetime, end: datetime,
               staff_ids: Sequence[int] | None = None) -> list[DiarySlot]:
    """Everyone's (or the chosen people's) appointments overlapping [start, end), anonymised."""
    query = (_in_window(start, end).add_columns(visible_appointments(ctx.actor).label("mine"))
             .order_by(Appointment.starts_at, Appointment.id))
    if staff_ids is not None:
        query = query.where(Appointment.adviser_id.in_(list(staff_ids)))
    with ctx.read() as session:
        rows = list(session.execute(query))
        names = _names(session)
        slots = [_slot(row, names, bool(mine)) for row, mine in rows]
    return slots


def _views(session: Session, rows: list[Appointment]) -> list[AppointmentView]:
    names = _names(session)
    case_ids = {r.case_id for r in rows if r.case_id is not None}
    refs = dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).all())
    codes: dict[int, str] = {}
    for case_id, name, born in session.execute(
            select(Child.case_id, Child.full_name, Child.date_of_birth)
            .where(Child.case_id.in_(case_ids), Child.date_of_birth.is_not(None)).order_by(Child.id)):
        if case_id not in codes:
            try:
                codes[case_id] = coded_reference(name, born)
            except InvalidInput:
                continue  # a name with no letters: no code rather than no diary
    return [AppointmentView(
        id=r.id, adviser_id=r.adviser_id, adviser=names.get(r.adviser_id, ""), starts_at=r.starts_at,
        ends_at=r.ends_at, kind=AppointmentKind(r.kind), venue=Venue(r.venue), venue_name=r.venue_name,
        room=r.room, case_id=r.case_id, case_reference=refs.get(r.case_id or 0),
        coded_reference=codes.get(r.case_id or 0), purpose=r.purpose, cancelled_at=r.cancelled_at,
    ) for r in rows]


def appointment_details(ctx: SignedIn, start: datetime, end: datetime,
                        staff_ids: Sequence[int] | None = None) -> list[AppointmentView]:
    """The full records the signed-in person may see among [start, end): never for coordinators.

    A manager sees every appointment in full, so their look is recorded with the count and the
    references of the cases not assigned to them.
    """
    if not sees_families(ctx.actor):
        return []  # none is visible to them: no need to read
    query = (_in_window(start, end).where(visible_appointments(ctx.actor))
             .order_by(Appointment.starts_at, Appointment.id))
    if staff_ids is not None:
        query = query.where(Appointment.adviser_id.in_(list(staff_ids)))
    with ctx.write() as session:
        views = _views(session, list(session.scalars(query)))
        others = sum(1 for v in views if v.adviser_id != ctx.actor.id)
        record_shown(session, ctx.actor, "diary details viewed", [v.case_id for v in views],
                     detail={"appointments": len(views), "colleagues": others}, always=bool(others))
    return views


def appointment(ctx: SignedIn, appointment_id: int) -> AppointmentView:
    """One appointment in full, if the signed-in person may see it (cancelled ones too).

    Opened like a case ("case viewed"), it is recorded by reference, for everyone.
    """
    refuse_coordinator(ctx.actor)
    with ctx.write() as session:
        view = _views(session, [require_appointment(session, ctx.actor, appointment_id)])[0]
        record_shown(session, ctx.actor, "appointment viewed", [view.case_id],
                     target=f"appointment:{view.id}",
                     detail={"case": view.case_reference} if view.case_reference else None,
                     always=True)
    return view


def case_appointments(ctx: SignedIn, case_id: int) -> list[AppointmentView]:
    """Every appointment on a case, cancelled ones included, newest first; for the case view."""
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, viewing=True)
        rows = list(session.scalars(select(Appointment).where(Appointment.case_id == case.id)
                                    .order_by(Appointment.starts_at.desc())))
        return _views(session, rows)


def my_follow_ups(ctx: SignedIn, first_day: date, last_day: date) -> list[FollowUpDue]:
    """Follow-ups not yet done from the signed-in person's own calls, due between the two days."""
    if not sees_families(ctx.actor):
        return []
    with ctx.read() as session:
        rows = session.execute(
            select(Call.id, Call.follow_up_date, Call.at, Case.reference)
            .outerjoin(Case, Case.id == Call.case_id)
            .where(Call.adviser_id == ctx.actor.id, Call.follow_up_date >= first_day,
                   Call.follow_up_date <= last_day, Call.follow_up_done_at.is_(None))
            .order_by(Call.follow_up_date, Call.id))
        return [FollowUpDue(i, due, at, ref) for i, due, at, ref in rows]


# -- clashes -------------------------------------------------------------------------------


def _clashes(session: Session, values: dict[str, object], adviser_id: int,
             exclude: int | None) -> list[Clash]:
    starts, ends = values["starts_at"], values["ends_at"]
    assert isinstance(starts, datetime) and isinstance(ends, datetime)
    who = Appointment.adviser_id == adviser_id
    room = values.get("room")
    if room:
        who = or_(who, Appointment.room == room)
    query = _in_window(starts, ends).where(who)
    if exclude is not None:
        query = query.where(Appointment.id != exclude)
    names = _names(session)
    found: list[Clash] = []
    for row in session.scalars(query.order_by(Appointment.starts_at)):
        if not overlaps(starts, ends, row.starts_at, row.ends_at):
            continue
        slot = _slot(row, names, mine=False)
        if room and row.room == room:
            found.append(Clash("room", slot))
        if row.adviser_id == adviser_id:
            found.append(Clash("adviser", slot))
    return found


def _rooms(session: Session) -> tuple[str, ...]:
    return settings.read(session).rooms


def check_clashes(ctx: SignedIn, details: AppointmentDetails,
                  appointment_id: int | None = None) -> list[Clash]:
    """What would clash with this booking, for a warning while the form is being filled in."""
    with ctx.write() as session:
        _check_adviser(session, ctx.actor, details.adviser_id)
        values = clean_details(details, now(), _rooms(session))
        return _clashes(session, values, details.adviser_id, appointment_id)


def _refuse_clashes(clashes: list[Clash], accept_clashes: bool) -> None:
    rooms = [c for c in clashes if c.kind == "room"]
    if rooms:
        raise RoomTaken(rooms)
    if clashes and not accept_clashes:
        raise AdviserBusy(clashes)


# -- writing -------------------------------------------------------------------------------


def _link_case(session: Session, ctx: SignedIn, details: AppointmentDetails,
               current: int | None = None) -> Case | None:
    if details.case_id is None:
        return None
    # Keeping the case an appointment already has needs no fresh check: moving a meeting
    # should not ask a manager for a reason again.
    if details.case_id == current:
        return session.get(Case, current)
    return require_case(session, ctx.actor, details.case_id, details.reason)


def _audit_detail(case: Case | None, **more: object) -> dict[str, object]:
    detail: dict[str, object] = dict(more)
    if case is not None:
        detail["case"] = case.reference
    return detail


def book(ctx: SignedIn, details: AppointmentDetails, accept_clashes: bool = False) -> AppointmentView:
    """Save a new appointment; AdviserBusy (unless accepted) or RoomTaken when something clashes."""
    at_now = now().replace(microsecond=0)
    with ctx.write() as session:
        _check_adviser(session, ctx.actor, details.adviser_id)
        values = clean_details(details, at_now, _rooms(session))
        case = _link_case(session, ctx, details)
        _refuse_clashes(_clashes(session, values, details.adviser_id, None), accept_clashes)
        row = Appointment(**values, adviser_id=details.adviser_id, case_id=case.id if case else None,
                          created_at=at_now, created_by=ctx.actor.id)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "appointment booked", target=f"appointment:{row.id}",
                     detail=_audit_detail(case, adviser_id=row.adviser_id, clash_accepted=accept_clashes))
        view = _views(session, [row])[0]
    changes.publish(changes.DIARY_CHANGED, view.case_reference)
    return view


def change(ctx: SignedIn, appointment_id: int, details: AppointmentDetails,
           accept_clashes: bool = False) -> AppointmentView:
    """Move or edit an appointment: the adviser's own, or anyone's for a manager."""
    at_now = now().replace(microsecond=0)
    with ctx.write() as session:
        row = require_own_appointment(session, ctx.actor, appointment_id)
        if row.cancelled_at is not None:
            raise InvalidInput("This appointment was cancelled; book a new one instead.", "appointment_id")
        _check_adviser(session, ctx.actor, details.adviser_id)
        values = clean_details(details, at_now, _rooms(session))
        case = _link_case(session, ctx, details, row.case_id)
        _refuse_clashes(_clashes(session, values, details.adviser_id, row.id), accept_clashes)
        values["adviser_id"] = details.adviser_id
        values["case_id"] = case.id if case else None
        changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
        for name, value in values.items():
            setattr(row, name, value)
        if changed:
            row.changed_at, row.changed_by = at_now, ctx.actor.id
            audit.record(session, ctx.actor, "appointment changed", target=f"appointment:{row.id}",
                         detail=_audit_detail(case, fields=changed, clash_accepted=accept_clashes))
        view = _views(session, [row])[0]
    changes.publish(changes.DIARY_CHANGED, view.case_reference)
    return view


def cancel(ctx: SignedIn, appointment_id: int) -> AppointmentView:
    """Cancel: the slot frees up in everyone's diary; the row stays for the case's history."""
    with ctx.write() as session:
        row = require_own_appointment(session, ctx.actor, appointment_id)
        if row.cancelled_at is None:
            row.cancelled_at = now().replace(microsecond=0)
            row.cancelled_by = ctx.actor.id
            case = session.get(Case, row.case_id) if row.case_id else None
            audit.record(session, ctx.actor, "appointment cancelled", target=f"appointment:{row.id}",
                         detail=_audit_detail(case))
        view = _views(session, [row])[0]
    changes.publish(changes.DIARY_CHANGED, view.case_reference)
    return view


def details_of(view: AppointmentView) -> AppointmentDetails:
    """The form values for an existing appointment, to edit or move it."""
    return AppointmentDetails(adviser_id=view.adviser_id, starts_at=view.starts_at, ends_at=view.ends_at,
                              kind=view.kind, venue=view.venue, venue_name=view.venue_name,
                              room=view.room or "", case_id=view.case_id, purpose=view.purpose)


def own_appointments(ctx: SignedIn, start: datetime, end: datetime) -> list[AppointmentView]:
    """The signed-in person's own appointments in [start, end) in full (print and export)."""
    refuse_coordinator(ctx.actor)
    with ctx.write() as session:
        rows = list(session.scalars(_in_window(start, end).where(Appointment.adviser_id == ctx.actor.id)
                                    .order_by(Appointment.starts_at, Appointment.id)))
        return _views(session, rows)

