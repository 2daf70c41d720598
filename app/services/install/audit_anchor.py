"""The audit trail's anchor: the chain's head as this desk last saw it, kept outside the database.

The chain proves that no event in the middle was changed, but not that the last events are
still there: someone with the data key could delete the tail (after dropping the triggers),
or change an event and work the chain out again. So after every commit that appends events
the last event's id and hash are written into the key file (keyslots.json), and at each
sign-in and each clean check a copy goes to the credential store when the install has one.
Each copy carries a MAC under a key derived from the data key, so it cannot be forged
without it. `audit.verify` compares the chain with them.

Anchors are kept per desk (a dict keyed by desk in the key file): today one desk, this
computer; in team mode each desk will keep its own and the check will read them all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from app.services import audit
from app.services.audit import Anchor, Head
from app.services.install.key_slots import ANCHORS_FIELD, file_lock, write_key_file

if TYPE_CHECKING:
    from sqlalchemy import Engine

LOCAL_DESK = "this computer"
KEY_FILE = "the key file (keyslots.json)"
CREDENTIAL_STORE = "this computer's credential store"

_log = logging.getLogger(__name__)
# One thread writes every anchor, off the save: rewriting and syncing the key file took a
# save from ~12 ms to ~27 ms on a busy machine. Its thread is joined when Python exits.
_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-anchor")
# Saves in quick succession (a retention run, a batch of letters) are written once, the
# moment after the first: a write beside each save still cost it ~1.3 ms in disk contention.
WRITE_DELAY_SECONDS = 0.25
# Set by whoever needs the anchor on disk now (a check, closing the database).
_hurry = threading.Event()


def mac_key(data_key: bytes) -> bytes:
    """The anchors' MAC key: only someone holding the data key can seal an anchor."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"confide audit anchor").derive(data_key)


def _mac(key: bytes, desk: str, head: Head) -> str:
    message = json.dumps([desk, head[0], head[1]], separators=(",", ":")).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _sealed(key: bytes, desk: str, head: Head) -> dict[str, Any]:
    return {"event": head[0], "hash": head[1], "mac": _mac(key, desk, head)}


def _anchor(key: bytes, desk: str, where: str, stored: Any) -> Anchor:
    try:
        head = (int(stored["event"]), str(stored["hash"]))
        trusted = hmac.compare_digest(_mac(key, desk, head), str(stored["mac"]))
    except (KeyError, TypeError, ValueError):
        return Anchor(where, 0, "", trusted=False)
    return Anchor(where, head[0], head[1], trusted)


