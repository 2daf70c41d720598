"""Consent to keep a caller's details: asked before any name is typed, recorded with who took it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QWidget

from app.services.calls.calls import ConsentToKeep
from app.services.cases.fields import ConsentMethod
from app.ui.calls.widgets import choice_box, choose, chosen
from app.ui.widgets.messages import FieldError

METHODS = [("Verbal, on the phone", ConsentMethod.VERBAL.value),
           ("Signed form", ConsentMethod.SIGNED_FORM.value),
           ("Email", ConsentMethod.EMAIL.value)]


class ConsentPanel(QGroupBox):
    """`answered(bool)` fires whenever the answers change: True once all three are a yes."""

    answered = Signal(bool)

    def __init__(self, adviser_name: str, parent: QWidget | None = None) -> None:
        super().__init__("Consent to keep the caller's details", parent)
        self.setAccessibleName("Consent to keep the caller's details")
        form = QFormLayout(self)
        self.explained = QCheckBox("I &explained our confidentiality policy", self)
        self.explained.setAccessibleName("Confidentiality policy explained")
        self.agreed = QCheckBox("The caller agreed to us &keeping their details", self)
        self.agreed.setAccessibleName("Caller agreed to their details being kept")
        self.method = choice_box("How consent was given", METHODS, self, "Choose…")
        taken_by = QLabel(adviser_name, self)
        taken_by.setAccessibleName(f"Consent taken by {adviser_name}")
        self.error = FieldError(self)
        form.addRow(self.explained)
        form.addRow(self.agreed)
        how = QLabel("How it was gi&ven:", self)
        how.setBuddy(self.method)
        form.addRow(how, self.method)
        form.addRow("Taken by:", taken_by)
        form.addRow(self.error)
        self.explained.toggled.connect(self._changed)
        self.agreed.toggled.connect(self._changed)
        self.method.currentIndexChanged.connect(self._changed)

    def _changed(self) -> None:
        if self.is_yes():
            self.error.clear()
        self.answered.emit(self.is_yes())

    def is_yes(self) -> bool:
        return self.explained.isChecked() and self.agreed.isChecked() and bool(chosen(self.method))

    def consent(self) -> ConsentToKeep:
        method = chosen(self.method)
        return ConsentToKeep(self.explained.isChecked(), self.agreed.isChecked(),
                             ConsentMethod(method) if method else None)

    def has_typing(self) -> bool:
        return self.explained.isChecked() or self.agreed.isChecked() or bool(chosen(self.method))

    def reset(self) -> None:
        self.explained.setChecked(False)
        self.agreed.setChecked(False)
        self.method.setCurrentIndex(0)
        self.error.clear()

    def values(self) -> dict[str, Any]:
        return {"explained": self.explained.isChecked(), "agreed": self.agreed.isChecked(),
                "method": chosen(self.method)}

    def set_values(self, values: dict[str, Any]) -> None:
        self.explained.setChecked(bool(values.get("explained")))
        self.agreed.setChecked(bool(values.get("agreed")))
        choose(self.method, values.get("method", ""))
