"""What every bench module shares: a row of the table, the table itself, and the run context.

A bench module is a file in bench/ with a function `rows(bench: Bench) -> list[Row]`, named in
`bench.run.SECTIONS`. Each row holds a figure measured in this run, the target from its issue
(None when the issue sets none), and a baseline measured in the same run beside it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPEATS = 5


@dataclass
class Row:
    name: str
    figure: float
    target: float | None
    baseline_name: str
    baseline: float
    # "s": seconds, shown in milliseconds; "MB": megabytes.
    unit: str = "s"

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.figure < self.target

    def cells(self) -> list[str]:
        target = f"< {self._show(self.target, whole=True)}" if self.target else "-"
        ratio = f"{self.figure / self.baseline:.1f}x" if self.baseline else "-"
        met = "" if self.met is None else ("yes" if self.met else "NO")
        return [self.name, self._show(self.figure), target, met,
                f"{self._show(self.baseline)} ({self.baseline_name})", ratio]

    def _show(self, value: float, whole: bool = False) -> str:
        if self.unit == "MB":
            return f"{value:.0f} MB"
        if whole or value >= 0.1:
            return f"{value * 1000:.0f} ms"
        return f"{value * 1000:.1f} ms"


def print_table(rows: list[Row]) -> None:
    header = ["measure", "figure", "target", "met", "baseline", "ratio"]
    table = [header] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for index, row in enumerate(table):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


@dataclass
class Bench:
    """One run: a scratch folder, a new install with one manager, and the lines printed above
    the table (what data each group of rows was measured on)."""

    work: Path
    install: Path
    password: str
    notes: list[str] = field(default_factory=list)

    def year10(self, name: str) -> Path:
        """A private copy of the cached year10 demo folder (built once, kept in .bench-cache/)."""
        from bench.calls_cases import demo_copy

        folder = self.work / name
        folder.mkdir()
        return demo_copy(folder)


def median_of(run: Callable[[], float], repeats: int = REPEATS) -> float:
    return statistics.median(run() for _ in range(repeats))


def run_child(code: str, env: dict[str, str]) -> tuple[float, str]:
    """Run `code` in a new Python; returns (seconds taken, what it printed)."""
    started = time.perf_counter()
    # The offscreen platform warns about window hints it ignores; keep the table readable,
    # but show everything the child printed if it failed.
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise subprocess.CalledProcessError(done.returncode, "bench child")
    return elapsed, done.stdout


def timed_subprocess(code: str, env: dict[str, str]) -> float:
    return run_child(code, env)[0]
