"""Finding cases: search as you type and the filtered case lists, one summary line per case.

Who may see which case is decided in `app.services.access`; a search or a list returns only
the cases its rule allows, and the audit record keeps the number found, never the words typed,
with the references of the cases shown to a manager that are not assigned to them.
"""


from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    select,
    union,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from app.models import search
from app.models.calls import Call
from app.models.cases import Case
from app.services.access import (
    assigned_to,
    record_shown,
    require_manager,
    sees_every_case,
    visible_cases,
)
from app.services.cases import postcodes
from app.services.cases.fields import CaseStatus, choice, digits_of
from app.services.clock import now
from app.services.context import SignedIn
from app.services.people import StaffMember

SEARCH_MAX = 120
# How many of the newest matching cases a search ranks by activity; see find_cases.
SEARCH_CANDIDATES = 500


@dataclass(frozen=True)
class CaseSummary:
    """One line of a case list or search result."""

    id: int
    reference: str
    status: CaseStatus
    safeguarding: bool
    last_activity_at: datetime
    family_names: tuple[str, ...]
    child_names: tuple[str, ...]
    postcodes: tuple[str, ...]
    follow_up_due: bool
    assigned_to_me: bool
    advisers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFilter:
    mine: bool = True  # advisers always see only their own cases
    status: CaseStatus | None = None
    follow_ups_due: bool = False
    safeguarding: bool = False
    limit: int = 500


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _follow_up_due(today: date) -> ColumnElement[bool]:
    return exists().where(Call.case_id == Case.id, Call.follow_up_date <= today,
                          Call.follow_up_done_at.is_(None))


# One statement for a page of summaries: a search runs on every keystroke, and six small
# queries (case rows, parents, children, follow-ups, assignments, advisers) cost more in
# round trips than in reading. The lists come back as JSON arrays in id or assignment order.
SUMMARY_SQL = sql_text("""
SELECT c.id AS id, c.reference AS reference, c.status AS status,
       c.safeguarding AS safeguarding, c.last_activity_at AS last_activity_at,
       (SELECT json_group_array(json_array(p.full_name, p.postcode)) FROM
          (SELECT full_name, postcode FROM parent WHERE case_id = c.id ORDER BY id) AS p) AS parents,
       (SELECT json_group_array(k.full_name) FROM
          (SELECT full_name FROM child WHERE case_id = c.id ORDER BY id) AS k) AS children,
       EXISTS (SELECT 1 FROM call WHERE call.case_id = c.id AND call.follow_up_date <= :today
               AND call.follow_up_done_at IS NULL) AS follow_up_due,
       (SELECT json_group_array(w.full_name) FROM
          (SELECT s.full_name FROM case_assignment a JOIN staff s ON s.id = a.staff_id
           WHERE a.case_id = c.id ORDER BY a.assigned_at, a.staff_id) AS w) AS advisers
FROM case_file c WHERE c.id IN :ids
""").bindparams(bindparam("ids", expanding=True)).columns(
    id=Integer, reference=String, status=String, safeguarding=Boolean, last_activity_at=DateTime,
    parents=String, children=String, follow_up_due=Boolean, advisers=String)
# With "assigned to me" for the person asking. Built once: building it costs more than running it.
_SUMMARY_ROWS = SUMMARY_SQL.subquery("summary")
SUMMARIES = select(_SUMMARY_ROWS, assigned_to(bindparam("staff"), _SUMMARY_ROWS.c.id).label("mine"))


def summaries(session: Session, case_ids: Sequence[int], staff_id: int) -> list[CaseSummary]:
    """Summaries of the cases, in the order of `case_ids`."""
    if not case_ids:
        return []
    rows = {row.id: row for row in session.execute(SUMMARIES, {
        "ids": list(case_ids), "today": now().date().isoformat(), "staff": staff_id})}
    found = []
    for case_id in case_ids:
        row = rows.get(case_id)
        if row is None:
            continue
        parents = [(name, postcode) for name, postcode in json.loads(row.parents)]
        found.append(CaseSummary(
            id=row.id, reference=row.reference, status=CaseStatus(row.status),
            safeguarding=row.safeguarding, last_activity_at=row.last_activity_at,
            family_names=tuple(name for name, _ in parents),
            child_names=tuple(json.loads(row.children)),
            postcodes=tuple(dict.fromkeys(p for _, p in parents if p)),
            follow_up_due=row.follow_up_due, assigned_to_me=row.mine,
            advisers=tuple(json.loads(row.advisers))))
    return found


def _word_start_match(typed: str) -> str | None:
    """A search index query: every typed word starts a name word, or the text starts a postcode
    or phone. Only letters and digits reach the query (app.models.search quotes each).
    """
    words = "".join(c if c.isalnum() else " " for c in typed.casefold()).split()
    if not words:
        return None
    postcode = phone = None
    squashed = postcodes.search_key(typed)
    if len(squashed) >= 2 and squashed[0].isalpha() and squashed.isalnum() and squashed.isascii():
        postcode = squashed.casefold()
    digits = digits_of(typed)
    if len(digits) >= 4 and len(digits) >= len(squashed) - 2:
        if digits.startswith("44"):  # +44 7700 … is stored as 07700 …
            digits = "0" + digits[2:]
        phone = digits
    return search.word_start_query(words, postcode, phone)


@dataclass(frozen=True)
class CaseSearch:
    """What a search found. `more` says other cases match too: the person should type more."""

    cases: list[CaseSummary]
    more: bool


