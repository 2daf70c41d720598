"""Render a fictional case's Consent tab, its consent form, a letter and the letter composer.

    .venv/bin/python -m tools.case_screenshots        # into docs/screenshots/

A throwaway data folder with an in-memory credential store; the family is made up. The PDF
page is turned into a PNG with pdftoppm (Debian's poppler-utils) when it is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def _pdf_page(pdf: Path, name: str) -> None:
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(OUT / name)], check=True)


def write_letter(ctx: object, case_id: int, page: object, temp: Path) -> None:
    """An appointment letter as printed, and the composer it was written in."""
    from PySide6.QtWidgets import QApplication

    from app.services.letters import letters

    view = page.view  # type: ignore[attr-defined]
    parent_id = view.case.parents[0].id
    draft = letters.draft_letter(ctx, case_id, "appointment_confirmation",  # type: ignore[arg-type]
                                 letters.Addressee(parent_id=parent_id))
    body = letters.fill(draft.body, {"appointment_date": "Tuesday 8 December 2026",
                                     "appointment_time": "10:30",
                                     "appointment_place": "The Old School House, 1 High Street"})
    issued = letters.issue_letter(ctx, case_id, draft, draft.subject, body)  # type: ignore[arg-type]
    pdf = temp / "letter.pdf"
    pdf.write_bytes(issued.pdf)
    _pdf_page(pdf, "letter")
    view.tabs.setCurrentWidget(view.letters)
    view.letters.write()
    composer = view.letters.dialog
    composer.resize(1100, 640)
    composer.body.setPlainText(letters.fill(composer.body.toPlainText(), {
        "appointment_date": "Tuesday 8 December 2026", "appointment_time": "10:30"}))
    composer._update_preview()
    for _ in range(3):
        QApplication.processEvents()
    composer.grab().save(str(OUT / "letter-composer.png"))
    composer.reject()


def main() -> int:
    from app.services.calls import calls
    from app.services.calls.calls import CallDetails, ConsentToKeep, NamedCall
    from app.services.cases.contact import ContactPreferences
    from app.services.cases.family import ChildDetails, ParentDetails
    from app.services.cases.fields import ConsentMethod
    from app.services.consent import consent
    from app.services.consent.consent import ConsentEntry, ThirdPartyContactDetails
    from app.ui.cases import CasesPage
    from tools.screenshots import new_service, prepared_app, settle

    app, _ = prepared_app(1.0)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        ctx = new_service(Path(temp) / "data")
        parent = ParentDetails("Jane Quillfeather", title="Mrs", relationship="mother",
                               address_line1="14 Willow Close", town="Milton Keynes", postcode="MK6 3QP",
                               phone_mobile="07700 900123", email="jane.q@example.org",
                               preferences=ContactPreferences(use_mobile=True, voicemail_allowed=True,
                                                              email_allowed=True, preferred_method="mobile"))
        child = ChildDetails("Jamie Quillfeather", date_of_birth=date(2015, 3, 9),
                             school="Northfield Primary School", year_group="Year 6", needs="Dyslexia")
        record = calls.log_named_call(ctx, NamedCall(
            CallDetails(summary="Asked how to request an EHC needs assessment."),
            ConsentToKeep(True, True, ConsentMethod.SIGNED_FORM), parents=(parent,), children=(child,)))
        case_id = record.case_id or 0
        for kind, party, granted, how in (
                ("school", "Northfield Primary School", True, "signed form"),
                ("SEN team", "Milton Keynes SEN team", True, "signed form"),
                ("health", "Community paediatrics", True, "verbal"),
                ("health", "Community paediatrics", False, "email")):
            consent.record_consent(ctx, case_id, ConsentEntry(
                "third_party", granted, how, party_kind=kind, party_name=party,
                review_date=date.today() + timedelta(days=365) if granted else None))
        consent.log_third_party_contact(ctx, case_id, ThirdPartyContactDetails(
            "school", "Northfield Primary School", "contact", "phone",
            "Asked the SENCo for the date of the next review meeting."))
        page = CasesPage(ctx)
        page.resize(1000, 760)
        page.show()
        page.open_case(case_id)
        page.view.tabs.setCurrentWidget(page.view.consent)
        settle(app)
        page.grab().save(str(OUT / "consent-tab.png"))
        pdf = Path(temp) / "consent-form.pdf"
        pdf.write_bytes(consent.printable_consent_form(ctx, case_id))
        _pdf_page(pdf, "consent-form")
        write_letter(ctx, case_id, page, Path(temp))
        page.close()
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
