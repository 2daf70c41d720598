"""installer/: every file the PyInstaller spec, the Inno Setup script and the Linux installer
name exists, and what they bundle is what the app looks for at run time.

The bundle itself is built and self-tested by `make dist` and CI (.ci/run), not here.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from app import paths

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "confide.spec"
ISS = INSTALLER / "confide.iss"


def spec_namespace() -> dict[str, Any]:
    """The spec's constants and its data_files() function, run without PyInstaller."""
    tree = ast.parse(SPEC.read_text("utf-8"))
    keep = [node for node in tree.body
            if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in {"DATA_FOLDERS", "EXCLUDES", "DROPPED_QT_PLUGINS"})
            or (isinstance(node, ast.FunctionDef) and node.name in {"data_files", "wanted"})]
    namespace: dict[str, Any] = {"ROOT": ROOT, "Path": Path}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return spec_namespace()


def bundled(spec: dict[str, Any]) -> set[str]:
    """Where each data file lands inside the bundle, as a path relative to sys._MEIPASS."""
    return {(Path(folder) / Path(source).name).as_posix() for source, folder in spec["data_files"]()}


def test_spec_folders_and_files_exist(spec: dict[str, Any]) -> None:
    for source, _target in spec["DATA_FOLDERS"]:
        assert (ROOT / source).is_dir(), source
    for source, _folder in spec["data_files"]():
        assert Path(source).is_file(), source
    text = SPEC.read_text("utf-8")
    for named in re.findall(r'ROOT / "([^"]+)"(?: / "([^"]+)")?(?: / "([^"]+)")?(?: / "([^"]+)")?', text):
        path = ROOT.joinpath(*[part for part in named if part])
        assert path.exists(), path


def test_bundle_holds_every_resource_and_migration(spec: dict[str, Any]) -> None:
    """Laid out under the bundle as app.paths expects, and nothing from __pycache__."""
    inside = bundled(spec)
    resources = paths.resources_dir()
    for path in resources.rglob("*"):
        if path.is_file():
            assert f"resources/{path.relative_to(resources).as_posix()}" in inside, path
    migrations = paths.migrations_dir()
    for path in [migrations / "env.py", migrations / "script.py.mako",
                 *sorted((migrations / "versions").glob("0*.py"))]:
        assert f"app/models/migrations/{path.relative_to(migrations).as_posix()}" in inside, path
    assert "./LICENSE" in inside or "LICENSE" in inside
    assert not [name for name in inside if "__pycache__" in name or name.endswith(".pyc")]
    assert paths.resources_dir().relative_to(paths.SOURCE_ROOT).as_posix() == "resources"
    assert paths.migrations_dir().relative_to(paths.SOURCE_ROOT).as_posix() == "app/models/migrations"


def test_spec_leaves_out_unused_qt_but_keeps_what_the_app_imports(spec: dict[str, Any]) -> None:
    excluded = set(spec["EXCLUDES"])
    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        used |= set(re.findall(r"\bPySide6\.(Qt\w+)", path.read_text("utf-8")))
    assert used, "the app imports Qt modules"
    assert not {f"PySide6.{name}" for name in used} & excluded
    wanted = spec["wanted"]
    assert wanted(("PySide6/Qt/plugins/platforms/libqxcb.so", "", "BINARY"))
    assert wanted(("PySide6/Qt/plugins/platforms/libqoffscreen.so", "", "BINARY"))
    assert wanted(("PySide6/Qt/plugins/iconengines/libqsvgicon.so", "", "BINARY"))
    assert not wanted(("PySide6/Qt/plugins/platforms/libqvnc.so", "", "BINARY"))
    assert not wanted(("PySide6/Qt/translations/qtbase_de.qm", "", "DATA"))


def test_inno_setup_script_names_files_that_exist_and_the_real_version() -> None:
    text = ISS.read_text("utf-8")
    sources = re.findall(r'^(?:Source: "|LicenseFile=|SetupIconFile=)([^";\r\n]+)', text, re.MULTILINE)
    assert len(sources) == 4
    for source in sources:
        if source.startswith("..\\dist\\"):
            continue  # built by PyInstaller before ISCC runs
        assert (INSTALLER / source.replace("\\", "/")).exists(), source
    # The version comes from pyproject.toml's [project] table read as an INI file.
    assert 'ReadIni(AddBackslash(SourcePath) + "..\\pyproject.toml", "project", "version"' in text
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    section = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    version = tomllib.loads(pyproject)["project"]["version"]
    assert re.search(rf'^version = "{re.escape(version)}"$', section, re.MULTILINE)
    # The uninstaller deletes the data folder only when asked, and it is the app's real folder.
    assert re.search(r'#define DataFolder "\{localappdata\}\\Confide"', text)
    assert "RemoveDataBox.Checked := False" in text
    assert re.search(r"and RemoveData then\s+DelTree\(ExpandConstant\('\{#DataFolder\}'\)", text)
    assert "[UninstallDelete]" not in text
    assert '"{autoprograms}\\{#AppName}"' in text
    assert "Tasks: desktopicon" in text


def test_data_folder_is_the_one_the_uninstaller_names() -> None:
    """platformdirs puts Confide's data in %LOCALAPPDATA%\\Confide on Windows unless asked to
    roam, so the folder the uninstaller offers to delete is the one the app uses."""
    source = (ROOT / "app" / "paths.py").read_text("utf-8")
    assert 'user_data_dir("Confide", appauthor=False)' in source
    assert "roaming" not in source


def test_desktop_entry_and_linux_installer() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLER / "confide.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "Confide"
    assert desktop["Exec"] == "confide" and desktop["Icon"] == "confide"
    assert desktop["Terminal"] == "false" and "Office;" in desktop["Categories"]
    script = (INSTALLER / "install-linux.sh").read_text("utf-8")
    for icon in re.findall(r"_internal/resources/(icons/[\w.-]+)", script):
        assert (ROOT / "resources" / icon).is_file(), icon
    assert 's|^Exec=confide|Exec=\\"$target/confide\\"|' in script
    # Uninstalling removes the program, the menu entry and the icons, never the data folder.
    removals = [line for line in script.splitlines() if line.strip().startswith("rm ")]
    assert removals and not [line for line in removals if "Confide" in line or "$share\"" in line]


def test_makefile_ships_the_linux_installer_in_the_bundle() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "installer/confide.spec" in makefile
    assert "cp installer/install-linux.sh dist/confide/install.sh" in makefile
    assert "cp installer/confide.desktop dist/confide/" in makefile
