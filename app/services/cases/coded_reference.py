"""Coded references for insecure channels (Surrey 4.5): initials and month/year of birth.

`coded_reference("John Smith", date(2015, 3, 9))` → `"J.S. 03/2015"`. Never the name.
"""

from __future__ import annotations

from datetime import date

from app.models.cases import Child
from app.services import audit
from app.services.access import case_for_child, require_case
from app.services.context import SignedIn
from app.services.people import InvalidInput


def initials(full_name: str) -> str:
    """First letters of the first and last names: "Mary-Jane O'Neil" → "M.O."."""
    words = [word for word in full_name.replace("-", " ").split() if word[:1].isalpha()]
    if not words:
        return ""
    chosen = [words[0]] if len(words) == 1 else [words[0], words[-1]]
    return "".join(f"{word[0].upper()}." for word in chosen)


def coded_reference(child_name: str, date_of_birth: date | None) -> str:
    letters = initials(child_name)
    if not letters:
        raise InvalidInput("The child's name has no letters to take initials from.", "full_name")
    if date_of_birth is None:
        raise InvalidInput(
            "Record the child's date of birth first: the coded reference needs it.",
            "date_of_birth",
        )
    return f"{letters} {date_of_birth:%m/%Y}"


def case_coded_reference(ctx: SignedIn, child_id: int, reason: str | None = None) -> str:
    """The coded reference of a child on a case the signed-in person may open."""
    with ctx.write() as session:
        case_id = case_for_child(session, child_id)
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        child = session.get(Child, child_id)
        assert child is not None  # case_for_child found it in this unit of work
        code = coded_reference(child.full_name, child.date_of_birth)
        audit.record(session, ctx.actor, "coded reference copied", target=f"case:{case.reference}",
                     detail={"child_id": child_id})
    return code
