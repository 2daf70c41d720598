"""The signed-in part of the main window: navigation column, notices and the pages.

It is built for one SignedIn and destroyed whole at lock, so nothing in it outlives the key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.context import SignedIn
from app.ui import theme
from app.ui.errors import message_for
from app.ui.shell.pages import Page

if TYPE_CHECKING:
    from app.ui.shell.main_window import PageSpec

log = logging.getLogger("confide")


def _on_page(page: Page, what: str, step: Callable[[], Any]) -> Any:
    """Run one of a page's own hooks (refresh, draft, clear); None if it failed."""
    try:
        return step()
    except Exception as exc:
        # A page's own code, not one service call: a bug in one page must not stop the shell
        # showing, locking or signing out the others. The type only is logged: the message
        # could hold record text.
        log.error("page %s could not %s: %s", page.title, what, type(exc).__name__)
        return None


class UnavailablePage(Page):
    """Stands in for a page that could not be built, with the plain reason."""

    def __init__(self, ctx: SignedIn, title: str, reason: str, parent: QWidget | None = None) -> None:
        self.title = title
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(theme.heading(title, self))
        text = QLabel(f"This page could not be opened. {reason}", self)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addStretch(1)


class WorkArea(QWidget):
    page_changed = Signal(str, str)

    def __init__(self, ctx: SignedIn, specs: list[PageSpec], notices: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Confide pages")
        self.nav = QListWidget(self)
        self.nav.setAccessibleName("Pages")
        self.nav.setAccessibleDescription("Choose what to work on")
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setFont(theme.scaled_font(self.nav, 1.15))
        # Padding only: colours stay the palette's, so dark mode keeps working.
        self.nav.setStyleSheet("QListWidget::item { padding: 0.3em 0.8em; }")
        self.stack = QStackedWidget(self)
        self.keys: list[str] = []
        self.pages: list[Page] = []
        for spec in specs:
            page = self._build(ctx, spec, self.stack)
            self.stack.addWidget(page)
            self.keys.append(spec.key)
            self.pages.append(page)
            item = QListWidgetItem(spec.title, self.nav)
            shortcut = self._shortcut_for(spec)
            item.setToolTip(f"{spec.title} ({shortcut})" if shortcut else spec.title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spec.title)
        width = max(self.nav.sizeHintForColumn(0), self.fontMetrics().averageCharWidth() * 12)
        self.nav.setFixedWidth(width + self.fontMetrics().averageCharWidth() * 5)
        self.nav.currentRowChanged.connect(self._row_changed)

        self.banner = self._banner(notices)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        if self.banner is not None:
            right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        divider = QFrame(self)
        divider.setFrameShape(QFrame.Shape.VLine)
        divider.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(divider)
        layout.addLayout(right, 1)
        self.setTabOrder(self.nav, self.stack)
        # Pages load when built; they refresh when shown again, as colleagues change things.
        self._shown: set[int] = set()

    def _shortcut_for(self, spec: PageSpec) -> str:
        window = self.window()
        actions = getattr(window, "page_actions", {})
        action = actions.get(spec.key)
        return action.shortcut().toString() if action is not None else ""

    @staticmethod
    def _build(ctx: SignedIn, spec: PageSpec, parent: QWidget) -> Page:
        try:
            return spec.factory(ctx, parent)
        except Exception as exc:
            # Building a page runs its first reads and all its own code: whatever fails, the
            # page says why in its place and the rest of the window works.
            return UnavailablePage(ctx, spec.title, message_for(exc))

    def _banner(self, notices: list[str]) -> QFrame | None:
        if not notices:
            return None
        banner = QFrame(self)
        banner.setAccessibleName("Notice")
        theme.set_banner_style(banner)
        row = QHBoxLayout(banner)
        text = QLabel("\n\n".join(notices), banner)
        text.setWordWrap(True)
        text.setAccessibleName("Notice")
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dismiss = QPushButton("D&ismiss", banner)
        dismiss.setAccessibleName("Dismiss notice")
        dismiss.clicked.connect(banner.hide)
        row.addWidget(text, 1)
        row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        return banner

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            page = self.pages[row]
            if row in self._shown:
                _on_page(page, "refresh", page.refresh)
            self._shown.add(row)
            self.stack.setCurrentIndex(row)
            self.page_changed.emit(self.keys[row], page.title)

    def show_page(self, key: str) -> None:
        if key in self.keys:
            self.nav.setCurrentRow(self.keys.index(key))
            self.stack.currentWidget().setFocus()
        elif self.pages:
            self.nav.setCurrentRow(0)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def page_for_draft(self, form: str) -> Page | None:
        return next((page for page in self.pages if page.draft_key == form), None)

    def draft_states(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for page in self.pages:
            if not page.draft_key:
                continue
            state = _on_page(page, "give its draft", page.draft_state)
            if state:
                yield page.draft_key, state

    def clear_pages(self) -> None:
        for page in self.pages:
            _on_page(page, "clear", page.clear)
        self.pages = []


def scrub(root: QWidget) -> None:
    """Empty every text-holding widget under `root`, signals blocked, before it is deleted.

    Deletion waits for the event loop; this makes sure nothing readable is left meanwhile,
    even in widgets a page forgot in its clear().
    """
    for widget in [root, *root.findChildren(QWidget)]:
        blocked = widget.blockSignals(True)
        try:
            if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QLabel | QComboBox
                          | QListWidget | QTreeWidget | QTableWidget):
                widget.clear()
            elif isinstance(widget, QAbstractButton):
                widget.setText("")
            elif isinstance(widget, QAbstractItemView) and not _inside_combo_box(widget):
                widget.setModel(None)
            widget.setToolTip("")
            widget.setAccessibleName("")
            widget.setAccessibleDescription("")
            widget.setWindowTitle("")
        finally:
            widget.blockSignals(blocked)


def _inside_combo_box(view: QWidget) -> bool:
    # A combo box's own list belongs to it; clearing the combo box empties it.
    parent = view.parentWidget()
    return parent is not None and type(parent).__name__ == "QComboBoxPrivateContainer"
