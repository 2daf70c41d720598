"""The consent register: recording, reading, the printed form, and every refusal it enforces."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select, text

from app.models.cases import Parent
from app.models.consent import Consent, ConsentForm, ThirdPartyContact
from app.services.calls import calls
from app.services.calls.calls import CallDetails, NamedCall
from app.services.cases import cases, contact
from app.services.cases.contact import ContactPreferences, MessageWay
from app.services.cases.fields import Channel, Direction
from app.services.consent import consent
from app.services.consent.consent import ConsentEntry, ThirdPartyPurpose
from app.services.consent.records import ConsentKind, ConsentRequired, ConsentState, Party, PartyKind
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused
from tests.services.case_helpers import YES, open_case_for
from tests.services.consent.helpers import PDF_SCAN, SCHOOL, audit_actions, audit_events, contact_with, grant

SEN_TEAM = Party(PartyKind.SEN_TEAM, "Milton Keynes SEN team")
PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case_id(manager: SignedIn) -> int:
    return open_case_for(manager).case_id or 0


# -- recording and reading ------------------------------------------------------------------


def test_new_case_has_consent_to_keep_details_and_nothing_else(manager: SignedIn, case_id: int) -> None:
    register = consent.consent_register(manager, case_id)
    states = {s.kind: s.state for s in register.family}
    assert states.pop(ConsentKind.KEEP_DETAILS) is ConsentState.GRANTED
    assert set(states.values()) == {ConsentState.NOT_ASKED}
    assert register.third_parties == ()
    keep = register.status(ConsentKind.KEEP_DETAILS).latest
    assert keep is not None and keep.method == "verbal" and keep.recorded_by == "Margaret Manager"


def test_grant_then_withdraw_keeps_both_in_history(manager: SignedIn, case_id: int) -> None:
    first = grant(manager, case_id, SCHOOL, review_date=date.today() + timedelta(days=365))
    assert first.granted and first.party == SCHOOL and first.review_date is not None
    later = grant(manager, case_id, Party(PartyKind.SCHOOL, "  northfield   PRIMARY "), granted=False)
    register = consent.consent_register(manager, case_id)
    assert [s.state for s in register.third_parties] == [ConsentState.WITHDRAWN]
    assert [r.id for r in register.history[:2]] == [later.id, first.id]  # newest first
    assert register.consented_parties() == ()


def test_consent_given_earlier_keeps_its_date(manager: SignedIn, case_id: int) -> None:
    signed = date.today() - timedelta(days=3)
    view = grant(manager, case_id, SCHOOL, given_on=signed.strftime("%d/%m/%Y"))
    assert view.given_on == signed and view.recorded_at.date() == date.today()


@pytest.mark.parametrize(("entry", "field"), [
    (ConsentEntry(ConsentKind.THIRD_PARTY, True, "verbal", party_kind=None, party_name="X"), "party_kind"),
    (ConsentEntry(ConsentKind.THIRD_PARTY, True, "verbal", party_kind="school", party_name=" "),
     "party_name"),
    (ConsentEntry(ConsentKind.THIRD_PARTY, True, "verbal", party_kind="school",
                  party_name="A" * 81), "party_name"),
    (ConsentEntry(ConsentKind.THIRD_PARTY, True, "verbal", party_kind="school",
                  party_name="Bad\x07name"), "party_name"),
    (ConsentEntry(ConsentKind.EMAIL, True, None), "method"),
    (ConsentEntry(ConsentKind.EMAIL, True, "carrier pigeon"), "method"),
    (ConsentEntry("gossip", True, "verbal"), "kind"),
    (ConsentEntry(ConsentKind.EMAIL, True, "verbal", given_on="31/02/2026"), "given_on"),
    (ConsentEntry(ConsentKind.EMAIL, True, "verbal",
                  given_on=date.today() + timedelta(days=1)), "given_on"),
    (ConsentEntry(ConsentKind.EMAIL, True, "verbal", review_date=date.today()), "review_date"),
    (ConsentEntry(ConsentKind.EMAIL, False, "verbal",
                  review_date=date.today() + timedelta(days=9)), "review_date"),
    (ConsentEntry(ConsentKind.KEEP_DETAILS, False, "verbal"), "kind"),
    (ConsentEntry(ConsentKind.PHOTOGRAPHS, True, "signed form", form=b"GIF89a"), "form"),
    (ConsentEntry(ConsentKind.PHOTOGRAPHS, True, "signed form", form=b""), "form"),
])
def test_bad_entries_refused_next_to_their_field(manager: SignedIn, case_id: int, entry: ConsentEntry,
                                                 field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        consent.record_consent(manager, case_id, entry)
    assert refused.value.field == field
    assert len(consent.consent_register(manager, case_id).history) == 1


def test_oversized_scan_refused(manager: SignedIn, case_id: int) -> None:
    big = PDF_SCAN + b"0" * consent.FORM_MAX_BYTES
    with pytest.raises(InvalidInput, match="MB") as refused:
        grant(manager, case_id, SCHOOL, form=big)
    assert refused.value.field == "form"


def test_scanned_form_kept_inside_and_viewable(manager: SignedIn, case_id: int) -> None:
    view = grant(manager, case_id, SCHOOL, form=PDF_SCAN)
    assert view.has_form and view.form_media_type == "application/pdf"
    png = grant(manager, case_id, kind=ConsentKind.PHOTOGRAPHS, form=PNG_SCAN)
    assert png.form_media_type == "image/png"
    form = consent.scanned_form(manager, view.id)
    assert (form.media_type, form.content) == ("application/pdf", PDF_SCAN)
    assert "consent form viewed" in audit_actions(manager)
    keep = consent.consent_register(manager, case_id).status(ConsentKind.KEEP_DETAILS).latest
    assert keep is not None
    with pytest.raises(InvalidInput, match="No scanned form"):
        consent.scanned_form(manager, keep.id)


def test_history_is_append_only(manager: SignedIn, case_id: int) -> None:
    view = grant(manager, case_id, SCHOOL, form=PDF_SCAN)
    assert not [name for name in dir(consent) if name.startswith(("edit_", "update_", "delete_"))]
    with manager.write() as session, pytest.raises(Exception, match="append-only"):
        session.execute(text("UPDATE consent SET granted = 0 WHERE id = :id"), {"id": view.id})
    with manager.write() as session, pytest.raises(Exception, match="append-only"):
        session.execute(text("UPDATE consent_form SET content = x'00'"))
    with manager.write() as session:
        assert session.get(Consent, view.id).granted  # type: ignore[union-attr]
        assert session.get(ConsentForm, view.id).content == PDF_SCAN  # type: ignore[union-attr]


def test_recording_is_audited_without_names(manager: SignedIn, case_id: int) -> None:
    grant(manager, case_id, SCHOOL)
    event = next(e for e in audit_events(manager) if e.action == "consent recorded")
    assert "Northfield" not in event.detail and "school" in event.detail


# -- enforcement ----------------------------------------------------------------------------


def test_contact_with_third_party_refused_without_consent(manager: SignedIn, case_id: int) -> None:
    with pytest.raises(ConsentRequired) as refused:
        consent.log_third_party_contact(manager, case_id, contact_with(SCHOOL))
    assert "Northfield Primary" in str(refused.value) and "consent form" in str(refused.value)
    assert refused.value.party == SCHOOL
    assert "third-party contact refused" in audit_actions(manager)
    with manager.write() as session:
        assert session.scalars(select(ThirdPartyContact)).all() == []


@pytest.mark.parametrize("purpose", list(ThirdPartyPurpose))
def test_every_purpose_allowed_once_granted(manager: SignedIn, case_id: int,
                                            purpose: ThirdPartyPurpose) -> None:
    grant(manager, case_id, SCHOOL)
    view = consent.log_third_party_contact(manager, case_id, contact_with(
        Party(PartyKind.SCHOOL, "NORTHFIELD primary"), purpose=purpose, channel=Channel.EMAIL))
    assert view.purpose is purpose and view.overridden_by_breach_note is None
    assert cases.open_case(manager, case_id).third_party_contacts[0].id == view.id


def test_consent_for_one_party_is_not_consent_for_another(manager: SignedIn, case_id: int) -> None:
    grant(manager, case_id, SCHOOL)
    for other in (SEN_TEAM, Party(PartyKind.SCHOOL, "Southfield Academy"),
                  Party(PartyKind.HEALTH, "Northfield Primary")):
        with pytest.raises(ConsentRequired):
            consent.check_third_party(manager, case_id, other.kind, other.name)
    assert consent.check_third_party(manager, case_id, "school", "northfield primary") == \
        Party(PartyKind.SCHOOL, "northfield primary")


def test_withdrawal_takes_effect_immediately(manager: SignedIn, case_id: int) -> None:
    grant(manager, case_id, SCHOOL)
    consent.log_third_party_contact(manager, case_id, contact_with(SCHOOL))
    grant(manager, case_id, SCHOOL, granted=False)
    with pytest.raises(ConsentRequired, match="withdrew consent"):
        consent.log_third_party_contact(manager, case_id, contact_with(SCHOOL, purpose="referral"))
    grant(manager, case_id, SCHOOL)  # the family changed their mind again
    consent.log_third_party_contact(manager, case_id, contact_with(SCHOOL, purpose="referral"))


def test_breach_decision_is_the_one_recorded_override(manager: SignedIn, case_id: int) -> None:
    social_care = Party(PartyKind.SOCIAL_CARE, "Children's social care")
    note = cases.record_breach_decision(manager, case_id, cases.BreachDecisionDetails(
        "Disclosure of harm", "Line manager", "Refer to social care without consent",
        outcome="shared", agencies=(social_care,)))
    ordinary = cases.add_note(manager, case_id, "Spoke to school")
    with pytest.raises(InvalidInput) as refused:
        consent.log_third_party_contact(manager, case_id, contact_with(social_care,
                                                                        breach_note_id=ordinary.id))
    assert refused.value.field == "breach_note_id"
    view = consent.log_third_party_contact(manager, case_id, contact_with(
        social_care, purpose="referral", breach_note_id=note.id))
    assert view.overridden_by_breach_note == note.id
    event = next(e for e in audit_events(manager)
                 if e.action == "third-party referral recorded")
    assert f'"consent_overridden_by_note": {note.id}' in event.detail


def test_breach_decision_of_another_case_does_not_override(manager: SignedIn, case_id: int) -> None:
    other = open_case_for(manager, "Jones").case_id or 0
    note = cases.record_breach_decision(manager, other, cases.BreachDecisionDetails(
        "Concern", "Line manager", "Tell the school", outcome="shared", agencies=(SCHOOL,)))
    with pytest.raises(InvalidInput):
        consent.log_third_party_contact(manager, case_id, contact_with(SCHOOL, breach_note_id=note.id))


def test_future_contact_refused(manager: SignedIn, case_id: int) -> None:
    grant(manager, case_id, SCHOOL)
    with pytest.raises(InvalidInput) as refused:
        consent.log_third_party_contact(manager, case_id, contact_with(
            SCHOOL, at=datetime.now() + timedelta(days=1)))
    assert refused.value.field == "at"


def _parent(ctx: SignedIn) -> int:
    with ctx.write() as session:
        return session.scalars(select(Parent.id)).first() or 0


def _email_out(case_id: int) -> NamedCall:
    return NamedCall(CallDetails(direction=Direction.OUT, channel=Channel.EMAIL), YES, case_id=case_id)


def test_outgoing_email_needs_email_consent(manager: SignedIn, case_id: int) -> None:
    with pytest.raises(ConsentRequired, match="email"):
        calls.log_named_call(manager, _email_out(case_id))
    grant(manager, case_id, kind=ConsentKind.EMAIL)
    calls.log_named_call(manager, _email_out(case_id))
    grant(manager, case_id, kind=ConsentKind.EMAIL, granted=False)
    with pytest.raises(ConsentRequired, match="withdrew"):
        calls.log_named_call(manager, _email_out(case_id))
    # Incoming emails from the family are always logged.
    calls.log_named_call(manager, NamedCall(CallDetails(channel=Channel.EMAIL), YES, case_id=case_id))


def test_preferences_record_consent_and_withdrawal_switches_them_off(manager: SignedIn,
                                                                     case_id: int) -> None:
    pid = _parent(manager)
    contact.set_contact_preferences(manager, pid, ContactPreferences(
        use_mobile=True, voicemail_allowed=True, email_allowed=True, preferred_method="email"))
    register = consent.consent_register(manager, case_id)
    assert register.status(ConsentKind.VOICEMAIL).state is ConsentState.GRANTED
    assert register.status(ConsentKind.EMAIL).state is ConsentState.GRANTED
    assert contact.leave_message_text(manager, pid, MessageWay.VOICEMAIL).startswith("This is a message")
    grant(manager, case_id, kind=ConsentKind.VOICEMAIL, granted=False)
    with pytest.raises(PermissionRefused):
        contact.leave_message_text(manager, pid, MessageWay.VOICEMAIL)
    grant(manager, case_id, kind=ConsentKind.EMAIL, granted=False)
    prefs = contact.contact_preferences(manager, pid)
    assert prefs is not None and not prefs.voicemail_allowed and not prefs.email_allowed
    assert prefs.preferred_method is None and prefs.use_mobile


def test_message_refused_when_family_consent_missing_even_if_parent_allows(manager: SignedIn,
                                                                         case_id: int) -> None:
    pid = _parent(manager)
    contact.set_contact_preferences(manager, pid, ContactPreferences(use_mobile=True,
                                                                     voicemail_allowed=True))
    # A withdrawal recorded straight into the history, as an older version might have left it.
    with manager.write() as session:
        session.add(Consent(case_id=case_id, kind="voicemail", granted=False, method="verbal",
                            policy_explained=False, recorded_at=datetime.now()))
    with pytest.raises(ConsentRequired, match="voicemail"):
        contact.leave_message_text(manager, pid, MessageWay.VOICEMAIL)


# -- the property: nothing gets through on a withdrawal or no record --------------------------

PARTIES = (SCHOOL, SEN_TEAM, Party(PartyKind.HEALTH, "Community paediatrics"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(range(len(PARTIES))), st.booleans()), max_size=8))
def test_no_sequence_lets_an_action_through_without_a_current_grant(manager: SignedIn,
                                                                   steps: list[tuple[int, bool]]) -> None:
    case_id = open_case_for(manager, "Property").case_id or 0
    latest: dict[int, bool] = {}
    for index, granted in steps:
        grant(manager, case_id, PARTIES[index], granted=granted)
        latest[index] = granted
    for index, party in enumerate(PARTIES):
        allowed = latest.get(index, False)
        try:
            consent.log_third_party_contact(manager, case_id, contact_with(party))
            went_through = True
        except ConsentRequired:
            went_through = False
        assert went_through == allowed, (steps, party)


# -- the printed form -----------------------------------------------------------------------


def test_printed_form_lists_family_reference_and_every_party(manager: SignedIn, case_id: int) -> None:
    grant(manager, case_id, SCHOOL)
    grant(manager, case_id, SEN_TEAM, granted=False)
    extra = Party(PartyKind.EDUCATIONAL_PSYCHOLOGIST, "Dr Ada Patel")
    pdf = consent.printable_consent_form(manager, case_id, [extra, SCHOOL])
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    whole = " ".join(" ".join(pages).split())
    reference = cases.open_case(manager, case_id).reference
    assert all("STRICTLY PRIVATE AND CONFIDENTIAL" in page for page in pages)
    for expected in (reference, "Jane Smith", "John Smith", "09/03/2015", "MK6 1AA",
                     "Northfield Primary", "Milton Keynes SEN team", "Dr Ada Patel",
                     "Northfield SEN Advice", "Signature", "Margaret Manager"):
        assert expected in whole, expected
    assert whole.count("Contact Northfield Primary") == 1
    assert "consent form printed" in audit_actions(manager)


def test_printed_form_survives_hostile_names(manager: SignedIn) -> None:
    hostile = "<b>Ro&bert'); DROP TABLE case_file;-- 😀 שלום"
    record = open_case_for(manager, "O'Brien")
    cases.add_parent(manager, record.case_id or 0, cases.ParentDetails(hostile))
    pdf = consent.printable_consent_form(manager, record.case_id or 0,
                                         [Party(PartyKind.OTHER, "<i>Smith & Sons</i>")])
    text_out = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "DROP TABLE case_file" in text_out and "<i>Smith & Sons</i>" in text_out


# -- reviews --------------------------------------------------------------------------------


def test_review_due_shows_on_the_day(manager: SignedIn, case_id: int) -> None:
    review = date.today() + timedelta(days=30)
    grant(manager, case_id, SCHOOL, review_date=review)
    status = consent.consent_register(manager, case_id).third_parties[0]
    assert not status.review_due(date.today())
    with time_machine.travel(datetime.combine(review, datetime.min.time()) + timedelta(hours=9)):
        assert status.review_due(date.today())


