"""Disclosure control over random datasets: nothing small is ever published, and nothing hidden
can be worked out from the totals or from another table in the same report."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.people import InvalidInput
from app.services.reports.data import CONTACTS, OTHER, Count, CountTable
from app.services.reports.disclosure_control import (
    HIDDEN,
    Method,
    PublishedTable,
    Rules,
    merge_small,
    publish,
    round_to_base,
)

CHANNELS = ("phone", "email", "face to face", "letter", "other")
DISTRICTS = ("MK1", "MK2", "MK3", "MK6", "NN1", "LU4", "MK40")

# One contact: (month 0..11, channel, district or None, anonymous, a case: None, new, returning).
contact = st.tuples(
    st.integers(0, 11),
    st.sampled_from(CHANNELS),
    st.one_of(st.none(), st.sampled_from(DISTRICTS)),
    st.booleans(),
    st.sampled_from((None, None, "new", "returning")),
)
# Small datasets hit the edge cases (a single contact, everything in one month); the skew in
# sizes keeps a share of them large enough for totals to be published.
datasets = st.lists(contact, min_size=0, max_size=120)
thresholds = st.sampled_from((5, 5, 10, 15))


def tables_for(contacts: list[tuple[int, str, str | None, bool, str | None]]) -> list[CountTable]:
    """Tables shaped like the report's: a shared contacts total, one key in two tables."""
    total = Count(CONTACTS, "All contacts", len(contacts), mergeable=False)
    months = Counter(c[0] for c in contacts)
    channels = Counter(c[1] for c in contacts)
    districts = Counter(c[2] for c in contacts)
    anonymous = Counter(c[3] for c in contacts)
    families = Counter(c[4] for c in contacts if c[4])
    return [
        CountTable("months", "Per month", tuple(Count(f"month:{m}", f"Month {m}", months[m], mergeable=False)
                                               for m in range(12)), total, chart="months"),
        CountTable("channel", "Channel", (*(Count(f"channel:{c}", c, channels[c]) for c in CHANNELS),
                                          Count("channel:not recorded", "Not recorded", 0, mergeable=False)),
                   total),
        CountTable("area", "Area", (
            *(Count(f"area:{d}", d, districts[d]) for d in DISTRICTS if districts[d]),
            Count("area:not recorded", "Not recorded", districts[None], mergeable=False)), total),
        CountTable("anonymity", "Anonymous", (
            Count("anonymity:anonymous", "Anonymous", anonymous[True], mergeable=False),
            Count("anonymity:named", "Named", anonymous[False], mergeable=False)), total),
        CountTable("families", "Families", (
            Count("cases_opened", "New", families["new"], mergeable=False),
            Count("families:returning", "Returning", families["returning"], mergeable=False)),
            Count("families", "All families", families["new"] + families["returning"], mergeable=False)),
        CountTable("cases", "Cases", (Count("cases_opened", "Opened", families["new"], mergeable=False),
                                      Count("cases_closed", "Closed", len(contacts) // 3, mergeable=False)),
                   None),
    ]


def figures(tables: tuple[PublishedTable, ...]) -> list:  # type: ignore[type-arg]
    return [f for t in tables for f in (*t.rows, *((t.total,) if t.total else ()))]


def recovered(tables: tuple[PublishedTable, ...]) -> list[str]:
    """What an attacker can pin down: hidden cells are at least 1 (0 is always shown), each table
    with a total says its rows add up to it, and one key is one number everywhere. Bounds are
    tightened by subtraction until nothing changes; a hidden cell whose bounds meet is known."""
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    for figure in figures(tables):
        if figure.value is None:
            low.setdefault(figure.key, 1)
            high.setdefault(figure.key, math.inf)
        else:
            low[figure.key] = high[figure.key] = figure.value
    sums = [(t.total.key, [row.key for row in t.rows]) for t in tables if t.total is not None]
    for _ in range(50):
        before = (dict(low), dict(high))
        for total, cells in sums:
            low[total] = max(low[total], sum(low[c] for c in cells))
            high[total] = min(high[total], sum(high[c] for c in cells))
            for cell in cells:
                others = [c for c in cells if c != cell]
                low[cell] = max(low[cell], low[total] - sum(high[c] for c in others))
                high[cell] = min(high[cell], high[total] - sum(low[c] for c in others))
        if (low, high) == before:
            break
    hidden = {f.key for f in figures(tables) if f.value is None}
    return sorted(key for key in hidden if low[key] == high[key])


@settings(max_examples=150, deadline=None)
@given(datasets, thresholds, st.sampled_from(tuple(Method)))
def test_no_published_count_is_small(contacts, threshold: int, method: Method) -> None:  # type: ignore[no-untyped-def]
    published = publish(tables_for(contacts), Rules(method, threshold))
    for figure in figures(published):
        if figure.value is not None:
            assert figure.value == 0 or figure.value >= threshold, figure
            assert figure.text.replace(",", "").isdigit()
        else:
            assert figure.text in (f"<{threshold}", HIDDEN)


@settings(max_examples=150, deadline=None)
@given(datasets, thresholds)
def test_rounding_publishes_multiples_of_five_or_small(contacts, threshold: int) -> None:  # type: ignore[no-untyped-def]
    true = {count.key: count.value for table in tables_for(contacts)
            for count in (*table.rows, *((table.total,) if table.total else ()))}
    published = publish(tables_for(contacts), Rules(Method.ROUNDING, threshold))
    for figure in figures(published):
        if figure.text == "0":
            continue
        assert figure.text == f"<{threshold}" or (figure.value is not None and figure.value % 5 == 0), figure
    # Totals come from true values, then rounded: the whole-report total is never a sum of rounded rows.
    contacts_total = next(f for f in figures(published) if f.key == CONTACTS)
    if len(contacts) >= threshold:
        assert contacts_total.value == round_to_base(true[CONTACTS])


@settings(max_examples=200, deadline=None)
@given(datasets, thresholds)
def test_suppression_leaves_nothing_recoverable(contacts, threshold: int) -> None:  # type: ignore[no-untyped-def]
    published = publish(tables_for(contacts), Rules(Method.SUPPRESSION, threshold))
    assert recovered(published) == []
    # One key, one published text, in every table it appears in.
    texts: dict[str, set[str]] = {}
    for figure in figures(published):
        texts.setdefault(figure.key, set()).add(figure.text)
    assert all(len(shown) == 1 for shown in texts.values()), texts


@settings(max_examples=100, deadline=None)
@given(datasets, thresholds, st.sampled_from(tuple(Method)))
def test_small_categories_are_merged_into_other(contacts, threshold: int, method: Method) -> None:  # type: ignore[no-untyped-def]
    for table in tables_for(contacts):
        merged = merge_small(table, threshold)
        assert sum(r.value for r in merged.rows) == sum(r.value for r in table.rows)
        for row in merged.rows:
            if row.mergeable and row.label != OTHER and row.key != table.other_key():
                assert row.value == 0 or row.value >= threshold, row
        assert [r.label for r in merged.rows].count(OTHER) <= 1


def test_the_attacker_finds_a_lone_hidden_cell() -> None:
    """The check above is not toothless: without secondary suppression it catches subtraction."""
    from app.services.reports.disclosure_control import Figure

    table = PublishedTable("t", "T", (Figure("a", "A", HIDDEN, None), Figure("b", "B", "40", 40)),
                           Figure("total", "All", "43", 43), "", "bars")
    assert recovered((table,)) == ["a"]
    ones = PublishedTable("t", "T", (Figure("a", "A", HIDDEN, None), Figure("b", "B", HIDDEN, None),
                                     Figure("c", "C", "40", 40)),
                          Figure("total", "All", "42", 42), "", "bars")
    assert recovered((ones,)) == ["a", "b"]


def test_two_hidden_ones_get_a_third_hidden_cell() -> None:
    table = CountTable("channel", "Channel", (Count("channel:phone", "Phone", 40, mergeable=False),
                                              Count("channel:email", "Email", 1, mergeable=False),
                                              Count("channel:letter", "Letter", 1, mergeable=False),
                                              Count("channel:fax", "Fax", 12, mergeable=False)),
                       Count(CONTACTS, "All", 54, mergeable=False))
    published = publish([table], Rules(Method.SUPPRESSION))
    assert [f.text for f in published[0].rows] == ["40", HIDDEN, HIDDEN, HIDDEN]
    assert published[0].total is not None and published[0].total.text == "54"


def test_months_of_one_contact_each_hide_the_total_everywhere() -> None:
    contacts = [(month, "phone", "MK6", True, None) for month in range(12)]
    published = publish(tables_for(contacts), Rules(Method.SUPPRESSION))
    totals = {t.key: t.total.text for t in published if t.total is not None}
    assert totals["months"] == totals["channel"] == totals["anonymity"] == HIDDEN
    assert recovered(published) == []


def test_rounding_examples() -> None:
    table = CountTable("x", "X", tuple(Count(f"x:{n}", str(n), n, mergeable=False)
                                       for n in (0, 1, 4, 5, 7, 8, 12, 13, 1234)),
                       Count("x", "All", 1284, mergeable=False))
    published = publish([table], Rules())
    assert [f.text for f in published[0].rows] == ["0", "<5", "<5", "5", "5", "10", "10", "15", "1,235"]
    assert published[0].total is not None and published[0].total.text == "1,285"
    raised = publish([table], Rules(Method.ROUNDING, 10))
    assert [f.text for f in raised[0].rows][:7] == ["0", "<10", "<10", "<10", "<10", "<10", "10"]


def test_merging_names_no_rare_category() -> None:
    table = CountTable("area", "Area", (Count("area:MK6", "MK6", 30), Count("area:NN1", "NN1", 2),
                                        Count("area:LU4", "LU4", 1),
                                        Count("area:not recorded", "Not recorded", 3, mergeable=False)),
                       Count(CONTACTS, "All", 36, mergeable=False))
    published = publish([table], Rules())
    assert [(f.label, f.text) for f in published[0].rows] == [("MK6", "30"), (OTHER, "<5"),
                                                               ("Not recorded", "<5")]


@pytest.mark.parametrize("threshold", [0, 4, 7, 55, True, "5"])
def test_threshold_is_never_below_five(threshold: object) -> None:
    with pytest.raises(InvalidInput):
        Rules(Method.ROUNDING, threshold)  # type: ignore[arg-type]
