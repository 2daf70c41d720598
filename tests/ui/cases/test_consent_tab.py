"""The Consent tab driven through its real widgets: recording, refusing, printing, withdrawing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.services.cases import cases
from app.services.consent import consent
from app.services.consent.consent import ConsentEntry
from app.services.consent.records import Party, PartyKind
from app.services.context import SignedIn
from app.ui.cases import CasesPage
from app.ui.cases.consent_dialogs import ConsentDialog, ContactDialog, ScannedFormDialog, WithdrawalDialog
from tests.services.case_helpers import open_case_for
from tests.ui.helpers import flush_deletions, texts_containing

pytestmark = pytest.mark.gui


def opened(make_page, ctx: SignedIn, surname: str = "Quillfeather") -> tuple[CasesPage, int]:
    record = open_case_for(ctx, surname)
    page = make_page(ctx)
    page.open_case(record.case_id)
    page.view.tabs.setCurrentWidget(page.view.consent)
    return page, record.case_id or 0


def lines(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.item(row).text() for row in range(widget.count())]


def choose(box, value: str) -> None:  # type: ignore[no-untyped-def]
    index = box.findData(value)
    assert index >= 0, value
    box.setCurrentIndex(index)


def scanned_pdf() -> bytes:
    image = QImage(60, 40, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG")
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawImage(ImageReader(io.BytesIO(bytes(data))), 20, 20, 300, 200)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_record_a_third_party_consent_with_its_scanned_form(qtbot, make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    tab = page.view.consent
    assert any(line.startswith("✔ Granted: Keep the family's details") for line in lines(tab.states))
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ConsentDialog) and dialog.given_button.isChecked()
    choose(dialog.kind, "third_party")
    assert dialog.party_name.isVisibleTo(dialog)
    choose(dialog.party_kind, "school")
    dialog.party_name.setCurrentText("Northfield Primary School")
    choose(dialog.method, "signed form")
    dialog.attach_bytes("consent.pdf", scanned_pdf())
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None
    assert "✔ Granted: Contact Northfield Primary School (school) · signed form" in "\n".join(
        lines(tab.states))
    assert tab.notice.text().endswith("Consent recorded.")

    tab.history.setCurrentRow(0)
    assert "scanned form kept" in tab.history.currentItem().text()
    assert tab.view_form_button.isEnabled()
    qtbot.mouseClick(tab.view_form_button, Qt.MouseButton.LeftButton)
    viewer = tab.dialog
    assert isinstance(viewer, ScannedFormDialog) and viewer.shown == 1


def test_a_refused_entry_keeps_everything_typed(qtbot, make_page, adviser: SignedIn) -> None:
    page, case_id = opened(make_page, adviser)
    tab = page.view.consent
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    choose(dialog.kind, "third_party")
    choose(dialog.party_kind, "health")
    dialog.party_name.setCurrentText("Community paediatrics")
    dialog.given_on.setText("31/02/2026")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is dialog
    assert "Say how the family gave or withdrew this" in dialog.errors.message("method")
    choose(dialog.method, "verbal")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not a real date" in dialog.errors.message("given_on")
    assert dialog.party_name.currentText() == "Community paediatrics"
    dialog.given_on.setText("01/02/2026")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None
    assert len(consent.consent_register(adviser, case_id).third_parties) == 1


def test_withdrawal_from_a_selected_line_is_prefilled(qtbot, make_page, adviser: SignedIn) -> None:
    record = open_case_for(adviser, "Marsh")
    consent.record_consent(adviser, record.case_id or 0, ConsentEntry(
        "third_party", True, "verbal", party_kind="SEN team", party_name="Milton Keynes SEN team"))
    page = make_page(adviser)
    page.open_case(record.case_id)
    tab = page.view.consent
    row = next(i for i, line in enumerate(lines(tab.states)) if "Milton Keynes SEN team" in line)
    tab.states.setCurrentRow(row)
    qtbot.mouseClick(tab.withdraw_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog.withdrawn_button.isChecked() and dialog.party_name.currentText() == "Milton Keynes SEN team"
    assert not dialog.review.isVisibleTo(dialog)
    choose(dialog.method, "email")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "✖ Withdrawn: Contact Milton Keynes SEN team" in "\n".join(lines(tab.states))
    assert "applies straight away" in tab.notice.text()


def test_contact_without_consent_is_refused_and_offers_the_form(qtbot, make_page, adviser: SignedIn,
                                                                monkeypatch, tmp_path: Path) -> None:
    page, case_id = opened(make_page, adviser)
    tab = page.view.consent
    qtbot.mouseClick(tab.contact_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ContactDialog)
    dialog.party_name.setCurrentText("Dr Ada Patel")
    choose(dialog.party_kind, "educational psychologist")
    dialog.summary.setPlainText("Asked for an assessment")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is dialog
    assert "has not given consent to contact Dr Ada Patel" in dialog.general.text()
    assert dialog.print_button.isVisible()

    target = tmp_path / "form.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Dr Ada Patel" in text and "STRICTLY PRIVATE AND CONFIDENTIAL" in text
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert dialog.summary.toPlainText() == "Asked for an assessment"
    dialog.reject()

    consent.record_consent(adviser, case_id, ConsentEntry(
        "third_party", True, "signed form", party_kind="educational psychologist",
        party_name="Dr Ada Patel"))
    page.reload()
    qtbot.mouseClick(tab.contact_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog.party_name.currentText() == "Dr Ada Patel"
    assert dialog.party_kind.currentData() == "educational psychologist"
    choose(dialog.purpose, "referral")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None
    assert "referral · Dr Ada Patel (educational psychologist)" in lines(tab.contacts)[0]


def test_breach_override_shows_on_the_contact(qtbot, make_page, adviser: SignedIn) -> None:
    record = open_case_for(adviser, "Marsh")
    cases.record_breach_decision(adviser, record.case_id or 0, cases.BreachDecisionDetails(
        "Disclosure of harm", "Line manager", "Refer to children's social care now",
        outcome="shared", agencies=(Party(PartyKind.SOCIAL_CARE, "Children's social care"),)))
    page = make_page(adviser)
    page.open_case(record.case_id)
    tab = page.view.consent
    qtbot.mouseClick(tab.contact_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.party_name.setCurrentText("Children's social care")
    choose(dialog.party_kind, "social care")
    dialog.override.setCurrentIndex(1)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None
    assert "Made without the family's consent, under the breach decision" in lines(tab.contacts)[0]


def test_withdrawing_consent_to_keep_details_destroys_them(qtbot, make_page, adviser: SignedIn) -> None:
    page, case_id = opened(make_page, adviser)
    reference = page.view.case.reference
    tab = page.view.consent
    qtbot.mouseClick(tab.keep_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, WithdrawalDialog)
    assert "cannot be brought back" in dialog.explanation.text()
    assert not dialog.destroy_button.isVisible() and not dialog.destroy_button.isDefault()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.destroy_button.isVisible()
    choose(dialog.method, "verbal")
    dialog.reference.setText("C-0000-0000")
    qtbot.mouseClick(dialog.destroy_button, Qt.MouseButton.LeftButton)
    assert reference in dialog.reference_error.text()
    assert cases.open_case(adviser, case_id).parents
    dialog.reference.setText(reference)
    qtbot.mouseClick(dialog.destroy_button, Qt.MouseButton.LeftButton)
    flush_deletions()
    assert page.stack.currentWidget() is page.list
    assert "have been destroyed" in page.notice.text()
    for marker in ("Quillfeather", "Northfield Primary", "07700 900123"):
        assert texts_containing(marker) == [], marker


def test_keep_details_line_goes_to_the_withdrawal_flow(qtbot, make_page, adviser: SignedIn) -> None:
    page, _ = opened(make_page, adviser)
    tab = page.view.consent
    tab.states.setCurrentRow(0)
    qtbot.mouseClick(tab.withdraw_button, Qt.MouseButton.LeftButton)
    assert isinstance(tab.dialog, WithdrawalDialog)


def test_lock_closes_the_scanned_form_and_leaves_no_consent_text(qtbot, vault, manager: SignedIn) -> None:
    from app.ui.shell.main_window import MainWindow
    from tests.ui.helpers import accept_agreement

    accept_agreement(manager)
    record = open_case_for(manager, "Quillfeather")
    consent.record_consent(manager, record.case_id or 0, ConsentEntry(
        "third_party", True, "signed form", party_kind="school", party_name="Larkspur Academy",
        form=scanned_pdf()))
    window = MainWindow(vault, manager)
    qtbot.addWidget(window)
    window.show()
    window.show_page("cases")
    page = window.current_page()
    page.open_case(record.case_id)
    tab = page.view.consent
    page.view.tabs.setCurrentWidget(tab)
    tab.history.setCurrentRow(0)
    qtbot.mouseClick(tab.view_form_button, Qt.MouseButton.LeftButton)
    assert isinstance(tab.dialog, ScannedFormDialog) and tab.dialog.isVisible()
    assert texts_containing("Larkspur Academy")
    window.lock_action.trigger()
    flush_deletions()
    assert window.is_locked and tab.dialog is None
    for marker in ("Larkspur Academy", "Quillfeather", "Scanned consent form"):
        assert texts_containing(marker) == [], marker
