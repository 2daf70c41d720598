"""The recovery sheet and the agreement form read back with the right words on every page."""

from __future__ import annotations

import io
import os
from datetime import datetime

from pypdf import PdfReader

from app.services.install import recovery_key
from app.services.printouts import pdf as printed_forms
from app.services.staff.agreement import Agreement, load_agreement

CONFIDENTIAL = "STRICTLY PRIVATE AND CONFIDENTIAL"


def pages_text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_recovery_sheet_shows_the_key_in_groups() -> None:
    key = recovery_key.encode(os.urandom(32))
    pdf = printed_forms.recovery_sheet_pdf("Northfield SEN Advice", key, datetime(2026, 11, 22, 10, 0))
    assert pdf.startswith(b"%PDF")
    pages = pages_text(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert text.lstrip().startswith(CONFIDENTIAL)
    assert "Confide recovery key" in text
    assert "Northfield SEN Advice" in text
    assert "22 November 2026" in text
    for group in recovery_key.groups(key):
        assert group in text
    assert "a copy of the database can read everything" in flat(text)
    assert "Signature" in text and "Where it is kept" in text
    # What is printed is exactly what opens the database.
    printed = "".join(g for g in text.split() if g in recovery_key.groups(key))
    assert recovery_key.decode(printed) == recovery_key.decode(key)


def test_markup_in_the_service_name_is_printed_as_text() -> None:
    key = recovery_key.encode(bytes(32))
    pdf = printed_forms.recovery_sheet_pdf("Smith & Jones <Advice>", key, datetime(2026, 1, 2))
    assert "Smith & Jones <Advice>" in pages_text(pdf)[0]


def test_agreement_form_has_the_text_and_signature_lines() -> None:
    agreement = load_agreement("Northfield SEN Advice")
    pdf = printed_forms.agreement_pdf("Northfield SEN Advice", agreement, "Ada Lovelace",
                                      datetime(2026, 11, 22, 9, 30))
    pages = pages_text(pdf)
    whole = flat(" ".join(pages))
    assert all(page.lstrip().startswith(CONFIDENTIAL) for page in pages)
    assert agreement.title in whole
    assert "volunteer supporter of Northfield SEN Advice" in whole
    assert "These duties continue after I stop working" in whole
    for label in ("Name", "Job title", "Signed", "Date"):
        assert label in whole
    assert "Ada Lovelace" in whole
    assert "Accepted in Confide on 22 November 2026 at" in whole


def test_blank_agreement_form_for_handwriting() -> None:
    agreement = load_agreement("Northfield SEN Advice")
    whole = flat(" ".join(pages_text(printed_forms.agreement_pdf("Northfield SEN Advice", agreement,
                                                                 None, None))))
    assert "Accepted in Confide" not in whole
    assert "Name" in whole and "Job title" in whole


def test_long_agreement_is_headed_on_every_page() -> None:
    body = "\n\n".join(f"{n}. Duty number {n} " + "word " * 120 for n in range(1, 16))
    agreement = Agreement("9", "Long agreement", body)
    pages = pages_text(printed_forms.agreement_pdf("Service", agreement, "Ada Lovelace", None))
    assert len(pages) >= 3
    for page in pages:
        assert page.lstrip().startswith(CONFIDENTIAL)
        assert flat(page).count(CONFIDENTIAL) == 2  # top and bottom of the page
    assert "Duty number 15" in flat(" ".join(pages))
    assert "Ada Lovelace" in pages[-1]
