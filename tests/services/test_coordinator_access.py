"""A coordinator makes reports but reaches no case data through any service call.

Every public function of the modules that hold family data is found by looking, not listed by
hand, so a function added later without a coordinator check fails here until it has one.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType

import pytest

from app.services.calls import calls
from app.services.calls.calls import CallDetails
from app.services.cases import cases, coded_reference, contact, family, finding
from app.services.cases import notes as case_notes
from app.services.cases.cases import CaseFilter
from app.services.cases.fields import Direction
from app.services.consent import consent
from app.services.context import SignedIn
from app.services.letters import letters
from app.services.people import PermissionRefused
from app.services.reports import report
from app.services.reports.period import month_period
from tests.services.cases.test_access import (  # noqa: F401  (fixtures used by name)
    CASE_FUNCTIONS,
    Ids,
    alices_case,
)

CASE_MODULES: tuple[ModuleType, ...] = (calls, cases, finding, case_notes, contact, coded_reference,
                                        family, consent, letters)

# The calls not already in tests/services/cases/test_access.py's table, with arguments that
# would succeed for Alice.
MORE_CALLS: dict[str, Callable[[SignedIn, Ids], object]] = {
    "follow_ups_due": lambda ctx, ids: calls.follow_ups_due(ctx, everyone=True),
    "recent_calls": lambda ctx, ids: calls.recent_calls(ctx, everyone=True),
    "log_anonymous_call": lambda ctx, ids: calls.log_anonymous_call(
        ctx, CallDetails(direction=Direction.OUT)),
    "assign_adviser": lambda ctx, ids: cases.assign_adviser(ctx, ids.case, ctx.actor.id),
    "unassign_adviser": lambda ctx, ids: cases.unassign_adviser(ctx, ids.case, ctx.actor.id),
    "find_cases": lambda ctx, ids: cases.find_cases(ctx, "Smith"),
    "search_cases": lambda ctx, ids: cases.search_cases(ctx, "Smith"),
    "list_cases": lambda ctx, ids: cases.list_cases(ctx, CaseFilter(mine=False)),
    "templates": lambda ctx, ids: letters.templates(ctx),
    "save_template": lambda ctx, ids: letters.save_template(ctx, "blank", "Blank", "", "Hello"),
    "reset_template": lambda ctx, ids: letters.reset_template(ctx, "blank"),
    "preview_content": lambda ctx, ids: letters.preview_content(ctx, ids.case, letters.LetterDraft(
        "blank", "Blank letter", "Hi", "Dear Jane", letters.Addressee(parent_id=ids.parent), (), ()),
        "Hi", "Dear Jane"),
    "letter_pdf_bytes": lambda ctx, ids: letters.letter_pdf_bytes(ctx, 1),
    "recent_letters": lambda ctx, ids: letters.recent_letters(ctx),
    "sample_content": lambda ctx, ids: letters.sample_content(ctx, "Hi", "Dear {parent_name}"),
}
EVERY_CALL = {**CASE_FUNCTIONS, **MORE_CALLS}


def public_functions() -> dict[str, Callable[..., object]]:
    found = {}
    for module in CASE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            parameters = list(inspect.signature(function).parameters)
            mine = function.__module__ == module.__name__ and not name.startswith("_")
            if mine and parameters[:1] == ["ctx"]:
                found[name] = function
    return found


def test_every_case_data_function_is_checked_here() -> None:
    assert sorted(public_functions()) == sorted(EVERY_CALL)


@pytest.mark.parametrize("name", sorted(EVERY_CALL))
def test_coordinator_is_refused(name: str, alices_case: Ids, coordinator: SignedIn) -> None:  # noqa: F811
    with pytest.raises(PermissionRefused):
        EVERY_CALL[name](coordinator, alices_case)


def test_the_same_coordinator_can_make_a_report(alices_case: Ids, coordinator: SignedIn) -> None:  # noqa: F811
    _, this_month = report.report_months(coordinator)
    made = report.build_report(coordinator, month_period(this_month))
    # Alice's named call and her anonymous one: counted, and shown only as a small number.
    assert made.table("anonymity").total is not None
    assert made.table("anonymity").total.text == "<5"
