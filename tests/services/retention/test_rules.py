"""Retention rules: date arithmetic that keeps to real days, and presets that match their names."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.services.retention.rules import (
    CUSTOM,
    DEFAULT_RULES,
    add_months,
    add_years,
)


def test_month_and_year_arithmetic_keeps_to_real_days() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    assert add_years(date(2016, 2, 29), 25) == date(2041, 2, 28)


def test_every_preset_is_named_by_what_it_does_and_matches_its_numbers() -> None:
    from app.services.retention.rules import PRESETS, preset_for

    for preset in PRESETS:
        assert preset_for(preset.rules) == preset.key
        assert any(word in preset.title for word in ("Archive", "Keep"))
        assert preset.rules.describe()
    assert preset_for(replace(DEFAULT_RULES, destroy_inactive_years=9)) == CUSTOM
