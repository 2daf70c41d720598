"""The demo builder: fictional data that the services themselves accept and can work with."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.data import build_demo, demo_accounts, is_demo_folder, read_accounts
from app.demo.rows import year_group_label, year_group_number
from app.models.calls import Call
from app.models.cases import Case, CaseAssignment, Child, ContactPreference, Parent
from app.models.consent import Consent, ThirdPartyContact
from app.services import audit
from app.services.calls.calls import CallDetails, clean_call
from app.services.cases import cases, postcodes
from app.services.cases.family import ChildDetails, ParentDetails, clean_child, clean_parent
from app.services.cases.fields import CallerType, Channel, ChildPhase, Direction, Outcome
from app.services.consent import records as consent_records
from app.services.consent.consent import require_third_party
from app.services.consent.records import ConsentKind, Party, PartyKind
from app.services.install.vault import Vault
from app.services.people import InvalidInput, PermissionRefused

TODAY = datetime(2026, 11, 20, 12, 0)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    # Per test, so the in-memory keyring and cheap scrypt fixtures are in place (about 1 s).
    folder = tmp_path / "demo"
    build_demo(folder, "small", seed=7, today=TODAY)
    return folder


def _sign_in(folder: Path, role: str):  # type: ignore[no-untyped-def]
    account = next(a for a in read_accounts(folder) if a.role == role)
    return Vault(folder).sign_in(account.username, account.password)


def test_small_build_has_the_promised_mix(built: Path) -> None:
    assert is_demo_folder(built)
    ctx = _sign_in(built, "manager")
    try:
        with ctx.write() as session:
            calls = list(session.scalars(select(Call)))
            case_rows = list(session.scalars(select(Case)))
            children = list(session.scalars(select(Child)))
        assert len(calls) == 200 and len(case_rows) == 40 and len(children) == 50
        assert {c.anonymous for c in calls} == {True, False}
        assert all(c.case_id is None for c in calls if c.anonymous)
        assert {c.status for c in case_rows} >= {"open", "closed"}
        events = audit.list_events(ctx, audit.AuditFilter(action="demo data generated"))
        assert len(events) == 1
        assert audit.verify(ctx).ok
    finally:
        ctx.close()


def test_every_generated_row_passes_the_services_checks(built: Path) -> None:
    ctx = _sign_in(built, "manager")
    try:
        with ctx.write() as session:
            calls = list(session.scalars(select(Call)))
            parents = list(session.scalars(select(Parent)))
            children = list(session.execute(select(Child, Case.opened_at).join(Case)))
            prefs = {p.parent_id: p for p in session.scalars(select(ContactPreference))}
    finally:
        ctx.close()
    for call in calls:
        details = CallDetails(
            at=call.at, duration_minutes=call.duration_minutes, direction=Direction(call.direction),
            channel=Channel(call.channel), caller_type=CallerType(call.caller_type),
            child_phase=ChildPhase(call.child_phase) if call.child_phase else None,
            child_year_group=call.child_year_group, area_district=call.area_district,
            how_heard=call.how_heard, outcome=Outcome(call.outcome) if call.outcome else None,
            follow_up_date=call.follow_up_date, safeguarding_concern=call.safeguarding_concern,
            summary=call.summary)
        assert clean_call(details, TODAY)["area_district"] == call.area_district
    for parent in parents:
        cleaned = clean_parent(ParentDetails(
            full_name=parent.full_name, title=parent.title, relationship=parent.relationship,
            address_line1=parent.address_line1, address_line2=parent.address_line2, town=parent.town,
            postcode=parent.postcode, phone_mobile=parent.phone_mobile, phone_home=parent.phone_home,
            phone_work=parent.phone_work, email=parent.email))
        assert cleaned["postcode"] == parent.postcode
        assert postcodes.is_district(parent.postcode.split()[0])
        pref = prefs.get(parent.id)
        if pref is not None:
            assert not pref.use_mobile or parent.phone_mobile
            assert not pref.email_allowed or parent.email
    for child, opened_at in children:
        cleaned = clean_child(ChildDetails(full_name=child.full_name, date_of_birth=child.date_of_birth,
                                           gender=child.gender, school=child.school,
                                           year_group=child.year_group, needs=child.needs))
        assert cleaned["date_of_birth"] == child.date_of_birth < TODAY.date()
        if child.year_group != "Not in school":
            number = year_group_number(child.date_of_birth, opened_at.date())
            assert year_group_label(number) == child.year_group


def test_adviser_can_search_and_open_own_cases_only(built: Path) -> None:
    ctx = _sign_in(built, "adviser")
    try:
        mine = cases.list_cases(ctx)
        assert mine and all(s.assigned_to_me for s in mine)
        case = cases.open_case(ctx, mine[0].id)
        assert case.parents or case.children
        surname = (case.children or case.parents)[0].full_name.split()[-1]
        found = cases.search_cases(ctx, surname[:3])
        assert case.id in {s.id for s in found}
        with ctx.write() as session:
            other = session.scalar(select(Case.id).where(~Case.id.in_(
                select(CaseAssignment.case_id).where(CaseAssignment.staff_id == ctx.actor.id))))
        with pytest.raises(PermissionRefused):
            cases.open_case(ctx, other)
    finally:
        ctx.close()


def test_refuses_a_folder_that_already_holds_confide(built: Path) -> None:
    before = (built / "confide.db").stat().st_size
    with pytest.raises(InvalidInput, match="already set up"):
        build_demo(built, "small", today=TODAY)
    assert (built / "confide.db").stat().st_size == before


def test_same_seed_same_data(tmp_path: Path) -> None:
    def names(folder: Path) -> list[str]:
        build_demo(folder, "small", seed=3, today=TODAY)
        ctx = _sign_in(folder, "manager")
        try:
            with ctx.write() as session:
                return list(session.scalars(select(Child.full_name).order_by(Child.id)))
        finally:
            ctx.close()

    assert names(tmp_path / "a") == names(tmp_path / "b")
    assert demo_accounts(3) == demo_accounts(3) != demo_accounts(4)


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="demo size"):
        build_demo(tmp_path / "x", "huge")
    assert not (tmp_path / "x").exists()


def test_demo_consent_register_agrees_with_preferences_and_contacts(built: Path) -> None:
    ctx = _sign_in(built, "manager")
    try:
        with ctx.write() as session:
            contacts = list(session.scalars(select(ThirdPartyContact)))
            prefs = list(session.execute(select(ContactPreference, Parent.case_id).join(
                Parent, Parent.id == ContactPreference.parent_id)))
            assert contacts and any(c.kind == "third_party" for c in session.scalars(select(Consent)))
            for row in contacts:
                require_third_party(session, session.get(Case, row.case_id),
                                    Party(PartyKind(row.party_kind), row.party))
            for pref, case_id in prefs:
                for kind, allowed in ((ConsentKind.VOICEMAIL, pref.voicemail_allowed),
                                      (ConsentKind.EMAIL, pref.email_allowed)):
                    assert not allowed or consent_records.is_granted(session, case_id, kind)
    finally:
        ctx.close()


def test_demo_diary_passes_the_diary_checks_and_never_clashes_a_room(built: Path) -> None:
    from app.models.diary import Appointment
    from app.services.diary.fields import AppointmentDetails, clean_details, overlaps

    ctx = _sign_in(built, "manager")
    try:
        with ctx.write() as session:
            rows = list(session.scalars(select(Appointment)))
            adviser_of_case: dict[int, set[int]] = {}
            for a in session.scalars(select(CaseAssignment)):
                adviser_of_case.setdefault(a.case_id, set()).add(a.staff_id)
    finally:
        ctx.close()
    assert len({r.adviser_id for r in rows}) == 10 and len(rows) > 2000
    for row in rows:
        cleaned = clean_details(AppointmentDetails(
            adviser_id=row.adviser_id, starts_at=row.starts_at, ends_at=row.ends_at, kind=row.kind,
            venue=row.venue, venue_name=row.venue_name, room=row.room or "", purpose=row.purpose),
            TODAY, ("Interview room 1", "Interview room 2"))
        assert cleaned["room"] == row.room and cleaned["starts_at"] == row.starts_at
        assert row.case_id is None or row.adviser_id in adviser_of_case[row.case_id]
    booked = sorted((r for r in rows if r.room and r.cancelled_at is None),
                    key=lambda r: (r.room, r.starts_at))
    for first, second in itertools.pairwise(booked):
        if first.room == second.room:
            assert not overlaps(first.starts_at, first.ends_at, second.starts_at, second.ends_at)
