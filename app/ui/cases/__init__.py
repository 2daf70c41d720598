"""The Cases page: the case list, and one case at a time.

Advisers open their own cases. A manager opening a case not assigned to them is asked for a
reason first (ReasonRequired from the services says when); the reason is recorded and shown
on the case. The main window connects `new_call_requested(case_id)` to the call form, and
calls `open_case(case_id)` to show a case, for example after a named call was saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.services.access import ReasonRequired
from app.services.cases import cases
from app.services.context import SignedIn
from app.ui.cases.case_list import CaseList
from app.ui.cases.case_view import CaseViewPane
from app.ui.cases.reason_dialog import ReasonDialog
from app.ui.operations import guarded
from app.ui.shell.pages import Page
from app.ui.widgets.forms import DialogHost
from app.ui.widgets.messages import Notice

__all__ = ["CasesPage"]


class CasesPage(Page, DialogHost):
    title = "Cases"
    draft_key = "cases.note"
    new_call_requested = Signal(int)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.notice = Notice("Cases message", self)
        layout.addWidget(self.notice)
        self.stack = QStackedWidget(self)
        self.list = CaseList(ctx, self.stack)
        self.view = CaseViewPane(ctx, self.stack)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.view)
        layout.addWidget(self.stack, 1)
        self.list.open_requested.connect(self.open_case)
        self.view.back_requested.connect(self.show_list)
        self.view.reload_requested.connect(self.reload)
        self.view.case_destroyed.connect(self._destroyed)
        self.view.new_call_requested.connect(self.new_call_requested)

    # -- opening ----------------------------------------------------------------------------

    def open_case(self, case_id: int, then: Any = None) -> None:
        """Show the case; a manager not assigned to it is asked for a reason first."""
        self.notice.clear_text()
        with guarded(self.notice.show_problem) as call:
            try:
                view = cases.open_case(self.ctx, case_id)
            except ReasonRequired:
                self._ask_reason(case_id, then)
                return
        if not call.failed:
            self._show(view, then)

    def _ask_reason(self, case_id: int, then: Any) -> None:
        reference = next((row.reference for row in self.list.model.rows if row.id == case_id),
                         f"number {case_id}")
        dialog = ReasonDialog(reference, self)

        def submit() -> None:
            with guarded(dialog.failed) as call:
                view = cases.open_case(self.ctx, case_id, dialog.text())
            if not call.failed:
                dialog.succeeded()
                self._show(view, then)

        dialog.submit = submit
        self.show_dialog(dialog)

    def _show(self, view: cases.CaseView, then: Any) -> None:
        self.view.show_case(view)
        self.stack.setCurrentWidget(self.view)
        self.view.tabs.setFocus()
        if callable(then):
            then()

    def reload(self) -> None:
        case = self.view.case
        if case is None:
            return
        with guarded(self.notice.show_problem) as call:
            fresh = cases.reload_case(self.ctx, case.id)
        if not call.failed:
            self.view.show_case(fresh)

    def _destroyed(self, reference: str) -> None:
        self.show_list()
        self.notice.show_text(f"The family's details on case {reference} have been destroyed. Its calls "
                              "remain as anonymous statistics, and the destruction register records "
                              "it.", "ok")

    def show_list(self) -> None:
        self.view.clear()
        self.stack.setCurrentWidget(self.list)
        self.list.refresh()
        self.list.table.setFocus()

    # -- Page -------------------------------------------------------------------------------

    def load(self) -> None:
        self.list.refresh()

    def refresh(self) -> None:
        if self.stack.currentWidget() is self.view:
            self.reload()
        else:
            self.list.refresh()

    def clear(self) -> None:
        self.close_dialog()
        self.notice.clear_text()
        self.view.clear()
        self.list.clear()
        self.stack.setCurrentWidget(self.list)

    def draft_state(self) -> dict[str, Any] | None:
        return self.view.notes.unsaved()

    def restore_draft(self, state: dict[str, Any]) -> None:
        case_id = state.get("case_id")
        if not isinstance(case_id, int) or not state.get("text"):
            return

        def refill() -> None:
            self.view.tabs.setCurrentWidget(self.view.notes)
            self.view.notes.put_back(state)
            self.notice.show_text("Your unfinished note is back in the Notes tab.", "info")

        self.open_case(case_id, refill)
