"""The bench table's plumbing (the measuring itself runs in `make bench`, not in the tests)."""

from __future__ import annotations

import importlib

import pytest

from bench import run
from bench.rows import Row


def test_rows_show_figure_target_baseline_and_ratio() -> None:
    assert Row("save a call", 0.0064, 0.020, "raw INSERT", 0.0002).cells() == [
        "save a call", "6.4 ms", "< 20 ms", "yes", "0.2 ms (raw INSERT)", "32.0x"]
    assert Row("start", 1.6, 1.5, "empty Qt window", 0.4).cells()[1:4] == ["1600 ms", "< 1500 ms", "NO"]
    memory = Row("peak memory", 247.4, None, "empty Qt window + raw SQL", 66.6, unit="MB")
    assert memory.cells() == ["peak memory", "247 MB", "-", "", "67 MB (empty Qt window + raw SQL)", "3.7x"]
    assert memory.met is None


def test_every_section_is_a_module_with_rows() -> None:
    for name in run.SECTIONS:
        assert callable(importlib.import_module(name).rows), name
    assert run.Row is Row  # older bench modules import Row from bench.run


def test_sections_can_be_chosen_by_name() -> None:
    assert run.chosen_sections([]) == run.SECTIONS
    assert run.chosen_sections(["memory", "bench.start"]) == ["bench.start", "bench.memory"]
    with pytest.raises(SystemExit, match="unknown bench section"):
        run.chosen_sections(["horoscopes"])
