"""The demo diary: a believable working week for every demo adviser and the manager.

Weekdays only, a few appointments a day in the usual office slots, interview rooms never
double-booked, annual reviews and school meetings at schools, an occasional all-day tribunal
or training day, and some cancellations. Appointments with families are linked to a case the
adviser held at the time. From its own random stream, so the rest of the demo data does not
change when the diary does. Every row passes the diary's own checks
(tests/demo/test_data.py).
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.demo import words
from app.services.diary.fields import AppointmentKind, Venue

Row = dict[str, Any]
ROOMS = ("Interview room 1", "Interview room 2")
# Start times an office books in; each slot leaves room for up to 90 minutes.
SLOTS = (time(9, 0), time(10, 45), time(13, 15), time(15, 0))
LENGTHS = (45, 60, 60, 90)
KIND_WEIGHTS = ((AppointmentKind.PARENT_MEETING, 42), (AppointmentKind.SCHOOL_MEETING, 20),
                (AppointmentKind.ANNUAL_REVIEW, 17), (AppointmentKind.TRAINING, 5),
                (AppointmentKind.OTHER, 4))
FAMILY_KINDS = frozenset({AppointmentKind.PARENT_MEETING, AppointmentKind.SCHOOL_MEETING,
                          AppointmentKind.ANNUAL_REVIEW, AppointmentKind.TRIBUNAL})
WEEKS_AHEAD = 8


def _utc(local: datetime) -> datetime:
    """Office hours are local; stored times are naive UTC."""
    return local.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class CaseSpan:
    case_id: int
    adviser_id: int
    opened: datetime
    last: datetime


class DiaryGenerator:
    def __init__(self, seed: int, start: datetime, end: datetime, staff_ids: list[int],
                 manager_id: int, cases: list[CaseSpan], schools: list[str]) -> None:
        self.rng = random.Random(f"diary-{seed}")
        self.start, self.end = start, end
        self.staff_ids = staff_ids
        self.manager_id = manager_id
        self.schools = schools or ["Northfield Primary School"]
        self.by_adviser: dict[int, list[CaseSpan]] = {}
        for span in sorted(cases, key=lambda c: c.opened):
            self.by_adviser.setdefault(span.adviser_id, []).append(span)
        self.opened_keys = {a: [s.opened for s in spans] for a, spans in self.by_adviser.items()}
        self.rows: list[Row] = []

    def build(self) -> list[Row]:
        day = self.start.date()
        last = self.end.date() + timedelta(weeks=WEEKS_AHEAD)
        while day <= last:
            if day.weekday() < 5:
                rooms_taken: dict[int, set[str]] = {}
                for staff_id in self.staff_ids:
                    self._day(staff_id, day, rooms_taken)
            day += timedelta(days=1)
        for number, row in enumerate(self.rows, start=1):
            row["id"] = number
        return self.rows

    def _case_at(self, adviser: int, moment: datetime) -> int | None:
        spans = self.by_adviser.get(adviser, [])
        index = bisect.bisect_right(self.opened_keys.get(adviser, []), moment)
        # The most recent few dozen cases opened before the day; most long-closed ones are past.
        open_then = [s.case_id for s in spans[max(0, index - 40):index] if s.last >= moment]
        return self.rng.choice(open_then) if open_then else None

    def _day(self, staff_id: int, day: date, rooms_taken: dict[int, set[str]]) -> None:
        rng = self.rng
        manager = staff_id == self.manager_id
        roll = rng.random()
        if roll < 0.015 and not manager:
            self._add(staff_id, datetime.combine(day, time(9, 30)), datetime.combine(day, time(16, 30)),
                      AppointmentKind.TRIBUNAL, Venue.OTHER, rng.choice(words.TRIBUNAL_VENUES), None)
            return
        if roll < 0.03:
            self._add(staff_id, datetime.combine(day, time(9, 30)), datetime.combine(day, time(16, 0)),
                      AppointmentKind.TRAINING, Venue.OTHER, rng.choice(words.OTHER_VENUES), None)
            return
        count = rng.choices((0, 1, 2, 3), (40, 30, 20, 10) if manager else (15, 35, 35, 15))[0]
        for slot_index in sorted(rng.sample(range(len(SLOTS)), count)):
            starts = datetime.combine(day, SLOTS[slot_index])
            ends = starts + timedelta(minutes=rng.choice(LENGTHS))
            kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
            venue, name, room = self._place(kind, rooms_taken.setdefault(slot_index, set()))
            self._add(staff_id, starts, ends, kind, venue, name, room)

    def _place(self, kind: AppointmentKind, rooms_taken: set[str]) -> tuple[Venue, str, str | None]:
        rng = self.rng
        if kind in (AppointmentKind.SCHOOL_MEETING, AppointmentKind.ANNUAL_REVIEW):
            return Venue.SCHOOL, rng.choice(self.schools), None
        if kind is AppointmentKind.TRAINING:
            return (Venue.ONLINE, "", None) if rng.random() < 0.5 else \
                (Venue.OTHER, rng.choice(words.OTHER_VENUES), None)
        if kind is AppointmentKind.OTHER:
            return Venue.OTHER, rng.choice(words.OTHER_VENUES), None
        venue = rng.choices([Venue.OFFICE, Venue.HOME, Venue.TELEPHONE, Venue.ONLINE], [45, 20, 25, 10])[0]
        if venue is not Venue.OFFICE:
            return venue, "", None
        free = [room for room in ROOMS if room not in rooms_taken]
        if not free:
            return Venue.TELEPHONE, "", None
        room = rng.choice(free)
        rooms_taken.add(room)
        return venue, "", room

    def _add(self, staff_id: int, starts: datetime, ends: datetime, kind: AppointmentKind, venue: Venue,
             name: str, room: str | None) -> None:
        rng = self.rng
        case_id = None
        if kind in FAMILY_KINDS and rng.random() < 0.9:
            case_id = self._case_at(staff_id, starts)
        purposes = words.APPOINTMENT_PURPOSES.get(kind.value, ("",))
        created = min(starts - timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 6)), self.end)
        cancelled = None
        if rng.random() < 0.04:
            cancelled = min(created + (starts - created) / 2, self.end).replace(microsecond=0)
        self.rows.append({
            "adviser_id": staff_id, "starts_at": _utc(starts), "ends_at": _utc(ends), "venue": venue.value,
            "venue_name": name, "room": room, "kind": kind.value, "case_id": case_id,
            "purpose": rng.choice(purposes) if case_id is not None or rng.random() < 0.5 else "",
            "cancelled_at": cancelled, "cancelled_by": staff_id if cancelled else None,
            "created_at": created.replace(microsecond=0), "created_by": staff_id,
            "changed_at": None, "changed_by": None})
