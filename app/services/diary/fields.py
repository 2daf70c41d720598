"""The words and checks of the diary: venues, appointment types, and what a booking must hold.

Kept apart from `diary` so the demo generator and the screens can use the choices without
pulling in the queries. Every check raises InvalidInput naming the form field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from app.services.cases.fields import choice
from app.services.cases.fields import text as check_text
from app.services.people import InvalidInput


class Venue(StrEnum):
    OFFICE = "office"
    SCHOOL = "school"
    HOME = "home visit"
    TELEPHONE = "telephone"
    ONLINE = "online"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _VENUE_LABELS[self]


_VENUE_LABELS = {
    Venue.OFFICE: "Office", Venue.SCHOOL: "School", Venue.HOME: "Home visit",
    Venue.TELEPHONE: "Telephone", Venue.ONLINE: "Online", Venue.OTHER: "Other place",
}
# Venues whose own name is typed in; the others have none, so a home visit can never carry
# an address into the team diary.
NAMED_VENUES = frozenset({Venue.SCHOOL, Venue.OTHER})


class AppointmentKind(StrEnum):
    PARENT_MEETING = "meeting with parent"
    SCHOOL_MEETING = "school meeting"
    ANNUAL_REVIEW = "annual review"
    TRIBUNAL = "tribunal"
    TRAINING = "training"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]


PURPOSE_MAX = 300
VENUE_NAME_MAX = 80
ROOM_MAX = 40
# Long enough for a two-day tribunal or residential training, short enough to catch a year typo.
LONGEST = timedelta(days=7)
EARLIEST = datetime(2000, 1, 1)
FURTHEST_AHEAD = timedelta(days=3 * 365)


@dataclass(frozen=True)
class AppointmentDetails:
    """A booking as a form fills it in. Times are naive UTC, like everything stored."""

    adviser_id: int
    starts_at: datetime
    ends_at: datetime
    kind: AppointmentKind = AppointmentKind.PARENT_MEETING
    venue: Venue = Venue.OFFICE
    venue_name: str = ""
    room: str = ""  # an office interview room, or "" for none
    case_id: int | None = None
    purpose: str = ""
    reason: str | None = None  # a manager's reason, when the case is not assigned to them


def venue_text(venue: Venue | str, venue_name: str = "", room: str | None = None) -> str:
    """Where, as the team diary shows it: "Office, Interview room 1", "School: Northfield"."""
    place = Venue(venue)
    if place is Venue.OFFICE:
        return f"Office, {room}" if room else "Office"
    if place is Venue.SCHOOL:
        return f"School: {venue_name}" if venue_name else "School"
    if place is Venue.OTHER:
        return venue_name or "Elsewhere"
    return place.label


def clean_times(starts_at: datetime, ends_at: datetime, at_now: datetime) -> tuple[datetime, datetime]:
    starts, ends = starts_at.replace(second=0, microsecond=0), ends_at.replace(second=0, microsecond=0)
    if ends <= starts:
        raise InvalidInput("Ends: choose a time after the start.", "ends_at")
    if ends - starts > LONGEST:
        raise InvalidInput("Ends: an appointment can last at most 7 days; check the dates.", "ends_at")
    if starts < EARLIEST or starts > at_now + FURTHEST_AHEAD:
        raise InvalidInput("Starts: check the year (up to three years ahead).", "starts_at")
    return starts, ends


def clean_room(room: str, venue: Venue, rooms: tuple[str, ...]) -> str | None:
    """The room as the service spells it (so "room 1" and "Room 1" are one room), or None."""
    typed = " ".join(check_text(room, "room", "Room", ROOM_MAX).split())
    if not typed:
        return None
    if venue is not Venue.OFFICE:
        raise InvalidInput("Room: only an office appointment books an interview room.", "room")
    return next((known for known in rooms if known.casefold() == typed.casefold()), typed)


def clean_details(details: AppointmentDetails, at_now: datetime,
                  rooms: tuple[str, ...]) -> dict[str, object]:
    """Column values for a booking (everything but the case, which needs the session)."""
    starts, ends = clean_times(details.starts_at, details.ends_at, at_now)
    venue = choice(Venue, details.venue, "venue", "Venue")
    name = check_text(details.venue_name, "venue_name", "Place", VENUE_NAME_MAX)
    if venue in NAMED_VENUES and not name:
        raise InvalidInput("Place: type the name of the school or place.", "venue_name")
    if venue not in NAMED_VENUES and name:
        raise InvalidInput(f"Place: a {venue.label.lower()} shows no place name; leave it empty and "
                           "keep any address on the case.", "venue_name")
    return {
        "starts_at": starts, "ends_at": ends, "venue": venue.value, "venue_name": name,
        "room": clean_room(details.room, venue, rooms),
        "kind": choice(AppointmentKind, details.kind, "kind", "Type").value,
        "purpose": check_text(details.purpose, "purpose", "Purpose", PURPOSE_MAX, multiline=True),
    }


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a meeting ending at 11:00 does not clash with one starting then."""
    return a_start < b_end and b_start < a_end


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The naive-UTC start and end of a calendar day in the office's own time zone."""
    start = datetime.combine(day, time()).astimezone()
    end = datetime.combine(day + timedelta(days=1), time()).astimezone()
    return (start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None))


def to_local(at_utc: datetime) -> datetime:
    return at_utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
