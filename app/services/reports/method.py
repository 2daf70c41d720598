"""The service's chosen disclosure-control method, kept in the encrypted settings table.

A manager chooses it on the Reports page; coordinators, and scheduled exports from the command
line, always get what the service chose. It is stored beside the service settings but is not
one of them (it has its own control, not a field on the settings form).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services import audit, settings
from app.services.access import require_manager
from app.services.context import SignedIn
from app.services.people import InvalidInput
from app.services.reports.disclosure_control import MIN_THRESHOLD, Method, Rules, check_threshold

METHOD_SETTING = "report_method"
THRESHOLD_SETTING = "report_threshold"


def read_rules(session: Session) -> Rules:
    """The stored choice; anything unreadable falls back to the default, never to something weaker."""
    method_text = settings.read_private(session, METHOD_SETTING)
    threshold = settings.read_private(session, THRESHOLD_SETTING)
    try:
        method = Method(method_text) if method_text else Method.ROUNDING
        return Rules(method, check_threshold(threshold) if threshold is not None else MIN_THRESHOLD)
    except (ValueError, InvalidInput):
        return Rules()


def service_rules(ctx: SignedIn) -> Rules:
    with ctx.read() as session:
        return read_rules(session)


def save_rules(ctx: SignedIn, rules: Rules) -> Rules:
    """Make `rules` the service's method for every report (managers only, audited)."""
    require_manager(ctx.actor, "choose how reports control small numbers")
    with ctx.write() as session:
        before = read_rules(session)
        if before != rules:
            settings.write(session, {METHOD_SETTING: rules.method.value, THRESHOLD_SETTING: rules.threshold})
            audit.record(session, ctx.actor, "report method changed",
                         detail={"method": rules.method.value, "threshold": rules.threshold})
    return rules
