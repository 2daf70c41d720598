"""One case: its header, the red safeguarding banner, managers' recorded reasons, and the tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.services.cases.cases import CaseView
from app.services.cases.fields import NoteKind
from app.services.context import SignedIn
from app.ui import theme
from app.ui.cases.case_tabs import AdvisersTab, CallsTab, DiaryTab, FollowUpsTab, StatusTab
from app.ui.cases.consent_tab import ConsentTab
from app.ui.cases.letters_tab import LettersTab
from app.ui.cases.notes_tab import NotesTab
from app.ui.cases.people_tab import PeopleTab
from app.ui.cases.retention_tab import RetentionTab
from app.ui.cases.safeguarding_tab import SafeguardingTab
from app.ui.cases.tab_base import CaseTab, day, moment, plain_label
from app.ui.widgets.messages import help_label

LOG_CALL_SHORTCUT = "Ctrl+Shift+N"


def safeguarding_text(case: CaseView) -> str:
    """Who raised the concern and when; for concerns from before that was kept, the latest sign."""
    if case.safeguarding_raised_at is not None:
        return (f"⚠ Safeguarding concern raised by {case.safeguarding_raised_by or 'a former colleague'} "
                f"on {moment(case.safeguarding_raised_at)}. See the Safeguarding tab.")
    notes = [n for n in case.notes if n.kind in (NoteKind.SAFEGUARDING, NoteKind.BREACH_DECISION)]
    flagged_calls = [c for c in case.calls if c.safeguarding_concern]
    latest = [(n.at, n.author, "note") for n in notes[:1]] + [(c.at, c.adviser, "call")
                                                              for c in flagged_calls[:1]]
    if not latest:
        return "⚠ Safeguarding concern on this case. See the Safeguarding tab."
    at, who, what = max(latest, key=lambda entry: entry[0])
    return (f"⚠ Safeguarding concern — latest {what} by {who or 'unknown'} on {moment(at)}. "
            "See the Safeguarding tab.")


class Banner(QFrame):
    """Red, and says so in words: the colour is never the only sign."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("safeguardingBanner")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setFont(theme.scaled_font(self.label, 1.1, bold=True))
        QHBoxLayout(self).addWidget(self.label)
        red = theme.error_colour(self.palette())
        text = "#1b0000" if theme.is_dark(self.palette()) else "#ffffff"
        self.setStyleSheet(f"QFrame#safeguardingBanner {{ background-color: {red.name()};"
                           f" border-radius: 4px; }} QFrame#safeguardingBanner QLabel {{ color: {text}; }}")
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.setAccessibleName(text)
        self.show()

    def clear(self) -> None:
        self.label.clear()
        self.label.setAccessibleName("")
        self.hide()


class CaseViewPane(QWidget):
    back_requested = Signal()
    new_call_requested = Signal(int)
    reload_requested = Signal()
    case_destroyed = Signal(str)

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseView | None = None
        self.setAccessibleName("Case")
        column = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton("← &Back to cases", self)
        self.back_button.setToolTip("Back to the case list (Alt+B)")
        self.back_button.clicked.connect(self.back_requested)
        self.title = theme.heading("", self)
        self.call_button = QPushButton("Log a call for this case", self)
        self.call_button.setToolTip(f"Log a new call on this case ({LOG_CALL_SHORTCUT})")
        self.call_button.setAccessibleName("Log a call for this case")
        self.call_button.clicked.connect(self._new_call)
        QShortcut(QKeySequence(LOG_CALL_SHORTCUT), self, self._new_call,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.call_button)
        column.addLayout(top)
        self.banner = Banner(self)
        column.addWidget(self.banner)
        self.summary = plain_label("", self, "Case summary")
        column.addWidget(self.summary)
        self.archived = help_label("", self)
        self.archived.setAccessibleName("Archived case")
        self.archived.hide()
        column.addWidget(self.archived)
        self.manager_views = plain_label("", self, "Viewed by managers")
        self.manager_views.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        column.addWidget(self.manager_views)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Case sections")
        self.people = PeopleTab(ctx, self.tabs)
        self.calls = CallsTab(ctx, self.tabs)
        self.notes = NotesTab(ctx, self.tabs)
        self.follow_ups = FollowUpsTab(ctx, self.tabs)
        self.advisers = AdvisersTab(ctx, self.tabs)
        self.status = StatusTab(ctx, self.tabs)
        self.safeguarding = SafeguardingTab(ctx, self.tabs)
        self.consent = ConsentTab(ctx, self.tabs)
        self.consent.destroyed.connect(self.case_destroyed)
        self.diary = DiaryTab(ctx, self.tabs)
        self.letters = LettersTab(ctx, self.tabs)
        self.retention = RetentionTab(ctx, self.tabs)
        self.retention.destroyed.connect(self.case_destroyed)
        self.case_tabs: list[CaseTab] = [self.people, self.calls, self.notes, self.follow_ups,
                                         self.advisers, self.status, self.safeguarding, self.consent,
                                         self.diary, self.letters, self.retention]
        for tab, label in zip(self.case_tabs, ("&People", "Ca&lls", "&Notes", "&Follow-ups",
                                                "Ad&visers", "S&tatus", "Safe&guarding", "C&onsent",
                                                "Diar&y", "L&etters", "&Retention"), strict=True):
            self.tabs.addTab(tab, label)
            tab.changed.connect(self.reload_requested)
        column.addWidget(self.tabs, 1)
        column.addWidget(help_label("Every look at and change to this case is recorded in the "
                                    "audit trail.", self))

    def _new_call(self) -> None:
        if self.case is not None:
            self.new_call_requested.emit(self.case.id)

    def show_case(self, case: CaseView) -> None:
        self.case = case
        self.title.setText(f"Case {case.reference} · {case.status.value.capitalize()}"
                           + (" (reopened)" if case.reopened and case.status.value == "open" else ""))
        self.title.setAccessibleName(self.title.text())
        if case.safeguarding:
            self.banner.show_text(safeguarding_text(case))
        else:
            self.banner.clear()
        advisers = ", ".join(a.full_name for a in case.advisers) or "nobody"
        closed = f" · closed {day(case.closed_at)}" if case.closed_at else ""
        self.summary.setText(f"Opened {day(case.opened_at)}{closed} · last activity "
                             f"{moment(case.last_activity_at)} · assigned to {advisers}")
        self.summary.setAccessibleName(self.summary.text())
        archived = case.status.value == "archived"
        self.archived.setText("This case is archived: it is read-only and off the case lists. "
                              "Reopen it on the Status tab if the family needs help again."
                              if archived else "")
        self.archived.setVisible(archived)
        self.call_button.setEnabled(not archived)
        views = [f"Viewed by manager {v.manager}: {v.reason} ({moment(v.at)})"
                 for v in reversed(case.manager_views[-5:])]
        self.manager_views.setText("\n".join(views))
        self.manager_views.setAccessibleName("\n".join(views) or "Viewed by managers")
        self.manager_views.setVisible(bool(views))
        for tab in self.case_tabs:
            tab.show_case(case)

    def clear(self) -> None:
        self.case = None
        self.title.clear()
        self.banner.clear()
        self.summary.clear()
        self.archived.clear()
        self.archived.hide()
        self.manager_views.clear()
        for tab in self.case_tabs:
            tab.clear()
