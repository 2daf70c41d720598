"""Whatever a family's details contain, the case view shows it as typed text, never as markup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.services.cases import cases
from app.services.cases.cases import ChildDetails, ParentDetails
from app.services.context import SignedIn
from tests.ui.cases.test_case_view import opened
from tests.ui.helpers import all_texts

pytestmark = pytest.mark.gui

MARKUP = "<b>Bold</b> <img src='x'> <a href='http://example.org'>link</a> &amp;"
SHOWN_AS_TYPED = {
    "markup": MARKUP,
    "right to left": "שלום עליכם مرحبا بكم",
    "bidi override": "abc\u202edef",
    "emoji": "Thanks 😀👨‍👩‍👧 🏫",
    "sql": "Robert'); DROP TABLE case_file;--",
}


@pytest.mark.parametrize("label", sorted(SHOWN_AS_TYPED))
def test_hostile_details_are_shown_exactly_as_typed(qtbot, make_page, adviser: SignedIn,
                                                     label: str) -> None:
    value = SHOWN_AS_TYPED[label]
    page, case_id = opened(make_page, adviser)
    cases.add_parent(adviser, case_id, ParentDetails(full_name=f"Pat {value}"))
    cases.add_child(adviser, case_id, ChildDetails(full_name="Sam Quillfeather", school=value, needs=value))
    cases.add_note(adviser, case_id, value)
    page.open_case(case_id)
    for tab in page.view.case_tabs:
        page.view.tabs.setCurrentWidget(tab)
        qtbot.wait(1)
    texts = all_texts()
    assert any(value in text for text in texts)
    showing = [w for w in page.findChildren(QLabel) if value in w.text() or "Pat " in w.text()]
    assert showing, "the details should be on a label somewhere in the case view"
    for widget in showing:
        # A label left on AutoText would render the markup and hide what was typed.
        assert widget.textFormat() == Qt.TextFormat.PlainText, widget.text()[:60]
        assert not widget.openExternalLinks()
