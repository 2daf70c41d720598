"""Each rule of the access policy, asked directly: who sees which case, call, appointment and letter.

The services' own tests show each screen's functions refusing; these show the rules themselves,
so a change to one rule fails here by name. The case rule is also checked as a property over
random assignments of staff to cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models.calls import Call
from app.models.cases import Case, CaseAssignment, CaseNote, Child, ManagerAccess, Parent
from app.models.consent import Consent
from app.models.diary import Appointment
from app.models.letters import Letter
from app.models.staff import Staff
from app.services import access
from app.services.access import CaseArchived, ReasonRequired
from app.services.calls import calls
from app.services.calls.calls import CallDetails
from app.services.cases import cases
from app.services.cases.fields import CaseStatus
from app.services.clock import now
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused, Role, StaffMember
from app.services.staff import staff
from tests.services.case_helpers import open_case_for

SignInAs = Callable[..., SignedIn]
AT = datetime(2026, 11, 2, 9, 0)
PASSWORD = "a colleague's passphrase"


def person(role: Role, staff_id: int = 99) -> StaffMember:
    return StaffMember(staff_id, f"{role.value}{staff_id}", f"Test {role.label}", role)


ADVISER, MANAGER, COORDINATOR = person(Role.ADVISER), person(Role.MANAGER), person(Role.COORDINATOR)
EVERYONE = (ADVISER, MANAGER, COORDINATOR)


def new_case(session: Session, number: int, status: CaseStatus = CaseStatus.OPEN) -> int:
    case = Case(reference=f"C-2026-{number:04d}", year=2026, sequence=number, status=status.value,
                opened_at=AT, last_activity_at=AT, safeguarding=False)
    session.add(case)
    session.flush()
    return case.id


def assign(session: Session, case_id: int, *people: StaffMember) -> None:
    session.add_all(CaseAssignment(case_id=case_id, staff_id=p.id, assigned_at=AT) for p in people)
    session.flush()


# -- roles -----------------------------------------------------------------------------------


def test_only_managers_pass_the_managers_check() -> None:
    access.require_manager(MANAGER, "read the audit trail")
    for someone in (ADVISER, COORDINATOR):
        with pytest.raises(PermissionRefused, match=r"^Only a manager can read the audit trail\.$"):
            access.require_manager(someone, "read the audit trail")


def test_coordinators_see_no_family() -> None:
    assert [access.sees_families(p) for p in EVERYONE] == [True, True, False]
    access.refuse_coordinator(ADVISER)
    access.refuse_coordinator(MANAGER)
    with pytest.raises(PermissionRefused, match="anonymous figures only"):
        access.refuse_coordinator(COORDINATOR)


def test_reports_are_for_coordinators_and_managers() -> None:
    access.require_reports(COORDINATOR)
    access.require_reports(MANAGER)
    with pytest.raises(PermissionRefused, match="coordinators and managers"):
        access.require_reports(ADVISER)
    access.require_report_rules_choice(MANAGER)
    for someone in (ADVISER, COORDINATOR):
        with pytest.raises(PermissionRefused, match="Only a manager can choose"):
            access.require_report_rules_choice(someone)


def test_only_active_advisers_and_managers_hold_cases(manager: SignedIn) -> None:
    for name, role in (("ann", Role.ADVISER), ("max", Role.MANAGER), ("cora", Role.COORDINATOR),
                       ("gone", Role.ADVISER)):
        staff.add_staff(manager, f"Test {name}", name, role, PASSWORD, PASSWORD)
    with manager.write() as session:
        session.scalars(select(Staff).where(Staff.username == "gone")).one().active = False
        session.flush()
        rows = list(session.scalars(select(Staff)))
        holders = {row.username for row in rows if access.may_hold_cases(row)}
        assert holders == {"margaret", "ann", "max"}
        assert set(session.scalars(select(Staff.username).where(access.holds_cases()))) == holders


def test_nobody_deactivates_themself() -> None:
    access.refuse_own_deactivation(MANAGER, MANAGER.id + 1)
    with pytest.raises(PermissionRefused, match="your own account"):
        access.refuse_own_deactivation(MANAGER, MANAGER.id)


def test_a_note_is_changed_by_its_author_or_a_manager() -> None:
    note = CaseNote(author_id=ADVISER.id)
    access.require_note_editor(ADVISER, note)
    access.require_note_editor(MANAGER, note)
    with pytest.raises(PermissionRefused, match="author or a manager"):
        access.require_note_editor(person(Role.ADVISER, 7), note)


def test_destruction_on_withdrawal_with_a_safeguarding_concern_needs_a_manager() -> None:
    assert access.may_destroy_on_withdrawal(ADVISER, safeguarding=False)
    assert not access.may_destroy_on_withdrawal(ADVISER, safeguarding=True)
    assert access.may_destroy_on_withdrawal(MANAGER, safeguarding=True)


# -- cases, as a property --------------------------------------------------------------------

CASES = 5


@dataclass(frozen=True)
class Office:
    ctx: SignedIn
    people: tuple[StaffMember, ...]  # two advisers, the manager, and a coordinator
    case_ids: tuple[int, ...]


@pytest.fixture
def office(manager: SignedIn) -> Office:
    people = tuple(staff.add_staff(manager, f"Test {name}", name, role, PASSWORD, PASSWORD)
                   for name, role in (("ann", Role.ADVISER), ("ben", Role.ADVISER),
                                      ("cora", Role.COORDINATOR)))
    with manager.write() as session:
        case_ids = tuple(new_case(session, n) for n in range(1, CASES + 1))
    return Office(manager, (*people[:2], manager.actor, people[2]), case_ids)


def arrange(office: Office, statuses: list[CaseStatus], pairs: set[tuple[int, int]]) -> None:
    """The office's cases in these statuses, assigned exactly as `pairs` (case, person) says."""
    with office.ctx.write() as session:
        session.execute(delete(CaseAssignment))
        session.execute(delete(ManagerAccess))
        for case_id, status in zip(office.case_ids, statuses, strict=True):
            session.get(Case, case_id).status = status.value  # type: ignore[union-attr]
        session.add_all(CaseAssignment(case_id=office.case_ids[c], staff_id=office.people[p].id,
                                       assigned_at=AT) for c, p in pairs)


