"""Retention rules: what they are, the presets that name them, and the dates they give a case.

The policies set the clocks (Milton Keynes: archive after 6 months inactive, destroy electronic
records after 6 years inactive; Reading: archive a year after closing; Surrey 8.6: keep at most
7 years or until the child is 25; the schools records guidance for SEN files: the child's date
of birth plus 31 years). A service picks a preset or sets its own numbers; 0 switches a rule off.

Pure functions only: `retention` reads the cases and applies these dates.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any


class Combine(StrEnum):
    """How the two destroy rules combine when both give a date."""

    FIRST = "first"
    LATER = "later"


CUSTOM = "custom"


@dataclass(frozen=True)
class RetentionRules:
    """The numbers stored in settings (see settings.RETENTION_SPECS); 0 means the rule is off."""

    retention_preset: str = "default"
    archive_inactive_months: int = 6
    archive_after_closure_months: int = 12
    destroy_inactive_years: int = 6
    destroy_child_age: int = 0
    destroy_combine: str = Combine.FIRST.value

    def numbers(self) -> dict[str, Any]:
        """Everything but the preset's name, to compare rules whatever they are called."""
        values = asdict(self)
        del values["retention_preset"]
        return values

    @property
    def destroys(self) -> bool:
        return bool(self.destroy_inactive_years or self.destroy_child_age)

    @property
    def archives(self) -> bool:
        return bool(self.archive_inactive_months or self.archive_after_closure_months)

    def describe(self) -> list[str]:
        """The rules in plain words, one sentence each, for the settings tab and the preview."""
        lines = []
        archive = []
        if self.archive_inactive_months:
            archive.append(f"after {_months(self.archive_inactive_months)} without activity")
        if self.archive_after_closure_months:
            archive.append(f"{_months(self.archive_after_closure_months)} after it was closed")
        lines.append("A case is archived " + " or ".join(archive) + "." if archive
                     else "Cases are never archived automatically.")
        destroy = []
        if self.destroy_inactive_years:
            destroy.append(f"{_years(self.destroy_inactive_years)} after the last activity")
        if self.destroy_child_age:
            destroy.append(f"when the youngest child reaches {self.destroy_child_age}")
        if not destroy:
            lines.append("Nothing is ever destroyed automatically.")
        elif len(destroy) == 1:
            lines.append(f"A family's details are destroyed {destroy[0]}.")
        else:
            which = "whichever comes first" if self.destroy_combine == Combine.FIRST else \
                "whichever comes later"
            lines.append(f"A family's details are destroyed {destroy[0]} or {destroy[1]}, {which}.")
        if self.destroy_child_age:
            lines.append("The child's age counts only when every child on the case has a date of "
                         "birth recorded; otherwise the other rule alone decides.")
        return lines


