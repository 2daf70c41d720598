"""The one text rule (people.check_characters) and every path that takes text from a person.

Any text at all, lone surrogates, control characters and DEL included, is either kept or
refused with InvalidInput naming the field (a sign-in refused as a wrong password); nothing
else is ever raised, and what is kept can be stored, recorded and exported.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.services import audit
from app.services import settings as service_settings
from app.services.audit import AuditFilter
from app.services.calls import topics
from app.services.cases import cases
from app.services.context import SignedIn
from app.services.install import backup
from app.services.install.vault import SignInRefused, Vault
from app.services.people import InvalidInput, Role, check_characters, is_text
from app.services.reports import report
from app.services.reports.csv_export import ABOUT
from app.services.reports.period import month_range
from app.services.staff import staff
from tests.conftest import COLLEAGUE_PASSWORD, MANAGER_PASSWORD
from tests.services.case_helpers import open_case_for

# Characters the rule is about, drawn often; the rest of Unicode (surrogates included) too.
AWKWARD = ("\ud800", "\udfff", "\udc80", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\t",
           "\n", "\r", "\u2028", "\u2029", "\u202e", "\u200d", "\ufffd", "\ufffe",
           "\U000e0001", "\U0010ffff", "😀", "é", "a", " ", "'", "=")
ANY_TEXT = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(AWKWARD)),
                   max_size=40)
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
FIXTURE_SETTINGS = settings(max_examples=40, deadline=None,
                            suppress_health_check=[HealthCheck.function_scoped_fixture])
# Each wrong passphrase costs SQLCipher's key derivation (about a third of a second).
SLOW_SETTINGS = settings(FIXTURE_SETTINGS, max_examples=10)
BROKEN = "bad \ud800 half"


def _storable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- the rule itself -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.booleans(), st.sampled_from([None, False]))
def test_the_rule_keeps_real_text_and_refuses_the_rest(value: str, multiline: bool,
                                                      tabs: bool | None) -> None:
    try:
        kept = check_characters(value, "field", "Label", multiline=multiline, tabs=tabs)
    except InvalidInput as refused:
        assert refused.field == "field" and str(refused).startswith("Label: ")
        allowed = ("\n", *(("\t",) if tabs is None else ())) if multiline else ()
        assert not _storable(value) or any(c in CONTROLS and c not in allowed for c in value) or (
            not multiline and ("\u2028" in value or "\u2029" in value))
        return
    assert kept == value and _storable(value) and is_text(value)
    assert all(c not in CONTROLS or (multiline and c in "\n\t") for c in value)


@pytest.mark.parametrize("character", CONTROLS)
def test_every_control_character_is_refused_in_one_line(character: str) -> None:
    with pytest.raises(InvalidInput):
        check_characters(f"a{character}b", "field", "Label")


# -- every path text comes in by -------------------------------------------------------------------


_names = itertools.count()


@FIXTURE_SETTINGS
@given(which=st.sampled_from(["full_name", "username", "password"]), value=ANY_TEXT)
@example(which="full_name", value=BROKEN)
@example(which="password", value=f"a long password {BROKEN}")
def test_adding_staff_keeps_or_refuses_any_text(manager: SignedIn, which: str, value: str) -> None:
    typed = {"full_name": "Pat Other", "username": f"pat{next(_names)}", "password": COLLEAGUE_PASSWORD}
    typed[which] = value
    try:
        member = staff.add_staff(manager, typed["full_name"], typed["username"], Role.ADVISER,
                                 typed["password"], typed["password"])
    except InvalidInput as refused:
        assert refused.field in {which, "confirm"}, refused
        return
    assert member in staff.list_staff(manager)
    assert _storable(member.full_name) and _storable(member.username)


@SLOW_SETTINGS
@given(ANY_TEXT)
@example(f"a long passphrase {BROKEN}")
@example("a long passphrase \x00")
def test_a_backup_passphrase_is_kept_or_refused(manager: SignedIn, tmp_path: Path, passphrase: str) -> None:
    destination = tmp_path / f"b{next(_names)}{backup.BACKUP_SUFFIX}"
    try:
        backup.create_backup(manager, destination, passphrase, passphrase)
    except InvalidInput as refused:
        assert refused.field in {"passphrase", "confirm"}
        return
    backup.verify_backup(destination, passphrase)


@SLOW_SETTINGS
@given(ANY_TEXT)
@example(f"a long passphrase {BROKEN}")
@example("a long passphrase \x00")
def test_restoring_with_any_passphrase_is_a_plain_refusal(manager: SignedIn, tmp_path: Path,
                                                          passphrase: str) -> None:
    made = tmp_path / f"made{backup.BACKUP_SUFFIX}"
    if not made.exists():
        backup.create_backup(manager, made, "a sound backup passphrase", "a sound backup passphrase")
    with pytest.raises(backup.BackupUnusable) as refused:
        backup.verify_backup(made, passphrase)
    assert refused.value.user_message == backup.WRONG_PASSPHRASE


@FIXTURE_SETTINGS
@given(which=st.sampled_from(["text", "actor", "action"]), value=ANY_TEXT)
@example(which="text", value=BROKEN)
def test_the_audit_trail_filter_takes_any_text(manager: SignedIn, which: str, value: str) -> None:
    try:
        audit.list_events(manager, AuditFilter(**{which: value}))
    except InvalidInput as refused:
        assert refused.field == which


@FIXTURE_SETTINGS
@given(username=ANY_TEXT, password=st.one_of(st.just(MANAGER_PASSWORD), ANY_TEXT))
@example(username=BROKEN, password=MANAGER_PASSWORD)
@example(username="margaret", password=BROKEN)
def test_signing_in_with_any_text_is_let_in_or_refused(
    recovery: str, vault: Vault, time_machine, username: str, password: str,  # type: ignore[no-untyped-def]
) -> None:
    # Past any wait the attempts before asked for, so each one reaches the key slots.
    time_machine.move_to(datetime(2030, 1, 1) + timedelta(minutes=next(_names)), tick=False)
    try:
        vault.sign_in(username, password).close()
    except SignInRefused as refused:
        assert "username or password is not right" in str(refused)
    assert vault.check_password(username, password) in (True, False)


@FIXTURE_SETTINGS
@given(which=st.sampled_from([s.name for s in service_settings.SPECS if isinstance(s.default, str)]),
       value=ANY_TEXT)
@example(which="service_name", value=BROKEN)
def test_service_settings_keep_or_refuse_any_text(manager: SignedIn, which: str, value: str) -> None:
    try:
        service_settings.update(manager, {which: value})
    except InvalidInput as refused:
        assert refused.field == which
        return
    assert _storable(getattr(service_settings.load(manager), which))


@FIXTURE_SETTINGS
@given(ANY_TEXT.filter(lambda name: name.strip() != ""))
@example(BROKEN)
def test_the_report_csv_of_a_service_whose_name_was_kept_is_readable(
    manager: SignedIn, tmp_path: Path, name: str,
) -> None:
    try:
        service_settings.update(manager, {"service_name": name})
    except InvalidInput as refused:
        assert refused.field == "service_name"
        return
    _, this_month = report.report_months(manager)
    destination = tmp_path / f"r{next(_names)}.csv"
    report.export_report(manager, month_range(this_month, this_month), report.ReportFormat.CSV,
                         destination)
    rows = list(csv.reader(io.StringIO(destination.read_bytes().decode("utf-8-sig"))))
    kept = service_settings.load(manager).service_name
    assert [ABOUT, "Service", kept] in rows or [ABOUT, "Service", f"'{kept}"] in rows


# -- one rule, the same answer everywhere ----------------------------------------------------------


def _staff_field(which: str) -> Callable[[SignedIn, str], object]:
    def add(ctx: SignedIn, value: str) -> object:
        typed = {"full_name": "Pat Other", "username": f"pat{next(_names)}",
                 "password": COLLEAGUE_PASSWORD}
        typed[which] = f"{typed[which][:2]}{value}{typed[which][2:]}"
        return staff.add_staff(ctx, typed["full_name"], typed["username"], Role.ADVISER,
                               typed["password"], typed["password"])
    return add


def _setting(name: str) -> Callable[[SignedIn, str], object]:
    return lambda ctx, value: service_settings.update(ctx, {name: f"Some text{value}more"})


PATHS: dict[str, tuple[str, Callable[[SignedIn, str], object]]] = {
    **{f"staff {w}": (w, _staff_field(w)) for w in ("full_name", "username", "password")},
    **{f"setting {s.name}": (s.name, _setting(s.name))
       for s in service_settings.SPECS if isinstance(s.default, str)},
    "backup passphrase": ("passphrase", lambda ctx, value: backup.create_backup(
        ctx, Path("/no such folder/never.confide-backup"),
        f"long passphrase{value}", f"long passphrase{value}")),
    "audit filter": ("text", lambda ctx, value: audit.list_events(ctx, AuditFilter(text=f"x{value}"))),
    "topic name": ("name", lambda ctx, value: topics.add_topic(ctx, f"Top{value}ic")),
    "note text": ("text", lambda ctx, value: cases.add_note(ctx, open_case_for(ctx).case_id or 0,
                                                           f"Line{value}line")),
}


@pytest.mark.parametrize("character", ["\x7f", "\ud800", "\x85", "\x1b", "\x00"])
@pytest.mark.parametrize("where", sorted(PATHS))
def test_del_and_the_other_refused_characters_are_refused_in_every_field(
    manager: SignedIn, where: str, character: str,
) -> None:
    field, store = PATHS[where]
    with pytest.raises(InvalidInput) as refused:
        store(manager, character)
    assert refused.value.field == field


def test_tabs_and_line_breaks_are_kept_where_the_field_has_lines(manager: SignedIn) -> None:
    case_id = open_case_for(manager).case_id or 0
    cases.add_note(manager, case_id, "Called back:\n\tschool\n\tparent")
    assert cases.open_case(manager, case_id).notes[0].text == "Called back:\n\tschool\n\tparent"
    service_settings.update(manager, {"service_address": "1 High Street\nNorthfield"})
    for name, value in (("service_address", "1 High\tStreet"), ("service_name", "One\nTwo"),
                        ("service_name", "One\u2028Two")):
        with pytest.raises(InvalidInput) as refused:
            service_settings.update(manager, {name: value})
        assert refused.value.field == name


# -- signing in --------------------------------------------------------------------------------


def test_a_broken_username_is_refused_and_counted_like_a_wrong_one(
    manager: SignedIn, vault: Vault, time_machine,  # type: ignore[no-untyped-def]
) -> None:
    time_machine.move_to(datetime(2030, 1, 1), tick=False)
    with pytest.raises(SignInRefused) as first:
        vault.sign_in(BROKEN, MANAGER_PASSWORD)
    assert str(first.value) == "The username or password is not right. Check Caps Lock and try again."
    with pytest.raises(SignInRefused) as second:
        vault.sign_in("bad \ud800 half", MANAGER_PASSWORD)
    assert second.value.wait_seconds > 0
    time_machine.move_to(datetime(2030, 1, 1, 0, 5), tick=False)
    with pytest.raises(SignInRefused, match="username or password is not right"):
        vault.sign_in("margaret", "a broken \udc80 password")
    assert not vault.check_password("margaret", "a broken \udc80 password")
    with pytest.raises(InvalidInput) as refused:
        staff.change_own_password(manager, "a broken \udc80 password", "a new long password",
                                  "a new long password")
    assert refused.value.field == "current"


def test_the_record_of_a_broken_username_reaches_the_audit_trail(
    manager: SignedIn, vault: Vault, time_machine,  # type: ignore[no-untyped-def]
) -> None:
    time_machine.move_to(datetime(2030, 1, 1), tick=False)
    for _ in range(2):
        with pytest.raises(SignInRefused):
            vault.sign_in("bad \ud800 half", MANAGER_PASSWORD)
    with pytest.raises(SignInRefused, match="Too many wrong attempts"):
        vault.sign_in("bad \udfff half", MANAGER_PASSWORD)
    time_machine.move_to(datetime(2030, 1, 1, 0, 5), tick=False)
    ctx = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        failed = [e.actor for e in audit.list_events(ctx, AuditFilter(action="sign-in failed"))]
    finally:
        ctx.close()
    assert failed == ["bad \ufffd half"] * 3
