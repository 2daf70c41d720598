"""Service settings: checked against their declaration, audited by field name, managers only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.services import audit, settings
from app.services.context import SignedIn
from app.services.people import InvalidInput, PermissionRefused


def test_update_saves_and_audits_the_field_names_only(manager: SignedIn) -> None:
    result = settings.update(manager,
                             {"service_phone": "01908 123456", "idle_lock_minutes": "12"})
    assert result.service_phone == "01908 123456" and result.idle_lock_minutes == 12
    assert settings.load(manager) == result
    events = audit.list_events(manager,
                               audit.AuditFilter(action="settings changed"))
    assert len(events) == 1
    assert "idle_lock_minutes" in events[0].detail and "service_phone" in events[0].detail
    assert "01908" not in events[0].detail


def test_no_change_no_audit(manager: SignedIn) -> None:
    current = settings.load(manager)
    settings.update(manager, {"service_name": current.service_name})
    assert not audit.list_events(manager,
                                 audit.AuditFilter(action="settings changed"))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"idle_lock_minutes": 0}, "idle_lock_minutes"),
        ({"idle_lock_minutes": 61}, "idle_lock_minutes"),
        ({"idle_lock_minutes": "five"}, "idle_lock_minutes"),
        ({"service_name": "   "}, "service_name"),
        ({"service_name": "x" * 121}, "service_name"),
        ({"service_phone": "0190\x00 1234"}, "service_phone"),
        ({"service_address": "1 Road\x1b[2J"}, "service_address"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_bad_values_are_refused_by_field(manager: SignedIn, values: dict[str, object], field: str) -> None:
    before = settings.load(manager)
    with pytest.raises(InvalidInput) as refused:
        settings.update(manager, values)
    assert refused.value.field == field
    assert settings.load(manager) == before


@pytest.mark.parametrize(
    "hostile",
    ["Robert'); DROP TABLE staff;--", "\" OR 1=1 --", "<script>alert(1)</script>", "Ŵéłšħ Çàfé ☎ 📞",
     "Line one\nLine two"],
)
def test_awkward_text_is_stored_exactly(manager: SignedIn, hostile: str) -> None:
    settings.update(manager, {"service_address": hostile})
    assert settings.load(manager).service_address == hostile


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_validate_cleans_or_refuses_any_text(value: str) -> None:
    try:
        cleaned = settings.validate({"service_address": value})["service_address"]
    except InvalidInput as refused:
        assert refused.field == "service_address"
        return
    assert len(cleaned) <= 400
    assert all(ord(c) >= 32 or c == "\n" for c in cleaned)


def test_advisers_and_coordinators_cannot_change_settings(
    manager: SignedIn, adviser: SignedIn, coordinator: SignedIn,
) -> None:
    for colleague in (adviser, coordinator):
        with pytest.raises(PermissionRefused):
            settings.update(colleague, {"service_name": "Taken Over"})
    assert settings.load(manager).service_name == "Northfield SEN Advice"
