"""Subject access ("Everything we hold") and erasure on request ("Remove this family")."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from app.services.calls.calls import CallDetails, NamedCall, log_named_call
from app.services.cases import cases
from app.services.cases.fields import ConsentMethod
from app.services.consent import consent
from app.services.consent.consent import ConsentEntry, ThirdPartyContactDetails
from app.services.consent.records import ConsentKind, PartyKind
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault
from app.services.people import InvalidInput, PermissionRefused
from app.services.printouts.pdf import CONFIDENTIAL
from app.services.retention import legal_hold, subject_access
from app.services.retention.destruction import LegalHold
from tests.services.case_helpers import YES, open_case_for
from tests.services.page_scan import found_in_pages


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def full_case(manager: SignedIn) -> int:
    case_id = open_case_for(manager, "Quillfeather", summary="Jane Quillfeather rang about John").case_id
    assert case_id
    log_named_call(manager, NamedCall(CallDetails(summary="Second call about the plan"), YES,
                                      case_id=case_id))
    note = cases.add_note(manager, case_id, "First draft of the meeting note")
    cases.edit_note(manager, note.id, "Meeting with school went well")
    cases.add_note(manager, case_id, "Grandmother Agatha Brown says the father drinks")
    consent.record_consent(manager, case_id, ConsentEntry(
        ConsentKind.THIRD_PARTY, True, ConsentMethod.SIGNED_FORM, party_kind=PartyKind.SCHOOL,
        party_name="Northfield Primary"))
    consent.log_third_party_contact(manager, case_id, ThirdPartyContactDetails(
        PartyKind.SCHOOL, "Northfield Primary", summary="Phoned the SENCo about the plan"))
    for _ in range(12):  # enough notes to run over several pages
        cases.add_note(manager, case_id, "Routine follow-up call made. " * 8)
    return case_id


def test_everything_we_hold_covers_the_family_and_marks_every_page(manager: SignedIn,
                                                                   full_case: int) -> None:
    view = cases.open_case(manager, full_case)
    third_party = next(n for n in view.notes if "Agatha" in n.text)
    pdf = subject_access.everything_we_hold_pdf(manager, full_case, [third_party.id])
    pages = pdf_pages(pdf)
    assert len(pages) > 1
    assert all(CONFIDENTIAL in page for page in pages)
    words = " ".join(pages)
    for expected in ("Everything we hold", view.reference, "Jane Quillfeather", "John Quillfeather",
                     "MK6 1AA", "07700 900123", "Dyslexia", "Jane Quillfeather rang about John",
                     "Meeting with school went well", "First draft of the meeting note",
                     "Northfield Primary", "Phoned the SENCo about the plan", "Given",
                     "case viewed", "Margaret Manager", "[redacted]"):
        assert expected in words, expected
    assert "Agatha" not in words and "drinks" not in words
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.subject == CONFIDENTIAL


def test_making_the_pack_is_audited_and_only_managers_may(manager: SignedIn, full_case: int,
                                                          adviser: SignedIn) -> None:
    pack = subject_access.everything_we_hold(manager, full_case)
    assert any(event.action == "everything we hold made" for event in pack.events)
    with pytest.raises(PermissionRefused):
        subject_access.everything_we_hold(adviser, full_case)
    with pytest.raises(InvalidInput):
        subject_access.everything_we_hold(manager, full_case, [999_999])


def test_letters_and_appointments_are_in_the_pack(manager: SignedIn) -> None:
    """Every table with a case id is listed row by row, so letters and the diary are there too."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from app.models.cases import Parent
    from app.services.diary import diary
    from app.services.diary.fields import AppointmentDetails
    from app.services.letters import letters

    case_id = open_case_for(manager, "Lettersby").case_id or 0
    with manager.write() as session:
        parent_id = session.scalars(select(Parent.id).where(Parent.case_id == case_id)).one()
    draft = letters.draft_letter(manager, case_id, "case_closure", letters.Addressee(parent_id=parent_id))
    issued = letters.issue_letter(manager, case_id, draft, draft.subject, draft.body)
    soon = (datetime.now(UTC).replace(tzinfo=None) + timedelta(days=3)).replace(hour=10, minute=0,
                                                                                 second=0, microsecond=0)
    diary.book(manager, AppointmentDetails(manager.actor.id, soon, soon + timedelta(hours=1),
                                           case_id=case_id, purpose="Talk about the review"))
    words = " ".join(pdf_pages(subject_access.everything_we_hold_pdf(manager, case_id)))
    pages = issued.view.pages
    assert "Mrs Jane Lettersby" in words and f"PDF kept, {pages} page{'s' if pages != 1 else ''}" in words
    assert "Talk about the review" in words


LONG_TITLE = "Acknowledgement of your correspondence regarding Appointment arrangements"


