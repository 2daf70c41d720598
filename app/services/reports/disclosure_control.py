"""Disclosure control: turning true counts into figures that can be published.

Applied to every table before anything is shown or exported, so no screen, PDF or CSV ever
holds a small true count. Two methods, both written on the report:

- Rounding (the default, as the NHS and Ofqual publish counts): a true zero is shown as 0,
  1 to threshold−1 as `<5` (`<threshold`), every other count rounded to the nearest 5. Totals
  are worked out from the true values and then rounded the same way, so rows need not add up.
- Suppression: small counts are hidden (`*`) and others shown exactly. Because exact totals
  are shown, hiding one count is not enough, so further counts are hidden (secondary
  suppression) until no hidden count can be worked out from the totals or from another table.

Under both, categories with fewer than `threshold` contacts over the period are first merged
into "Other", so a rare category (one district, one topic) is not even named.

The threshold is 5 and may be raised, in steps of 5 so that rounding never publishes a figure
below it (with 7, a count of 7 would round to 5), but never lowered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.services.people import InvalidInput
from app.services.reports.data import OTHER, Count, CountTable

MIN_THRESHOLD = 5
MAX_THRESHOLD = 50
THRESHOLD_STEP = 5
ROUNDING_BASE = 5
HIDDEN = "*"


class Method(StrEnum):
    ROUNDING = "rounding"
    SUPPRESSION = "suppression"

    @property
    def label(self) -> str:
        return {Method.ROUNDING: "rounded to the nearest 5, as the NHS publishes counts",
                Method.SUPPRESSION: "small counts hidden, other figures exact"}[self]


@dataclass(frozen=True)
class Rules:
    method: Method = Method.ROUNDING
    threshold: int = MIN_THRESHOLD

    def __post_init__(self) -> None:
        check_threshold(self.threshold)
        if not isinstance(self.method, Method):
            raise InvalidInput("Choose rounding or suppression.", "method")

    @property
    def small(self) -> str:
        return f"<{self.threshold}"

    def note(self) -> str:
        """The method, in a few sentences for the report itself."""
        t = self.threshold
        merged = (f"Categories with fewer than {t} contacts in the whole period are counted together "
                  f"under {OTHER}.")
        if self.method is Method.ROUNDING:
            return (f"To make sure no family can be recognised, counts from 1 to {t - 1} are shown "
                    f"as {self.small} and every other count is rounded to the nearest "
                    f"{ROUNDING_BASE}; 0 means none. Totals are worked out from the true figures "
                    f"and then rounded, so the rows may not add up exactly to the total. {merged}")
        return (f"To make sure no family can be recognised, counts from 1 to {t - 1} are hidden "
                f"and marked {HIDDEN}. Where a hidden count could be worked out from a total or "
                f"from another table, more counts are hidden too, also marked {HIDDEN}. The figures "
                f"shown are exact; 0 means none. {merged}")


def check_threshold(threshold: object) -> int:
    if (not isinstance(threshold, int) or isinstance(threshold, bool)
            or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD or threshold % THRESHOLD_STEP):
        raise InvalidInput(f"Small numbers: choose {MIN_THRESHOLD} or more, in steps of "
                           f"{THRESHOLD_STEP}, up to {MAX_THRESHOLD}.", "threshold")
    return threshold


@dataclass(frozen=True)
class Figure:
    """One published line: what to print, and the number behind it when one is shown."""

    key: str
    label: str
    text: str  # "0", "<5", "*", "1,235"
    value: int | None  # the published number (rounded or exact); None when hidden


@dataclass(frozen=True)
class PublishedTable:
    key: str
    title: str
    rows: tuple[Figure, ...]
    total: Figure | None
    note: str
    chart: str


def round_to_base(value: int) -> int:
    return ROUNDING_BASE * ((value + ROUNDING_BASE // 2) // ROUNDING_BASE)


def merge_small(table: CountTable, threshold: int) -> CountTable:
    """Fold mergeable categories with 1..threshold−1 contacts into the table's "Other" row."""
    # The table's own "other" category (a channel, or a topic called Other) takes them in.
    existing = next((row for row in table.rows if row.mergeable and (
        row.key == table.other_key() or row.label.casefold() == OTHER.casefold())), None)
    small = [row for row in table.rows if row.mergeable and 0 < row.value < threshold
             and row is not existing]
    if not small:
        return table
    other_key = existing.key if existing else table.other_key()
    merged = Count(other_key, OTHER, sum(r.value for r in small) + (existing.value if existing else 0))
    kept = [row for row in table.rows if row not in small]
    if existing is not None:
        rows = [merged if row.key == other_key else row for row in kept]
    else:
        # Before the rows that are never merged ("not recorded"), after the named categories.
        at = next((i for i, row in enumerate(kept) if not row.mergeable), len(kept))
        rows = [*kept[:at], merged, *kept[at:]]
    return CountTable(table.key, table.title, tuple(rows), table.total, table.note, table.chart)


