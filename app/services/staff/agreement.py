"""The service's confidentiality agreement: every staff member accepts it before first use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.models.staff import AgreementAcceptance
from app.paths import resources_dir
from app.services import audit
from app.services.clock import now
from app.services.context import SignedIn

AGREEMENT_FILE = "confidentiality_agreement.txt"


@dataclass(frozen=True)
class Agreement:
    version: str
    title: str
    body: str


def load_agreement(service_name: str) -> Agreement:
    """The agreement text from resources/, with the service's name filled in."""
    lines = (resources_dir() / AGREEMENT_FILE).read_text("utf-8").splitlines()
    header: dict[str, str] = {}
    while lines and ":" in lines[0] and lines[0].strip():
        key, _, value = lines.pop(0).partition(":")
        header[key.strip()] = value.strip()
    body = "\n".join(lines).strip().replace("{service_name}", service_name or "the service")
    return Agreement(header.get("version", "1"), header.get("title", "Confidentiality agreement"), body)


def accepted_at(ctx: SignedIn, version: str) -> datetime | None:
    with ctx.read() as session:
        return session.scalars(
            select(AgreementAcceptance.accepted_at).where(
                AgreementAcceptance.staff_id == ctx.actor.id,
                AgreementAcceptance.agreement_version == version,
            )
        ).first()


def accept(ctx: SignedIn, version: str) -> datetime:
    when = now().replace(microsecond=0)
    with ctx.write() as session:
        session.add(AgreementAcceptance(staff_id=ctx.actor.id, agreement_version=version,
                                        accepted_at=when))
        audit.record(session, ctx.actor, "confidentiality agreement accepted",
                     target=f"staff:{ctx.actor.id}", detail={"version": version})
    return when