def test_every_table_reads_as_a_person_would_write_it(manager: SignedIn) -> None:
    """Labels not column names, staff by name, dates spelt out, files described, words whole."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from app.models.cases import Parent
    from app.services.diary import diary
    from app.services.diary.fields import AppointmentDetails
    from app.services.letters import letters

    case_id = open_case_for(manager, "Wordsworth").case_id or 0
    consent.record_consent(manager, case_id, ConsentEntry(
        ConsentKind.THIRD_PARTY, True, ConsentMethod.SIGNED_FORM, party_kind=PartyKind.SCHOOL,
        party_name="Northfield Primary", form=a_scanned_form(manager, case_id)))
    template = next(t for t in letters.templates(manager) if t.key == "case_closure")
    letters.save_template(manager, template.key, LONG_TITLE, template.subject, template.body)
    with manager.write() as session:
        parent_id = session.scalars(select(Parent.id).where(Parent.case_id == case_id)).one()
    draft = letters.draft_letter(manager, case_id, "case_closure", letters.Addressee(parent_id=parent_id))
    letters.issue_letter(manager, case_id, draft, draft.subject, draft.body)
    soon = (datetime.now(UTC).replace(tzinfo=None) + timedelta(days=3)).replace(hour=10, minute=15,
                                                                                 second=0, microsecond=0)
    diary.book(manager, AppointmentDetails(manager.actor.id, soon, soon + timedelta(hours=1),
                                           case_id=case_id, purpose="Talk about the review"))
    words = " ".join(pdf_pages(subject_access.everything_we_hold_pdf(manager, case_id)))

    for raw in ("_id", "_at", "_by", "template key", "template_key", "addressee kind", "pdf"):
        assert raw not in words, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}", words), "an ISO date"
    assert not re.search(r"\b\d{2} [A-Z][a-z]{2} \d{4}\b", words), "a date in short codes"
    assert LONG_TITLE in words  # each word of it whole, wrapped only at spaces
    letters_part = words[words.index("Letters sent"):words.index("Who has looked at")]
    assert "Written by" in letters_part and "Margaret Manager" in letters_part
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}\b", letters_part)
    appointments = words[words.index("Appointments"):words.index("Letters sent")]
    assert "Margaret Manager" in appointments
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} to \d{2}:\d{2}\b", appointments)
    assert "Signed form kept; not printed in this pack." in words


def a_scanned_form(ctx: SignedIn, case_id: int) -> bytes:
    """A real PDF to stand for a scanned signed form."""
    return subject_access.everything_we_hold_pdf(ctx, case_id)


def test_columns_are_never_narrower_than_their_longest_word() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from app.services.retention.subject_access_pdf import column_widths

    headers = ("Sent", "Letter", "To", "Subject", "Written by", "Copy")
    rows = [("4 December 2026 at 10:15", "Appointment confirmation of arrangements",
             "Mrs Jane Quillfeather", "Your appointment with Northfield SEN Information and Advice",
             "Margaret Okafor", "PDF kept, 1 page")] * 3
    widths = column_widths(headers, rows, 480)
    assert abs(sum(widths) - 480) < 0.01
    for index, width in enumerate(widths):
        longest = max(stringWidth(word, "Helvetica", 9.5)
                      for row in rows for word in row[index].split())
        assert width > longest + 6, headers[index]


def test_hostile_text_is_printed_not_interpreted(manager: SignedIn) -> None:
    case_id = open_case_for(manager, "O'Brien <b>&amp;</b>").case_id or 0
    cases.add_note(manager, case_id, "<para>not markup</para> & <font size=90>x</font>")
    words = " ".join(pdf_pages(subject_access.everything_we_hold_pdf(manager, case_id)))
    assert "<para>not markup</para>" in words and "O'Brien <b>&amp;</b>" in words


def test_remove_this_family_destroys_through_the_one_path(manager: SignedIn, full_case: int,
                                                          vault: Vault, adviser: SignedIn) -> None:
    reference = cases.case_reference(manager, full_case)
    with pytest.raises(PermissionRefused):
        subject_access.erase_on_request(adviser, full_case, reference)
    with pytest.raises(InvalidInput) as wrong:
        subject_access.erase_on_request(manager, full_case, "C-1999-0001")
    assert wrong.value.field == "reference"
    legal_hold.set_legal_hold(manager, full_case, "Complaint under investigation")
    with pytest.raises(LegalHold):
        subject_access.erase_on_request(manager, full_case, reference)
    legal_hold.lift_legal_hold(manager, full_case, "Complaint closed")
    done = subject_access.erase_on_request(manager, full_case, reference.lower())
    assert done.rule == "erased on request" and done.calls_kept == 2
    with manager.write() as session:
        row = session.execute(text("SELECT case_reference, rule, run_by FROM destruction_record")).one()
        assert tuple(row) == (reference, "erased on request", "margaret")
        assert session.execute(text("SELECT count(*) FROM call WHERE case_id IS NOT NULL")).scalar() == 0
    found = found_in_pages(vault.database_path, storage_access.database_of(manager).data_key(),
                           ["Quillfeather", "Agatha", "SENCo", "Northfield SEN Advice"])
    assert found == {"Northfield SEN Advice"}
