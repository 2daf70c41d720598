"""Small pieces the call screens share: choice boxes, local/UTC time and form rows with errors."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from app.ui.widgets.forms import FieldErrors, field_with_error
from app.ui.widgets.messages import FieldError


def choice_box(name: str, options: Iterable[tuple[str, str]], parent: QWidget,
               blank: str | None = None) -> QComboBox:
    """A combo box of (label, stored value) pairs; `blank` adds a first "not recorded" entry."""
    box = QComboBox(parent)
    box.setAccessibleName(name)
    if blank is not None:
        box.addItem(blank, "")
    for label, value in options:
        box.addItem(label, value)
    return box


def chosen(box: QComboBox) -> str:
    value = box.currentData()
    return value if isinstance(value, str) else ""


def choose(box: QComboBox, value: object) -> None:
    index = box.findData(value if isinstance(value, str) else "")
    box.setCurrentIndex(max(index, 0))


def row(form: QFormLayout, label: str, field: QWidget, errors: FieldErrors, name: str,
        parent: QWidget) -> FieldError:
    """Add `field` with its own error line under it, registered in `errors` as `name`."""
    box, error = field_with_error(field, parent)
    form.addRow(label, box)
    errors.add(name, error, field)
    return error


def capitalised(value: str) -> str:
    return value[:1].upper() + value[1:]
