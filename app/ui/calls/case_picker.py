"""Find an existing case as you type: family or child name, case reference, postcode or phone.

Each search is audited, so typing is debounced: the search runs once the adviser pauses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.cases import cases
from app.services.cases.cases import CaseSummary
from app.services.context import SignedIn
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.widgets.messages import FieldError

DEBOUNCE_MS = 250
# A short list an adviser can read with the phone in one hand; more means type more.
SHOWN = 20


def describe(case: CaseSummary) -> str:
    family = ", ".join(case.family_names) or "no parent recorded"
    children = ", ".join(case.child_names) or "no child recorded"
    flags = " · safeguarding" if case.safeguarding else ""
    return f"{case.reference} · {family} · child: {children}{flags}"


class CasePicker(QWidget):
    """`chosen(case_id)` fires when a result is picked, `chosen(0)` when the choice is dropped."""

    chosen = Signal(int)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Find the case (family or child name, case reference, postcode or phone):", self)
        label.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Find a case")
        self.search.setPlaceholderText("Type at least two letters, such as a surname or C-2026-0042")
        self.search.setClearButtonEnabled(True)
        label.setBuddy(self.search)
        self.results = QListWidget(self)
        self.results.setAccessibleName("Cases found")
        self.results.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.error = FieldError(self)
        for widget in (label, self.search, self.results, self.status, self.error):
            layout.addWidget(widget)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textEdited.connect(lambda _text: self.timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.results.currentItemChanged.connect(self._picked)
        self._found: dict[int, CaseSummary] = {}

    def run_search(self) -> None:
        self.timer.stop()
        typed = self.search.text()
        self.results.clear()
        self._found = {}
        self.chosen.emit(0)
        if len(typed.strip()) < 2:
            self.status.setText("")
            return
        with guarded(lambda exc: self.status.setText(message_for(exc))) as call:
            search = cases.find_cases(self.ctx, typed, limit=SHOWN)
        if call.failed:
            return
        found = search.cases
        for case in found:
            item = QListWidgetItem(describe(case), self.results)
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            self._found[case.id] = case
        if not found:
            self.status.setText("No case of yours matches that.")
        elif search.more:
            self.status.setText(f"More cases match than the {len(found)} shown (most recent first): "
                                "type more of the name, number or reference.")
        else:
            self.status.setText(f"{len(found)} found: choose one with the arrow keys or the mouse.")

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.error.clear()
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def selected(self) -> CaseSummary | None:
        item = self.results.currentItem()
        if item is None or not item.isSelected():
            return None
        return self._found.get(int(item.data(Qt.ItemDataRole.UserRole)))

    def has_typing(self) -> bool:
        return bool(self.search.text().strip())

    def reset(self) -> None:
        self.timer.stop()
        self.search.clear()
        self.results.clear()
        self.status.clear()
        self.error.clear()
        self._found = {}

    def values(self) -> dict[str, Any]:
        case = self.selected()
        return {"search": self.search.text(), "case_id": case.id if case else None}

    def set_values(self, values: dict[str, Any]) -> None:
        self.search.setText(str(values.get("search", "")))
        if values.get("case_id") is not None and self.search.text():
            self.run_search()
            for index in range(self.results.count()):
                if self.results.item(index).data(Qt.ItemDataRole.UserRole) == values["case_id"]:
                    self.results.setCurrentRow(index)
