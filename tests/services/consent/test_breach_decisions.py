"""A breach decision unlocks a contact without consent only when it decided to share, and only
with the agencies it names; its outcome is on the case and in the contact's audit record."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text

from app.models import migrate
from app.services.cases import cases
from app.services.cases.notes import BreachOutcome
from app.services.consent import consent
from app.services.consent.records import ConsentRequired, Party, PartyKind
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.people import InvalidInput
from tests.services.case_helpers import open_case_for
from tests.services.consent.helpers import SCHOOL, audit_events, contact_with

SOCIAL_CARE = Party(PartyKind.SOCIAL_CARE, "Children's social care")
OTHER_SCHOOL = Party(PartyKind.SCHOOL, "Southfield Academy")


@pytest.fixture
def case_id(manager: SignedIn) -> int:
    return open_case_for(manager).case_id or 0


def decide(ctx: SignedIn, case_id: int, outcome: BreachOutcome | None,
           *agencies: Party) -> cases.NoteView:
    return cases.record_breach_decision(ctx, case_id, cases.BreachDecisionDetails(
        "Child said they are afraid to go home", "Line manager", "Discussed with the manager",
        outcome=outcome, agencies=agencies))


def test_a_decision_not_to_share_unlocks_nothing(manager: SignedIn, case_id: int) -> None:
    note = decide(manager, case_id, BreachOutcome.NOT_SHARED)
    for party in (SCHOOL, SOCIAL_CARE):
        for purpose in ("contact", "referral"):
            with pytest.raises(InvalidInput, match="not to share") as refused:
                consent.log_third_party_contact(manager, case_id, contact_with(
                    party, purpose=purpose, breach_note_id=note.id))
            assert refused.value.field == "breach_note_id"
    assert cases.open_case(manager, case_id).third_party_contacts == ()
    refusal = next(e for e in audit_events(manager) if e.action == "third-party referral refused")
    detail = json.loads(refusal.detail)
    assert detail["breach_note_id"] == note.id and detail["breach_outcome"] == "not shared"
    # Without the decision the family's consent is still what is missing.
    with pytest.raises(ConsentRequired):
        consent.log_third_party_contact(manager, case_id, contact_with(SCHOOL))


def test_a_decision_to_share_unlocks_only_the_agencies_it_names(manager: SignedIn,
                                                               case_id: int) -> None:
    note = decide(manager, case_id, BreachOutcome.SHARED, SOCIAL_CARE, SCHOOL)
    for party in (OTHER_SCHOOL, Party(PartyKind.HEALTH, "Children's social care"),
                  Party(PartyKind.OTHER, "Thames Valley Police")):
        with pytest.raises(InvalidInput, match="shares information only with") as refused:
            consent.log_third_party_contact(manager, case_id, contact_with(
                party, purpose="referral", breach_note_id=note.id))
        assert refused.value.field == "breach_note_id"
    # The named school, however its name is spaced and capitalised, goes through.
    same_school = Party(PartyKind.SCHOOL, "  northfield   PRIMARY ")
    made = consent.log_third_party_contact(manager, case_id, contact_with(
        same_school, purpose="referral", breach_note_id=note.id))
    assert made.overridden_by_breach_note == note.id
    view = consent.log_third_party_contact(manager, case_id, contact_with(
        SOCIAL_CARE, breach_note_id=note.id))
    assert view.overridden_by_breach_note == note.id
    assert len(cases.open_case(manager, case_id).third_party_contacts) == 2


def test_the_contacts_audit_record_names_the_decision_and_its_outcome(manager: SignedIn,
                                                                      case_id: int) -> None:
    note = decide(manager, case_id, BreachOutcome.SHARED, SOCIAL_CARE)
    view = consent.log_third_party_contact(manager, case_id, contact_with(
        SOCIAL_CARE, purpose="referral", breach_note_id=note.id))
    event = next(e for e in audit_events(manager) if e.action == "third-party referral recorded")
    detail = json.loads(event.detail)
    assert detail["contact_id"] == view.id
    assert detail["consent_overridden_by_note"] == note.id == detail["breach_note_id"]
    assert detail["breach_outcome"] == "shared"
    assert detail["breach_decided_on"] == note.at.date().isoformat()
    recorded = next(e for e in audit_events(manager) if e.action == "breach decision recorded")
    assert json.loads(recorded.detail)["outcome"] == "shared"


def test_the_decision_says_whether_and_with_whom(manager: SignedIn, case_id: int) -> None:
    for outcome, agencies, field in ((None, (), "outcome"), ("", (SCHOOL,), "outcome"),
                                     ("maybe", (), "outcome"),
                                     (BreachOutcome.SHARED, (), "agencies"),
                                     (BreachOutcome.NOT_SHARED, (SCHOOL,), "agencies"),
                                     (BreachOutcome.SHARED, (Party(PartyKind.SCHOOL, " "),),
                                      "agencies")):
        with pytest.raises(InvalidInput) as refused:
            decide(manager, case_id, outcome, *agencies)  # type: ignore[arg-type]
        assert refused.value.field == field, (outcome, agencies)
    assert cases.open_case(manager, case_id).notes == ()
    decide(manager, case_id, BreachOutcome.SHARED, SOCIAL_CARE,
           Party(SOCIAL_CARE.kind, "children's  SOCIAL care"))
    breach = cases.open_case(manager, case_id).notes[0].breach
    assert breach is not None and breach.outcome is BreachOutcome.SHARED
    assert breach.agencies == (SOCIAL_CARE,)  # named twice, kept once
    assert breach.agencies_contacted == "Children's social care (social care)"


def test_old_decisions_unlock_a_contact_only_if_they_clearly_shared(manager: SignedIn,
                                                                    case_id: int) -> None:
    written = {
        "clear": ("Refer to children's social care without consent", "Children's social care"),
        "refused": ("Decided not to share", ""),
        "none named": ("Refer to social care", "none"),
        "doubtful": ("Will refer if it happens again", "Children's social care"),
        "two": ("Tell the school and the police today", "Northfield Primary; Thames Valley Police"),
    }
    notes = {label: decide(manager, case_id, BreachOutcome.NOT_SHARED).id for label in written}
    config = migrate._config()
    with storage_access.database_of(manager).engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
        for label, (decision, agencies) in written.items():
            connection.execute(text("UPDATE breach_decision SET decision = :d, "
                                    "agencies_contacted = :a WHERE note_id = :n"),
                               {"d": decision, "a": agencies, "n": notes[label]})
        command.upgrade(config, "head")
    breaches = {n.id: n.breach for n in cases.open_case(manager, case_id).notes}
    outcomes = {label: breaches[note_id].outcome  # type: ignore[union-attr]
                for label, note_id in notes.items()}
    assert outcomes == {"clear": BreachOutcome.SHARED, "refused": BreachOutcome.NOT_SHARED,
                        "none named": BreachOutcome.NOT_SHARED,
                        "doubtful": BreachOutcome.NOT_SHARED, "two": BreachOutcome.SHARED}
    assert breaches[notes["two"]].agencies == (  # type: ignore[union-attr]
        SCHOOL, Party(PartyKind.OTHER, "Thames Valley Police"))
    assert breaches[notes["refused"]].agencies_contacted == ""  # type: ignore[union-attr]
    consent.log_third_party_contact(manager, case_id, contact_with(
        SOCIAL_CARE, purpose="referral", breach_note_id=notes["clear"]))
    for label in ("refused", "none named", "doubtful"):
        with pytest.raises(InvalidInput):
            consent.log_third_party_contact(manager, case_id, contact_with(
                SOCIAL_CARE, breach_note_id=notes[label]))
    with pytest.raises(InvalidInput):
        consent.log_third_party_contact(manager, case_id, contact_with(
            OTHER_SCHOOL, breach_note_id=notes["two"]))