def _narrowed(actor: StaffMember, case_id: ColumnElement[int] = Case.id) -> ColumnElement[bool] | None:
    """Each kind of match stops at SEARCH_CANDIDATES, so someone who sees only their own cases
    has them narrowed to those before the cap; `visible_cases` applies the whole rule after."""
    return None if sees_every_case(actor) else assigned_to(actor, case_id)


def _reference_match(typed: str, actor: StaffMember) -> Select[tuple[int]] | None:
    """Cases whose reference (C-2026-0042) contains the typed text, or None if it cannot.

    Every reference starts "C-", so text starting with C is a prefix and seeks the reference
    index; digits alone ("0042", "2026-00") are looked for anywhere, but a run of more than
    five digits is a phone number, not a reference, and costs no scan.
    """
    fragment = "".join(typed.split()).upper()
    if not fragment or not all(c.isdigit() or c in "C-" for c in fragment):
        return None
    if fragment.startswith("C"):
        # ASCII references sort below DEL, so this range is "starts with the fragment".
        where = and_(Case.reference >= fragment, Case.reference < fragment + "\x7f")
    elif max(len(run) for run in fragment.replace("C", "-").split("-")) > 5:
        return None
    else:
        where = Case.reference.like(f"%{_like(fragment)}%", escape="\\")
    query = select(Case.id.label("case_id")).where(where)
    narrowed = _narrowed(actor)
    if narrowed is not None:
        query = query.where(narrowed)
    return query.order_by(Case.id.desc()).limit(SEARCH_CANDIDATES)


def _index_match(typed: str, actor: StaffMember) -> Select[tuple[int]] | None:
    """Cases with a name, postcode or phone matching the typed words, newest case first."""
    expression = _word_start_match(typed)
    if expression is None:
        return None
    # The index hands back the newest candidates first and stops at the cap.
    return search.matching_cases(expression, SEARCH_CANDIDATES, _narrowed(actor, search.CASE_ID))


def find_cases(ctx: SignedIn, text: str, limit: int = 20) -> CaseSearch:
    """Cases matching a family or child name, case reference, postcode or phone number.

    Every typed word must start a word of the name ("jan smi" finds Jane Smith). Only cases the
    actor may see are returned, most recently active first; the audit record keeps the number
    found (and, for a manager, the references of those not assigned to them), never the words
    typed.

    The first few characters of a common name or number can match thousands of cases, and
    ranking them all by activity would make every keystroke slow. So each kind of match stops
    after the SEARCH_CANDIDATES newest cases, and `more` tells the screens to ask for more
    letters or digits rather than pretend the list is complete.
    """
    # Archived cases are findable by a manager only (they show as archived in the results).
    visible = visible_cases(ctx.actor)
    # Characters nobody can have stored (control characters, broken surrogates) are ignored.
    typed = " ".join("".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))
                     .split())[:SEARCH_MAX]
    if len(typed) < 2:
        return CaseSearch([], False)
    limit = max(1, limit)
    by_reference = _reference_match(typed, ctx.actor)
    # "C-2026-0" is a reference being typed: as names it would be every name starting with C.
    is_reference = by_reference is not None and "".join(typed.split()).upper().startswith("C-")
    by_index = None if is_reference else _index_match(typed, ctx.actor)
    matches = [m.subquery() for m in (by_reference, by_index) if m is not None]
    if not matches:
        return CaseSearch([], False)
    candidates = union(*(select(m.c.case_id) for m in matches)).scalar_subquery()
    query = (select(Case.id).where(Case.id.in_(candidates), visible)
             .order_by(Case.last_activity_at.desc(), Case.id.desc()).limit(limit + 1))
    with ctx.write() as session:
        rows = list(session.scalars(query))
        found = summaries(session, rows[:limit], ctx.actor.id)
        record_shown(session, ctx.actor, "cases searched", [c.id for c in found],
                     detail={"found": len(found)}, always=True)
    return CaseSearch(found, len(rows) > limit)


def search_cases(ctx: SignedIn, text: str, limit: int = 20) -> list[CaseSummary]:
    """The cases `find_cases` shows, without the note about further matches."""
    return find_cases(ctx, text, limit).cases


def list_cases(ctx: SignedIn, filters: CaseFilter | None = None) -> list[CaseSummary]:
    """Cases by most recent activity. Advisers get their own whatever `mine` says.

    Archived cases are left out unless the filter asks for them, which only a manager may.
    """
    filters = filters or CaseFilter()
    visible = visible_cases(ctx.actor)
    status = choice(CaseStatus, filters.status, "status", "Status") if filters.status else None
    if status is CaseStatus.ARCHIVED:
        require_manager(ctx.actor, "list archived cases")
    query = select(Case.id).where(visible)
    if filters.mine and sees_every_case(ctx.actor):
        query = query.where(assigned_to(ctx.actor))
    if status is not None:
        query = query.where(Case.status == status.value)
    else:
        query = query.where(Case.status != CaseStatus.ARCHIVED.value)
    if filters.safeguarding:
        query = query.where(Case.safeguarding.is_(True))
    if filters.follow_ups_due:
        query = query.where(_follow_up_due(now().date()))
    query = query.order_by(Case.last_activity_at.desc(), Case.id.desc()).limit(max(1, filters.limit))
    with ctx.write() as session:
        found = summaries(session, list(session.scalars(query)), ctx.actor.id)
        record_shown(session, ctx.actor, "cases listed", [c.id for c in found],
                     detail={"found": len(found)}, always=True)
    return found


