"""What the consent tests share: a school to consent to, a scanned form, granting consent and
reading the audit trail."""

from __future__ import annotations

from app.services import audit
from app.services.cases.fields import ConsentMethod
from app.services.consent import consent
from app.services.consent.consent import ConsentEntry, ThirdPartyContactDetails
from app.services.consent.records import ConsentKind, Party, PartyKind
from app.services.context import SignedIn

SCHOOL = Party(PartyKind.SCHOOL, "Northfield Primary")
PDF_SCAN = b"%PDF-1.4\n% a scanned form\n%%EOF\n"


def grant(ctx: SignedIn, case_id: int, party: Party | None = None, granted: bool = True,
          kind: ConsentKind = ConsentKind.THIRD_PARTY, **extra: object) -> consent.ConsentRecordView:
    entry = ConsentEntry(kind=kind, granted=granted, method=ConsentMethod.SIGNED_FORM,
                         party_kind=party.kind if party else None, party_name=party.name if party else "",
                         **extra)  # type: ignore[arg-type]
    return consent.record_consent(ctx, case_id, entry)


def contact_with(party: Party, **extra: object) -> ThirdPartyContactDetails:
    return ThirdPartyContactDetails(party.kind, party.name, summary="Asked about support plan",
                                    **extra)  # type: ignore[arg-type]


def audit_events(ctx: SignedIn) -> list[audit.AuditEntry]:
    return audit.list_events(ctx, audit.AuditFilter())


def audit_actions(ctx: SignedIn) -> list[str]:
    return [event.action for event in audit_events(ctx)]
