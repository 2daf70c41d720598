"""Known problems are told apart from bugs by one root class, whatever layer raised them."""

from __future__ import annotations

import pytest

from app.models.storage import DatabaseBusy, DiskFull, StorageError, WrongKey
from app.problems import KnownProblem
from app.services.errors import known_problem_message
from app.services.install.vault import CredentialStoreProblem, KeyFileDamaged, NotSetUp, SignInRefused
from app.services.people import InvalidInput, PermissionRefused
from app.services.printouts.printing import PrintingUnavailable


@pytest.mark.parametrize("problem", [
    InvalidInput("Type a postcode such as MK6 1AA.", "postcode"),
    PermissionRefused("Only a manager can do that."),
    SignInRefused("The username or password is not right."),
    CredentialStoreProblem("The credential store is locked."),
    KeyFileDamaged("The key file is damaged."),
    PrintingUnavailable("No printer is set up."),
])
def test_a_known_problem_is_shown_in_its_own_words(problem: KnownProblem) -> None:
    assert known_problem_message(problem) == str(problem)


@pytest.mark.parametrize("problem", [DiskFull("SQLITE_FULL"), DatabaseBusy("locked"), WrongKey("x")])
def test_a_storage_problem_is_shown_as_its_plain_message_not_the_driver_text(problem: StorageError) -> None:
    assert known_problem_message(problem) == type(problem).user_message
    assert "SQLITE" not in (known_problem_message(problem) or "")


def test_not_set_up_says_so_rather_than_naming_the_folder() -> None:
    assert known_problem_message(NotSetUp("/home/someone/.local/share/confide")) == (
        "Confide is not set up in this data folder.")


@pytest.mark.parametrize("bug", [RuntimeError("boom"), KeyError("name"), ValueError("bad"),
                                 ZeroDivisionError()])
def test_anything_else_is_a_bug(bug: BaseException) -> None:
    assert known_problem_message(bug) is None
