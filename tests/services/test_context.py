"""Every public service takes the signed-in context first, as `ctx: SignedIn`.

Walks every module under app.services and checks each public function defined there (no
leading underscore, not a class or a method). The exceptions are rules, not names:

- the first parameter is a `Session`: the function works inside a unit of work its caller
  opened (audit.record, settings.read, the sign-in code's staff lookup), so the caller
  already holds the context or is the vault building one;
- the first parameter is a `Vault`: setting up, signing in and recovery, which run before
  anyone is signed in and are what make a context;
- the function touches no database at all: no parameter is a Session, Database or
  context, and it opens no unit of work (checks like people.check_password, formatting,
  PDF drawing from values already read, the retention rules' arithmetic).

Nothing public takes the raw `Database`, except the sign-in code that opens and migrates it
before a context exists (see OPENS_THE_DATABASE).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import app
import app.services
from app.services.context import DataFolder, SignedIn

STORAGE_TYPES = ("Session", "Database", "SignedIn", "Vault")
OPENS_A_UNIT_OF_WORK = re.compile(r"\.(unit_of_work|reading)\(|\bctx\.(write|read)\(")
# Opening the database is what signing in does; nothing else public may take it.
OPENS_THE_DATABASE = "app.services.install.signing_in"


def service_modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(app.services.__path__, "app.services."):
        yield importlib.import_module(info.name)


def public_functions(module: ModuleType) -> Iterator[tuple[str, Callable[..., Any]]]:
    for name, value in vars(module).items():
        function = inspect.unwrap(value) if callable(value) else value
        if (name.startswith("_") or not inspect.isfunction(function)
                or function.__module__ != module.__name__):
            continue
        yield name, function


def type_name(annotation: object) -> str:
    """The annotation as written (`from __future__ import annotations` keeps it a string)."""
    if annotation is inspect.Parameter.empty:
        return ""
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")


def mentions(annotation: str, *names: str) -> bool:
    return any(re.search(rf"\b{name}\b", annotation) for name in names)


def problem(module: ModuleType, function: Callable[..., Any]) -> str | None:
    """Why `function` breaks the rule, or None when it keeps it."""
    parameters = list(inspect.signature(function).parameters.values())
    kinds = [type_name(parameter.annotation) for parameter in parameters]
    first = kinds[0] if kinds else ""
    if any(mentions(kind, "SignedIn") for kind in kinds[1:]):
        return "takes the context, but not as its first parameter"
    if any(mentions(kind, "Database") for kind in kinds) and module.__name__ != OPENS_THE_DATABASE:
        return "takes the raw Database; take ctx and use ctx.write() or ctx.read()"
    if mentions(first, "SignedIn"):
        return None if parameters[0].name == "ctx" else "names its context other than `ctx`"
    if mentions(first, "Session", "Vault", "Database"):
        return None
    if any(mentions(kind, *STORAGE_TYPES) for kind in kinds):
        return "reaches storage without taking ctx first"
    if OPENS_A_UNIT_OF_WORK.search(inspect.getsource(function)):
        return "opens a unit of work without taking ctx"
    return None


def test_every_public_service_function_takes_the_context_first() -> None:
    checked = 0
    wrong = []
    for module in service_modules():
        for name, function in public_functions(module):
            checked += 1
            reason = problem(module, function)
            if reason:
                wrong.append(f"{module.__name__}.{name}: {reason}")
    assert wrong == []
    assert checked > 200  # the walk found the services, not an empty package


def test_the_rule_catches_the_old_calling_conventions() -> None:
    def list_events(database: Database, viewer: object) -> None: ...  # noqa: F821
    def rename(ctx: SignedIn, name: str) -> None: ...
    def second(name: str, ctx: SignedIn) -> None: ...
    def misnamed(signed_in: SignedIn) -> None: ...
    def sneaky(name: str) -> None:
        with ctx.write():  # type: ignore[name-defined]  # noqa: F821
            pass

    module = inspect.getmodule(test_the_rule_catches_the_old_calling_conventions)
    assert module is not None
    assert problem(module, list_events) is not None
    assert problem(module, rename) is None
    assert problem(module, second) is not None
    assert problem(module, misnamed) is not None
    assert problem(module, sneaky) is not None


def test_the_context_keeps_the_database_and_vault_to_itself(manager: SignedIn) -> None:
    public = {name for name in vars(manager) if not name.startswith("_")}
    assert public == {"actor", "folder", "notices"}
    assert isinstance(manager.folder, DataFolder)
    assert manager.folder == DataFolder.at(manager.folder.root)


def test_only_storage_access_reaches_past_the_units_of_work() -> None:
    root = Path(app.__file__).parent
    readers = sorted(path.relative_to(root).as_posix() for path in root.rglob("*.py")
                     if re.search(r"\._database\b", path.read_text(encoding="utf-8")))
    assert readers == ["services/context.py", "services/install/storage_access.py"]
    # The whole-file work (export, swap, PRAGMAs, checkpoints, sealing a key slot). A new
    # caller belongs here only if a unit of work cannot do the job.
    whole_file = sorted(path.relative_to(root).as_posix() for path in root.rglob("*.py")
                        if "database_of(" in path.read_text(encoding="utf-8"))
    assert whole_file == ["services/install/backup.py", "services/install/self_test.py",
                          "services/install/storage_access.py", "services/install/vault.py",
                          "services/retention/destruction.py"]
