"""The Calls page: the list of recent calls and follow-ups, and the call form in its place."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QStatusBar, QVBoxLayout, QWidget

from app.services import changes
from app.services.calls import calls
from app.services.calls.calls import CallRecord
from app.services.context import SignedIn
from app.ui import operations
from app.ui.calls.call_form import CallForm
from app.ui.calls.calls_list import CallsList
from app.ui.calls.link_dialog import LinkCallDialog
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.shell.pages import Page

log = logging.getLogger("confide")


class CallsPage(Page):
    title = "Calls"
    draft_key = "calls.new_call"
    case_opened_requested = Signal(int)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        self.stack = QStackedWidget(self)
        self.list = CallsList(self.stack)
        self.form = CallForm(ctx, self.stack)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.form)
        layout.addWidget(self.stack)
        self.list.new_call.connect(lambda: self.start_new_call())
        self.list.open_case.connect(self.case_opened_requested)
        self.list.mark_done.connect(self._mark_done)
        self.list.link_call.connect(self._link)
        self.form.saved.connect(self._saved)
        self.form.closed.connect(self.show_list)
        self._unsubscribe = operations.listen(self._changed_elsewhere)
        self.refresh()

    # -- what the main window calls --------------------------------------------------------

    def start_new_call(self, case_id: int | None = None) -> None:
        """Open the form: anonymous, or named on `case_id`. A half-typed call is kept, not lost."""
        if self.is_form_open() and self.form.has_typing():
            if case_id is None:
                self.form.fields.duration.setFocus()
                return
            if not self.form.confirm_discard():
                return
        search = ""
        if case_id is not None:
            search = self._reference_of(case_id)
        self.form.start(case_id, search)
        self.stack.setCurrentWidget(self.form)
        self.form.fields.duration.setFocus()

    def _reference_of(self, case_id: int) -> str:
        from app.services.cases import cases

        # Not found: the form starts with an empty case search instead.
        with guarded(lambda exc: log.info("case reference for a new call not found: %s",
                                          type(exc).__name__)):
            return cases.case_reference(self.ctx, case_id)
        return ""

    def is_form_open(self) -> bool:
        return self.stack.currentWidget() is self.form

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list)
        self.refresh()

    def refresh(self) -> None:
        with guarded(self._not_listed) as call:
            recent = calls.recent_calls(self.ctx)
            due = calls.follow_ups_due(self.ctx)
        if not call.failed:
            self.list.show_calls(recent, due)

    def _not_listed(self, exc: BaseException) -> None:
        self.list.notice_text.setText(message_for(exc))
        self.list.notice.show()

    def _changed_elsewhere(self, _change: changes.Change) -> None:
        if not self.is_form_open() and self.isVisible():
            self.refresh()

    def clear(self) -> None:
        self._unsubscribe()
        self.form.reset()
        self.list.clear()

    def draft_state(self) -> dict[str, Any] | None:
        if self.is_form_open() and self.form.has_typing():
            return self.form.values()
        return None

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.form.set_values(state)
        self.stack.setCurrentWidget(self.form)

    # -- list actions ----------------------------------------------------------------------

    def _status(self, message: str) -> None:
        bar = self.window().findChild(QStatusBar)
        if bar is not None:
            bar.showMessage(message, 8000)

    def _saved(self, record: CallRecord) -> None:
        self.form.reset()
        self.show_list()
        self.list.show_saved(record)
        self._status(self.list.notice_text.text())

    def _mark_done(self, call_id: int) -> None:
        with guarded(parent=self) as call:
            calls.mark_follow_up_done(self.ctx, call_id)
        if call.failed:
            return
        self.refresh()
        self._status("Follow-up marked as done.")

    def _link(self, call_id: int) -> None:
        dialog = LinkCallDialog(self.ctx, call_id, self)
        if dialog.exec() and dialog.linked is not None:
            self.refresh()
            self._status(f"The call is now on case {dialog.linked.case_reference}.")
