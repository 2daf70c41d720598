"""Retention: the right cases archived and destroyed on the right day under each preset, legal
hold, read-only archived cases, the preview, the summary, and what destruction leaves behind."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, text

from app.models import search
from app.models.cases import Case
from app.models.foundation import Draft
from app.services import audit, drafts
from app.services.access import CaseArchived
from app.services.calls.calls import CallDetails, NamedCall, log_named_call
from app.services.cases import cases
from app.services.cases.cases import CaseFilter
from app.services.cases.family import ChildDetails, ParentDetails
from app.services.cases.fields import CaseStatus
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.vault import Vault
from app.services.people import InvalidInput, PermissionRefused
from app.services.retention import destruction, legal_hold, retention
from app.services.retention.rules import (
    CUSTOM,
    DEFAULT_RULES,
    PRESET_BY_KEY,
    RetentionRules,
    add_months,
    add_years,
)
from tests.services.case_helpers import YES, call_statistics
from tests.services.page_scan import found_in_pages

START = datetime(2026, 1, 10, 9, 30)


@contextmanager
def on(day: date | datetime) -> Iterator[None]:
    moment = day if isinstance(day, datetime) else datetime.combine(day, datetime.min.time())
    with time_machine.travel(moment + timedelta(hours=10), tick=False):
        yield


def family_case(ctx: SignedIn, surname: str, born: date | None = date(2015, 3, 9),
                summary: str = "") -> int:
    parents = (ParentDetails(full_name=f"Jane {surname}", postcode="MK6 1AA",
                             phone_mobile="07700 900123", address_line1=f"1 {surname} Road"),)
    children = (ChildDetails(full_name=f"Sam {surname}", date_of_birth=born,
                             school=f"{surname} Primary", needs=f"{surname} needs"),)
    record = log_named_call(ctx, NamedCall(CallDetails(summary=summary or f"{surname} rang",
                                                       area_district="MK6"), YES,
                                           parents=parents, children=children))
    return record.case_id or 0


def use(ctx: SignedIn, preset: str) -> RetentionRules:
    return retention.save_rules(ctx, replace(DEFAULT_RULES, retention_preset=preset))


def status_of(ctx: SignedIn, case_id: int) -> str | None:
    with ctx.write() as session:
        return session.scalar(select(Case.status).where(Case.id == case_id))


def run_on(ctx: SignedIn, day: date) -> retention.RetentionSummary:
    with on(day):
        return retention.run(ctx)


# -- each preset on the right day -----------------------------------------------------------------


def test_default_rules_archive_after_six_months_and_destroy_after_six_years(manager: SignedIn) -> None:
    with on(START):
        case_id = family_case(manager, "Inkwell")
    archive_day = add_months(START.date(), 6)
    assert run_on(manager, archive_day - timedelta(days=1)).counts["archived"] == 0
    assert status_of(manager, case_id) == "open"
    done = run_on(manager, archive_day)
    assert done.archived and status_of(manager, case_id) == "archived"
    destroy_day = add_years(START.date(), 6)
    assert run_on(manager, destroy_day - timedelta(days=1)).counts["destroyed"] == 0
    assert status_of(manager, case_id) == "archived"
    summary = run_on(manager, destroy_day)
    assert summary.counts["destroyed"] == 1 and status_of(manager, case_id) is None
    with manager.write() as session:
        rule = session.execute(text("SELECT rule, run_by FROM destruction_record")).one()
    assert tuple(rule) == ("retention: 6 years without activity", "confide")


def test_closed_cases_archive_a_year_after_closing_under_reading(manager: SignedIn) -> None:
    use(manager, "reading")
    with on(START):
        closed = family_case(manager, "Closedwell")
        quiet = family_case(manager, "Quietwell")
        cases.close_case(manager, closed)
    run_on(manager, add_months(START.date(), 11))
    assert (status_of(manager, closed), status_of(manager, quiet)) == ("closed", "open")
    run_on(manager, add_months(START.date(), 12))
    # Reading archives on closure only; an open case stays open however quiet it is.
    assert (status_of(manager, closed), status_of(manager, quiet)) == ("archived", "open")
    run_on(manager, add_years(START.date(), 6))
    assert status_of(manager, closed) is None and status_of(manager, quiet) is None


def test_milton_keynes_ignores_closure_and_counts_inactivity(manager: SignedIn) -> None:
    use(manager, "milton_keynes")
    with on(START):
        case_id = family_case(manager, "Keynesworth")
        cases.close_case(manager, case_id)
    run_on(manager, add_months(START.date(), 6) - timedelta(days=1))
    assert status_of(manager, case_id) == "closed"
    run_on(manager, add_months(START.date(), 6))
    assert status_of(manager, case_id) == "archived"


def test_surrey_destroys_when_the_youngest_child_is_25_if_that_comes_first(manager: SignedIn) -> None:
    use(manager, "surrey")
    with on(START):
        older = family_case(manager, "Surreyfield", born=date(2004, 6, 1))  # 25 in 2029
        younger = family_case(manager, "Youngfield", born=date(2015, 3, 9))  # 7 years first
    run_on(manager, date(2029, 5, 31))
    assert status_of(manager, older) == "archived"
    run_on(manager, date(2029, 6, 1))
    assert status_of(manager, older) is None and status_of(manager, younger) == "archived"
    run_on(manager, add_years(START.date(), 7) - timedelta(days=1))
    assert status_of(manager, younger) == "archived"
    run_on(manager, add_years(START.date(), 7))
    assert status_of(manager, younger) is None
    with manager.write() as session:
        rules = set(session.scalars(text("SELECT rule FROM destruction_record")))
    assert rules == {"retention: youngest child reached 25", "retention: 7 years without activity"}


def test_schools_guidance_keeps_until_31_and_falls_back_without_a_birth_date(manager: SignedIn) -> None:
    use(manager, "schools")
    with on(START):
        known = family_case(manager, "Schoolbury", born=date(2005, 6, 1))  # 31 in 2036
        unknown = family_case(manager, "Nodateby", born=None)
    run_on(manager, add_years(START.date(), 6))
    assert status_of(manager, known) == "archived" and status_of(manager, unknown) is None
    run_on(manager, date(2036, 5, 31))
    assert status_of(manager, known) == "archived"
    run_on(manager, date(2036, 6, 1))
    assert status_of(manager, known) is None


def test_activity_restarts_the_clocks(manager: SignedIn) -> None:
    with on(START):
        case_id = family_case(manager, "Busybody")
    with on(add_months(START.date(), 5)):
        cases.add_note(manager, case_id, "Rang again about the annual review")
    run_on(manager, add_months(START.date(), 6))
    assert status_of(manager, case_id) == "open"
    run_on(manager, add_months(START.date(), 11))
    assert status_of(manager, case_id) == "archived"


# -- legal hold, preview, summary --------------------------------------------------------------


def test_legal_hold_holds_and_the_preview_says_so(manager: SignedIn) -> None:
    with on(START):
        held = family_case(manager, "Holdfast")
        other = family_case(manager, "Letgo")
        legal_hold.set_legal_hold(manager, held, "Tribunal appeal pending")
    destroy_day = add_years(START.date(), 6)
    with on(destroy_day - timedelta(days=30)):
        ahead = retention.preview(manager, days=60)
    by_case = {(i.reference, i.action): i for i in ahead.items}
    held_ref = cases.case_reference(manager, held)
    item = by_case[(held_ref, "destroy")]
    assert item.held and item.legal_hold_reason == "Tribunal appeal pending"
    assert item.due == destroy_day and not item.next_run
    summary = run_on(manager, destroy_day)
    assert summary.held == (held_ref,) and summary.counts["destroyed"] == 1
    assert status_of(manager, held) == "archived" and status_of(manager, other) is None
    assert any("legal hold" in line for line in summary.lines())
    with on(destroy_day + timedelta(days=1)):
        legal_hold.lift_legal_hold(manager, held, "Tribunal decided")
    run_on(manager, destroy_day + timedelta(days=1))
    assert status_of(manager, held) is None
    actions = [e.action for e in audit.list_events(manager, audit.AuditFilter())]
    assert "legal hold placed" in actions and "legal hold lifted" in actions


def test_legal_hold_is_for_managers_and_needs_a_reason(manager: SignedIn, adviser: SignedIn) -> None:
    case_id = family_case(adviser, "Reasonable")
    with pytest.raises(PermissionRefused):
        legal_hold.set_legal_hold(adviser, case_id, "Because")
    with pytest.raises(InvalidInput) as empty:
        legal_hold.set_legal_hold(manager, case_id, "  ", reason="Checking")
    assert empty.value.field == "hold_reason"
    with pytest.raises(InvalidInput):
        legal_hold.lift_legal_hold(manager, case_id, "Not held", reason="Checking")


def test_preview_lists_what_the_next_run_does_and_when(manager: SignedIn) -> None:
    with on(START):
        soon = family_case(manager, "Soonest")
    with on(START + timedelta(days=40)):
        later = family_case(manager, "Laterly")
    with on(add_months(START.date(), 6)):
        ahead = retention.preview(manager, days=60)
        assert [(i.reference, i.action, i.next_run) for i in ahead.items] == [
            (cases.case_reference(manager, soon), "archive", True),
            (cases.case_reference(manager, later), "archive", False)]
        assert ahead.items[1].due == add_months((START + timedelta(days=40)).date(), 6)
        # Rules being edited are previewed before they are saved.
        off = retention.preview(manager, replace(DEFAULT_RULES, retention_preset=CUSTOM,
                                                 archive_inactive_months=0), days=60)
        assert off.items == ()


def test_run_is_idempotent_and_summarised_for_managers(manager: SignedIn, adviser: SignedIn) -> None:
    with on(START):
        family_case(manager, "Onceonly")
    day = add_months(START.date(), 6)
    first = run_on(manager, day)
    again = run_on(manager, day)
    assert first.counts["archived"] == 1 and not again.anything
    with on(day):
        kept = retention.last_summary(manager)
    assert kept is not None and kept.counts == again.counts
    assert "Nothing was due" in " ".join(kept.lines())
    with pytest.raises(PermissionRefused):
        retention.last_summary(adviser)
    with pytest.raises(PermissionRefused):
        retention.preview(adviser)
    runs = audit.list_events(manager, audit.AuditFilter(action="retention run"))
    assert len(runs) == 2 and json.loads(runs[-1].detail)["archived"] == 1


def test_rules_are_a_managers_and_presets_carry_their_numbers(manager: SignedIn,
                                                              adviser: SignedIn) -> None:
    saved = use(manager, "surrey")
    assert saved == PRESET_BY_KEY["surrey"].rules
    assert retention.load_rules(manager) == saved
    own = retention.save_rules(manager, replace(saved, retention_preset=CUSTOM, destroy_child_age=21))
    assert own.retention_preset == CUSTOM and own.destroy_child_age == 21
    with pytest.raises(InvalidInput) as bad:
        retention.save_rules(manager, replace(own, destroy_inactive_years=99))
    assert bad.value.field == "destroy_inactive_years"
    with pytest.raises(PermissionRefused):
        retention.save_rules(adviser, DEFAULT_RULES)
    changed = audit.list_events(manager,
                                audit.AuditFilter(action="retention rules changed"))
    assert len(changed) == 2


# -- archived cases are read-only ---------------------------------------------------------------


def test_archived_cases_are_read_only_hidden_and_found_by_a_manager(
        manager: SignedIn, adviser: SignedIn) -> None:
    with on(START):
        case_id = family_case(adviser, "Archwright")
    run_on(manager, add_months(START.date(), 6))
    with pytest.raises(CaseArchived):
        cases.open_case(adviser, case_id)
    assert cases.list_cases(adviser, CaseFilter(mine=True)) == []
    assert cases.search_cases(adviser, "Archwright") == []
    with pytest.raises(PermissionRefused):
        cases.list_cases(adviser, CaseFilter(status=CaseStatus.ARCHIVED))
    assert cases.list_cases(manager, CaseFilter(mine=False)) == []
    found = cases.list_cases(manager, CaseFilter(mine=False, status=CaseStatus.ARCHIVED))
    assert [c.id for c in found] == [case_id]
    assert [c.status for c in cases.search_cases(manager, "Archwright")] == [CaseStatus.ARCHIVED]
    view = cases.open_case(manager, case_id, reason="Family rang again")
    assert view.status is CaseStatus.ARCHIVED and view.parents
    for change in (lambda: cases.add_note(manager, case_id, "A note"),
                   lambda: cases.add_child(manager, case_id, ChildDetails(full_name="New Child")),
                   lambda: cases.update_parent(manager, view.parents[0].id,
                                               ParentDetails(full_name="Changed Name")),
                   lambda: cases.set_safeguarding_flag(manager, case_id, True),
                   lambda: log_named_call(manager, NamedCall(CallDetails(), YES, case_id=case_id)),
                   lambda: cases.close_case(manager, case_id)):
        with pytest.raises((PermissionRefused, InvalidInput), match="archived"):
            change()
    assert cases.open_case(manager, case_id, reason="Checking").notes == view.notes
    cases.reopen_case(manager, case_id)
    cases.add_note(manager, case_id, "Back in touch")
    assert cases.open_case(adviser, case_id).status is CaseStatus.OPEN


# -- what destruction leaves -------------------------------------------------------------------


def test_destruction_keeps_statistics_and_leaves_no_trace_on_disk(manager: SignedIn,
                                                                   vault: Vault) -> None:
    with on(START):
        gone = family_case(manager, "Vanishwell", summary="Jane Vanishwell rang about Sam")
        cases.add_note(manager, gone, "Vanishwell tribunal bundle sent")
        kept = family_case(manager, "Staywell")
    with on(START + timedelta(days=400)):
        cases.add_note(manager, kept, "Staywell still in touch")
    drafts.save(manager, "cases", {"case_id": gone, "text": "Vanishwell half-typed note"})
    drafts.save(manager, "calls", {"summary": "unrelated draft"})
    before = call_statistics(manager)
    summary = run_on(manager, add_years(START.date(), 6))
    assert summary.counts["destroyed"] == 1 and status_of(manager, kept) == "archived"
    assert call_statistics(manager) == before
    with manager.write() as session:
        assert [d.form for d in session.scalars(select(Draft))] == ["calls"]
    found = found_in_pages(vault.database_path, storage_access.database_of(manager).data_key(),
                           ["Vanishwell", "Staywell", "Northfield SEN Advice"])
    assert found == {"Staywell", "Northfield SEN Advice"}
    raw = vault.database_path.read_bytes()
    assert b"Vanishwell" not in raw and b"Staywell" not in raw  # encrypted as well as deleted


def test_automatic_copies_older_than_the_destruction_are_removed(manager: SignedIn,
                                                                 vault: Vault) -> None:
    vault.backups_dir.mkdir(parents=True, exist_ok=True)
    old = vault.backups_dir / "before-upgrade-from-0005-20260101.db"
    old.write_bytes(b"old copy")
    (vault.backups_dir / (old.name + "-wal")).write_bytes(b"log")
    os.utime(old, (0, 0))
    with on(START):
        family_case(manager, "Copyless")
    summary = run_on(manager, add_years(START.date(), 6))
    assert summary.copies_removed == 1 and not old.exists()
    assert not (vault.backups_dir / (old.name + "-wal")).exists()
    assert retention.COPIES_ELSEWHERE in summary.lines()


def test_a_failure_partway_leaves_that_case_untouched_and_the_rest_done(
        manager: SignedIn, monkeypatch: pytest.MonkeyPatch) -> None:
    with on(START):
        ids = [family_case(manager, name) for name in ("Alpha", "Bravo", "Charlie")]
    real = destruction.destroy_cases
    attempts: list[list[int]] = []

    def flaky(session, doomed, actor):  # type: ignore[no-untyped-def]
        attempts.append([case.id for case, _ in doomed])
        if ids[1] in attempts[-1]:
            session.flush()  # the failure comes after some rows have been written
            raise OSError("disk went away")
        return real(session, doomed, actor)

    monkeypatch.setattr(retention, "destroy_cases", flaky)
    summary = run_on(manager, add_years(START.date(), 6))
    assert summary.counts == {"archived": 0, "destroyed": 2, "held": 0, "failed": 1}
    middle = cases.open_case(manager, ids[1], reason="Checking after the failure")
    assert middle.parents and middle.children and middle.calls and middle.status is CaseStatus.OPEN
    # Together first, then one at a time once that failed.
    assert attempts == [ids, [ids[0]], [ids[1]], [ids[2]]]
    monkeypatch.setattr(retention, "destroy_cases", real)
    assert run_on(manager, add_years(START.date(), 6)).counts["destroyed"] == 1
    assert all(status_of(manager, i) is None for i in ids)


def test_cases_are_destroyed_in_groups_each_with_its_register_row_and_audit_event(
        manager: SignedIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retention, "BATCH_CASES", 3)  # seven cases: groups of 3, 3 and 1
    names = ("Aster", "Bramble", "Clover", "Daisy", "Elder", "Foxglove", "Gorse")
    with on(START):
        ids = [family_case(manager, name) for name in names]
        references = {case.id: case.reference for case in cases.list_cases(manager)}
    legal_hold.set_legal_hold(manager, ids[4], "Tribunal appeal pending")
    before = call_statistics(manager)
    summary = run_on(manager, add_years(START.date(), 6))
    assert summary.counts["destroyed"] == 6 and summary.counts["held"] == 1
    assert [status_of(manager, i) for i in ids] == [None] * 4 + ["archived"] + [None] * 2
    assert call_statistics(manager) == before
    gone = sorted(references[i] for i in ids if i != ids[4])
    with manager.write() as session:
        register = session.execute(text(
            "SELECT case_reference, rule, run_by, calls_kept FROM destruction_record")).all()
        events = session.execute(text(
            "SELECT target FROM audit_event WHERE action = 'case destroyed'")).scalars().all()
    assert sorted(row[0] for row in register) == gone
    assert {(row[2], row[3]) for row in register} == {(audit.SYSTEM_ACTOR, 1)}
    assert all(row[1].startswith(retention.RULE_PREFIX) for row in register)
    assert sorted(events) == [f"case:{reference}" for reference in gone]
    assert audit.verify(manager).ok


def test_destroying_a_group_refuses_all_of_it_when_one_case_is_held(manager: SignedIn) -> None:
    with on(START):
        ids = [family_case(manager, name) for name in ("Hazel", "Ivy")]
    legal_hold.set_legal_hold(manager, ids[1], "Police enquiry")
    with (pytest.raises(destruction.LegalHold, match="legal hold"),
          manager.write() as session):
        doomed = [(session.get(Case, i), "test") for i in ids]
        destruction.destroy_cases(session, doomed, manager.actor)  # type: ignore[arg-type]
    assert [status_of(manager, i) for i in ids] == ["open", "open"]


def _index_holds(vault: Vault, ctx: SignedIn, word: str) -> bool:
    storage_access.database_of(ctx).checkpoint()
    return bool(found_in_pages(vault.database_path, storage_access.database_of(ctx).data_key(), [word]))


def test_a_crash_before_the_tidying_is_finished_at_the_next_start(manager: SignedIn,
                                                                  vault: Vault) -> None:
    with on(START):
        case_id = family_case(manager, "Crashwell")
    # Destroyed and committed, then the process dies before after_destruction runs.
    with manager.write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        destruction.destroy_case(session, case, "test", None)
    assert _index_holds(vault, manager, "crashwell")  # only a tombstone so far
    with manager.write() as session:
        assert destruction.after_work_pending(session)
    summary = run_on(manager, START.date())  # the next start: nothing is due
    assert summary.counts["destroyed"] == 0
    assert not _index_holds(vault, manager, "crashwell")
    with manager.write() as session:
        assert not destruction.after_work_pending(session)


def test_a_failed_index_rewrite_neither_undoes_nor_hides_the_destruction(
        manager: SignedIn, vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.retention import subject_access

    with on(START):
        case_id = family_case(manager, "Fullwell")
        reference = cases.open_case(manager, case_id, reason="Erasure request").reference

    # The rewrite fails inside its unit of work, as a full disk would make it.
    monkeypatch.setattr(search, "REWRITE_INDEX", "INSERT INTO no_such_table VALUES (1)")
    done = subject_access.erase_on_request(manager, case_id, reference, reason="Erasure request")
    assert done.case_reference == reference and status_of(manager, case_id) is None
    with manager.write() as session:
        assert destruction.after_work_pending(session)
    monkeypatch.undo()
    run_on(manager, START.date())
    assert not _index_holds(vault, manager, "fullwell")

