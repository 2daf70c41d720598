"""Set-up installs made once per test worker and copied into each test's data folder.

Setting up creates the database and runs every migration, which took about half of the
suite's time when each test did it. A template is a data folder that `Vault.set_up` made and
nobody has signed in to since, together with what set-up left in the credential store (the
device secret). Copying its files and putting that secret back gives a test exactly the
install set-up would have given it: the same manager, recovery key and audit chain, with
nothing else in it.

A template is used only where a real set-up would have made the same install: the same kind
of in-memory credential store, the same key derivation settings, and a clock no earlier than
the template's set-up and within the hour after it (so the set-up records come just before
anything the test does). Otherwise `Vault.set_up` makes a new template under the test's own
conditions, kept for the tests after it. A data folder that already exists, or a credential
store that is not an in-memory one, is set up directly, as before.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import keyring

from app.services.clock import now
from app.services.install import credential_store, key_slots
from app.services.install.vault import SetupDetails, Vault
from tests.memory_keyring import MemoryKeyring

# A test whose clock is further from a template's set-up than this gets a template of its own.
MAX_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class Template:
    folder: Path
    recovery_key: str
    # (service, name) -> password: what set-up stored in the credential store.
    secrets: dict[tuple[str, str], str]
    backend: str
    params: key_slots.ScryptParams
    # The clock when set-up finished: every record set-up wrote is at or before it.
    made_at: datetime

    def fits(self, moment: datetime) -> bool:
        return self.made_at <= moment <= self.made_at + MAX_AGE

    def copy_into(self, data_dir: Path) -> str:
        """Make `data_dir` this install; returns its recovery key."""
        # copy2 and copytree keep the owner-only permissions set-up gave the folder and files.
        shutil.copytree(self.folder, data_dir)
        for (service, name), password in self.secrets.items():
            keyring.set_password(service, name, password)
        return self.recovery_key


class Templates:
    """The templates one worker has made, by the clock they were made under."""

    def __init__(self, root: Path, details: Callable[[], SetupDetails]) -> None:
        self._root = root
        self._details = details
        self._made: list[Template] = []

    def set_up(self, vault: Vault) -> str:
        """Set up `vault`'s folder as a fresh install and return its recovery key."""
        if vault.data_dir.exists() or not isinstance(keyring.get_keyring(), MemoryKeyring):
            return vault.set_up(self._details()).recovery_key
        moment = now()
        backend = credential_store.backend_name()
        params = key_slots.default_params()
        suitable = [template for template in self._made
                    if template.backend == backend and template.params == params and template.fits(moment)]
        template = max(suitable, key=lambda t: t.made_at) if suitable else self._make()
        return template.copy_into(vault.data_dir)

    def _make(self) -> Template:
        folder = self._root / f"install-{len(self._made)}"
        previous = keyring.get_keyring()
        # A store of the test's kind but set-up's own, so the secret it keeps is the template's
        # alone and the test's store is left as it was.
        store = type(previous)()
        assert isinstance(store, MemoryKeyring)
        keyring.set_keyring(store)
        try:
            result = Vault(folder).set_up(self._details())
            backend = credential_store.backend_name()
        finally:
            keyring.set_keyring(previous)
        template = Template(folder, result.recovery_key, dict(store.secrets), backend,
                            key_slots.default_params(), now())
        self._made.append(template)
        return template
