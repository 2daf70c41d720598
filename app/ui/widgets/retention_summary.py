"""The manager's summary after the start-up retention run (also kept on Admin → Retention)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.retention.retention import RetentionSummary
from app.ui.errors import message_for
from app.ui.widgets.messages import tell

TITLE = "Retention rules applied"


def summary_text(summary: RetentionSummary) -> str:
    return "\n\n".join(summary.lines())


def tell_manager(window: QWidget, summary: object,
                 failed: BaseException | None = None) -> QMessageBox | None:
    """Only when something happened (or went wrong): a quiet start says nothing."""
    if failed is not None:
        return tell(window, "Retention did not finish",
                    "Confide could not apply the retention rules this time, so nothing more was "
                    "archived or destroyed; it tries again at the next start.\n\n"
                    + message_for(failed), icon=QMessageBox.Icon.Warning)
    if isinstance(summary, RetentionSummary) and summary.anything:
        return tell(window, TITLE, summary_text(summary) + "\n\nThe details are on Admin → Retention.")
    return None
