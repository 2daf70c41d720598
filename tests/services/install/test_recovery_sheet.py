"""The recovery sheet reads back with the key in groups and the right words on every page."""

from __future__ import annotations

import os
from datetime import datetime

from app.services.install import recovery_key, recovery_sheet
from tests.pdf_text import CONFIDENTIAL, flat, pages_text


def test_recovery_sheet_shows_the_key_in_groups() -> None:
    key = recovery_key.encode(os.urandom(32))
    pdf = recovery_sheet.recovery_sheet_pdf("Northfield SEN Advice", key, datetime(2026, 11, 22, 10, 0))
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
    pdf = recovery_sheet.recovery_sheet_pdf("Smith & Jones <Advice>", key, datetime(2026, 1, 2))
    assert "Smith & Jones <Advice>" in pages_text(pdf)[0]