def _months(n: int) -> str:
    if n % 12 == 0:
        return _years(n // 12)
    return f"{n} month{'s' if n != 1 else ''}"


def _years(n: int) -> str:
    return f"{n} year{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class Preset:
    key: str
    title: str  # what it does, in plain words
    source: str  # where the rule comes from
    rules: RetentionRules


def _preset(key: str, title: str, source: str, **numbers: Any) -> Preset:
    return Preset(key, title, source, RetentionRules(retention_preset=key, **numbers))


PRESETS: tuple[Preset, ...] = (
    _preset("default", "Archive after 6 months without activity or a year after closing; destroy "
            "6 years after the last activity", "Confide's recommended rules",
            archive_inactive_months=6, archive_after_closure_months=12, destroy_inactive_years=6),
    _preset("milton_keynes", "Archive after 6 months without activity; destroy after 6 years "
            "without activity", "Milton Keynes Parent Partnership Service policy",
            archive_inactive_months=6, archive_after_closure_months=0, destroy_inactive_years=6),
    _preset("reading", "Archive a year after closing; destroy 6 years after the last activity",
            "Reading Parent Partnership Service policy (closed files kept one year, then archived)",
            archive_inactive_months=0, archive_after_closure_months=12, destroy_inactive_years=6),
    _preset("surrey", "Keep at most 7 years after the last activity, or until the youngest child "
            "is 25, whichever comes first", "Surrey Partnership with Parents policy 8.6",
            archive_inactive_months=6, archive_after_closure_months=12, destroy_inactive_years=7,
            destroy_child_age=25, destroy_combine=Combine.FIRST.value),
    _preset("schools", "Keep until the youngest child is 31 (date of birth plus 31 years), and at "
            "least 6 years after the last activity", "Schools records guidance for SEN files",
            archive_inactive_months=6, archive_after_closure_months=12, destroy_inactive_years=6,
            destroy_child_age=31, destroy_combine=Combine.LATER.value),
)
PRESET_BY_KEY = {preset.key: preset for preset in PRESETS}
DEFAULT_RULES = PRESETS[0].rules
RULE_FIELDS = tuple(f.name for f in fields(RetentionRules))


def preset_for(rules: RetentionRules) -> str:
    """The key of the preset these numbers match, or CUSTOM."""
    for preset in PRESETS:
        if preset.rules.numbers() == rules.numbers():
            return preset.key
    return CUSTOM


def title_of(rules: RetentionRules) -> str:
    preset = PRESET_BY_KEY.get(rules.retention_preset)
    return preset.title if preset else "Your own rules"


# -- dates -------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Calendar months later (or earlier); the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """A birthday on 29 February falls on 28 February in other years."""
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class CaseClock:
    """What the rules look at on one case; nothing about the family but the children's ages."""

    case_id: int
    reference: str
    status: str
    last_activity: date
    closed: date | None
    legal_hold_reason: str | None
    youngest_birth: date | None  # None when any child has no date of birth recorded


@dataclass(frozen=True)
class Due:
    on: date
    rule: str  # for the register and the preview: "6 years without activity"


def archive_due(rules: RetentionRules, clock: CaseClock) -> Due | None:
    """When an open or closed case is archived, or None (already archived, or rules off)."""
    if clock.status == "archived":
        return None
    dues = []
    if rules.archive_inactive_months:
        dues.append(Due(add_months(clock.last_activity, rules.archive_inactive_months),
                        f"{_months(rules.archive_inactive_months)} without activity"))
    if rules.archive_after_closure_months and clock.status == "closed" and clock.closed:
        dues.append(Due(add_months(clock.closed, rules.archive_after_closure_months),
                        f"{_months(rules.archive_after_closure_months)} after closing"))
    return min(dues, key=lambda due: due.on) if dues else None


def destroy_due(rules: RetentionRules, clock: CaseClock) -> Due | None:
    """When the family's details are destroyed, or None when no destroy rule applies."""
    dues = []
    if rules.destroy_inactive_years:
        dues.append(Due(add_years(clock.last_activity, rules.destroy_inactive_years),
                        f"{_years(rules.destroy_inactive_years)} without activity"))
    if rules.destroy_child_age and clock.youngest_birth is not None:
        dues.append(Due(add_years(clock.youngest_birth, rules.destroy_child_age),
                        f"youngest child reached {rules.destroy_child_age}"))
    if not dues:
        return None
    if rules.destroy_combine == Combine.LATER:
        return max(dues, key=lambda due: due.on)
    return min(dues, key=lambda due: due.on)


def anonymous_summary_cutoff(rules: RetentionRules, on: date) -> date | None:
    """Anonymous calls before this day have had their summaries kept for the destroy period
    (the years without activity, the call being the only activity), or None when that rule is
    off. A call on 29 February waits until 1 March in a year without one."""
    if not rules.destroy_inactive_years:
        return None
    return _plus_days(add_years(on, -rules.destroy_inactive_years), 1)


def earliest_cutoffs(rules: RetentionRules, on: date) -> dict[str, date]:
    """For finding candidates in SQL: a case can only be due by `on` if one of its dates is on
    or before the matching cutoff. Two days of slack cover month-end and 29 February rounding,
    so the SQL finds a few too many and `archive_due`/`destroy_due` decide exactly."""
    slack = 2
    cutoffs: dict[str, date] = {}
    if rules.archive_inactive_months:
        cutoffs["archive_inactive"] = _plus_days(add_months(on, -rules.archive_inactive_months), slack)
    if rules.archive_after_closure_months:
        cutoffs["archive_closed"] = _plus_days(add_months(on, -rules.archive_after_closure_months),
                                               slack)
    if rules.destroy_inactive_years:
        cutoffs["destroy_inactive"] = _plus_days(add_years(on, -rules.destroy_inactive_years), slack)
    if rules.destroy_child_age:
        cutoffs["destroy_child"] = _plus_days(add_years(on, -rules.destroy_child_age), slack)
    return cutoffs


def _plus_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)
