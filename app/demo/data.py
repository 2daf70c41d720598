"""Demo installs: a data folder full of fictional families, for evaluating Confide and for the bench.

The install and the staff accounts are made through the ordinary services (so the key slots,
settings and audit trail are real); the years of history are then bulk-inserted with
SQLAlchemy Core in one transaction, which builds `year10` in seconds where one service call
per row would take many minutes. The history gets one audit event, "demo data generated",
with the counts, instead of one per generated row.

Credential store: a demo folder uses the computer's credential store when there is one, and
password-only key slots when there is not, without asking (unlike `setup`): it only ever holds
fictional data. The passwords are printed and kept in `demo-accounts.json` in the folder, so
the sign-in window can show them again.

The same seed and the same day give the same data.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from app.demo.rows import SIZES, TABLES, Generator, Size, Staffing
from app.demo.words import PASSWORD_WORDS
from app.models.calls import Topic
from app.models.schema import Base
from app.models.staff import Staff
from app.services import audit
from app.services.clock import now
from app.services.install import credential_store
from app.services.install.vault import SetupDetails, Vault
from app.services.people import InvalidInput, Role
from app.services.staff import staff

MARKER_NAME = "demo-accounts.json"
DEFAULT_SEED = 2026
CHUNK = 5000
SERVICE_NAME = "Northfield SEND Advice (DEMO, fictional data)"

# Full name, username, role. The first is the manager made by setup.
DEMO_STAFF: tuple[tuple[str, str, Role], ...] = (
    ("Bernadette O'Sullivan", "bernadette", Role.MANAGER),
    ("Kwame Mensah", "kwame", Role.ADVISER),
    ("Agnieszka Nowak", "agnieszka", Role.ADVISER),
    ("Priya Sharma-Reid", "priya", Role.ADVISER),
    ("Tom Whitlock", "tom", Role.ADVISER),
    ("Siân Llewellyn", "sian", Role.ADVISER),
    ("Fatima Hussain", "fatima", Role.ADVISER),
    ("Gareth Pryce", "gareth", Role.ADVISER),
    ("Mei Lin Chen", "meilin", Role.ADVISER),
    ("Rosa Delgado", "rosa", Role.ADVISER),
    ("Dev Okafor", "dev", Role.COORDINATOR),
)


@dataclass(frozen=True)
class DemoAccount:
    full_name: str
    username: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoBuild:
    data_dir: Path
    size: str
    accounts: tuple[DemoAccount, ...]
    counts: dict[str, int]
    recovery_key: str
    password_only: bool
    seconds: float


def size_named(name: str) -> Size:
    try:
        return SIZES[name]
    except KeyError:
        raise InvalidInput(f"Choose a demo size: {', '.join(SIZES)}.", "size") from None


def demo_accounts(seed: int = DEFAULT_SEED) -> tuple[DemoAccount, ...]:
    """The demo staff with their passwords (three words and a number, made from the seed)."""
    rng = random.Random(f"passwords-{seed}")
    accounts = []
    for full_name, username, role in DEMO_STAFF:
        password = " ".join(rng.sample(PASSWORD_WORDS, 3)) + f" {rng.randint(10, 99)}"
        accounts.append(DemoAccount(full_name, username, role.value, password))
    return tuple(accounts)


def is_demo_folder(data_dir: Path) -> bool:
    return (Path(data_dir) / MARKER_NAME).is_file()


def read_accounts(data_dir: Path) -> tuple[DemoAccount, ...]:
    """The accounts a demo folder was built with, from its marker file."""
    stored = json.loads((Path(data_dir) / MARKER_NAME).read_text(encoding="utf-8"))
    return tuple(DemoAccount(**account) for account in stored["accounts"])


def _write_marker(data_dir: Path, size: str, seed: int, accounts: tuple[DemoAccount, ...]) -> None:
    path = Path(data_dir) / MARKER_NAME
    path.write_text(json.dumps({
        "note": "This folder holds fictional demo data made by `confide demo`. Never put real "
                "records here.",
        "size": size, "seed": seed, "accounts": [asdict(a) for a in accounts],
    }, indent=2, ensure_ascii=False), encoding="utf-8")
    if os.name == "posix":
        os.chmod(path, 0o600)


def build_demo(data_dir: Path, size: str = "small", seed: int = DEFAULT_SEED,
               today: datetime | None = None,
               progress: Callable[[str], None] | None = None) -> DemoBuild:
    """Set up `data_dir` as a demo install. Refuses a folder that already holds Confide."""
    started = time.perf_counter()
    chosen = size_named(size)
    say = progress or (lambda _message: None)
    vault = Vault(Path(data_dir))
    if vault.is_set_up():
        raise InvalidInput(f"Confide is already set up in {data_dir}; a demo is never built over "
                           "existing data. Choose a new, empty folder.", "data_dir")
    accounts = demo_accounts(seed)
    manager = accounts[0]
    say("Setting up the encrypted database")
    result = vault.set_up(SetupDetails(
        service_name=SERVICE_NAME, service_address="1 Example Street\nMilton Keynes\nMK9 1AA",
        service_phone="01632 960000", service_email="advice@example.org",
        manager_name=manager.full_name, manager_username=manager.username,
        manager_password=manager.password, manager_password_confirm=manager.password,
        allow_password_only=not credential_store.is_available(),
    ))
    _write_marker(Path(data_dir), chosen.name, seed, accounts)
    ctx = vault.sign_in(manager.username, manager.password)
    try:
        say("Adding the demo staff")
        for account in accounts[1:]:
            staff.add_staff(ctx, account.full_name, account.username, Role(account.role),
                            account.password, account.password)
        say(f"Generating {chosen.name} history ({chosen.calls:,} calls, {chosen.cases:,} cases)")
        with ctx.write() as session:
            # Evaluators sign in with the printed passwords, so no forced change on first use.
            session.execute(update(Staff).values(must_change_password=False))
            ids = {row.username: row.id for row in session.scalars(select(Staff))}
            topic_ids = list(session.scalars(select(Topic.id).where(Topic.active.is_(True))
                                             .order_by(Topic.position)))
            staffing = Staffing(
                manager_id=ids[manager.username],
                adviser_ids=[ids[a.username] for a in accounts if a.role == Role.ADVISER.value])
            rows = Generator(seed, chosen, today or now(), staffing, topic_ids).build()
            say("Writing the records")
            connection = session.connection()
            for table in TABLES:
                batch = rows.tables[table]
                for start in range(0, len(batch), CHUNK):
                    connection.execute(insert(Base.metadata.tables[table]), batch[start:start + CHUNK])
            counts = rows.counts()
            audit.record(session, ctx.actor, "demo data generated",
                         detail={"size": chosen.name, "seed": seed, **counts})
    finally:
        ctx.close()
    say("Done")
    return DemoBuild(Path(data_dir), chosen.name, accounts, counts, result.recovery_key,
                     result.password_only, time.perf_counter() - started)
