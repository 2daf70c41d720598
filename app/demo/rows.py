"""The rows of a demo database: cases, families, calls and notes spread over the years.

Plain dicts ready for SQLAlchemy Core `insert()`, with ids chosen here so rows can point
at each other without a round trip. Every value is one the services would accept (see
tests/demo/test_data.py, which pushes a whole small build through their checks).

A child's year group is the one for the academic year the case was opened, worked out from
the date of birth the English way (Reception = born 1 Sep to 31 Aug, five years earlier).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from app.demo import words
from app.demo.diary import CaseSpan, DiaryGenerator
from app.services.calls.calls import KEEP_DETAILS
from app.services.cases import postcodes
from app.services.cases.fields import (
    HOW_HEARD,
    CallerType,
    CaseStatus,
    Channel,
    ChildPhase,
    ConsentMethod,
    ContactMethod,
    Direction,
    NoteKind,
    Outcome,
    digits_of,
    name_key,
)
from app.services.consent.records import ConsentKind, PartyKind

Row = dict[str, Any]
TABLES = ("case_file", "case_status_change", "case_assignment", "parent", "child",
          "contact_preference", "consent", "referral", "call", "call_topic", "case_note",
          "note_revision", "breach_decision", "breach_decision_agency", "third_party_contact",
          "appointment")
# Each demo breach decision shares with social care, and with the agency drawn, as these kinds.
AGENCY_KINDS = {"Children's social care front door": "social care",
                "School designated safeguarding lead": "school", "Police (non-emergency)": "other"}


@dataclass(frozen=True)
class Size:
    name: str
    years: int
    cases: int
    calls: int
    children: int
    notes: int


SIZES: dict[str, Size] = {
    "small": Size("small", 1, 40, 200, 50, 130),
    "year": Size("year", 1, 1200, 6000, 1500, 4000),
    "year10": Size("year10", 10, 12000, 60000, 15000, 40000),
}
NAMED_SHARE = 0.4  # of all calls; the rest are anonymous


@dataclass
class Staffing:
    manager_id: int
    adviser_ids: list[int]


@dataclass
class DemoRows:
    tables: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in TABLES})

    def add(self, table: str, row: Row) -> None:
        self.tables[table].append(row)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


def academic_year(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def year_group_number(born: date, on: date) -> int:
    """-1 nursery, 0 Reception, 1..14 Year n, below -1 too young for a setting."""
    return academic_year(on) - academic_year(born) - 5


def year_group_label(number: int) -> str:
    if number == -1:
        return "Nursery"
    if number == 0:
        return "Reception"
    return f"Year {number}"


def phase_for(number: int) -> ChildPhase:
    if number <= -1:
        return ChildPhase.EARLY_YEARS
    if number <= 6:
        return ChildPhase.PRIMARY
    if number <= 11:
        return ChildPhase.SECONDARY
    return ChildPhase.POST_16


YEAR_WEIGHTS = [(-1, 2), *((n, 5) for n in range(0, 7)), *((n, 6) for n in range(7, 12)),
                (12, 3), (13, 2), (14, 1)]


class Generator:
    def __init__(self, seed: int, size: Size, today: datetime, staff: Staffing,
                 topic_ids: Sequence[int]) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.size = size
        self.end = today.replace(microsecond=0) - timedelta(minutes=30)
        self.start = self.end - timedelta(days=365 * size.years)
        self.staff = staff
        self.topic_ids = list(topic_ids)
        self.rows = DemoRows()
        self.ids = {name: 0 for name in ("call", "case_note", "parent", "child")}
        self._calls: list[Row] = []
        self._call_topics: list[list[int]] = []
        self._spans: list[CaseSpan] = []
        self._schools: list[str] = []

    # -- small helpers ----------------------------------------------------------------------

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def _office_time(self, day: date) -> datetime:
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        minutes = self.rng.randint(9 * 60, 17 * 60 - 1)
        return datetime.combine(day, time(minutes // 60, minutes % 60, self.rng.randint(0, 59)))

    def _moment(self, after: datetime, before: datetime) -> datetime:
        """An office-hours moment between the two (or `after` when the gap is too short)."""
        span = max(0, (before.date() - after.date()).days)
        when = self._office_time(after.date() + timedelta(days=self.rng.randint(0, span)))
        return min(max(when, after), before)

    def _postcode(self) -> tuple[str, str]:
        district = self.rng.choice(list(words.DISTRICTS))
        inward = (f"{self.rng.randint(1, 9)}{self.rng.choice(words.INWARD_LETTERS)}"
                  f"{self.rng.choice(words.INWARD_LETTERS)}")
        return postcodes.normalise_postcode(f"{district} {inward}"), district

    def _phone(self, mobile: bool) -> str:
        if mobile:
            return f"{words.MOBILE_PREFIX}{self.rng.randint(0, 999):03d}"
        prefix = self.rng.choice(words.LANDLINE_PREFIXES)
        return f"{prefix}{self.rng.randint(0, 999):03d}"

    def _school(self, number: int) -> str:
        rng = self.rng
        if number >= 12:
            return rng.choice(words.COLLEGES)
        if number <= -1:
            return rng.choice(words.NURSERIES)
        if rng.random() < 0.1:
            return rng.choice(words.SPECIAL_SCHOOLS)
        kinds = words.PRIMARY_KINDS if number <= 6 else words.SECONDARY_KINDS
        if rng.random() < 0.2:
            return f"St {rng.choice(words.SAINTS)}'s {rng.choice(kinds)}"
        return f"{rng.choice(words.SCHOOL_PLACES)} {rng.choice(kinds)}"

    def _topics(self) -> list[int]:
        return self.rng.sample(self.topic_ids, k=min(len(self.topic_ids), self.rng.choice((1, 1, 2, 3))))

    def _spread(self, total: int, buckets: int, at_least: int) -> list[int]:
        counts = [at_least] * buckets
        for _ in range(max(0, total - at_least * buckets)):
            counts[self.rng.randrange(buckets)] += 1
        return counts

    # -- the whole build --------------------------------------------------------------------

    def build(self) -> DemoRows:
        size = self.size
        named = max(size.cases, int(size.calls * NAMED_SHARE))
        opened = sorted(self._moment(self.start, self.end - timedelta(days=1)) for _ in range(size.cases))
        calls_per_case = self._spread(named, size.cases, 1)
        children_per_case = self._spread(size.children, size.cases, 1)
        notes_per_case = self._spread(size.notes, size.cases, 0)
        sequences: dict[int, int] = {}
        for index, at in enumerate(opened):
            sequences[at.year] = sequences.get(at.year, 0) + 1
            self._case(index + 1, at, sequences[at.year], calls_per_case[index],
                       children_per_case[index], notes_per_case[index])
        for _ in range(size.calls - named):
            self._anonymous_call()
        self._number_calls()
        diary = DiaryGenerator(self.seed, self.start, self.end,
                               [self.staff.manager_id, *self.staff.adviser_ids],
                               self.staff.manager_id, self._spans, sorted(set(self._schools)))
        self.rows.tables["appointment"] = diary.build()
        return self.rows

    def _case(self, case_id: int, opened: datetime, sequence: int, calls: int, children: int,
              notes: int) -> None:
        rng = self.rng
        staff = self.staff
        adviser = rng.choice(staff.adviser_ids) if rng.random() < 0.92 else staff.manager_id
        length = timedelta(days=rng.choice((14, 30, 60, 120, 240, 400)))
        last = min(opened + length, self.end)
        call_times = sorted([opened] + [self._moment(opened, last) for _ in range(calls - 1)])
        note_times = sorted(self._moment(opened, last) for _ in range(notes))
        safeguarding = rng.random() < 0.03
        last_activity = max(call_times + note_times)
        recent = (self.end - last_activity).days < 60
        status = CaseStatus.OPEN if recent or rng.random() < 0.04 else CaseStatus.CLOSED
        if status is CaseStatus.CLOSED and (self.end - last_activity).days > 6 * 365 and rng.random() < 0.5:
            status = CaseStatus.ARCHIVED
        closed_at = None
        if status is not CaseStatus.OPEN:
            closed_at = min(last_activity + timedelta(days=rng.randint(1, 20)), self.end)
            last_activity = closed_at
        self.rows.add("case_file", {
            "id": case_id, "reference": f"C-{opened.year}-{sequence:04d}", "year": opened.year,
            "sequence": sequence, "status": status.value, "opened_at": opened, "closed_at": closed_at,
            "last_activity_at": last_activity, "safeguarding": safeguarding,
            "legal_hold_reason": None, "opened_by": adviser})
        self._history(case_id, opened, status, closed_at, adviser)
        # An open case goes on into the weeks ahead, so future appointments can be on it too.
        still_open = self.end + timedelta(days=365) if status is CaseStatus.OPEN else last_activity
        self._spans.append(CaseSpan(case_id, adviser, opened, still_open))
        self.rows.add("case_assignment", {"case_id": case_id, "staff_id": adviser,
                                          "assigned_at": opened, "assigned_by": adviser})
        others = [s for s in staff.adviser_ids if s != adviser]
        if others and rng.random() < 0.1:
            self.rows.add("case_assignment", {"case_id": case_id, "staff_id": rng.choice(others),
                                              "assigned_at": opened + timedelta(days=1),
                                              "assigned_by": staff.manager_id})
        surname = rng.choice(words.SURNAMES)
        district, allowed = self._parents(case_id, surname, opened, adviser)
        kids = [self._child(case_id, surname, opened) for _ in range(children)]
        school = self.rows.tables["child"][-1]["school"]
        self._consents(case_id, opened, last, adviser, allowed, school, words.DISTRICTS[district])
        if rng.random() < 0.1:
            self.rows.add("referral", {"case_id": case_id, "referred_by": rng.choice(words.REFERRERS),
                                       "parent_permission_confirmed": True, "recorded_at": opened,
                                       "recorded_by": adviser})
        for number, at in enumerate(call_times):
            self._named_call(case_id, at, adviser, district, kids[0], first=number == 0,
                             concern=safeguarding and number == len(call_times) - 1)
        for at in note_times:
            self._note(case_id, at, adviser, NoteKind.NOTE)
        if safeguarding:
            self._note(case_id, call_times[-1], adviser, NoteKind.SAFEGUARDING)
            if rng.random() < 0.4:
                self._note(case_id, call_times[-1], staff.manager_id,
                           NoteKind.BREACH_DECISION)

    def _consent(self, case_id: int, kind: ConsentKind, granted: bool, at: datetime, adviser: int,
                 party: tuple[PartyKind, str] | None = None, review: bool = False) -> None:
        method = self.rng.choices([m.value for m in ConsentMethod], [40, 50, 10])[0]
        self.rows.add("consent", {
            "case_id": case_id, "kind": kind.value, "party_kind": party[0].value if party else None,
            "party": party[1] if party else None, "granted": granted, "policy_explained": False,
            "method": method, "recorded_by": adviser, "recorded_at": at, "given_on": at.date(),
            "review_date": (at + timedelta(days=365)).date() if review and granted else None})

    def _consents(self, case_id: int, opened: datetime, last: datetime, adviser: int,
                  allowed: set[ConsentKind], school: str, town: str) -> None:
        """A believable register: contact consents, third parties, the odd withdrawal and contact."""
        rng = self.rng
        for kind in sorted(allowed):
            self._consent(case_id, kind, True, opened, adviser)
        if rng.random() < 0.05:
            self._consent(case_id, ConsentKind.QUOTES, True, opened, adviser)
        parties: list[tuple[PartyKind, str]] = []
        if school and rng.random() < 0.55:
            parties.append((PartyKind.SCHOOL, school))
        if rng.random() < 0.35:
            parties.append((PartyKind.SEN_TEAM, f"{town} SEN team"))
        if rng.random() < 0.1:
            parties.append((PartyKind.EDUCATIONAL_PSYCHOLOGIST, f"{town} educational psychology service"))
        for party in parties:
            given = self._moment(opened, last)
            self._consent(case_id, ConsentKind.THIRD_PARTY, True, given, adviser, party,
                          review=rng.random() < 0.3)
            withdrawn = rng.random() < 0.06 and given < last
            if withdrawn:
                self._consent(case_id, ConsentKind.THIRD_PARTY, False, self._moment(given, last),
                              adviser, party)
            if not withdrawn and rng.random() < 0.4:
                self.rows.add("third_party_contact", {
                    "case_id": case_id, "party_kind": party[0].value, "party": party[1],
                    "purpose": "referral" if party[0] is PartyKind.EDUCATIONAL_PSYCHOLOGIST else "contact",
                    "channel": rng.choice((Channel.PHONE.value, Channel.EMAIL.value)),
                    "at": self._moment(given, last), "summary": rng.choice(words.THIRD_PARTY_SUMMARIES),
                    "recorded_by": adviser, "breach_note_id": None})

    def _history(self, case_id: int, opened: datetime, status: CaseStatus, closed_at: datetime | None,
                 adviser: int) -> None:
        def change(what: str, at: datetime) -> None:
            self.rows.add("case_status_change", {"case_id": case_id, "status": what, "at": at,
                                                 "by_staff_id": adviser})

        change(CaseStatus.OPEN.value, opened)
        if closed_at is None:
            return
        if self.rng.random() < 0.06 and closed_at - opened > timedelta(days=4):
            # Closed once too early, then reopened when the family came back.
            middle = opened + (closed_at - opened) / 2
            change(CaseStatus.CLOSED.value, middle.replace(microsecond=0))
            change("reopened", (middle + timedelta(days=1)).replace(microsecond=0))
        change(CaseStatus.CLOSED.value, closed_at)
        if status is CaseStatus.ARCHIVED:
            change(CaseStatus.ARCHIVED.value, closed_at)

    def _parents(self, case_id: int, surname: str, opened: datetime,
                 adviser: int) -> tuple[str, set[ConsentKind]]:
        """The parents, their district, and which kinds of contact their preferences allow."""
        rng = self.rng
        postcode, district = self._postcode()
        street = f"{rng.randint(1, 180)} {rng.choice(words.STREET_NAMES)} {rng.choice(words.STREET_KINDS)}"
        line2 = f"{rng.choice(words.FLAT_WORDS)} {rng.randint(1, 24)}" if rng.random() < 0.15 else ""
        allowed: set[ConsentKind] = set()
        for number in range(2 if rng.random() < 0.3 else 1):
            female = number == 0 and rng.random() < 0.85
            first = rng.choice(words.FIRST_NAMES_PARENT[:50] if female else words.FIRST_NAMES_PARENT[50:])
            family = surname if rng.random() < 0.8 else rng.choice(words.SURNAMES)
            full = f"{first} {family}"
            mobile = self._phone(True) if rng.random() < 0.85 else ""
            home = self._phone(False) if rng.random() < 0.4 else ""
            work = self._phone(False) if rng.random() < 0.1 else ""
            local = "".join(c for c in first.lower() if c.isascii() and c.isalpha()) or "parent"
            email = (f"{local}.{case_id}@{rng.choice(words.EMAIL_DOMAINS)}"
                     if rng.random() < 0.6 else "")
            parent_id = self._next("parent")
            title = rng.choice(words.TITLES[:3] if female else words.TITLES[3:])
            self.rows.add("parent", {
                "id": parent_id, "case_id": case_id, "title": title, "full_name": full,
                "relationship": rng.choice(words.RELATIONSHIPS_FEMALE if female
                                           else words.RELATIONSHIPS_MALE),
                "address_line1": street, "address_line2": line2,
                "town": words.DISTRICTS[district], "postcode": postcode, "phone_mobile": mobile,
                "phone_home": home, "phone_work": work, "email": email, "name_key": name_key(full),
                "postcode_key": postcodes.search_key(postcode),
                "phone_key": " ".join(digits_of(p) for p in (mobile, home, work) if p)})
            if rng.random() < 0.8:
                allowed |= self._preferences(parent_id, mobile, home, work, email, opened, adviser)
        return district, allowed

    def _preferences(self, parent_id: int, mobile: str, home: str, work: str, email: str,
                     at: datetime, adviser: int) -> set[ConsentKind]:
        rng = self.rng
        use = {ContactMethod.MOBILE: bool(mobile), ContactMethod.HOME: bool(home) and rng.random() < 0.8,
               ContactMethod.WORK: bool(work) and rng.random() < 0.3,
               ContactMethod.EMAIL: bool(email) and rng.random() < 0.8}
        allowed = [m for m, ok in use.items() if ok] + [ContactMethod.LETTER]
        voicemail, colleague = rng.random() < 0.6, rng.random() < 0.2
        self.rows.add("contact_preference", {
            "parent_id": parent_id, "use_mobile": use[ContactMethod.MOBILE],
            "use_home": use[ContactMethod.HOME], "use_work": use[ContactMethod.WORK],
            "voicemail_allowed": voicemail, "message_with_colleague_allowed": colleague,
            "email_allowed": use[ContactMethod.EMAIL], "preferred_method": rng.choice(allowed).value,
            "updated_at": at, "updated_by": adviser})
        # As the services do: what the preferences allow is consent in the family's register.
        kinds = {ConsentKind.VOICEMAIL: voicemail, ConsentKind.MESSAGE_WITH_COLLEAGUE: colleague,
                 ConsentKind.EMAIL: use[ContactMethod.EMAIL]}
        return {kind for kind, yes in kinds.items() if yes}

    def _child(self, case_id: int, surname: str, opened: datetime) -> tuple[int, str]:
        rng = self.rng
        target = rng.choices([n for n, _ in YEAR_WEIGHTS], [w for _, w in YEAR_WEIGHTS])[0]
        first_day = date(academic_year(opened.date()) - target - 5, 9, 1)
        born = first_day + timedelta(days=rng.randint(0, 364))
        number = year_group_number(born, opened.date())
        label = "Not in school" if number >= 1 and rng.random() < 0.04 else year_group_label(number)
        first = rng.choice(words.FIRST_NAMES_CHILD)
        full = f"{first} {surname}"
        school = "" if label == "Not in school" else self._school(number)
        if school:
            self._schools.append(school)
        self.rows.add("child", {
            "id": self._next("child"), "case_id": case_id, "full_name": full, "date_of_birth": born,
            "gender": rng.choice(words.GENDERS),
            "school": school,
            "year_group": label, "needs": "; ".join(rng.sample(words.NEEDS, k=rng.choice((1, 1, 2)))),
            "name_key": name_key(full)})
        return number, label

    # -- calls ------------------------------------------------------------------------------

    def _call(self, at: datetime, adviser: int, **values: Any) -> Row:
        rng = self.rng
        follow_up = None
        done = None
        if rng.random() < 0.15:
            follow_up = at.date() + timedelta(days=rng.randint(2, 28))
            if follow_up < self.end.date() - timedelta(days=14) or rng.random() < 0.3:
                done = min(datetime.combine(follow_up, time(11, 0)), self.end)
        row: Row = {
            "at": at, "duration_minutes": rng.choice((3, 5, 8, 10, 15, 20, 25, 30, 45, 60)),
            "direction": Direction.OUT.value if rng.random() < 0.2 else Direction.IN.value,
            "channel": rng.choices([c.value for c in Channel], [70, 18, 6, 2, 4])[0],
            "caller_type": CallerType.PARENT.value, "child_phase": None, "child_year_group": None,
            "area_district": rng.choice(list(words.DISTRICTS)) if rng.random() < 0.8 else None,
            "how_heard": rng.choice(HOW_HEARD) if rng.random() < 0.7 else None,
            "outcome": rng.choice([Outcome.INFORMATION, Outcome.SIGNPOSTED, Outcome.FOLLOW_UP,
                                   Outcome.APPOINTMENT]).value,
            "follow_up_date": follow_up, "follow_up_done_at": done, "safeguarding_concern": False,
            "summary": rng.choice(words.SUMMARIES), "adviser_id": adviser, "case_id": None,
            "anonymous": True, "logged_at": at + timedelta(minutes=rng.randint(0, 20)),
            "linked_at": None}
        row["logged_at"] = min(row["logged_at"], self.end)
        row.update(values)
        return row

    def _anonymous_call(self) -> None:
        rng = self.rng
        at = self._moment(self.start, self.end)
        number = rng.choices([n for n, _ in YEAR_WEIGHTS], [w for _, w in YEAR_WEIGHTS])[0]
        known = rng.random() < 0.75
        caller = rng.choices([c.value for c in CallerType], [78, 6, 13, 3])[0]
        self._calls.append(self._call(
            at, rng.choice([*self.staff.adviser_ids, self.staff.manager_id]), caller_type=caller,
            child_phase=phase_for(number).value if known else None,
            child_year_group=year_group_label(number) if known else None,
            summary=rng.choice(words.SUMMARIES) if rng.random() < 0.8 else ""))
        self._call_topics.append(self._topics())

    def _named_call(self, case_id: int, at: datetime, adviser: int, district: str,
                    child: tuple[int, str], first: bool, concern: bool) -> None:
        number, label = child
        values: Row = {"case_id": case_id, "anonymous": False, "area_district": district,
                       "child_phase": phase_for(number).value, "child_year_group": label,
                       "safeguarding_concern": concern}
        if first:
            values["outcome"] = Outcome.CASE_OPENED.value
        self._calls.append(self._call(at, adviser, **values))
        self._call_topics.append(self._topics())
        method = self.rng.choices([m.value for m in ConsentMethod], [85, 10, 5])[0]
        self.rows.add("consent", {"case_id": case_id, "kind": KEEP_DETAILS, "party_kind": None,
                                  "party": None, "granted": True, "policy_explained": True,
                                  "method": method, "recorded_by": adviser, "recorded_at": at,
                                  "given_on": at.date(), "review_date": None})

    def _number_calls(self) -> None:
        order = sorted(range(len(self._calls)), key=lambda i: self._calls[i]["at"])
        for call_id, index in enumerate(order, start=1):
            row = self._calls[index]
            row["id"] = call_id
            self.rows.add("call", row)
            for topic_id in self._call_topics[index]:
                self.rows.add("call_topic", {"call_id": call_id, "topic_id": topic_id})

    # -- notes ------------------------------------------------------------------------------

    def _note(self, case_id: int, at: datetime, author: int, kind: NoteKind) -> None:
        rng = self.rng
        note_id = self._next("case_note")
        at = min(at, self.end)
        texts = {NoteKind.NOTE: words.NOTE_TEXTS, NoteKind.SAFEGUARDING: words.SAFEGUARDING_TEXTS,
                 NoteKind.BREACH_DECISION: ("Decided to share the concern with children's social care "
                                            "without waiting for consent, to keep the child safe.",)}
        text = rng.choice(texts[kind])
        edited = None
        if kind is NoteKind.NOTE and rng.random() < 0.05 and at + timedelta(days=1) <= self.end:
            edited = at + timedelta(days=1)
            self.rows.add("note_revision", {"note_id": note_id, "text": text, "written_at": at,
                                            "replaced_at": edited, "replaced_by": author})
            text += words.EDITED_SUFFIX
        self.rows.add("case_note", {"id": note_id, "case_id": case_id, "kind": kind.value, "text": text,
                                    "author_id": author, "at": at, "edited_at": edited})
        if kind is NoteKind.BREACH_DECISION:
            told = rng.random() < 0.7
            self.rows.add("breach_decision", {
                "note_id": note_id, "concern": rng.choice(words.SAFEGUARDING_TEXTS),
                "consulted": "Line manager", "decision": text, "agencies_contacted": "",
                "parent_told": told, "parent_told_at": at if told else None, "outcome": "shared"})
            drawn = rng.choice(words.AGENCIES)
            for agency in dict.fromkeys(("Children's social care front door", drawn)):
                if agency:
                    self.rows.add("breach_decision_agency", {
                        "note_id": note_id, "party_kind": AGENCY_KINDS[agency], "party": agency})
