"""Withdrawing consent to keep details: what is destroyed, what is kept, and who may do it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services.calls import calls
from app.services.calls.calls import CallDetails, NamedCall
from app.services.cases import cases
from app.services.cases.fields import ConsentMethod
from app.services.consent import consent
from app.services.consent.withdrawal import KeepDetailsWithdrawal, Step
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault
from app.services.people import InvalidInput, PermissionRefused
from tests.services.case_helpers import YES, call_statistics, open_case_for
from tests.services.consent.helpers import PDF_SCAN, SCHOOL, audit_actions, audit_events, contact_with, grant
from tests.services.page_scan import found_in_pages


def test_withdrawal_flow_destroys_personal_data_and_keeps_statistics(
        manager: SignedIn, vault: Vault) -> None:
    record = open_case_for(manager, "Quillfeather", summary="Jane Quillfeather rang about John",
                           area_district="MK6")
    case_id = record.case_id or 0
    calls.log_named_call(manager, NamedCall(CallDetails(summary="Follow-up"), YES, case_id=case_id))
    cases.add_note(manager, case_id, "Quillfeather school meeting went well")
    grant(manager, case_id, SCHOOL, form=PDF_SCAN + b"Quillfeather signature")
    consent.log_third_party_contact(manager, case_id, contact_with(SCHOOL))
    before = call_statistics(manager)
    flow = KeepDetailsWithdrawal(manager, case_id)
    assert flow.step is Step.EXPLAIN and flow.blocked() is None
    words = " ".join(flow.explanation())
    assert "1 parent or carer, 1 child, 1 note" in words and "2 calls stay" in words
    with pytest.raises(PermissionRefused):
        flow.confirm("verbal", flow.reference)  # must read the explanation first
    flow.go_on()
    with pytest.raises(InvalidInput) as refused:
        flow.confirm("verbal", "C-1999-0001")
    assert refused.value.field == "reference"
    assert cases.open_case(manager, case_id).parents  # nothing destroyed yet
    done = flow.confirm(ConsentMethod.EMAIL, flow.reference.lower())
    assert flow.step is Step.DONE and done.rule == "consent to keep details withdrawn"
    assert done.calls_kept == 2

    with pytest.raises(InvalidInput, match="no longer exists"):
        cases.open_case(manager, case_id)
    with manager.write() as session:
        for table in ("parent", "child", "case_note", "consent", "consent_form", "contact_preference",
                      "third_party_contact", "case_file", "referral"):
            assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
        call_rows = session.execute(text("SELECT case_id, anonymous, summary FROM call")).all()
        assert [tuple(r) for r in call_rows] == [(None, 1, ""), (None, 1, "")]
        register = session.execute(text(
            "SELECT case_reference, rule, run_by, calls_kept FROM destruction_record")).all()
        assert [tuple(r) for r in register] == [(record.case_reference, done.rule, "margaret", 2)]
    after = call_statistics(manager)
    assert after == before
    assert cases.search_cases(manager, "Quillfeather") == []
    actions = audit_actions(manager)
    assert "consent to keep details withdrawn" in actions and "case destroyed" in actions
    assert not any("Quillfeather" in e.detail or "Quillfeather" in e.target for e in audit_events(manager))

    key = storage_access.database_of(manager).data_key()
    found = found_in_pages(vault.database_path, key, ["Quillfeather", "Northfield SEN Advice"])
    assert found == {"Northfield SEN Advice"}  # the service's own name proves the pages were read


def test_withdrawal_needs_a_manager_when_safeguarding_and_stops_at_legal_hold(
        manager: SignedIn, adviser: SignedIn) -> None:
    case_id = open_case_for(adviser, "Marsh", safeguarding_concern=True).case_id or 0
    flow = KeepDetailsWithdrawal(adviser, case_id)
    assert flow.blocked() and "manager" in (flow.blocked() or "")
    with pytest.raises(PermissionRefused):
        flow.go_on()
    with pytest.raises(PermissionRefused, match="safeguarding"):
        consent.withdraw_keep_details(adviser, case_id, "verbal", cases.case_reference(adviser, case_id))
    reference = cases.case_reference(adviser, case_id)
    with manager.write() as session:
        session.execute(text("UPDATE case_file SET legal_hold_reason = 'Tribunal pending'"))
    held = KeepDetailsWithdrawal(manager, case_id, reason="Parent asked for removal")
    assert "legal hold" in (held.blocked() or "")
    with pytest.raises(PermissionRefused, match="legal hold"):
        consent.withdraw_keep_details(manager, case_id, "verbal", reference)
    assert cases.open_case(manager, case_id, reason="Checking the hold").parents


def test_withdrawal_refused_to_other_advisers(manager: SignedIn, adviser: SignedIn,
                                              second_adviser: SignedIn) -> None:
    case_id = open_case_for(adviser, "Marsh").case_id or 0
    with pytest.raises(PermissionRefused):
        KeepDetailsWithdrawal(second_adviser, case_id)
    with pytest.raises(PermissionRefused):
        consent.withdraw_keep_details(second_adviser, case_id, "verbal", "C-2026-0001")
    assert cases.open_case(adviser, case_id).parents