def refusal(call: Callable[[], object]) -> PermissionRefused:
    with pytest.raises(PermissionRefused) as refused:
        call()
    return refused.value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statuses=st.lists(st.sampled_from(list(CaseStatus)), min_size=CASES, max_size=CASES),
       pairs=st.sets(st.tuples(st.integers(0, CASES - 1), st.integers(0, 3))))
def test_who_sees_which_case(office: Office, statuses: list[CaseStatus],
                             pairs: set[tuple[int, int]]) -> None:
    """Advisers: exactly their unarchived assigned cases. Managers: their own freely, any other
    with a reason. Coordinators: none, even if assigned. Someone else's case and a missing
    one give an adviser the same answer."""
    arrange(office, statuses, pairs)
    archived = {office.case_ids[i] for i, s in enumerate(statuses) if s is CaseStatus.ARCHIVED}
    missing = max(office.case_ids) + 1
    with office.ctx.write() as session:
        for index, who in enumerate(office.people):
            mine = {office.case_ids[c] for c, p in pairs if p == index}
            assert set(session.scalars(select(Case.id).where(access.assigned_to(who)))) == mine
            assert all(access.is_assigned(session, c, who) == (c in mine) for c in office.case_ids)
            if who.role is Role.COORDINATOR:
                refusal(lambda who=who: access.visible_cases(who))
                for case_id in office.case_ids:
                    refused = refusal(lambda c=case_id, who=who: access.require_case(
                        session, who, c, "Covering", viewing=True))
                    assert str(refused) == access.COORDINATORS_REFUSED
                continue
            seen = set(session.scalars(select(Case.id).where(access.visible_cases(who))))
            if who.role is Role.MANAGER:
                assert seen == set(office.case_ids)
                for case_id in office.case_ids:
                    if case_id in mine:
                        assert access.require_case(session, who, case_id, opening=True).id == case_id
                    else:
                        with pytest.raises(ReasonRequired):
                            access.require_case(session, who, case_id, opening=True)
                        assert access.require_case(session, who, case_id, "Covering",
                                                   opening=True).id == case_id
                recorded = set(session.scalars(select(ManagerAccess.case_id)))
                assert recorded == set(office.case_ids) - mine
                continue
            assert seen == mine - archived
            for case_id in office.case_ids:
                if case_id in seen:
                    assert access.require_case(session, who, case_id, opening=True).id == case_id
                elif case_id in mine:
                    assert isinstance(refusal(lambda c=case_id, who=who: access.require_case(
                        session, who, c, viewing=True)), CaseArchived)
                else:
                    refused = refusal(lambda c=case_id, who=who: access.require_case(
                        session, who, c, "A reason is no help", viewing=True))
                    assert type(refused) is PermissionRefused and str(refused) == access.NOT_YOURS
            refused = refusal(lambda who=who: access.require_case(session, who, missing, viewing=True))
            assert type(refused) is PermissionRefused and str(refused) == access.NOT_YOURS


# -- cases, one rule at a time ---------------------------------------------------------------


@pytest.fixture
def one_case(manager: SignedIn, sign_in_as: SignInAs) -> Iterator[tuple[SignedIn, int]]:
    """Alice's open case, which the manager is not assigned to."""
    alice = sign_in_as(Role.ADVISER, "alice")
    record = open_case_for(alice)
    yield alice, record.case_id or 0


