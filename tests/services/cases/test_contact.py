"""Contact preferences and the only words a left message may hold."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.cases import Parent
from app.services import settings
from app.services.cases import cases, contact
from app.services.cases.cases import ParentDetails
from app.services.cases.contact import ContactPreferences, MessageWay
from app.services.cases.fields import ContactMethod
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused
from tests.services.case_helpers import open_case_for


def parent_id(ctx: SignedIn) -> int:
    with ctx.write() as session:
        return session.scalars(select(Parent.id)).one()


def test_message_refused_until_allowed(manager: SignedIn) -> None:
    open_case_for(manager)
    pid = parent_id(manager)
    assert contact.contact_preferences(manager, pid) is None
    with pytest.raises(PermissionRefused, match="No contact preferences"):
        contact.leave_message_text(manager, pid)
    contact.set_contact_preferences(manager, pid, ContactPreferences(
        use_mobile=True, message_with_colleague_allowed=True, preferred_method=ContactMethod.MOBILE))
    with pytest.raises(PermissionRefused, match="voicemail"):
        contact.leave_message_text(manager, pid, MessageWay.VOICEMAIL)
    message = contact.leave_message_text(manager, pid, MessageWay.WITH_COLLEAGUE)
    assert message == ("This is a message for Mrs Smith. Margaret called. "
                       "Please ring back on 01908 000000.")
    for never in ("Jane", "John", "SEN", "Northfield", "MK6", "case", "C-"):
        assert never not in message


def test_first_name_when_no_title_and_phone_required(manager: SignedIn) -> None:
    record = open_case_for(manager)
    parent = cases.add_parent(manager, record.case_id or 0, ParentDetails(
        "Sam Taylor", phone_mobile="07700 900000",
        preferences=ContactPreferences(use_mobile=True, voicemail_allowed=True)))
    assert contact.leave_message_text(manager, parent.id).startswith("This is a message for Sam.")
    settings.update(manager, {"service_phone": ""})
    with pytest.raises(PermissionRefused, match="phone number is not set"):
        contact.leave_message_text(manager, parent.id)


@pytest.mark.parametrize(("wanted", "field"), [
    (ContactPreferences(use_home=True), "use_home"),
    (ContactPreferences(use_work=True), "use_work"),
    (ContactPreferences(preferred_method=ContactMethod.MOBILE), "preferred_method"),
    (ContactPreferences(preferred_method="fax"), "preferred_method"),  # type: ignore[arg-type]
])
def test_preferences_must_fit_the_details(manager: SignedIn, wanted: ContactPreferences,
                                          field: str) -> None:
    open_case_for(manager)
    with pytest.raises(InvalidInput) as refused:
        contact.set_contact_preferences(manager, parent_id(manager), wanted)
    assert refused.value.field == field


def test_preferences_round_trip(manager: SignedIn) -> None:
    open_case_for(manager)
    wanted = ContactPreferences(use_mobile=True, voicemail_allowed=True, email_allowed=True,
                                preferred_method=ContactMethod.EMAIL)
    assert contact.set_contact_preferences(manager, parent_id(manager), wanted) == wanted
    view = cases.search_cases(manager, "Smith")[0]
    assert cases.open_case(manager, view.id).parents[0].preferences == wanted
