"""The agreement form reads back with its text, the signature lines and the heading on every page."""

from __future__ import annotations

from datetime import datetime

from app.services.staff import agreement_pdf
from app.services.staff.agreement import Agreement, load_agreement
from tests.pdf_text import CONFIDENTIAL, flat, pages_text


def test_agreement_form_has_the_text_and_signature_lines() -> None:
    agreement = load_agreement("Northfield SEN Advice")
    pdf = agreement_pdf.agreement_pdf("Northfield SEN Advice", agreement, "Ada Lovelace",
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
    whole = flat(" ".join(pages_text(agreement_pdf.agreement_pdf("Northfield SEN Advice", agreement,
                                                                 None, None))))
    assert "Accepted in Confide" not in whole
    assert "Name" in whole and "Job title" in whole


def test_long_agreement_is_headed_on_every_page() -> None:
    body = "\n\n".join(f"{n}. Duty number {n} " + "word " * 120 for n in range(1, 16))
    agreement = Agreement("9", "Long agreement", body)
    pages = pages_text(agreement_pdf.agreement_pdf("Service", agreement, "Ada Lovelace", None))
    assert len(pages) >= 3
    for page in pages:
        assert page.lstrip().startswith(CONFIDENTIAL)
        assert flat(page).count(CONFIDENTIAL) == 2  # top and bottom of the page
    assert "Duty number 15" in flat(" ".join(pages))
    assert "Ada Lovelace" in pages[-1]
