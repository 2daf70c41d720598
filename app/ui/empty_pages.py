"""Pages whose work arrives in later versions: each says plainly what it will hold, no fake data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.services.vault import SignedIn
from app.ui import theme
from app.ui.pages import Page


class EmptyPage(Page):
    """A heading and one honest sentence about what the page is for."""

    explanation = ""

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        title = theme.heading(self.title, self)
        text = QLabel(self.explanation, self)
        text.setWordWrap(True)
        text.setAccessibleName(self.explanation)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addStretch(1)


class CallsPage(EmptyPage):
    title = "Calls"
    explanation = (
        "Here you will log each call and contact, named or anonymous, with its topics and "
        "outcome. Call logging is not part of this version of Confide yet; it arrives in "
        "a later one."
    )


class CasesPage(EmptyPage):
    title = "Cases"
    explanation = (
        "Here you will keep the records of the families you support, with their consent "
        "and case notes. Case records are not part of this version of Confide yet; they "
        "arrive in a later one."
    )


class LettersPage(EmptyPage):
    title = "Letters"
    explanation = (
        "Here you will write and print letters to families, marked STRICTLY PRIVATE AND "
        "CONFIDENTIAL. Letters are not part of this version of Confide yet; they arrive "
        "in a later one."
    )


class ReportsPage(EmptyPage):
    title = "Reports"
    explanation = (
        "Here you will produce anonymous usage statistics, in which no family can be "
        "recognised. Reports are not part of this version of Confide yet; they arrive in "
        "a later one."
    )
