"""Services and models never import Qt, and the command line does not pull it in either."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
LAYERS = [ROOT / "app" / "services", ROOT / "app" / "models"]


def modules() -> list[Path]:
    found = sorted(path for layer in LAYERS for path in layer.rglob("*.py"))
    assert len(found) > 10
    return found


def imported_names(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant)):
            names.append(str(node.args[0].value))
    return names


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_does_not_import_qt(path: Path) -> None:
    offending = [name for name in imported_names(path) if name.split(".")[0] in QT_PACKAGES]
    offending += [name for name in imported_names(path) if name.startswith("app.ui")]
    assert offending == [], f"{path.relative_to(ROOT)} imports {offending}"


def test_importing_every_service_and_the_cli_loads_no_qt() -> None:
    """Catches Qt arriving indirectly, through some other package."""
    names = [".".join(path.relative_to(ROOT).with_suffix("").parts) for path in modules()]
    names = [name.removesuffix(".__init__") for name in names if "migrations" not in name]
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
