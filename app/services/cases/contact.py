"""Contact preferences per parent, and the only words a left message may contain.

Staffordshire 6, Milton Keynes, Surrey 4.2: a message says who it is for, who called and the
service's number, nothing else, and only when the parent agreed to messages being left.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from app.models.cases import Case, ContactPreference, Parent
from app.services import audit, changes, settings
from app.services.access import case_for_parent, require_case, target
from app.services.cases.case_file import touch
from app.services.cases.fields import ConsentMethod, ContactMethod, optional_choice
from app.services.clock import now
from app.services.consent import records as consent_records
from app.services.consent.records import ConsentKind
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused


@dataclass(frozen=True)
class ContactPreferences:
    use_mobile: bool = False
    use_home: bool = False
    use_work: bool = False
    voicemail_allowed: bool = False
    message_with_colleague_allowed: bool = False
    email_allowed: bool = False
    preferred_method: ContactMethod | None = None


class MessageWay(StrEnum):
    VOICEMAIL = "voicemail"
    WITH_COLLEAGUE = "with a colleague"


def preferences_of(row: ContactPreference | None) -> ContactPreferences | None:
    if row is None:
        return None
    return ContactPreferences(
        use_mobile=row.use_mobile, use_home=row.use_home, use_work=row.use_work,
        voicemail_allowed=row.voicemail_allowed,
        message_with_colleague_allowed=row.message_with_colleague_allowed,
        email_allowed=row.email_allowed,
        preferred_method=ContactMethod(row.preferred_method) if row.preferred_method else None,
    )


def write_preferences(session: Session, parent: Parent, wanted: ContactPreferences,
                      staff_id: int, agreed_by: ConsentMethod = ConsentMethod.VERBAL) -> None:
    """Store preferences inside the caller's unit of work, checking they fit the parent's details.

    Allowing email, voicemail or messages with colleagues is the family's consent to them, so
    it is entered in the consent register too (given by `agreed_by`) when the register has no current
    grant; withdrawing on the Consent tab switches the preference off again.
    """
    method = optional_choice(ContactMethod, wanted.preferred_method, "preferred_method",
                             "Preferred method")
    numbers = {ContactMethod.MOBILE: (wanted.use_mobile, parent.phone_mobile, "use_mobile"),
               ContactMethod.HOME: (wanted.use_home, parent.phone_home, "use_home"),
               ContactMethod.WORK: (wanted.use_work, parent.phone_work, "use_work")}
    for allowed, number, field in numbers.values():
        if allowed and not number:
            raise InvalidInput("There is no number recorded for this; add it first.", field)
    if wanted.email_allowed and not parent.email:
        raise InvalidInput("There is no email address recorded; add it first.", "email_allowed")
    chosen_allowed = {**{m: n[0] for m, n in numbers.items()},
                      ContactMethod.EMAIL: wanted.email_allowed, ContactMethod.LETTER: True}
    if method is not None and not chosen_allowed[method]:
        raise InvalidInput(
            "The preferred method must be one the parent agreed may be used.", "preferred_method"
        )
    row = session.get(ContactPreference, parent.id)
    if row is None:
        row = ContactPreference(parent_id=parent.id)
        session.add(row)
    row.use_mobile, row.use_home, row.use_work = wanted.use_mobile, wanted.use_home, wanted.use_work
    row.voicemail_allowed = wanted.voicemail_allowed
    row.message_with_colleague_allowed = wanted.message_with_colleague_allowed
    row.email_allowed = wanted.email_allowed
    row.preferred_method = method.value if method else ""
    row.updated_at = now().replace(microsecond=0)
    row.updated_by = staff_id
    allowed = {ConsentKind.EMAIL: wanted.email_allowed, ConsentKind.VOICEMAIL: wanted.voicemail_allowed,
               ConsentKind.MESSAGE_WITH_COLLEAGUE: wanted.message_with_colleague_allowed}
    consent_records.grant_if_not_current(session, parent.case_id,
                                         [kind for kind, yes in allowed.items() if yes], agreed_by,
                                         staff_id)


def _parent(session: Session, ctx: SignedIn, parent_id: int, reason: str | None) -> tuple[Parent, Case]:
    case = require_case(session, ctx.actor, case_for_parent(session, parent_id), reason)
    parent = session.get(Parent, parent_id)
    assert parent is not None  # its case was found through it in this unit of work
    return parent, case


def set_contact_preferences(ctx: SignedIn, parent_id: int, wanted: ContactPreferences,
                            reason: str | None = None) -> ContactPreferences:
    with ctx.write() as session:
        parent, case = _parent(session, ctx, parent_id, reason)
        reference = case.reference
        write_preferences(session, parent, wanted, ctx.actor.id)
        touch(case)
        audit.record(session, ctx.actor, "contact preferences changed", target=target(case),
                     detail={"parent_id": parent_id})
        stored = preferences_of(session.get(ContactPreference, parent_id))
    changes.publish(changes.PEOPLE_CHANGED, reference)
    assert stored is not None
    return stored


def contact_preferences(ctx: SignedIn, parent_id: int,
                        reason: str | None = None) -> ContactPreferences | None:
    """None when nothing has been recorded, which allows no message and no email."""
    with ctx.write() as session:
        parent, case = _parent(session, ctx, parent_id, reason)
        audit.record(session, ctx.actor, "contact preferences viewed", target=target(case),
                     detail={"parent_id": parent_id})
        return preferences_of(session.get(ContactPreference, parent.id))


def addressee(parent: Parent) -> str:
    """Title and surname when a title is recorded, otherwise the first name."""
    words = parent.full_name.split()
    if parent.title and len(words) > 1:
        return f"{parent.title} {words[-1]}"
    return words[0] if words else parent.title


def leave_message_text(ctx: SignedIn, parent_id: int, way: MessageWay = MessageWay.VOICEMAIL,
                       reason: str | None = None) -> str:
    """The whole message, or PermissionRefused saying why no message may be left."""
    way = MessageWay(way)
    with ctx.write() as session:
        parent, case = _parent(session, ctx, parent_id, reason)
        reference, who = case.reference, addressee(parent)
        prefs = preferences_of(session.get(ContactPreference, parent.id))
        service_phone = settings.read(session).service_phone
        kind = ConsentKind.VOICEMAIL if way is MessageWay.VOICEMAIL else ConsentKind.MESSAGE_WITH_COLLEAGUE
        family_consents = consent_records.is_granted(session, case.id, kind)
        parent_agrees = prefs is not None and (
            prefs.voicemail_allowed if way is MessageWay.VOICEMAIL
            else prefs.message_with_colleague_allowed
        )
        if not (family_consents and parent_agrees):
            audit.record(session, ctx.actor, "message refused", target=f"case:{reference}",
                         detail={"parent_id": parent_id, "way": way.value})
    # Raised outside the unit of work so the refusal stays in the audit trail.
    if prefs is None:
        raise PermissionRefused(
            "No contact preferences are recorded for this parent, so no message may be left. "
            "Ask them next time you speak."
        )
    if not parent_agrees:
        raise PermissionRefused(
            f"This parent has not agreed to a message being left {way.value}. "
            "Try again later or use their preferred method."
        )
    if not family_consents:
        raise consent_records.ConsentRequired(
            f"The family has not given current consent to a message being left {way.value}, so "
            "no message may be left. Check the Consent tab.", kind)
    if not service_phone:
        raise PermissionRefused(
            "The service's phone number is not set, so a message cannot give it. "
            "A manager can add it in Admin → Settings."
        )
    caller = ctx.actor.full_name.split()[0]
    with ctx.write() as session:
        audit.record(session, ctx.actor, "message text shown", target=f"case:{reference}",
                     detail={"parent_id": parent_id, "way": way.value})
    return (f"This is a message for {who}. {caller} called. "
            f"Please ring back on {service_phone}.")
