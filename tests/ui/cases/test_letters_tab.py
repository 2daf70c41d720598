"""Writing, saving, printing and reprinting letters through the real widgets."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from app.models.cases import Parent
from app.services.calls.calls import CallRecord
from app.services.consent import consent
from app.services.consent.consent import ConsentEntry
from app.services.context import SignedIn
from app.services.letters import letters
from app.services.printouts import printing
from app.ui.cases.reason_dialog import ReasonDialog
from app.ui.letters import LettersPage
from app.ui.letters.composer import LetterComposer, PrintChoice
from tests.services.case_helpers import open_case_for

pytestmark = pytest.mark.gui


class FakeQueue:
    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.paths: list[Path] = []

    def __call__(self, command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        self.paths.append(Path(command[-1]))
        self.sent.append(self.paths[-1].read_bytes())
        return subprocess.CompletedProcess(list(command), 0, "", "")


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> FakeQueue:
    fake = FakeQueue()
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp" if name == "lp" else None)
    printing.use_spooler(fake)
    yield fake
    printing.use_spooler(None)


def composer_for(make_page, ctx: SignedIn, surname: str = "Quillfeather"):  # type: ignore[no-untyped-def]
    record = open_case_for(ctx, surname)
    page = make_page(ctx)
    page.open_case(record.case_id)
    tab = page.view.letters
    page.view.tabs.setCurrentWidget(tab)
    tab.write()
    assert isinstance(tab.dialog, LetterComposer)
    return page, tab, tab.dialog, record.case_id


def closure_letter_sent(ctx: SignedIn, surname: str) -> tuple[CallRecord, letters.IssuedLetter]:
    """A new case for the family, with a case-closure letter issued to its one parent."""
    record = open_case_for(ctx, surname)
    with ctx.write() as session:
        parent_id = session.scalars(select(Parent.id).where(Parent.case_id == record.case_id)).one()
    draft = letters.draft_letter(ctx, record.case_id or 0, "case_closure",
                                 letters.Addressee(parent_id=parent_id))
    return record, letters.issue_letter(ctx, record.case_id or 0, draft, draft.subject, draft.body)


def lines(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.item(i).text() for i in range(widget.count())]


def test_a_letter_to_a_parent_is_refused_until_filled_in_then_saved(
        qtbot, make_page, adviser: SignedIn, monkeypatch, tmp_path: Path) -> None:
    _page, tab, composer, _case = composer_for(make_page, adviser)
    assert composer.template.currentData() == "appointment_confirmation"
    assert composer.body.toPlainText().startswith("Dear Mrs Quillfeather,")
    assert "{appointment_date}" in composer.still_to_fill.text()
    asked: list[str] = []
    target = tmp_path / "letter.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (asked.append("asked"), (str(target), ""))[1])
    qtbot.mouseClick(composer.save_button, Qt.MouseButton.LeftButton)
    assert "{appointment_date}" in composer.errors.message("body") and asked == []
    assert letters.recent_letters(adviser) == []

    body = composer.body.toPlainText()
    for name, words in (("appointment_date", "Tuesday 8 December"), ("appointment_time", "10:30"),
                        ("appointment_place", "our office")):
        body = body.replace("{" + name + "}", words)
    composer.body.setPlainText(body)
    composer._update_preview()
    assert composer.still_to_fill.text() == ""
    assert "Tuesday 8 December" in composer.preview.toPlainText()
    qtbot.mouseClick(composer.save_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert "STRICTLY PRIVATE AND CONFIDENTIAL" in text and "Tuesday 8 December" in text
    assert "Appointment confirmation · to Mrs Jane Quillfeather (parent)" in lines(tab.list)[0]
    assert "kept on the case" in tab.notice.text()


def test_cancelling_the_save_issues_nothing(qtbot, make_page, adviser: SignedIn, monkeypatch) -> None:
    _page, tab, composer, _case = composer_for(make_page, adviser)
    composer.template.setCurrentIndex(composer.template.findData("case_closure"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: ("", ""))
    qtbot.mouseClick(composer.save_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is composer and letters.recent_letters(adviser) == []


def test_a_letter_to_a_school_needs_its_postcode_and_is_printed(qtbot, make_page, adviser: SignedIn,
                                                                queue: FakeQueue) -> None:
    record = open_case_for(adviser, "Marsh")
    consent.record_consent(adviser, record.case_id or 0, ConsentEntry(
        "third_party", True, "signed form", party_kind="school", party_name="Northfield Primary"))
    page = make_page(adviser)
    page.open_case(record.case_id)
    tab = page.view.letters
    tab.write()
    composer = tab.dialog
    composer.template.setCurrentIndex(composer.template.findData("third_party"))
    assert composer.to.currentText() == "Northfield Primary (school)"
    assert composer.body.toPlainText() == ""  # nothing ready to send before the address is typed
    composer.attention.setText("Mrs A Patel, SENCo")
    composer.address.setPlainText("Church Lane\nNorthfield")
    composer.postcode.setText("MK6")
    qtbot.mouseClick(composer.start_button, Qt.MouseButton.LeftButton)
    assert "full UK postcode" in composer.errors.message("postcode")
    composer.postcode.setText("mk6 2bb")
    qtbot.mouseClick(composer.start_button, Qt.MouseButton.LeftButton)
    assert composer.body.toPlainText().startswith("Dear Mrs A Patel, SENCo,")
    composer.body.setPlainText(composer.body.toPlainText().replace("{letter_text}", "Could we meet?"))
    qtbot.mouseClick(composer.print_button, Qt.MouseButton.LeftButton)
    choice = composer.child
    assert isinstance(choice, PrintChoice) and choice.copies.value() == 2  # one for the parent too
    choice.accept()
    assert tab.dialog is None
    assert len(queue.sent) == 1 and queue.sent[0].startswith(b"%PDF")
    assert not queue.paths[0].exists()
    assert "to Mrs A Patel, SENCo (third party)" in lines(tab.list)[0]
    assert "Sent to the default printer, 2 copies." in tab.notice.text()


def test_reprint_from_the_tab_sends_the_stored_pdf(qtbot, make_page, adviser: SignedIn,
                                                   queue: FakeQueue) -> None:
    record, issued = closure_letter_sent(adviser, "Marsh")
    page = make_page(adviser)
    page.open_case(record.case_id)
    tab = page.view.letters
    tab.list.setCurrentRow(0)
    qtbot.mouseClick(tab.reprint_button, Qt.MouseButton.LeftButton)
    tab.dialog.accept()
    assert queue.sent == [issued.pdf]


def test_letters_page_asks_a_manager_for_the_reason(qtbot, adviser: SignedIn, manager: SignedIn,
                                                    monkeypatch, tmp_path: Path) -> None:
    record, issued = closure_letter_sent(adviser, "Marsh")
    page = LettersPage(manager)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 1
    page.table.selectRow(0)
    target = tmp_path / "copy.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog) and not target.exists()
    dialog.reason.setText("Parent asked for a copy")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == issued.pdf
    opened: list[int] = []
    page.case_opened_requested.connect(opened.append)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened == [record.case_id]


def test_a_manager_starts_a_letter_from_the_letters_page(qtbot, vault, adviser: SignedIn,
                                                         manager: SignedIn) -> None:
    from app.ui.cases import CasesPage
    from app.ui.letters import ChooseCaseDialog
    from app.ui.shell.main_window import MainWindow
    from tests.ui.helpers import accept_agreement

    record = open_case_for(adviser, "Marsh")
    accept_agreement(manager)
    window = MainWindow(vault, manager)
    qtbot.addWidget(window)
    window.show()
    window.show_page("letters")
    page = window.current_page()
    assert isinstance(page, LettersPage)
    qtbot.mouseClick(page.write_button, Qt.MouseButton.LeftButton)
    chooser = page.dialog
    assert isinstance(chooser, ChooseCaseDialog) and not chooser.ok_button.isEnabled()
    chooser.picker.search.setText("Marsh")
    chooser.picker.run_search()
    chooser.picker.results.setCurrentRow(0)
    qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)
    cases_page = window.current_page()
    assert isinstance(cases_page, CasesPage)
    reason = cases_page.dialog
    assert isinstance(reason, ReasonDialog)
    reason.reason.setText("Alex is off sick; the family asked for a letter")
    qtbot.mouseClick(reason.ok_button, Qt.MouseButton.LeftButton)
    assert cases_page.view.case.id == record.case_id
    assert isinstance(cases_page.view.letters.dialog, LetterComposer)
