"""Who may see a case: advisers only their own, managers with a reason, coordinators never."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models.calls import Call
from app.models.cases import CaseNote, Child, Parent
from app.models.consent import Consent
from app.services import audit
from app.services.access import ReasonRequired
from app.services.calls import calls
from app.services.calls.calls import CallDetails, NamedCall
from app.services.cases import cases, coded_reference, contact
from app.services.cases.cases import BreachDecisionDetails, CaseFilter, ChildDetails, ParentDetails
from app.services.cases.contact import ContactPreferences
from app.services.cases.fields import CaseStatus
from app.services.consent import consent
from app.services.context import SignedIn
from app.services.letters import letters
from app.services.people import InvalidInput, PermissionRefused
from tests.services.case_helpers import YES, open_case_for


@dataclass(frozen=True)
class Ids:
    case: int
    parent: int
    child: int
    note: int
    call: int
    anonymous_call: int
    consent: int


@pytest.fixture
def alices_case(adviser: SignedIn) -> Ids:
    record = open_case_for(adviser, "Smith", follow_up_date=date.today())
    note = cases.add_note(adviser, record.case_id or 0, "Spoke to school.")
    anonymous = calls.log_anonymous_call(adviser, CallDetails())
    with adviser.write() as session:
        parent = session.scalars(select(Parent.id)).one()
        child = session.scalars(select(Child.id)).one()
        consent_id = session.scalars(select(Consent.id)).one()
    return Ids(record.case_id or 0, parent, child, note.id, record.id, anonymous.id, consent_id)


CASE_FUNCTIONS: dict[str, Callable[[SignedIn, Ids], object]] = {
    "open_case": lambda ctx, ids: cases.open_case(ctx, ids.case),
    "reload_case": lambda ctx, ids: cases.reload_case(ctx, ids.case),
    "case_reference": lambda ctx, ids: cases.case_reference(ctx, ids.case),
    "add_note": lambda ctx, ids: cases.add_note(ctx, ids.case, "A note"),
    "edit_note": lambda ctx, ids: cases.edit_note(ctx, ids.note, "Changed"),
    "close_case": lambda ctx, ids: cases.close_case(ctx, ids.case),
    "reopen_case": lambda ctx, ids: cases.reopen_case(ctx, ids.case),
    "record_breach_decision": lambda ctx, ids: cases.record_breach_decision(
        ctx, ids.case, BreachDecisionDetails("Concern", "Line manager", "Do not tell anyone yet",
                                             outcome="not shared")),
    "set_safeguarding_flag": lambda ctx, ids: cases.set_safeguarding_flag(ctx, ids.case, True),
    "add_parent": lambda ctx, ids: cases.add_parent(ctx, ids.case, ParentDetails("Tom Smith")),
    "update_parent": lambda ctx, ids: cases.update_parent(ctx, ids.parent, ParentDetails("Jo Smith")),
    "add_child": lambda ctx, ids: cases.add_child(ctx, ids.case, ChildDetails("Amy Smith")),
    "update_child": lambda ctx, ids: cases.update_child(ctx, ids.child, ChildDetails("Jim Smith")),
    "set_contact_preferences": lambda ctx, ids: contact.set_contact_preferences(
        ctx, ids.parent, ContactPreferences(voicemail_allowed=True)),
    "contact_preferences": lambda ctx, ids: contact.contact_preferences(ctx, ids.parent),
    "leave_message_text": lambda ctx, ids: contact.leave_message_text(ctx, ids.parent),
    "case_coded_reference": lambda ctx, ids: coded_reference.case_coded_reference(ctx, ids.child),
    "log_named_call": lambda ctx, ids: calls.log_named_call(
        ctx, NamedCall(CallDetails(), YES, case_id=ids.case)),
    "link_call_to_case": lambda ctx, ids: calls.link_call_to_case(ctx, ids.anonymous_call, ids.case, YES),
    "mark_follow_up_done": lambda ctx, ids: calls.mark_follow_up_done(ctx, ids.call),
    "record_consent": lambda ctx, ids: consent.record_consent(
        ctx, ids.case, consent.ConsentEntry("email", True, "verbal")),
    "consent_register": lambda ctx, ids: consent.consent_register(ctx, ids.case),
    "scanned_form": lambda ctx, ids: consent.scanned_form(ctx, ids.consent),
    "printable_consent_form": lambda ctx, ids: consent.printable_consent_form(ctx, ids.case),
    "check_third_party": lambda ctx, ids: consent.check_third_party(ctx, ids.case, "school", "Oak"),
    "log_third_party_contact": lambda ctx, ids: consent.log_third_party_contact(
        ctx, ids.case, consent.ThirdPartyContactDetails("school", "Oak")),
    "draft_letter": lambda ctx, ids: letters.draft_letter(
        ctx, ids.case, "blank", letters.Addressee(parent_id=ids.parent)),
    "issue_letter": lambda ctx, ids: letters.issue_letter(ctx, ids.case, letters.LetterDraft(
        "blank", "Blank letter", "Hi", "Dear Jane", letters.Addressee(parent_id=ids.parent), (), ()),
        "Hi", "Dear Jane"),
    "withdrawal_preview": lambda ctx, ids: consent.withdrawal_preview(ctx, ids.case),
    "withdraw_keep_details": lambda ctx, ids: consent.withdraw_keep_details(
        ctx, ids.case, "verbal", "C-2026-0001"),
}


def nothing_changed(ctx: SignedIn) -> None:
    with ctx.write() as session:
        assert [n.text for n in session.scalars(select(CaseNote))] == ["Spoke to school."]
        assert session.scalars(select(Parent.full_name)).all() == ["Jane Smith"]
        assert session.scalars(select(Child.full_name)).all() == ["John Smith"]
        assert all(c.follow_up_done_at is None for c in session.scalars(select(Call)))
        assert [c.kind for c in session.scalars(select(Consent))] == ["keep_details"]


@pytest.mark.parametrize("name", sorted(CASE_FUNCTIONS))
def test_adviser_refused_on_another_advisers_case(name: str, alices_case: Ids,
                                                  second_adviser: SignedIn) -> None:
    with pytest.raises(PermissionRefused):
        CASE_FUNCTIONS[name](second_adviser, alices_case)
    nothing_changed(second_adviser)


@pytest.mark.parametrize("name", sorted(CASE_FUNCTIONS))
def test_coordinator_refused_everywhere(name: str, alices_case: Ids, coordinator: SignedIn) -> None:
    with pytest.raises(PermissionRefused):
        CASE_FUNCTIONS[name](coordinator, alices_case)
    nothing_changed(coordinator)


def test_coordinator_cannot_search_or_list(alices_case: Ids, coordinator: SignedIn) -> None:
    with pytest.raises(PermissionRefused):
        cases.search_cases(coordinator, "Smith")
    with pytest.raises(PermissionRefused):
        cases.list_cases(coordinator, CaseFilter(mine=False))


def test_other_adviser_finds_nothing_in_lists(alices_case: Ids, adviser: SignedIn,
                                              second_adviser: SignedIn) -> None:
    assert [c.id for c in cases.search_cases(adviser, "Smith")] == [alices_case.case]
    for text in ("Smith", "jane", "John Smith", "MK6", "07700", "C-"):
        assert cases.search_cases(second_adviser, text) == []
    assert cases.list_cases(second_adviser, CaseFilter(mine=False)) == []
    assert cases.list_cases(second_adviser, CaseFilter(mine=False, follow_ups_due=True)) == []
    assert calls.recent_calls(second_adviser) == [] and calls.follow_ups_due(second_adviser) == []
    assert len(calls.recent_calls(adviser)) == 2


def test_assigned_adviser_gains_access(alices_case: Ids, manager: SignedIn,
                                       second_adviser: SignedIn) -> None:
    advisers = cases.assign_adviser(manager, alices_case.case, second_adviser.actor.id)
    assert {a.full_name for a in advisers} == {"Test Adviser"}
    assert len(advisers) == 2
    assert cases.open_case(second_adviser, alices_case.case).parents[0].full_name == "Jane Smith"
    cases.unassign_adviser(manager, alices_case.case, second_adviser.actor.id)
    with pytest.raises(PermissionRefused):
        cases.open_case(second_adviser, alices_case.case)
    with pytest.raises(PermissionRefused):
        cases.assign_adviser(second_adviser, alices_case.case, second_adviser.actor.id)


def test_last_adviser_cannot_be_unassigned(alices_case: Ids, adviser: SignedIn, manager: SignedIn) -> None:
    with pytest.raises(PermissionRefused):
        cases.unassign_adviser(manager, alices_case.case, adviser.actor.id)


def test_manager_needs_a_reason(alices_case: Ids, manager: SignedIn) -> None:
    assert cases.search_cases(manager, "smith")[0].assigned_to_me is False
    with pytest.raises(ReasonRequired):
        cases.open_case(manager, alices_case.case)
    with pytest.raises(ReasonRequired):
        cases.add_note(manager, alices_case.case, "No reason given")
    with pytest.raises(InvalidInput) as refused:
        cases.open_case(manager, alices_case.case, reason="x" * 301)
    assert refused.value.field == "reason"

    view = cases.open_case(manager, alices_case.case, reason="Complaint from the parent")
    assert [(v.manager, v.reason) for v in view.manager_views] == [
        ("Margaret Manager", "Complaint from the parent")]
    events = audit.list_events(manager,
                               audit.AuditFilter(action="case accessed by manager"))
    assert len(events) == 1 and "Complaint from the parent" in events[0].detail
    assert events[0].target == f"case:{view.reference}"
    # Changes soon after are covered by the reason just given; opening again needs a new one.
    cases.add_note(manager, alices_case.case, "Checked the complaint.")
    with pytest.raises(ReasonRequired):
        cases.open_case(manager, alices_case.case)


def test_manager_reason_expires(alices_case: Ids, manager: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    cases.open_case(manager, alices_case.case, reason="Cover while Alice is away")
    time_machine.move_to(date.today() + timedelta(days=2))
    with pytest.raises(ReasonRequired):
        cases.add_note(manager, alices_case.case, "Later")


def test_views_and_changes_are_audited_by_reference(alices_case: Ids, adviser: SignedIn,
                                                    manager: SignedIn) -> None:
    view = cases.open_case(adviser, alices_case.case)
    cases.close_case(adviser, alices_case.case)
    events = audit.list_events(manager,
                               audit.AuditFilter(text=view.reference))
    actions = {e.action for e in events}
    assert {"case opened", "call logged", "note added", "case viewed", "case closed"} <= actions
    everything = audit.list_events(manager, audit.AuditFilter(limit=10_000))
    for event in everything:
        for secret in ("Smith", "Jane", "John", "MK6 1AA", "07700"):
            assert secret not in event.detail and secret not in event.target


def test_status_history_shows_reopened(alices_case: Ids, adviser: SignedIn) -> None:
    closed = cases.close_case(adviser, alices_case.case)
    assert closed.status is CaseStatus.CLOSED
    with pytest.raises(InvalidInput):
        cases.close_case(adviser, alices_case.case)
    assert cases.list_cases(adviser, CaseFilter(status=CaseStatus.CLOSED))[0].id == alices_case.case
    cases.reopen_case(adviser, alices_case.case)
    view = cases.open_case(adviser, alices_case.case)
    assert view.status is CaseStatus.OPEN and view.closed_at is None and view.reopened
    assert [h.status for h in view.history] == ["open", "closed", "reopened"]


def test_case_reference_reads_no_family_details_and_records_no_view(
        alices_case: Ids, manager: SignedIn) -> None:
    with pytest.raises(ReasonRequired):
        cases.case_reference(manager, alices_case.case)
    view = cases.open_case(manager, alices_case.case, reason="Covering for Alice today")
    before = len(audit.list_events(manager, audit.AuditFilter(action="case viewed")))
    assert cases.case_reference(manager, alices_case.case) == view.reference
    after = len(audit.list_events(manager, audit.AuditFilter(action="case viewed")))
    assert after == before