def _read_key_file(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class DeskAnchor:
    """This desk's anchor for one open database: moved on by every commit that appends events."""

    def __init__(self, key_slots_path: Path, data_key: bytes, desk: str = LOCAL_DESK) -> None:
        self.path = Path(key_slots_path)
        self.desk = desk
        self._key = mac_key(data_key)
        self._lock = threading.Lock()
        self._pending: Head | None = None
        self._written: Future[None] | None = None
        data = _read_key_file(self.path) or {}
        self._install_id: str | None = data.get("install_id")
        self._use_store = bool(data.get("credential_backend")) and self._install_id is not None
        # Start from the anchor as kept, trusted or not: an append moves it on only when the
        # chain still holds the anchored event, so evidence of a cut is not written over.
        found = self.anchors()
        kept = [a for a in found if a.event_id is not None]
        # A copy altered or removed stays as the check found it, until a restore resets it.
        self._stuck = any(not a.trusted or a.event_id is None for a in found)
        best = max(kept, key=lambda a: a.event_id or 0, default=None)
        self.head: Head | None = (best.event_id, best.hash) if best and best.event_id else None

    # -- reading -------------------------------------------------------------------------

    def anchors(self) -> list[Anchor]:
        """Every copy of this desk's anchor, as kept now (the key file's read afresh)."""
        self.flush()
        found: list[Anchor] = []
        data = _read_key_file(self.path)
        if data is not None and ANCHORS_FIELD in data:
            # A key file from before anchors has no field at all; one that has the field but
            # not this desk's entry had it removed.
            stored = (data.get(ANCHORS_FIELD) or {}).get(self.desk)
            found.append(_anchor(self._key, self.desk, KEY_FILE, stored) if stored is not None
                         else Anchor(KEY_FILE, None))
        stored_copy = self._from_store()
        if stored_copy is not None:
            found.append(_anchor(self._key, self.desk, CREDENTIAL_STORE, stored_copy))
        return found

    def _store_name(self) -> str:
        return f"{self._install_id} audit anchor {self.desk}"

    def _from_store(self) -> Any:
        if not self._use_store:
            return None
        from app.services.install import credential_store

        return credential_store.read_copy(self._store_name())

    # -- writing -------------------------------------------------------------------------

    def moved(self, head: Head) -> None:
        """The chain grew to `head` from the anchored event: write it into the key file soon.

        Several saves in quick succession are written once, with the latest head; a crash
        before the write leaves the anchor a little behind, which the check reads as valid.
        """
        if self._stuck:
            return
        with self._lock:
            self.head = head
            scheduled = self._pending is not None
            self._pending = head
            if not scheduled:
                self._written = _writer.submit(self._write_pending)

    def flush(self) -> None:
        """Wait until the latest head has been written (before reading or closing)."""
        written = self._written
        if written is None:
            return
        try:
            while True:
                # Again each time: the writer clears it once it has woken for an earlier head.
                _hurry.set()
                try:
                    written.result(timeout=0.02)
                    break
                except TimeoutError:
                    continue
        except (OSError, ValueError, TypeError):
            # The saves are committed; a key file that cannot be written leaves the anchor
            # behind, which the check reads as an older, still valid, head.
            _log.warning("audit anchor could not be written", exc_info=True)

    def _write_pending(self) -> None:
        _hurry.wait(WRITE_DELAY_SECONDS)
        _hurry.clear()
        with self._lock:
            head, self._pending = self._pending, None
        if head is None:
            return
        # Not `_lock`, which a save takes and which must never wait for the disk; the key file's
        # own lock, so a slot saved meanwhile, by any window, is read here and kept.
        with file_lock(self.path):
            data = _read_key_file(self.path)
            if data is None:
                # No key file (being rebuilt by the recovery key): nothing to keep it in yet.
                return
            anchors = data.get(ANCHORS_FIELD) or {}
            current = anchors.get(self.desk)
            if isinstance(current, dict) and int(current.get("event", 0)) >= head[0]:
                # Another window wrote a later head first.
                return
            anchors[self.desk] = _sealed(self._key, self.desk, head)
            data[ANCHORS_FIELD] = anchors
            write_key_file(self.path, data)

    def confirmed(self) -> None:
        """The chain was found whole up to the head: copy the anchor to the credential store."""
        self.flush()
        if self._stuck or self.head is None or not self._use_store:
            return
        from app.services.install import credential_store

        if not credential_store.write_copy(self._store_name(),
                                           _sealed(self._key, self.desk, self.head)):
            _log.warning("audit anchor not copied to the credential store")

    def reset(self, head: Head) -> None:
        """Put the anchor at `head` though it is behind: a restore moved the chain back."""
        self._stuck = False
        self.flush()
        with file_lock(self.path):
            data = _read_key_file(self.path)
            if data is not None:
                data[ANCHORS_FIELD] = {**(data.get(ANCHORS_FIELD) or {}),
                                       self.desk: _sealed(self._key, self.desk, head)}
                write_key_file(self.path, data)
        with self._lock:
            self.head = head
        self.confirmed()


def attach(engine: Engine, data_key: bytes, key_slots_path: Path) -> DeskAnchor:
    """Keep this desk's anchor for the database behind `engine`, opened with `data_key`: each
    commit that appends events moves it on. Signing in calls this as it opens the database."""
    keeper = DeskAnchor(key_slots_path, data_key)
    audit.keep_anchor(engine, keeper)
    # Closing the database (sign-out, lock, restore) waits for the last head to be written.
    event.listen(engine, "engine_disposed", lambda _engine: keeper.flush())
    return keeper
