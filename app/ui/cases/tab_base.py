"""What every tab of the case view shares: the case it shows, a notice line, and a reload signal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QScrollArea, QVBoxLayout, QWidget

from app.services.cases.cases import CaseView
from app.services.context import SignedIn
from app.ui import operations
from app.ui.operations import guarded
from app.ui.widgets.forms import DialogHost
from app.ui.widgets.messages import Notice, wrapped_label
from app.ui.widgets.times import day_text, moment_text


def day(value: date | datetime | None) -> str:
    return day_text(value)


def moment(value: datetime | None) -> str:
    return moment_text(value)


def plain_label(text: str, parent: QWidget, name: str | None = None) -> QLabel:
    """Record text shown exactly as typed: never read as HTML, selectable for copying by eye."""
    label = wrapped_label(text, parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name or text)
    return label


class CaseTab(QWidget, DialogHost):
    """A tab of the case view. Emits `changed` after saving something, so the case reloads."""

    changed = Signal()

    def __init__(self, ctx: SignedIn, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseView | None = None
        self.setAccessibleName(name)
        self.column = QVBoxLayout(self)
        self.notice = Notice(f"{name} message", self)
        self.column.addWidget(self.notice)

    def show_case(self, case: CaseView) -> None:
        self.case = case

    def clear(self) -> None:
        self.close_dialog()
        self.case = None
        self.notice.clear_text()

    def run_dialog(self, dialog: Any, work: Callable[[], Any],
                   done: Callable[[Any], None] | None = None) -> None:
        """Open `dialog`; its OK runs `work`: a refusal stays in the dialog with what was typed,
        success closes it, then `done(result)` (or the case reloads when there is no `done`)."""

        def submit() -> None:
            with guarded(dialog.failed) as call:
                result = work()
            if not call.failed:
                self._dialog_done(dialog, done, result)

        dialog.submit = submit
        self.show_dialog(dialog)

    def run_dialog_slowly(self, dialog: Any, label: str, read: Callable[[], Any],
                          work: Callable[[Any], Any], done: Callable[[Any], None]) -> None:
        """As run_dialog, for work that takes a while or destroys records: when OK is pressed,
        `read()` takes what the dialog holds (on the GUI thread), then `work(what)` runs off it
        behind a progress indicator saying `label`."""

        def submit() -> None:
            what = read()
            operations.run(dialog, label, lambda: work(what),
                           lambda result: self._dialog_done(dialog, done, result),
                           self.failure_in(dialog, self.notice))

        dialog.submit = submit
        self.show_dialog(dialog)

    def _dialog_done(self, dialog: Any, done: Callable[[Any], None] | None, result: Any) -> None:
        dialog.accept()
        if done is None:
            self.changed.emit()
        else:
            done(result)

    def attempt(self, work: Callable[[], Any], done: str = "") -> Any:
        """Run a service call; a refusal goes in the notice line, success reloads the case."""
        self.notice.clear_text()
        with guarded(self.notice.show_problem) as call:
            result = work()
        if call.failed:
            return None
        self.changed.emit()
        if done:
            self.notice.show_text(done, "ok")
        return result


def record_list(parent: QWidget, name: str) -> QListWidget:
    """A read-only list of a case's records, one wrapped entry each, named for screen readers."""
    widget = QListWidget(parent)
    widget.setAccessibleName(name)
    widget.setWordWrap(True)
    widget.setAlternatingRowColors(True)
    return widget


def scrolling(content: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


def empty_box(layout: QVBoxLayout) -> None:
    """Remove and delete everything in `layout` (rebuilt on each reload)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            empty_box(item.layout())  # type: ignore[arg-type]
