"""Opening a new case from a named call: one or more parents/carers and children."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.cases.family import ChildDetails, ParentDetails
from app.ui.calls.person_entries import ChildEntry, ParentEntry, PersonEntry
from app.ui.widgets.messages import FieldError


def focusable(root: QWidget) -> list[QWidget]:
    """The widgets under `root` that Tab stops on, in the order they were made (form order)."""
    inner = (QAbstractSpinBox, QComboBox)  # their own line edits and pop-ups are not stops

    def inside_compound(widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None and parent is not root:
            if isinstance(parent, inner):
                return True
            parent = parent.parentWidget()
        return False

    return [w for w in root.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
            and w.window() is root.window() and not inside_compound(w)]


class NewCasePanel(QWidget):
    """`changed` on any edit; `people_changed` when a person's box is added or removed."""

    changed = Signal()
    people_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.parents_box = QVBoxLayout()
        self.children_box = QVBoxLayout()
        self.parents: list[ParentEntry] = []
        self.children: list[ChildEntry] = []
        self.error = FieldError(self)
        buttons = QHBoxLayout()
        self.add_parent_button = QPushButton("Add a parent/carer", self)
        self.add_child_button = QPushButton("Add a ch&ild", self)
        self.add_parent_button.clicked.connect(lambda: self.add_parent().setFocus())
        self.add_child_button.clicked.connect(lambda: self.add_child().setFocus())
        buttons.addWidget(self.add_parent_button)
        buttons.addWidget(self.add_child_button)
        buttons.addStretch(1)
        layout.addWidget(self.error)
        layout.addLayout(self.parents_box)
        layout.addLayout(self.children_box)
        layout.addLayout(buttons)
        self.reset()

    def add_parent(self, values: dict[str, Any] | None = None) -> ParentEntry:
        entry = ParentEntry(len(self.parents) + 1, self)
        return self._add(entry, self.parents, self.parents_box, values)  # type: ignore[return-value]

    def add_child(self, values: dict[str, Any] | None = None) -> ChildEntry:
        entry = ChildEntry(len(self.children) + 1, self)
        return self._add(entry, self.children, self.children_box, values)  # type: ignore[return-value]

    def _add(self, entry: PersonEntry, entries: list[Any], box: QVBoxLayout,
             values: dict[str, Any] | None) -> PersonEntry:
        if values:
            entry.set_values(values)
        entries.append(entry)
        box.addWidget(entry)
        entry.removed.connect(self._remove)
        entry.changed.connect(self.changed)
        self.error.clear()
        self.people_changed.emit()
        return entry

    def _remove(self, entry: QWidget) -> None:
        for entries in (self.parents, self.children):
            if entry in entries:
                entries.remove(entry)  # type: ignore[arg-type]
        entry.hide()
        entry.deleteLater()
        self._renumber()
        self.changed.emit()
        self.people_changed.emit()

    def focus_order(self) -> list[QWidget]:
        """Each person's fields in turn, then the Add buttons (boxes are added after the buttons)."""
        entries = [w for entry in [*self.parents, *self.children] for w in focusable(entry)]
        return [*entries, self.add_parent_button, self.add_child_button]

    def _renumber(self) -> None:
        for number, parent in enumerate(self.parents, start=1):
            parent.retitle(f"Parent/carer {number}")
        for number, child in enumerate(self.children, start=1):
            child.retitle(f"Child {number}")

    def people(self) -> tuple[tuple[ParentDetails, ...], tuple[ChildDetails, ...]]:
        """Every entry checked; each shows its own errors, and InvalidInput is re-raised."""
        for entry in [*self.parents, *self.children]:
            entry.errors.clear()
        parents = tuple(entry.details() for entry in self.parents if entry.has_typing())
        children = tuple(entry.details() for entry in self.children if entry.has_typing())
        return parents, children

    def has_typing(self) -> bool:
        return any(entry.has_typing() for entry in [*self.parents, *self.children])

    def reset(self) -> None:
        for entry in [*self.parents, *self.children]:
            entry.hide()
            entry.deleteLater()
        self.parents, self.children = [], []
        self.error.clear()
        self.add_parent()
        self.add_child()

    def values(self) -> dict[str, Any]:
        return {"parents": [p.values() for p in self.parents],
                "children": [c.values() for c in self.children]}

    def set_values(self, values: dict[str, Any]) -> None:
        for entry in [*self.parents, *self.children]:
            entry.hide()
            entry.deleteLater()
        self.parents, self.children = [], []
        for parent in values.get("parents", []) or [{}]:
            self.add_parent(parent)
        for child in values.get("children", []) or [{}]:
            self.add_child(child)
