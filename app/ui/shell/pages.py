"""What every page of the main window offers: a title, a refresh, and its half-typed draft."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.services.context import SignedIn


class Page(QWidget):
    """A page in the navigation column.

    Pages keep no record text once `clear()` has run: the main window calls it when locking,
    after `draft_state()` has been saved, and `refresh()` after unlocking.
    """

    title = ""
    # Name under which this page's half-typed form is kept as a draft; None if it has none.
    draft_key: str | None = None

    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.title)
        self._loaded = False

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.load()

    def load(self) -> None:
        """Read what the page shows the first time it is shown, so sign-in does not wait for
        pages nobody has opened; a page that clears `_loaded` reads again when next shown."""

    def refresh(self) -> None:
        """Reload what the page shows from the services."""

    def clear(self) -> None:
        """Forget every piece of record text the page shows (called at lock)."""

    def draft_state(self) -> dict[str, Any] | None:
        """What the person had typed but not saved, or None when there is nothing."""
        return None

    def restore_draft(self, state: dict[str, Any]) -> None:
        """Put a draft back into the form after unlock."""
