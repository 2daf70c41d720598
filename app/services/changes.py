"""A Qt-free "something changed" publisher, so open pages can refresh without reaching into
each other (STYLE.md point 5). Services publish after their unit of work has committed.

Callbacks run on the publishing thread, which may be a worker thread: the UI side should
hand them to the GUI thread (for example with a queued Qt signal) before touching widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

# What changed; pages compare with these names.
CALL_LOGGED = "call logged"
CALL_CHANGED = "call changed"
CASE_OPENED = "case opened"
CASE_CHANGED = "case changed"
CASE_DESTROYED = "case destroyed"
CONSENT_CHANGED = "consent changed"
NOTE_CHANGED = "note changed"
PEOPLE_CHANGED = "people changed"
TOPICS_CHANGED = "topics changed"
DIARY_CHANGED = "diary changed"


@dataclass(frozen=True)
class Change:
    kind: str
    case_ref: str | None = None


Listener = Callable[[Change], None]

_lock = threading.Lock()
_listeners: list[Listener] = []


def subscribe(callback: Listener) -> Callable[[], None]:
    """Call `callback(change)` after every change; returns a function that unsubscribes."""
    with _lock:
        _listeners.append(callback)

    def unsubscribe() -> None:
        with _lock:
            if callback in _listeners:
                _listeners.remove(callback)

    return unsubscribe


def publish(kind: str, case_ref: str | None = None) -> None:
    """Tell every listener. A failing listener is logged and does not stop the others."""
    change = Change(kind, case_ref)
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(change)
        except Exception:
            log.exception("a change listener failed (%s)", type(listener).__name__)