def _true_values(tables: list[CountTable]) -> dict[str, int]:
    values: dict[str, int] = {}
    for table in tables:
        for count in (*table.rows, *((table.total,) if table.total else ())):
            if values.setdefault(count.key, count.value) != count.value:
                # A bug in the queries, not something to publish round.
                raise ValueError(f"{count.key} has two different values in one report")
    return values


def suppressed_keys(tables: list[CountTable], threshold: int, also: frozenset[str] = frozenset()) -> set[str]:
    """Primary suppression (1..threshold−1), then secondary until nothing can be worked out.

    `also` are further counts to hide (earlier_exports.py hides them so that this report and
    the ones exported before it cannot be combined); the tables are then mended around them.

    For a table whose total is shown, the hidden cells' sum is known, so there must be at least
    two hidden cells, and since hidden cells are never 0 (0 is always shown) each of them is at
    most the sum less one for each other: that must reach the threshold, or the table itself
    says the count is small. For a table whose total is hidden, at least one cell must be
    hidden too, or the total could be added up from the cells. A key hidden anywhere is hidden
    everywhere. Each pass hides the smallest shown count that mends a table, and every pass
    hides something new, so this ends.
    """
    values = _true_values(tables)
    hidden = {key for key, value in values.items() if 0 < value < threshold or key in also}
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table.total is None:
                continue
            cells = [row for row in table.rows if row.value > 0]
            secret = [row for row in cells if row.key in hidden]
            shown = [row for row in cells if row.key not in hidden]
            if table.total.key in hidden:
                broken = bool(cells) and not secret
            else:
                broken = bool(secret) and (len(secret) < 2 or sum(r.value for r in secret) - (len(secret) - 1)
                                           < threshold)
            if not broken:
                continue
            if shown:
                hidden.add(min(shown, key=lambda row: row.value).key)
            else:
                hidden.add(table.total.key)
            changed = True
    return hidden


def _figure(count: Count, rules: Rules, hidden: set[str] | frozenset[str]) -> Figure:
    value = count.value
    if rules.method is Method.SUPPRESSION:
        # Even a 0, where with earlier exports it would give a count away (earlier_exports.py).
        if count.key in hidden:
            return Figure(count.key, count.label, HIDDEN, None)
        return Figure(count.key, count.label, f"{value:,}", value)
    if value == 0:
        return Figure(count.key, count.label, "0", 0)
    if value < rules.threshold:
        return Figure(count.key, count.label, rules.small, None)
    rounded = round_to_base(value)
    return Figure(count.key, count.label, f"{rounded:,}", rounded)


def merge_tables(tables: tuple[CountTable, ...] | list[CountTable], threshold: int) -> list[CountTable]:
    return [merge_small(table, threshold) for table in tables]


def publish(tables: tuple[CountTable, ...] | list[CountTable], rules: Rules) -> tuple[PublishedTable, ...]:
    """The tables as they may be shown: merged, then rounded or suppressed."""
    merged = merge_tables(tables, rules.threshold)
    hidden = suppressed_keys(merged, rules.threshold) if rules.method is Method.SUPPRESSION else set()
    return publish_merged(merged, rules, hidden)


def publish_merged(merged: list[CountTable], rules: Rules, hidden: set[str] | frozenset[str]) -> tuple[
        PublishedTable, ...]:
    """Merged tables with the cells to hide already worked out (earlier_exports.protect)."""
    return tuple(
        PublishedTable(
            table.key, table.title, tuple(_figure(row, rules, hidden) for row in table.rows),
            _figure(table.total, rules, hidden) if table.total else None, table.note, table.chart,
        )
        for table in merged
    )
