"""Render Admin → Retention, a case's Retention tab and an "Everything we hold" page for the README.

    .venv/bin/python -m tools.retention_screenshots            # into docs/screenshots/
    .venv/bin/python -m tools.retention_screenshots --large    # 150% font, to check layouts

A throwaway data folder with an in-memory credential store; the families are made up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time_machine

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from app.services.calls import calls
    from app.services.calls.calls import CallDetails, ConsentToKeep, NamedCall
    from app.services.cases import cases
    from app.services.cases.family import ChildDetails, ParentDetails
    from app.services.cases.fields import ConsentMethod
    from app.services.retention import legal_hold, subject_access
    from app.ui.admin import AdminPage
    from app.ui.cases import CasesPage
    from tools.screenshots import new_service, prepared_app, settle

    large = "--large" in sys.argv
    suffix = "-large" if large else ""
    out = Path(tempfile.gettempdir()) if large else OUT
    app, _ = prepared_app(1.5 if large else 1.0)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        ctx = new_service(Path(temp) / "data")
        today = datetime.now().replace(microsecond=0)
        ids = []
        for months_ago, surname in ((70, "Ashdown"), (71, "Birchley"), (8, "Cedarholt"),
                                    (5, "Dunmore"), (3, "Quillfeather")):
            with time_machine.travel(today - timedelta(days=30 * months_ago), tick=False):
                record = calls.log_named_call(ctx, NamedCall(
                    CallDetails(summary=f"Mrs {surname} asked about an EHC needs assessment."),
                    ConsentToKeep(True, True, ConsentMethod.SIGNED_FORM),
                    parents=(ParentDetails(f"Jane {surname}", title="Mrs", relationship="mother",
                                           address_line1="14 Willow Close", town="Milton Keynes",
                                           postcode="MK6 3QP", phone_mobile="07700 900123"),),
                    children=(ChildDetails(f"Jamie {surname}", date_of_birth=date(2015, 3, 9),
                                           school="Northfield Primary School", year_group="Year 6",
                                           needs="Dyslexia"),)))
                ids.append(record.case_id or 0)
        legal_hold.set_legal_hold(ctx, ids[1], "Tribunal appeal lodged; keep until it is decided")
        case_id = ids[-1]
        cases.add_note(ctx, case_id, "Went through the draft plan with Mrs Quillfeather.")
        cases.add_note(ctx, case_id, "Her neighbour rang to say she is struggling (third party).")

        admin = AdminPage(ctx)
        admin.resize(1000, 900)
        admin.show()
        admin.tabs.setCurrentWidget(admin.retention_tab)
        admin.retention_tab.horizon.setCurrentIndex(2)
        admin.retention_tab.show_preview()
        settle(app)
        admin.grab().save(str(out / f"retention-settings{suffix}.png"))
        admin.close()

        page = CasesPage(ctx)
        page.resize(1000, 700)
        page.show()
        page.open_case(case_id)
        page.view.tabs.setCurrentWidget(page.view.retention)
        settle(app)
        page.grab().save(str(out / f"case-retention-tab{suffix}.png"))
        page.view.retention.everything()
        dialog = page.view.retention.dialog
        assert dialog is not None
        settle(app)
        dialog.grab().save(str(out / f"everything-we-hold-dialog{suffix}.png"))
        dialog.reject()
        page.close()

        if not large:
            note = next(n for n in cases.open_case(ctx, case_id).notes if "neighbour" in n.text)
            pdf = Path(temp) / "everything.pdf"
            pdf.write_bytes(subject_access.everything_we_hold_pdf(ctx, case_id, [note.id]))
            if shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(pdf),
                                str(out / "everything-we-hold")], check=True)
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