def test_a_managers_reason_covers_other_work_for_eight_hours(manager: SignedIn,
                                                             one_case: tuple[SignedIn, int]) -> None:
    _, case_id = one_case
    with time_machine.travel(now() + timedelta(minutes=1), tick=False) as traveller:
        with manager.write() as session:
            access.require_case(session, manager.actor, case_id, "Cover while Alice is away")
        with manager.write() as session:
            access.require_case(session, manager.actor, case_id)
            with pytest.raises(ReasonRequired):
                access.require_case(session, manager.actor, case_id, opening=True)
        traveller.shift(timedelta(hours=access.MANAGER_ACCESS_HOURS, minutes=1))
        with manager.write() as session, pytest.raises(ReasonRequired):
            access.require_case(session, manager.actor, case_id)


def test_an_archived_case_is_read_only_even_for_a_manager(manager: SignedIn,
                                                          one_case: tuple[SignedIn, int]) -> None:
    alice, case_id = one_case
    with manager.write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.status = CaseStatus.ARCHIVED.value
        assert access.is_archived(case)
        with pytest.raises(CaseArchived, match="read-only"):
            access.refuse_archived(case)
        with pytest.raises(CaseArchived, match="read-only"):
            access.require_case(session, manager.actor, case_id, "Family called back")
        assert access.require_case(session, manager.actor, case_id, "Family called back",
                                   viewing=True) is case
        with pytest.raises(CaseArchived, match="Ask a manager"):
            access.require_case(session, alice.actor, case_id, viewing=True)


def test_a_manager_is_told_when_a_case_is_gone(manager: SignedIn) -> None:
    with manager.write() as session, pytest.raises(InvalidInput, match="no longer exists"):
        access.require_case(session, manager.actor, 12345, "Checking")
    with manager.write() as session, pytest.raises(InvalidInput):
        access.require_case(session, manager.actor, None, "Checking")


def test_records_on_a_case_lead_to_their_case(manager: SignedIn, one_case: tuple[SignedIn, int]) -> None:
    _, case_id = one_case
    with manager.write() as session:
        session.add(CaseNote(case_id=case_id, kind="note", text="Spoke to school.", author_id=1, at=AT))
        session.add(Letter(case_id=case_id, template_key="blank", template_title="Blank",
                           addressee_kind="parent", addressee="Jane", subject="", pdf=b"%PDF",
                           pages=1, created_at=AT))
        session.flush()
        lookups = ((access.case_for_parent, Parent), (access.case_for_child, Child),
                   (access.case_for_note, CaseNote), (access.case_for_call, Call),
                   (access.case_for_letter, Letter), (access.case_for_consent, Consent))
        for lookup, model in lookups:
            row_id = session.scalars(select(model.id)).first()  # type: ignore[attr-defined]
            assert lookup(session, row_id) == case_id
            assert lookup(session, 10_000) is None


def test_audit_records_name_a_case_by_reference() -> None:
    assert access.target(Case(reference="C-2026-0042")) == "case:C-2026-0042"


# -- calls -----------------------------------------------------------------------------------


def test_who_sees_which_call(manager: SignedIn, sign_in_as: SignInAs) -> None:
    alice, bob, carol = (sign_in_as(Role.ADVISER, n) for n in ("alice", "bob", "carol"))
    on_case = open_case_for(alice)
    alices_own = calls.log_anonymous_call(alice, CallDetails())
    bobs_own = calls.log_anonymous_call(bob, CallDetails())
    cases.assign_adviser(manager, on_case.case_id or 0, bob.actor.id)
    every = {on_case.id, alices_own.id, bobs_own.id}
    expected = {alice: {on_case.id, alices_own.id}, bob: {on_case.id, bobs_own.id}, carol: set(),
                manager: set()}
    with manager.write() as session:
        for ctx, wanted in expected.items():
            assert set(session.scalars(select(Call.id).where(access.visible_calls(ctx.actor)))) == wanted
            for call_id in every:
                if call_id in wanted or ctx is manager:
                    assert access.require_call(session, ctx.actor, call_id).id == call_id
                else:
                    with pytest.raises(PermissionRefused, match=access.CALL_NOT_YOURS):
                        access.require_call(session, ctx.actor, call_id)
        assert set(session.scalars(select(Call.id).where(
            access.visible_calls(manager.actor, everyone=True)))) == every
        # Asking for everyone's calls changes nothing for an adviser.
        assert set(session.scalars(select(Call.id).where(
            access.visible_calls(bob.actor, everyone=True)))) == expected[bob]
        with pytest.raises(PermissionRefused, match=access.CALL_NOT_YOURS):
            access.require_call(session, bob.actor, 10_000)
        with pytest.raises(InvalidInput, match="no longer exists"):
            access.require_call(session, manager.actor, 10_000)
        for refused in (lambda: access.visible_calls(COORDINATOR, everyone=True),
                        lambda: access.require_call(session, COORDINATOR, on_case.id)):
            with pytest.raises(PermissionRefused, match="anonymous figures only"):
                refused()


