"""What the signed-in context keeps from services: the open database file and the key slots.

Services work through `ctx.write()` and `ctx.read()`. A few install tasks need more than a
unit of work: a backup exports the whole encrypted file, a restore swaps it, the self-test
reads the connection's PRAGMAs and checkpoints, destruction checkpoints and rewrites the
search index, and a password change seals the data key into a key slot. They ask here, so
the places that can reach past the units of work are this short list of callers of
`database_of` and `key_slots_of`, and nowhere else. The settings page's view of how the
data key is protected on this computer comes from the key slots too, so it is here as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.models.storage import Database
    from app.services import audit
    from app.services.context import SignedIn
    from app.services.install import credential_store
    from app.services.install.vault import Vault


def database_of(ctx: SignedIn) -> Database:
    """The open database behind `ctx`, for whole-file work (export, swap, PRAGMAs, checkpoint)."""
    return ctx._database


def audit_anchor_of(ctx: SignedIn) -> audit.AnchorKeeper | None:
    """The keeper of this desk's audit anchor for `ctx`'s database (None when it was opened
    without signing in): a restore reads where the anchor stood before moving it back."""
    from app.services import audit as audit_trail

    return audit_trail.keeper_for(ctx._database.engine)


def key_slots_of(ctx: SignedIn) -> Vault:
    """The vault of `ctx`'s data folder, which owns the key slots (seal, remove, check)."""
    # Imported here: the vault imports this module to seal a slot with the context's key.
    from app.services.install.vault import Vault

    # A vault holds nothing but the folder's paths; the key slots live in its file.
    return Vault(ctx.folder.root)


def credential_status(ctx: SignedIn) -> credential_store.CredentialStoreStatus:
    """How the install's data key is protected on this computer, for the settings page."""
    return key_slots_of(ctx).credential_status()


def is_password_only(ctx: SignedIn) -> bool:
    """True when the key slots open with a password alone, with no device secret."""
    return key_slots_of(ctx).is_password_only()
