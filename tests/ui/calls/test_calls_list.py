"""The list: recent calls, follow-ups due (mark done), and linking an anonymous call to a case."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.services.calls import calls
from app.services.calls.calls import CallDetails
from app.services.cases import cases
from app.services.cases.fields import ConsentMethod
from app.services.clock import now
from app.services.context import SignedIn
from app.ui.calls import case_picker
from app.ui.calls.link_dialog import LinkCallDialog
from app.ui.shell.main_window import MainWindow
from tests.services.case_helpers import open_case_for
from tests.ui.calls.conftest import calls_page, click

pytestmark = pytest.mark.gui


def test_follow_up_due_marked_done(qtbot, window: MainWindow, manager: SignedIn) -> None:
    at = now().replace(microsecond=0) - timedelta(days=3)
    due = calls.log_anonymous_call(manager, CallDetails(at=at, follow_up_date=at.date() + timedelta(days=1)))
    page = calls_page(window)
    window.show_page("calls")
    page.refresh()
    assert page.list.follow_ups.rowCount() == 1 and page.list.recent.rowCount() == 1
    assert page.list.follow_ups.item(0, 4).text() == "Anonymous"
    assert not page.list.done_button.isEnabled()
    page.list.follow_ups.selectRow(0)
    click(qtbot, page.list.done_button)
    assert page.list.follow_ups.rowCount() == 0
    assert calls.follow_ups_due(manager) == []
    assert calls.recent_calls(manager)[0].id == due.id


def test_link_an_anonymous_call_to_a_case(qtbot, window: MainWindow, manager: SignedIn,
                                          monkeypatch) -> None:
    case_call = open_case_for(manager, surname="Ottershaw")
    anonymous = calls.log_anonymous_call(manager, CallDetails(at=now() - timedelta(hours=2)))
    page = calls_page(window)
    window.show_page("calls")
    page.refresh()
    row = next(r for r in range(page.list.recent.rowCount())
               if page.list.recent.item(r, 5).text() == "Anonymous")
    page.list.recent.selectRow(row)
    assert page.list.link_button.isEnabled() and not page.list.recent_open.isEnabled()

    def run(dialog: LinkCallDialog) -> int:
        dialog.link()
        assert "consent" in dialog.consent.error.message()
        assert not dialog.picker.isEnabled()
        dialog.consent.explained.setChecked(True)
        dialog.consent.agreed.setChecked(True)
        dialog.consent.method.setCurrentIndex(dialog.consent.method.findData(ConsentMethod.VERBAL.value))
        dialog.picker.search.setText("otter")
        dialog.picker.run_search()
        dialog.picker.results.setCurrentRow(0)
        dialog.link()
        return dialog.result()

    monkeypatch.setattr(LinkCallDialog, "exec", run)
    click(qtbot, page.list.link_button)
    linked = next(c for c in calls.recent_calls(manager) if c.id == anonymous.id)
    assert linked.case_id == case_call.case_id and linked.at == anonymous.at
    assert len(cases.open_case(manager, case_call.case_id).calls) == 2


def test_a_manager_linking_to_a_case_not_theirs_gives_a_reason(qtbot, manager: SignedIn,  # type: ignore[no-untyped-def]
                                                               adviser: SignedIn) -> None:
    from app.services import audit

    record = open_case_for(adviser, surname="Pennywhistle")
    anonymous = calls.log_anonymous_call(manager, CallDetails(at=now() - timedelta(hours=1)))
    dialog = LinkCallDialog(manager, anonymous.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.consent.explained.setChecked(True)
    dialog.consent.agreed.setChecked(True)
    dialog.consent.method.setCurrentIndex(dialog.consent.method.findData(ConsentMethod.VERBAL.value))
    dialog.picker.search.setText("penny")
    dialog.picker.run_search()
    dialog.picker.results.setCurrentRow(0)
    assert not dialog.reason.isVisible()
    dialog.link()
    assert dialog.linked is None and dialog.reason.isVisible()
    dialog.reason.setText("Alice is away; the parent rang back today")
    dialog.link()
    assert dialog.linked is not None and dialog.linked.case_id == record.case_id
    views = audit.list_events(manager, audit.AuditFilter(text="Alice is away"))
    assert views


def test_case_picker_asks_for_more_typing_when_many_cases_match(qtbot, manager: SignedIn,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for surname in ("Pennywhistle", "Pennyworth"):
        open_case_for(manager, surname)
    monkeypatch.setattr(case_picker, "SHOWN", 1)
    anonymous = calls.log_anonymous_call(manager, CallDetails(at=now() - timedelta(hours=1)))
    dialog = LinkCallDialog(manager, anonymous.id)
    qtbot.addWidget(dialog)
    dialog.picker.search.setText("penny")
    dialog.picker.run_search()
    assert dialog.picker.results.count() == 1
    assert "type more" in dialog.picker.status.text()
    dialog.picker.search.setText("pennywh")
    dialog.picker.run_search()
    assert dialog.picker.results.count() == 1 and "1 found" in dialog.picker.status.text()
