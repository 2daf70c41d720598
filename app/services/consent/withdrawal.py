"""Withdrawing consent to keep a family's details, as a Qt-free flow the dialog only draws.

1. Explain: what will be destroyed (counted), what stays (the calls, as anonymous figures),
   and whether anything stops it (a legal hold; a safeguarding concern needs a manager).
2. Confirm: how the family withdrew, and the case reference typed back.
3. Done: the destruction register's entry.
"""

from __future__ import annotations

from enum import StrEnum

from app.services.access import may_destroy_on_withdrawal
from app.services.cases.fields import ConsentMethod
from app.services.consent import consent
from app.services.consent.consent import WithdrawalPreview
from app.services.context import SignedIn
from app.services.people import PermissionRefused
from app.services.retention.destruction import DestructionView


class Step(StrEnum):
    EXPLAIN = "explain"
    CONFIRM = "confirm"
    DONE = "done"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class KeepDetailsWithdrawal:
    def __init__(self, ctx: SignedIn, case_id: int, reason: str | None = None) -> None:
        self.ctx = ctx
        self.reason = reason
        self.preview: WithdrawalPreview = consent.withdrawal_preview(ctx, case_id, reason)
        self.step = Step.EXPLAIN
        self.result: DestructionView | None = None

    @property
    def reference(self) -> str:
        return self.preview.reference

    def blocked(self) -> str | None:
        """Why this cannot go ahead now, in words for the adviser; None when it can."""
        if self.preview.legal_hold:
            return (f"Case {self.reference} is on legal hold, so nothing on it can be destroyed. "
                    "Record the withdrawal as a note and tell a manager, who can lift the hold.")
        if not may_destroy_on_withdrawal(self.ctx.actor, self.preview.safeguarding):
            return (f"Case {self.reference} has a safeguarding concern. A manager must decide "
                    "whether its records may be destroyed: ask them to do this step.")
        return None

    def explanation(self) -> list[str]:
        p = self.preview
        people = [_plural(p.parents, "parent or carer", "parents or carers"),
                  _plural(p.children, "child", "children"),
                  _plural(p.notes, "note"), _plural(p.consent_records, "consent record"),
                  _plural(p.third_party_contacts, "contact with a third party",
                          "contacts with third parties")]
        return [
            f"The family's personal data on case {self.reference} will be destroyed now and "
            "cannot be brought back: " + ", ".join(people) + ".",
            f"{_plural(p.calls_kept, 'call')} {'stays' if p.calls_kept == 1 else 'stay'} only as "
            "anonymous statistics (date, channel, "
            "topics, area district, outcome), with no link to the family and no summary.",
            "The destruction register records the case reference, its dates and that consent "
            "was withdrawn, and nothing about the family.",
            "Backups made before today still hold the record until they are replaced.",
        ]

    def go_on(self) -> None:
        problem = self.blocked()
        if problem:
            raise PermissionRefused(problem)
        if self.step is Step.EXPLAIN:
            self.step = Step.CONFIRM

    def back(self) -> None:
        if self.step is Step.CONFIRM:
            self.step = Step.EXPLAIN

    def confirm(self, method: ConsentMethod | str | None, typed_reference: str) -> DestructionView:
        if self.step is not Step.CONFIRM:
            raise PermissionRefused("Read what will happen first, then confirm.")
        self.result = consent.withdraw_keep_details(self.ctx, self.preview.case_id, method,
                                                    typed_reference, self.reason)
        self.step = Step.DONE
        return self.result
