"""Parents/carers and children on a case: checked details in, plain views out.

`cases` re-exports add_parent, update_parent, add_child and update_child; `calls` uses the
insert helpers when a named call opens a new case.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy.orm import Session

from app.models.cases import Case, Child, ContactPreference, Parent
from app.services import audit, changes
from app.services.access import case_for_child, case_for_parent, require_case, target
from app.services.cases import postcodes
from app.services.cases.case_file import touch
from app.services.cases.coded_reference import coded_reference
from app.services.cases.contact import ContactPreferences, preferences_of, write_preferences
from app.services.cases.fields import (
    YEAR_GROUPS,
    ConsentMethod,
    date_of_birth,
    digits_of,
    email,
    listed,
    name_key,
)
from app.services.cases.fields import phone as check_phone
from app.services.cases.fields import text as check_text
from app.services.clock import now
from app.services.context import SignedIn

NEEDS_MAX = 1000


@dataclass(frozen=True)
class ParentDetails:
    full_name: str
    title: str = ""
    relationship: str = ""
    address_line1: str = ""
    address_line2: str = ""
    town: str = ""
    postcode: str = ""
    phone_mobile: str = ""
    phone_home: str = ""
    phone_work: str = ""
    email: str = ""
    preferences: ContactPreferences | None = None


@dataclass(frozen=True)
class ChildDetails:
    full_name: str
    date_of_birth: date | str | None = None
    gender: str = ""
    school: str = ""
    year_group: str = ""
    needs: str = ""


@dataclass(frozen=True)
class ParentView:
    id: int
    case_id: int
    full_name: str
    title: str
    relationship: str
    address_line1: str
    address_line2: str
    town: str
    postcode: str
    phone_mobile: str
    phone_home: str
    phone_work: str
    email: str
    preferences: ContactPreferences | None


@dataclass(frozen=True)
class ChildView:
    id: int
    case_id: int
    full_name: str
    date_of_birth: date | None
    gender: str
    school: str
    year_group: str
    needs: str

    @property
    def coded_reference(self) -> str | None:
        """`J.S. 03/2015` for insecure channels; None until a date of birth is recorded."""
        if self.date_of_birth is None:
            return None
        return coded_reference(self.full_name, self.date_of_birth)


def clean_parent(details: ParentDetails) -> dict[str, str]:
    postcode = details.postcode.strip()
    return {
        "full_name": check_text(details.full_name, "full_name", "Name", 120, required=True),
        "title": check_text(details.title, "title", "Title", 20),
        "relationship": check_text(details.relationship, "relationship", "Relationship", 40),
        "address_line1": check_text(details.address_line1, "address_line1", "Address", 120),
        "address_line2": check_text(details.address_line2, "address_line2", "Address", 120),
        "town": check_text(details.town, "town", "Town", 80),
        "postcode": postcodes.normalise_postcode(postcode) if postcode else "",
        "phone_mobile": check_phone(details.phone_mobile, "phone_mobile", "Mobile"),
        "phone_home": check_phone(details.phone_home, "phone_home", "Home phone"),
        "phone_work": check_phone(details.phone_work, "phone_work", "Work phone"),
        "email": email(details.email),
    }


def clean_child(details: ChildDetails) -> dict[str, object]:
    return {
        "full_name": check_text(details.full_name, "full_name", "Name", 120, required=True),
        "date_of_birth": date_of_birth(details.date_of_birth, now().date()),
        "gender": check_text(details.gender, "gender", "Gender", 40),
        "school": check_text(details.school, "school", "School", 120),
        "year_group": listed(details.year_group, YEAR_GROUPS, "year_group", "Year group") or "",
        "needs": check_text(details.needs, "needs", "Needs", NEEDS_MAX, multiline=True),
    }


def _apply_parent(row: Parent, cleaned: dict[str, str]) -> list[str]:
    changed = [name for name, value in cleaned.items() if getattr(row, name, None) != value]
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.name_key = name_key(cleaned["full_name"])
    row.postcode_key = postcodes.search_key(cleaned["postcode"])
    row.phone_key = " ".join(
        digits_of(cleaned[n]) for n in ("phone_mobile", "phone_home", "phone_work") if cleaned[n]
    )
    return changed


def _apply_child(row: Child, cleaned: dict[str, object]) -> list[str]:
    changed = [name for name, value in cleaned.items() if getattr(row, name, None) != value]
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.name_key = name_key(str(cleaned["full_name"]))
    return changed


def insert_parent(session: Session, case: Case, details: ParentDetails, staff_id: int,
                  method: ConsentMethod = ConsentMethod.VERBAL) -> Parent:
    """`method` is how the family agreed to what the preferences allow (see write_preferences)."""
    row = Parent(case_id=case.id)
    _apply_parent(row, clean_parent(details))
    session.add(row)
    session.flush()
    if details.preferences is not None:
        write_preferences(session, row, details.preferences, staff_id, method)
    return row


def insert_child(session: Session, case: Case, details: ChildDetails) -> Child:
    row = Child(case_id=case.id)
    _apply_child(row, clean_child(details))
    session.add(row)
    session.flush()
    return row


def parent_view(session: Session, row: Parent) -> ParentView:
    values = {f.name: getattr(row, f.name) for f in fields(ParentView) if f.name != "preferences"}
    return ParentView(**values, preferences=preferences_of(session.get(ContactPreference, row.id)))


def child_view(row: Child) -> ChildView:
    return ChildView(**{f.name: getattr(row, f.name) for f in fields(ChildView)})


def add_parent(ctx: SignedIn, case_id: int, details: ParentDetails,
               reason: str | None = None) -> ParentView:
    clean_parent(details)  # refuse bad input before touching the case
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        row = insert_parent(session, case, details, ctx.actor.id)
        touch(case)
        audit.record(session, ctx.actor, "parent added", target=target(case),
                     detail={"parent_id": row.id})
        view, reference = parent_view(session, row), case.reference
    changes.publish(changes.PEOPLE_CHANGED, reference)
    return view


def update_parent(ctx: SignedIn, parent_id: int, details: ParentDetails,
                  reason: str | None = None) -> ParentView:
    """Replace the parent's details (and preferences, when given) with `details`."""
    cleaned = clean_parent(details)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_for_parent(session, parent_id), reason)
        row = session.get(Parent, parent_id)
        assert row is not None
        changed = _apply_parent(row, cleaned)
        if details.preferences is not None:
            write_preferences(session, row, details.preferences, ctx.actor.id)
            changed.append("preferences")
        touch(case)
        audit.record(session, ctx.actor, "parent changed", target=target(case),
                     detail={"parent_id": parent_id, "fields": sorted(changed)})
        view, reference = parent_view(session, row), case.reference
    changes.publish(changes.PEOPLE_CHANGED, reference)
    return view


def add_child(ctx: SignedIn, case_id: int, details: ChildDetails,
              reason: str | None = None) -> ChildView:
    clean_child(details)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason)
        row = insert_child(session, case, details)
        touch(case)
        audit.record(session, ctx.actor, "child added", target=target(case),
                     detail={"child_id": row.id})
        view, reference = child_view(row), case.reference
    changes.publish(changes.PEOPLE_CHANGED, reference)
    return view


def update_child(ctx: SignedIn, child_id: int, details: ChildDetails,
                 reason: str | None = None) -> ChildView:
    cleaned = clean_child(details)
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_for_child(session, child_id), reason)
        row = session.get(Child, child_id)
        assert row is not None
        changed = _apply_child(row, cleaned)
        touch(case)
        audit.record(session, ctx.actor, "child changed", target=target(case),
                     detail={"child_id": child_id, "fields": sorted(changed)})
        view, reference = child_view(row), case.reference
    changes.publish(changes.PEOPLE_CHANGED, reference)
    return view
