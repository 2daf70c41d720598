"""Shared pieces for the shell's GUI tests: a page with a form, and a walk over every widget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QVBoxLayout, QWidget

from app.services import settings
from app.services.context import SignedIn
from app.services.staff import agreement
from app.ui.shell.main_window import PageSpec, default_page_specs
from app.ui.shell.pages import Page


class FormPage(Page):
    """A page with one field whose half-typed text is its draft."""

    title = "Test form"
    draft_key = "test.form"

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName("Test field")
        QVBoxLayout(self).addWidget(self.edit)

    def draft_state(self) -> dict[str, Any] | None:
        return {"text": self.edit.text()} if self.edit.text() else None

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.edit.setText(state.get("text", ""))


def specs_with_form() -> list[PageSpec]:
    return [*default_page_specs(), PageSpec("form", "Test form", FormPage)]


def accept_agreement(ctx: SignedIn) -> None:
    text = agreement.load_agreement(settings.load(ctx).service_name)
    agreement.accept(ctx, text.version)


def flush_deletions() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _model_texts(model: Any, parent: QModelIndex, out: list[str]) -> None:
    try:
        columns = model.columnCount(parent)
    except TypeError:  # list models keep columnCount private: they have one column
        columns = 1
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.AccessibleTextRole):
                value = model.data(index, role)
                if value:
                    out.append(str(value))
            if column == 0 and model.rowCount(index) > 0:
                _model_texts(model, index, out)


def all_texts(root: QWidget | None = None) -> list[str]:
    """Every piece of text any widget holds, shown or not: in the application, or under `root`.

    Widgets that earlier tests closed are deleted first, so only what is alive is read.
    """
    flush_deletions()
    out: list[str] = []
    widgets = QApplication.allWidgets() if root is None else [root, *root.findChildren(QWidget)]
    for widget in widgets:
        for name in ("text", "toPlainText", "windowTitle", "toolTip", "accessibleName",
                     "accessibleDescription", "placeholderText", "statusTip", "whatsThis"):
            method = getattr(widget, name, None)
            if method is None:
                continue
            try:
                value = method()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                out.append(value)
        if isinstance(widget, QComboBox):
            out.extend(widget.itemText(i) for i in range(widget.count()))
        model_getter = getattr(widget, "model", None)
        if callable(model_getter):
            try:
                model = model_getter()
            except TypeError:
                model = None
            if model is not None and hasattr(model, "rowCount"):
                _model_texts(model, QModelIndex(), out)
    return out


def texts_containing(marker: str) -> list[str]:
    return [text for text in all_texts() if marker.casefold() in text.casefold()]
