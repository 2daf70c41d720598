"""Overlapping exports cannot be combined to work out a hidden count (issue 16, point 2).

Each test plays the bad actor: every export made with suppression, then the exact integer
solver of tests/services/reports/attacker.py over all of their figures together.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services import audit
from app.services.context import SignedIn
from app.services.reports import earlier_exports, report
from app.services.reports import method as report_settings
from app.services.reports.csv_export import ABOUT
from app.services.reports.data import Count, CountTable
from app.services.reports.disclosure_control import HIDDEN, Rules, merge_tables, suppressed_keys
from app.services.reports.earlier_exports import CannotBeProtected, cells, linked, protect
from app.services.reports.linked_figures import Export, exposed
from app.services.reports.period import Month, ReportPeriod, month_period, quarter_period
from app.services.reports.report import ReportFormat
from tests.services.reports.attacker import recovered
from tests.services.reports.exported import csv_rows, log_spring_calls

CHANNELS = ("phone", "email", "letter", "text", "visit")
APRIL = Month(2026, 4)
LATER = date(2027, 6, 1)  # every period below is over by then


def month_data(seed: int, months: int, spread: int = 9) -> dict[Month, dict[str, int]]:
    rng = random.Random(seed)
    return {APRIL.plus(n): {c: rng.choice([0, 1, 2, 3, 4, 5, 6, 8, rng.randint(0, spread * 3)])
                            for c in (*CHANNELS, "not recorded")} for n in range(months)}


def tables(data: dict[Month, dict[str, int]], first: Month, last: Month) -> list[CountTable]:
    months = [first.plus(n) for n in range(first.months_until(last) + 1)]
    sums = {c: sum(data[m][c] for m in months) for c in (*CHANNELS, "not recorded")}
    total = Count("contacts", "All contacts", sum(sums.values()), mergeable=False)
    rows = (*(Count(f"channel:{c}", c.title(), sums[c]) for c in CHANNELS),
            Count("channel:not recorded", "Not recorded", sums["not recorded"], mergeable=False))
    per_month = tuple(Count(f"month:{m.code}", m.label, sum(data[m].values()), mergeable=False)
                      for m in months)
    return merge_tables([CountTable("months", "Contacts per month", per_month, total),
                         CountTable("channel", "Contacts by channel", rows, total)], 5)


def naive(data: dict[Month, dict[str, int]], first: Month, last: Month) -> Export:
    """The export as it was before: hidden only against its own totals."""
    merged = tables(data, first, last)
    return Export(first, last, LATER, True, 5, cells(merged, suppressed_keys(merged, 5)))


def export_in_turn(data: dict[Month, dict[str, int]], periods: list[tuple[Month, Month]],
                   refused: list[tuple[Month, Month]] | None = None) -> tuple[list[Export], list[bool]]:
    """Each period exported in turn; one that cannot be protected is refused, and not made."""
    made: list[Export] = []
    extra = []
    for first, last in periods:
        try:
            result = protect(tables(data, first, last), 5, ReportPeriod(first, last), LATER, True, made)
        except CannotBeProtected:
            if refused is None:
                raise
            refused.append((first, last))
            continue
        made.append(Export(first, last, LATER, True, 5, result.figures))
        extra.append(result.extra)
    return made, extra


def quarter(n: int) -> tuple[Month, Month]:
    return APRIL.plus(3 * n), APRIL.plus(3 * n + 2)


def test_a_quarter_minus_its_months_gave_hidden_counts_away_and_now_gives_nothing() -> None:
    data = {APRIL: dict(phone=20, email=3, letter=9, text=0, visit=0, **{"not recorded": 6}),
            APRIL.plus(1): dict(phone=15, email=7, letter=2, text=0, visit=0, **{"not recorded": 8}),
            APRIL.plus(2): dict(phone=30, email=8, letter=12, text=0, visit=0, **{"not recorded": 1})}
    months = [naive(data, m, m) for m in data]
    # The attack the review made: May's email (7) and May's Other (the 2 letters) come back.
    found = recovered([*months, naive(data, APRIL, APRIL.plus(2))])
    assert {(f.export, f.key) for f in found} == {(1, "channel:email"), (1, "channel:other")}
    assert next(f for f in found if f.key == "channel:other").high == 2

    made, extra = export_in_turn(data, [(m, m) for m in data] + [quarter(0)])
    assert recovered(made) == []
    assert extra == [False, False, False, True]
    assert {c.key for c in made[-1].hidden()} >= {"channel:email"}


def test_a_year_minus_its_quarters_gives_nothing() -> None:
    data = month_data(seed=11, months=12)
    quarters = [naive(data, *quarter(n)) for n in range(4)]
    assert recovered([*quarters, naive(data, APRIL, APRIL.plus(11))])  # the attack works on the old way
    made, extra = export_in_turn(data, [quarter(n) for n in range(4)] + [(APRIL, APRIL.plus(11))])
    assert recovered(made) == []
    assert extra[-1]


def test_overlapping_ranges_of_months_give_nothing() -> None:
    data = month_data(seed=5, months=6)
    periods = [(APRIL.plus(a), APRIL.plus(b)) for a, b in ((0, 2), (1, 3), (2, 4), (3, 5), (0, 5), (1, 1))]
    assert recovered([naive(data, *p) for p in periods])  # the attack works on the old way
    made, _ = export_in_turn(data, periods)
    assert recovered(made) == []
    assert recovered(made, by_month=True) == []


def test_a_zero_that_would_give_a_count_away_is_hidden_too() -> None:
    # July to August, then August to September, then July alone: July's 0 "not recorded"
    # gives August's 13 and so September's 3. Only hiding the 0 stops it (found by hypothesis).
    data = month_data(seed=1, months=8)
    periods = [(APRIL.plus(3), APRIL.plus(4)), (APRIL.plus(4), APRIL.plus(5)), (APRIL.plus(3), APRIL.plus(3))]
    assert data[APRIL.plus(3)]["not recorded"] == 0
    made, extra = export_in_turn(data, periods)
    assert recovered(made, exact=False, by_month=True) == []
    assert extra[-1] and "channel:not recorded" in {c.key for c in made[-1].hidden()}


def test_a_month_its_neighbours_already_give_is_refused_rather_than_published() -> None:
    # After July to August and August alone, July is their difference: its Other (3 phone calls),
    # 0 texts and 1 "not recorded" come out within 0 to 4, and hiding them would still say
    # "1 or more" of each, pinning them within 1 to 4; so July with small counts hidden cannot
    # be published at all (found by hypothesis).
    data = month_data(seed=0, months=8)
    july, august = APRIL.plus(3), APRIL.plus(4)
    with pytest.raises(CannotBeProtected, match="cannot be reported"):
        export_in_turn(data, [(july, august), (august, august), (july, july)])
    refused: list[tuple[Month, Month]] = []
    made, _ = export_in_turn(data, [(july, august), (august, august), (july, july)], refused)
    assert refused == [(july, july)] and recovered(made, exact=False, by_month=True) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000),
       periods=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2)), min_size=2, max_size=5))
def test_any_run_of_exports_gives_no_hidden_count_away(seed: int, periods: list[tuple[int, int]]) -> None:
    data = month_data(seed, months=8)
    chosen = [(APRIL.plus(start), APRIL.plus(start + length)) for start, length in periods]
    refused: list[tuple[Month, Month]] = []
    made, _ = export_in_turn(data, chosen, refused)
    assert chosen[0] not in refused  # a first export can always be protected
    # No hidden figure, and no category's count in any one month, comes out as a small number.
    assert recovered(made, exact=False, by_month=True) == []
    for export, (first, last) in zip(made, [p for p in chosen if p not in refused], strict=True):
        true = {c.key: c.value for t in tables(data, first, last) for c in (*t.rows, t.total) if c}
        # Still no small count shown anywhere: the extra hiding only ever adds to it.
        assert all(cell.value is None for cell in export.cells if 0 < (true[cell.key] or 0) < 5)


def test_the_solver_itself_finds_what_the_attacker_finds() -> None:
    data = month_data(seed=11, months=12)
    exports = [naive(data, *quarter(n)) for n in range(4)] + [naive(data, APRIL, APRIL.plus(11))]
    theirs = {(f.export, f.key) for f in recovered(exports)}
    ours = {(f.export, f.key) for f in exposed(exports)}
    assert theirs and theirs <= ours


def test_periods_no_chain_of_overlaps_reaches_are_left_out() -> None:
    data = month_data(seed=3, months=9)
    april, may, july = (naive(data, APRIL.plus(n), APRIL.plus(n)) for n in (0, 1, 3))
    spring = naive(data, APRIL.plus(1), APRIL.plus(2))
    assert linked([april, may, july, spring], ReportPeriod(APRIL, APRIL)) == [april]
    assert linked([april, may, july, spring], ReportPeriod(APRIL.plus(2), APRIL.plus(2))) == [may, spring]


# -- through the report service, as a coordinator exports them --------------------------------

@pytest.fixture
def spring_calls(manager: SignedIn, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime(2026, 6, 30, 18, 0))
    log_spring_calls(manager)


def published(data: bytes) -> dict[tuple[str, str], str]:
    return {(table, label): count for table, label, count in csv_rows(data)[1:] if table != ABOUT}


@pytest.mark.usefixtures("spring_calls")
def test_exported_months_then_their_quarter_give_nothing_away(coordinator: SignedIn, manager: SignedIn,
                                                              tmp_path: Path, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime(2026, 7, 6, 9, 0))
    files = {}
    for month in (4, 5, 6):
        path = tmp_path / f"2026-0{month}.csv"
        report.export_report(coordinator, month_period(Month(2026, month)), ReportFormat.CSV, path)
        files[month] = published(path.read_bytes())
    assert files[5][("Contacts by channel", "Email")] == HIDDEN
    # Looking is not exporting: the preview adds nothing to the register.
    preview = report.build_report(coordinator, quarter_period(2026, 1))
    assert preview.hidden_for_earlier_exports
    with coordinator.read() as session:
        assert len(earlier_exports.register(session)) == 3

    path = tmp_path / "q1.csv"
    report.export_report(coordinator, quarter_period(2026, 1), ReportFormat.CSV, path)
    quarter_csv = path.read_bytes().decode("utf-8-sig")
    assert earlier_exports.NOTE in quarter_csv
    assert published(path.read_bytes())[("Contacts by channel", "Email")] == HIDDEN
    with coordinator.read() as session:
        exports = earlier_exports.register(session)
    assert len(exports) == 4
    assert recovered(exports) == []
    # The register holds what the files showed, and nothing they hid.
    for export, shown in zip(exports, [*files.values(), published(path.read_bytes())], strict=True):
        numbers = sorted(int(v) for v in shown.values() if v.isdigit())
        assert sorted(c.value for c in export.cells if c.value is not None) != [] and all(
            c.value in numbers for c in export.cells if c.value is not None)
    events = audit.list_events(manager, audit.AuditFilter(action="report exported"))
    assert json.loads(events[0].detail)["more hidden for earlier exports"] is True


@pytest.mark.usefixtures("spring_calls")
def test_rounded_exports_are_not_registered(coordinator: SignedIn, manager: SignedIn, tmp_path: Path,
                                            time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime(2026, 7, 6, 9, 0))
    report_settings.save_rules(manager, Rules())
    report.export_report(coordinator, month_period(Month(2026, 5)), ReportFormat.CSV, tmp_path / "may.csv")
    made = report.build_report(coordinator, quarter_period(2026, 1))
    assert not made.hidden_for_earlier_exports and made.figures == ()
    with coordinator.read() as session:
        assert earlier_exports.register(session) == []


@pytest.mark.usefixtures("spring_calls")
def test_a_refused_period_saves_no_file_and_registers_nothing(coordinator: SignedIn, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              time_machine) -> None:  # type: ignore[no-untyped-def]
    # When the check refuses (as in the July case above), the export stops before writing.
    time_machine.move_to(datetime(2026, 7, 6, 9, 0))

    def refuse(*args: object) -> None:
        raise CannotBeProtected

    monkeypatch.setattr(earlier_exports, "protect", refuse)
    with pytest.raises(CannotBeProtected, match="Choose a longer period"):
        report.export_report(coordinator, month_period(Month(2026, 5)), ReportFormat.CSV,
                             tmp_path / "may.csv")
    assert not (tmp_path / "may.csv").exists()
    with coordinator.read() as session:
        assert earlier_exports.register(session) == []
