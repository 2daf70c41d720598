"""The layer rules that import-linter cannot see: what loads at run time, and where SQL lives.

The import rules themselves are contracts in pyproject.toml ([tool.importlinter]), checked by
`lint-imports` in `make test`. They read the source, so they cannot see Qt arriving through a
third-party package at run time, nor SQL written in a string; these tests do.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
BELOW_THE_UI = [APP / "services", APP / "models", APP / "demo"]
# SQLite-specific SQL: PRAGMAs, and the FTS5 search index and its MATCH queries.
SQLITE_ONLY = re.compile(r"\bPRAGMA\s+\w|\bcase_search\b|\bMATCH\s+:|\bfts5\b", re.IGNORECASE)
SQLITE_HOMES = {APP / "models" / "storage.py", APP / "models" / "search.py"}
# The migrations build the search index and are history: they stay as they were written.
MIGRATIONS = APP / "models" / "migrations"


def _modules_below_the_ui() -> list[str]:
    paths = sorted(path for layer in BELOW_THE_UI for path in layer.rglob("*.py"))
    names = [".".join(path.relative_to(ROOT).with_suffix("").parts) for path in paths]
    return [name.removesuffix(".__init__") for name in names if "migrations" not in name]


def test_importing_every_service_and_the_cli_loads_no_qt() -> None:
    """Catches Qt arriving indirectly, through some other package."""
    names = _modules_below_the_ui()
    assert len(names) > 10
    script = (
        "import importlib, sys\n"
        f"for name in {[*names, 'app.cli', 'app.__main__']!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def _strings_in_code(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module (f-string parts included), docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_pragmas_and_search_index_sql_live_only_in_storage_and_search() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
             for path in sorted(APP.rglob("*.py"))
             if path not in SQLITE_HOMES and not path.is_relative_to(MIGRATIONS)
             for line, text in _strings_in_code(path) if SQLITE_ONLY.search(text)]
    assert found == []
