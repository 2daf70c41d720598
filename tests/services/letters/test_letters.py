"""Letters: every template read back from its PDF, consent and postcode checks, reprinting."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text

from app.models.cases import Parent
from app.models.consent import ThirdPartyContact
from app.services import audit
from app.services.access import ReasonRequired
from app.services.cases import cases
from app.services.consent import consent
from app.services.consent.consent import ConsentEntry
from app.services.context import SignedIn
from app.services.letters import letterhead, letters
from app.services.letters.letters import Addressee, AddresseeKind
from app.services.people import InvalidInput, PermissionRefused
from tests.services.case_helpers import open_case_for

CONFIDENTIAL = "STRICTLY PRIVATE AND CONFIDENTIAL"
SCHOOL = Addressee(party_kind="school", party_name="Northfield Primary", contact_name="Mrs A Patel, SENCo",
                   address_lines=("Church Lane", "Northfield"), postcode="mk6 2bb")
WRITER_WORDS = {
    "appointment_date": "Tuesday 8 December", "appointment_time": "10:30",
    "appointment_place": "our office", "summary_points": "How to ask for an assessment.",
    "next_steps": "We will ring you next week.", "topic": "EHC needs assessments",
    "letter_text": "Please could we meet to talk about the support plan.", "subject": "Support plan",
}
TINY_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
            b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00"
            b"\x00\x00IEND\xaeB`\x82")


def pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def parent_of(ctx: SignedIn) -> int:
    with ctx.write() as session:
        return session.scalars(select(Parent.id)).first() or 0


def consent_to_school(ctx: SignedIn, case_id: int, granted: bool = True) -> None:
    consent.record_consent(ctx, case_id, ConsentEntry("third_party", granted, "signed form",
                                                      party_kind="school", party_name="Northfield Primary"))


def written(draft: letters.LetterDraft) -> tuple[str, str]:
    return letters.fill(draft.subject, WRITER_WORDS), letters.fill(draft.body, WRITER_WORDS)


@pytest.fixture
def case_id(manager: SignedIn) -> int:
    return open_case_for(manager, "Quillfeather").case_id or 0


def test_the_seven_templates_are_there(manager: SignedIn) -> None:
    keys = [t.key for t in letters.templates(manager)]
    assert keys == ["appointment_confirmation", "call_summary", "information_pack", "consent_form_cover",
                    "third_party", "case_closure", "blank"]


@pytest.mark.parametrize("key", ["appointment_confirmation", "call_summary", "information_pack",
                                 "consent_form_cover", "third_party", "case_closure", "blank"])
def test_every_template_makes_a_complete_logged_letter(manager: SignedIn, case_id: int, key: str) -> None:
    template = next(t for t in letters.templates(manager) if t.key == key)
    if template.addressee is AddresseeKind.THIRD_PARTY:
        consent_to_school(manager, case_id)
        who, postcode = SCHOOL, "MK6 2BB"
    else:
        who, postcode = Addressee(parent_id=parent_of(manager)), "MK6 1AA"
    draft = letters.draft_letter(manager, case_id, key, who)
    assert set(letters.unfilled(draft.subject, draft.body)) <= set(WRITER_WORDS)
    subject, body = written(draft)
    issued = letters.issue_letter(manager, case_id, draft, subject, body)
    text_pages = pages(issued.pdf)
    assert all(page.startswith(CONFIDENTIAL) or CONFIDENTIAL in page[:60] for page in text_pages)
    whole = " ".join(text_pages)
    assert postcode in whole and "{" not in whole and "}" not in whole
    assert "Margaret Manager" in whole and "Northfield SEN Advice" in whole
    assert issued.view.case_reference in whole
    if key == "third_party":
        assert "Copy to: Jane Quillfeather (mother)" in whole and "Mrs A Patel, SENCo" in whole
    else:
        assert "Dear Mrs Quillfeather," in whole and "1 Test Road" in whole
    view = cases.open_case(manager, case_id)
    assert [letter.id for letter in view.letters] == [issued.view.id]
    assert view.letters[0].template_title == template.title and view.letters[0].author == "Margaret Manager"
    events = audit.list_events(manager, audit.AuditFilter(action="letter issued"))
    assert len(events) == 1 and "Quillfeather" not in events[0].detail


def test_long_letters_number_their_pages(manager: SignedIn, case_id: int) -> None:
    draft = letters.draft_letter(manager, case_id, "blank", Addressee(parent_id=parent_of(manager)))
    long_text = "\n\n".join(f"Paragraph {n}: we talked about the support plan and what happens next, "
                            "and about the annual review." for n in range(40))
    issued = letters.issue_letter(manager, case_id, draft, "Support plan", draft.body.replace(
        "{letter_text}", long_text))
    text_pages = pages(issued.pdf)
    total = len(text_pages)
    assert total >= 2 and issued.view.pages == total
    for number, page in enumerate(text_pages, start=1):
        assert f"Page {number} of {total}" in page and CONFIDENTIAL in page


def test_letter_to_third_party_needs_current_consent(manager: SignedIn, case_id: int) -> None:
    with pytest.raises(consent.ConsentRequired, match="Northfield Primary"):
        letters.draft_letter(manager, case_id, "third_party", SCHOOL)
    consent_to_school(manager, case_id)
    draft = letters.draft_letter(manager, case_id, "third_party", SCHOOL)
    consent_to_school(manager, case_id, granted=False)
    with pytest.raises(consent.ConsentRequired, match="withdrew"):
        letters.issue_letter(manager, case_id, draft, *written(draft))
    assert cases.open_case(manager, case_id).letters == ()
    consent_to_school(manager, case_id)
    letters.issue_letter(manager, case_id, draft, *written(draft))
    with manager.write() as session:
        logged = session.scalars(select(ThirdPartyContact)).one()
        assert (logged.purpose, logged.party) == ("letter", "Northfield Primary")


@pytest.mark.parametrize("postcode", ["", "MK6", "ZZ99 9ZZZ", "not a postcode"])
def test_third_party_address_needs_a_full_postcode(manager: SignedIn, case_id: int, postcode: str) -> None:
    consent_to_school(manager, case_id)
    with pytest.raises(InvalidInput) as refused:
        letters.draft_letter(manager, case_id, "third_party", Addressee(
            party_kind="school", party_name="Northfield Primary", address_lines=("Church Lane",),
            postcode=postcode))
    assert refused.value.field == "postcode"


def test_parent_without_a_postcode_cannot_be_written_to(manager: SignedIn, case_id: int) -> None:
    parent = cases.add_parent(manager, case_id, cases.ParentDetails("Tom Quillfeather",
                                                                    address_line1="2 Test Road"))
    with pytest.raises(InvalidInput, match="full UK postcode") as refused:
        letters.draft_letter(manager, case_id, "blank", Addressee(parent_id=parent.id))
    assert refused.value.field == "postcode"


def test_a_parent_of_another_case_is_refused(manager: SignedIn, case_id: int) -> None:
    other = open_case_for(manager, "Jones").case_id or 0
    with manager.write() as session:
        stranger = session.scalars(select(Parent.id).where(Parent.case_id == other)).one()
    with pytest.raises(InvalidInput) as refused:
        letters.draft_letter(manager, case_id, "blank", Addressee(parent_id=stranger))
    assert refused.value.field == "addressee"


def test_unfilled_placeholders_are_refused_by_name(manager: SignedIn, case_id: int) -> None:
    draft = letters.draft_letter(manager, case_id, "appointment_confirmation",
                                 Addressee(parent_id=parent_of(manager)))
    with pytest.raises(InvalidInput, match=r"\{appointment_date\}, \{appointment_time\}") as refused:
        letters.issue_letter(manager, case_id, draft, draft.subject, draft.body)
    assert refused.value.field == "body"


def test_hostile_text_is_printed_as_typed(manager: SignedIn, case_id: int) -> None:
    hostile = "<b>Robert'); DROP TABLE letter;-- 😀 & שלום</b>"
    draft = letters.draft_letter(manager, case_id, "blank", Addressee(parent_id=parent_of(manager)))
    issued = letters.issue_letter(manager, case_id, draft, "Re: <i>plan</i>",
                                  draft.body.replace("{letter_text}", hostile))
    whole = " ".join(pages(issued.pdf))
    assert "DROP TABLE letter;--" in whole and "<i>plan</i>" in whole
    with pytest.raises(InvalidInput):
        letters.issue_letter(manager, case_id, draft, "Bell\x07", "Text")


def test_reprint_is_exact_and_letters_never_change(manager: SignedIn, case_id: int) -> None:
    draft = letters.draft_letter(manager, case_id, "case_closure", Addressee(parent_id=parent_of(manager)))
    issued = letters.issue_letter(manager, case_id, draft, *written(draft))
    assert letters.letter_pdf_bytes(manager, issued.view.id) == issued.pdf
    with manager.write() as session, pytest.raises(Exception, match="as it was sent"):
        session.execute(text("UPDATE letter SET subject = 'changed'"))
    assert [v.id for v in letters.recent_letters(manager)] == [issued.view.id]


def test_who_may_write(manager: SignedIn, case_id: int, adviser: SignedIn, coordinator: SignedIn) -> None:
    own = open_case_for(adviser, "Marsh").case_id or 0
    with adviser.write() as session:
        alices_parent = session.scalars(select(Parent.id).where(Parent.case_id == own)).one()
    who = Addressee(parent_id=alices_parent)
    for refused_ctx in (adviser, coordinator):
        with pytest.raises(PermissionRefused):
            letters.draft_letter(refused_ctx, case_id, "blank", Addressee(parent_id=parent_of(manager)))
    with pytest.raises(PermissionRefused):
        letters.templates(coordinator)
    issued = letters.issue_letter(adviser, own, letters.draft_letter(adviser, own, "blank", who),
                                  "Hello", "Dear Mrs Marsh,\n\nThank you.")
    assert [v.id for v in letters.recent_letters(adviser)] == [issued.view.id]
    with pytest.raises(ReasonRequired):
        letters.draft_letter(manager, own, "blank", who)
    draft = letters.draft_letter(manager, own, "blank", who, reason="Alice is away; parent asked")
    letters.issue_letter(manager, own, draft, "Hello", "Dear Mrs Marsh,\n\nThank you.")
    view = cases.open_case(manager, own, reason="Checking the letter")
    assert any(m.reason == "Alice is away; parent asked" for m in view.manager_views)
    with pytest.raises(PermissionRefused):
        letters.letter_pdf_bytes(coordinator, issued.view.id)


def test_manager_wording_and_reset(manager: SignedIn, case_id: int, adviser: SignedIn) -> None:
    with pytest.raises(PermissionRefused):
        letters.save_template(adviser, "blank", "Blank", "{subject}", "Hello")
    changed = letters.save_template(manager, "case_closure", "Closing your case",
                                    "Goodbye from {service_name}",
                                    "{salutation}\n\nWe are closing the case for {child_name}. {extra_words}")
    assert changed.customised and changed.writer_fields == ("extra_words",)
    draft = letters.draft_letter(manager, case_id, "case_closure", Addressee(parent_id=parent_of(manager)))
    assert draft.subject == "Goodbye from Northfield SEN Advice"
    assert "closing the case for John Quillfeather" in draft.body
    with pytest.raises(InvalidInput) as refused:
        letters.save_template(manager, "case_closure", "", "", "")
    assert refused.value.field == "title"
    back = letters.reset_template(manager, "case_closure")
    assert not back.customised and back.title == "Case closure letter"


def test_logo_goes_on_the_letterhead(manager: SignedIn, case_id: int) -> None:
    with pytest.raises(InvalidInput):
        letterhead.set_logo(manager, b"GIF89a....")
    letterhead.set_logo(manager, TINY_PNG)
    assert letterhead.current_logo(manager) == TINY_PNG
    draft = letters.draft_letter(manager, case_id, "case_closure", Addressee(parent_id=parent_of(manager)))
    issued = letters.issue_letter(manager, case_id, draft, *written(draft))
    assert b"/Subtype /Image" in issued.pdf
    letterhead.set_logo(manager, None)
    assert letterhead.current_logo(manager) is None


def test_appointment_letter_is_filled_from_the_diary(manager: SignedIn, case_id: int) -> None:
    from datetime import UTC, datetime, timedelta

    from app.services.diary import diary
    from app.services.diary.fields import AppointmentDetails, Venue

    week_on = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=7)
    soon = week_on.replace(hour=10, minute=30, second=0, microsecond=0)
    diary.book(manager, AppointmentDetails(manager.actor.id, soon, soon + timedelta(hours=1),
                                           venue=Venue.SCHOOL, venue_name="Northfield Primary",
                                           case_id=case_id))
    cancelled = diary.book(manager, AppointmentDetails(manager.actor.id, soon - timedelta(days=2),
                                                       soon - timedelta(days=2, hours=-1), case_id=case_id))
    diary.cancel(manager, cancelled.id)
    draft = letters.draft_letter(manager, case_id, "appointment_confirmation",
                                 Addressee(parent_id=parent_of(manager)))
    local = soon.replace(tzinfo=UTC).astimezone()
    assert f"Time: {local:%H:%M}" in draft.body and "Place: Northfield Primary" in draft.body
    assert f"Date: {local:%A} {local.day} {local:%B %Y}" in draft.body
    assert letters.unfilled(draft.subject, draft.body) == []