# -- appointments ----------------------------------------------------------------------------


def appointment(session: Session, adviser: StaffMember, case_id: int | None = None) -> int:
    row = Appointment(adviser_id=adviser.id, starts_at=AT, ends_at=AT + timedelta(hours=1),
                      venue="office", kind="parent_meeting", case_id=case_id, created_at=AT)
    session.add(row)
    session.flush()
    return row.id


def test_who_sees_and_changes_which_appointment(manager: SignedIn, sign_in_as: SignInAs) -> None:
    alice, carol = sign_in_as(Role.ADVISER, "alice"), sign_in_as(Role.ADVISER, "carol")
    with manager.write() as session:
        case_id = new_case(session, 1)
        assign(session, case_id, alice.actor)
        alices = appointment(session, alice.actor)
        on_alices_case = appointment(session, carol.actor, case_id)
        carols = appointment(session, carol.actor)
        every = {alices, on_alices_case, carols}

        def seen(who: StaffMember) -> set[int]:
            return set(session.scalars(select(Appointment.id).where(access.visible_appointments(who))))

        assert seen(alice.actor) == {alices, on_alices_case}
        assert seen(carol.actor) == {on_alices_case, carols}
        assert seen(manager.actor) == every
        assert seen(COORDINATOR) == set()

        assert access.require_appointment(session, alice.actor, on_alices_case).id == on_alices_case
        with pytest.raises(PermissionRefused, match="shows only as Busy"):
            access.require_appointment(session, alice.actor, carols)
        with pytest.raises(PermissionRefused, match="anonymous figures only"):
            access.require_appointment(session, COORDINATOR, alices)

        # Seeing an appointment on your case is not changing a colleague's diary.
        with pytest.raises(PermissionRefused, match="only they or a manager can change it"):
            access.require_own_appointment(session, alice.actor, on_alices_case)
        assert access.require_own_appointment(session, carol.actor, on_alices_case).id == on_alices_case
        assert access.require_own_appointment(session, manager.actor, carols).id == carols
        with pytest.raises(InvalidInput, match="no longer exists"):
            access.require_own_appointment(session, manager.actor, 10_000)


def test_advisers_book_and_look_in_their_own_diary_only() -> None:
    colleague = ADVISER.id + 1
    for rule in (access.require_may_book_for, access.require_may_see_cases_of):
        rule(ADVISER, ADVISER.id)
        rule(MANAGER, colleague)
        with pytest.raises(PermissionRefused):
            rule(ADVISER, colleague)
        with pytest.raises(PermissionRefused, match="anonymous figures only"):
            rule(COORDINATOR, COORDINATOR.id)


# -- letters ---------------------------------------------------------------------------------


def test_the_letters_page_shows_an_adviser_the_letters_on_their_cases(
        manager: SignedIn, sign_in_as: SignInAs) -> None:
    alice = sign_in_as(Role.ADVISER, "alice")
    with manager.write() as session:
        # Archiving a case leaves its letters on its adviser's Letters page.
        hers, other = new_case(session, 1, CaseStatus.ARCHIVED), new_case(session, 2)
        assign(session, hers, alice.actor)
        letter_ids = {}
        for case_id in (hers, other):
            row = Letter(case_id=case_id, template_key="blank", template_title="Blank",
                         addressee_kind="parent", addressee="Jane", subject="", pdf=b"%PDF",
                         pages=1, created_at=AT)
            session.add(row)
            session.flush()
            letter_ids[case_id] = row.id

        def seen(who: StaffMember) -> set[int]:
            return set(session.scalars(select(Letter.id).where(access.visible_letters(who))))

        assert seen(alice.actor) == {letter_ids[hers]}
        assert seen(manager.actor) == set(letter_ids.values())
        with pytest.raises(PermissionRefused, match="anonymous figures only"):
            access.visible_letters(COORDINATOR)


def test_assigned_to_takes_a_person_or_their_id(manager: SignedIn) -> None:
    with manager.write() as session:
        case_id = new_case(session, 1)
        assign(session, case_id, manager.actor)
        for who in (manager.actor, manager.actor.id):
            assert session.scalars(select(Case.id).where(access.assigned_to(who))).all() == [case_id]
        assert session.scalar(select(access.assigned_to(manager.actor, case_id))) is True
        assert session.scalar(select(access.assigned_to(manager.actor.id + 1, case_id))) is False
