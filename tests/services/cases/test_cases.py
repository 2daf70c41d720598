"""Case files: search, lists, the case view, notes with history, people, breach decisions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from alembic import command
from sqlalchemy import inspect, select, text

from app.models import migrate, search
from app.models.cases import NoteRevision
from app.services.calls import calls, topics
from app.services.cases import cases, finding
from app.services.cases.cases import BreachDecisionDetails, CaseFilter, ChildDetails, ParentDetails
from app.services.cases.fields import NoteKind
from app.services.consent.records import Party, PartyKind
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault
from app.services.people import InvalidInput, PermissionRefused
from tests.conftest import MANAGER_PASSWORD
from tests.services.case_helpers import open_case_for


def test_search_by_every_kind_of_detail(manager: SignedIn) -> None:
    smith = open_case_for(manager, "Smith")
    jones = open_case_for(manager, "Jones")
    cases.add_parent(manager, jones.case_id or 0,
                     ParentDetails("Robert O'Brien-Jones", postcode="sw1a 2aa", phone_home="020 7946 0018"))

    def found(typed: str) -> list[str]:
        return [c.reference for c in cases.search_cases(manager, typed)]

    assert found("Jane Smith") == [smith.case_reference]
    assert found("jan smi") == [smith.case_reference]
    assert found("john") == [jones.case_reference, smith.case_reference]
    assert found(smith.case_reference or "") == [smith.case_reference]
    assert found(f"{(smith.case_reference or '')[-4:]}") == [smith.case_reference]
    assert found("SW1A 2") == [jones.case_reference]
    assert found("sw1a2aa") == [jones.case_reference]
    assert found("0999 1234") == [] and found("020 7946") == [jones.case_reference]
    assert found("o'brien") == [jones.case_reference]
    assert found("%") == [] and found("_ _") == [] and found("x") == []
    summary = cases.search_cases(manager, "Smith")[0]
    assert summary.family_names == ("Jane Smith",) and summary.child_names == ("John Smith",)
    assert summary.postcodes == ("MK6 1AA",) and summary.assigned_to_me


def test_list_filters(manager: SignedIn) -> None:
    due = open_case_for(manager, "Due", follow_up_date=date.today())
    flagged = open_case_for(manager, "Flag")
    cases.set_safeguarding_flag(manager, flagged.case_id or 0, True)
    assert {c.reference for c in cases.list_cases(manager)} == {due.case_reference, flagged.case_reference}
    assert [c.reference for c in cases.list_cases(manager, CaseFilter(follow_ups_due=True))] == [
        due.case_reference]
    listed = cases.list_cases(manager, CaseFilter(safeguarding=True))
    assert [c.reference for c in listed] == [flagged.case_reference] and listed[0].safeguarding
    cases.set_safeguarding_flag(manager, flagged.case_id or 0, False)
    assert cases.list_cases(manager, CaseFilter(safeguarding=True)) == []


def test_a_summary_line_carries_people_advisers_and_follow_ups_in_order(
        manager: SignedIn, adviser: SignedIn) -> None:
    record = open_case_for(manager, "Summers", follow_up_date=date.today() + timedelta(days=3))
    case_id = record.case_id or 0
    cases.add_parent(manager, case_id, ParentDetails("Robin Summers", postcode="mk6 1aa"))
    cases.add_parent(manager, case_id, ParentDetails("Ash Winters", postcode="SW1A 2AA"))
    cases.add_child(manager, case_id, ChildDetails("Zoe Summers"))
    cases.assign_adviser(manager, case_id, adviser.actor.id)

    def line(ctx: SignedIn) -> cases.CaseSummary:
        return cases.search_cases(ctx, "summers")[0]

    summary = line(manager)
    assert summary.family_names == ("Jane Summers", "Robin Summers", "Ash Winters")
    assert summary.child_names == ("John Summers", "Zoe Summers")
    assert summary.postcodes == ("MK6 1AA", "SW1A 2AA")  # one line per postcode, first seen first
    assert summary.advisers == ("Margaret Manager", adviser.actor.full_name)
    assert summary.assigned_to_me and line(adviser).assigned_to_me
    assert not summary.follow_up_due  # the follow-up is three days off
    with time_machine.travel(datetime.now() + timedelta(days=3), tick=False):
        assert line(manager).follow_up_due
        calls.mark_follow_up_done(manager, record.id)
        assert not line(manager).follow_up_due


def test_only_managers_clear_safeguarding(manager: SignedIn, adviser: SignedIn) -> None:
    record = open_case_for(adviser, "Flag", safeguarding_concern=True)
    assert cases.open_case(adviser, record.case_id or 0).safeguarding
    with pytest.raises(PermissionRefused):
        cases.set_safeguarding_flag(adviser, record.case_id or 0, False)


def test_case_view_holds_everything(manager: SignedIn) -> None:
    record = open_case_for(manager, "Smith", follow_up_date=date.today() + timedelta(days=1))
    view = cases.open_case(manager, record.case_id or 0)
    assert view.reference == record.case_reference
    assert [p.full_name for p in view.parents] == ["Jane Smith"]
    assert view.parents[0].postcode == "MK6 1AA"
    assert view.children[0].date_of_birth == date(2015, 3, 9)
    assert view.children[0].coded_reference == "J.S. 03/2015"
    assert [c.id for c in view.calls] == [record.id]
    assert [c.id for c in view.follow_ups] == [record.id]
    assert [a.full_name for a in view.advisers] == ["Margaret Manager"]
    assert [(c.kind, c.method, c.recorded_by) for c in view.consents] == [
        ("keep_details", "verbal", "Margaret Manager")]
    assert view.manager_views == () and not view.reopened


def test_note_edit_keeps_history(manager: SignedIn, adviser: SignedIn) -> None:
    record = open_case_for(manager)
    note = cases.add_note(manager, record.case_id or 0, "First version")
    edited = cases.edit_note(manager, note.id, "Second version")
    edited = cases.edit_note(manager, note.id, "Third version")
    assert edited.text == "Third version" and edited.edited_at is not None
    assert [r.text for r in edited.history] == ["First version", "Second version"]
    assert edited.history[0].replaced_by == "Margaret Manager"
    same = cases.edit_note(manager, note.id, "Third version")
    assert len(same.history) == 2
    with manager.write() as session:
        assert len(session.scalars(select(NoteRevision)).all()) == 2
    view = cases.open_case(manager, record.case_id or 0)
    assert view.notes[0].history == edited.history
    cases.assign_adviser(manager, record.case_id or 0, adviser.actor.id)
    with pytest.raises(PermissionRefused):
        cases.edit_note(adviser, note.id, "Not my note")
    with pytest.raises(InvalidInput):
        cases.add_note(manager, record.case_id or 0, "x", kind=NoteKind.BREACH_DECISION)


def test_breach_decision_recorded(manager: SignedIn) -> None:
    record = open_case_for(manager)
    told = datetime(2025, 6, 1, 9, 30)
    note = cases.record_breach_decision(manager, record.case_id or 0, BreachDecisionDetails(
        concern="Child disclosed harm at home", consulted="Line manager (Margaret)",
        decision="Refer to children's social care", outcome="shared",
        agencies=(Party(PartyKind.SOCIAL_CARE, "Children's social care"),),
        parent_told=True, parent_told_at=told))
    assert note.kind is NoteKind.BREACH_DECISION and note.breach is not None
    assert note.breach.parent_told_at == told
    view = cases.open_case(manager, record.case_id or 0)
    assert view.safeguarding and view.notes[0].breach == note.breach
    with pytest.raises(InvalidInput) as refused:
        cases.record_breach_decision(manager, record.case_id or 0,
                                     BreachDecisionDetails("Concern", "", "Decision"))
    assert refused.value.field == "consulted"


def test_people_added_and_changed(manager: SignedIn) -> None:
    record = open_case_for(manager)
    case_id = record.case_id or 0
    parent = cases.add_parent(manager, case_id, ParentDetails("Tom Smith", relationship="father"))
    changed = cases.update_parent(manager, parent.id, ParentDetails("Tom Smith", postcode="mk9 3xs"))
    assert changed.postcode == "MK9 3XS" and changed.relationship == ""
    child = cases.add_child(manager, case_id, ChildDetails("Amy Smith", date_of_birth="29/02/2016"))
    assert child.date_of_birth == date(2016, 2, 29)
    child = cases.update_child(manager, child.id, ChildDetails("Amy Smith", year_group="Year 3"))
    assert child.year_group == "Year 3" and child.date_of_birth is None
    assert [c.reference for c in cases.search_cases(manager, "MK9 3XS")] == [record.case_reference]


def test_migration_upgrades_an_earlier_install(manager: SignedIn, vault: Vault) -> None:
    record = open_case_for(manager)
    assert record.case_reference
    config = migrate._config()
    with storage_access.database_of(manager).engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    with storage_access.database_of(manager).engine.connect() as connection:
        assert "case_file" not in inspect(connection).get_table_names()
        assert connection.execute(text("SELECT count(*) FROM staff")).scalar() == 1
    manager.close()
    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        assert migrate.current_revision(storage_access.database_of(again)) == migrate.head_revision()
        assert list(again.folder.backups.glob("before-upgrade-from-0001-*.db"))
        assert cases.list_cases(again) == []
        open_case_for(again)
        assert len(topics.list_topics(again)) == 11
    finally:
        again.close()


def test_search_index_covers_rows_from_before_it_existed(manager: SignedIn, vault: Vault) -> None:
    record = open_case_for(manager)
    case_id = record.case_id or 0
    cases.add_parent(manager, case_id, ParentDetails("Siobhán O'Brien-Kaur", postcode="mk6 1aa",
                                                     phone_mobile="07700 900123"))
    config = migrate._config()
    with storage_access.database_of(manager).engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    manager.close()
    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        for typed in ("siob", "SIOBHAN", "o'bri kaur", "kau sio", "MK6 1", "+44 7700 900", "07700900123"):
            found = [c.reference for c in cases.search_cases(again, typed)]
            assert found == [record.case_reference], typed
        for typed in ("brienk", "obr", "MK7", "07700 901", '"*) OR name:*'):
            assert cases.search_cases(again, typed) == [], typed
    finally:
        again.close()


def test_search_index_follows_changes_and_deletions(manager: SignedIn) -> None:
    record = open_case_for(manager)
    case_id = record.case_id or 0
    parent = cases.add_parent(manager, case_id, ParentDetails("Tom Smith"))
    assert cases.search_cases(manager, "tom smi")
    cases.update_parent(manager, parent.id, ParentDetails("Thomas Jones"))
    assert cases.search_cases(manager, "tom smi") == []
    assert [c.reference for c in cases.search_cases(manager, "thom jon")] == [record.case_reference]
    with manager.write() as session:
        session.execute(text("DELETE FROM parent WHERE id = :id"), {"id": parent.id})
        left = session.execute(text("SELECT count(*) FROM case_search WHERE rowid = :r"),
                               {"r": case_id * search.CASE_STRIDE + parent.id * 2}).scalar()
    assert left == 0
    assert cases.search_cases(manager, "thom jon") == []


def test_safeguarding_concern_keeps_who_raised_it_until_cleared(manager: SignedIn) -> None:
    record = open_case_for(manager)
    case_id = record.case_id or 0
    cases.set_safeguarding_flag(manager, case_id, True)
    view = cases.open_case(manager, case_id)
    assert view.safeguarding and view.safeguarding_raised_by == manager.actor.full_name
    assert view.safeguarding_raised_at is not None
    first = view.safeguarding_raised_at
    cases.record_breach_decision(manager, case_id, cases.BreachDecisionDetails(
        "Concern", "Line manager", "Tell social care", outcome="shared",
        agencies=(Party(PartyKind.SOCIAL_CARE, "Children's social care"),)))
    assert cases.open_case(manager, case_id).safeguarding_raised_at == first
    cases.set_safeguarding_flag(manager, case_id, False)
    cleared = cases.open_case(manager, case_id)
    assert not cleared.safeguarding and cleared.safeguarding_raised_at is None
    assert cleared.safeguarding_raised_by == ""


def test_a_broad_search_ranks_only_the_newest_candidates_and_says_there_are_more(
        manager: SignedIn, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [open_case_for(manager, surname) for surname in ("Ashe", "Bell", "Cole", "Dunn", "Eyre")]
    monkeypatch.setattr(finding, "SEARCH_CANDIDATES", 3)
    # Every family here has a mobile starting 07700 900: five match, only the newest three are
    # ranked, and the person is told to type more.
    broad = cases.find_cases(manager, "07700 9", limit=2)
    assert len(broad.cases) == 2 and broad.more
    newest = {m.case_reference for m in made[-3:]}
    assert {c.reference for c in broad.cases} <= newest
    narrow = cases.find_cases(manager, "ashe", limit=2)
    assert [c.reference for c in narrow.cases] == [made[0].case_reference] and not narrow.more
    exact = cases.find_cases(manager, "07700 9", limit=3)
    assert len(exact.cases) == 3 and not exact.more


def test_an_advisers_own_case_is_found_however_many_other_cases_match(
        manager: SignedIn, adviser: SignedIn, monkeypatch: pytest.MonkeyPatch) -> None:
    hers = open_case_for(manager, "Ashe")
    for surname in ("Bell", "Cole", "Dunn", "Eyre"):
        open_case_for(manager, surname)
    cases.assign_adviser(manager, hers.case_id or 0, adviser.actor.id)
    monkeypatch.setattr(finding, "SEARCH_CANDIDATES", 2)
    found = cases.find_cases(adviser, "07700 900123")
    assert [c.reference for c in found.cases] == [hers.case_reference] and not found.more


def test_reference_search_by_start_or_digits(manager: SignedIn) -> None:
    first, second = open_case_for(manager, "Ashe"), open_case_for(manager, "Bell")
    assert first.case_reference and second.case_reference
    year = first.case_reference[2:6]

    def found(typed: str) -> list[str]:
        return sorted(c.reference for c in cases.search_cases(manager, typed))

    both = sorted([first.case_reference, second.case_reference])
    assert found(f"C-{year}") == both and found(f"c-{year}-") == both
    assert found(first.case_reference.lower()) == [first.case_reference]
    assert found(f"{year}-0001") == [first.case_reference]
    assert found(second.case_reference[-4:]) == [second.case_reference]
    assert found("C-1999") == [] and found(f"{year}00") == []


def test_search_index_rebuilt_with_longer_prefixes_keeps_every_row(manager: SignedIn, vault: Vault) -> None:
    record = open_case_for(manager, "Ashe")
    config = migrate._config()
    with storage_access.database_of(manager).engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
        definition = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'case_search'")
                                        ).scalar()
        assert "prefix='1 2 3 4'" in definition
    manager.close()
    again = vault.sign_in("margaret", MANAGER_PASSWORD)
    try:
        with again.write() as session:
            definition = session.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'case_search'")).scalar()
        assert "prefix='1 2 3 4 5 6 7 8'" in definition
        for typed in ("ashe", "07700 900", "MK6 1", "john ash"):
            assert [c.reference for c in cases.search_cases(again, typed)] == [record.case_reference], typed
        later = open_case_for(again, "Bell")
        assert [c.reference for c in cases.search_cases(again, "bell")] == [later.case_reference]
    finally:
        again.close()
