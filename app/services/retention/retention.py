"""Retention: archive and destroy cases on the dates the service's rules give them.

Confide applies the rules every time it starts, right after the first sign-in and before the
main window shows any data (see app/ui/shell/application.py), so no record outlives its rule by more
than the time between two starts. The run is idempotent and safe to interrupt: cases are
re-read and handled a group at a time, each group one unit of work (see `run`), so a crash
leaves every case either untouched or fully done, and the next start carries on; it also
finishes the tidying after a destruction (search index, WAL, automatic copies) that a crash
or a full disk interrupted.

- Archiving makes a case read-only and hides it from normal lists (access, cases); a
  manager finds it with the Archived filter and can reopen it.
- Destroying goes through `destruction`, the one path also used for withdrawn consent and
  erasure on request; the WAL is checkpointed and automatic copies holding the families are
  removed once the run has committed.
- A legal hold (a manager, with a reason; see `legal_hold`) stops destruction; archiving
  still happens.
- The preview shows what the next run, and the runs in the coming weeks, will do.
- The summary of each run goes to the audit trail and is kept for managers to read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from app.models.cases import Case, CaseStatusChange, Child
from app.services import audit, changes, settings
from app.services.access import require_case, require_manager, target
from app.services.cases.fields import CaseStatus
from app.services.clock import now
from app.services.context import SignedIn
from app.services.people import InvalidInput
from app.services.retention import anonymous_summaries
from app.services.retention.destruction import after_destruction, after_work_pending, destroy_cases
from app.services.retention.rules import (
    CUSTOM,
    PRESET_BY_KEY,
    CaseClock,
    Due,
    RetentionRules,
    archive_due,
    destroy_due,
    earliest_cutoffs,
    preset_for,
    title_of,
)

log = logging.getLogger(__name__)

LAST_RUN_SETTING = "retention_last_run"
RULE_PREFIX = "retention: "
# The summary keeps at most this many references of each kind; the counts are always whole.
SUMMARY_REFERENCES = 200
CHUNK = 500  # ids per IN (...) list, well inside SQLite's limit
BATCH_CASES = 100

COPIES_ELSEWHERE = (
    "Confide removes its own automatic copies once they hold a destroyed family. Backups you "
    "saved yourself (on a USB drive, a network folder or anywhere else) still hold them: delete "
    "backups older than your destroy rule, or keep them no longer than it allows."
)


# -- the rules in settings -----------------------------------------------------------------


def read_rules(session: Session) -> RetentionRules:
    values = settings.read_values(session, settings.RETENTION_SPECS)
    return RetentionRules(**values)


def load_rules(ctx: SignedIn) -> RetentionRules:
    """The rules in force; anyone signed in may read them (they are the service's policy)."""
    with ctx.read() as session:
        return read_rules(session)


def save_rules(ctx: SignedIn, rules: RetentionRules) -> RetentionRules:
    """A manager changes the rules. A named preset always carries its own numbers."""
    require_manager(ctx.actor, "change the retention rules")
    preset = PRESET_BY_KEY.get(rules.retention_preset)
    if preset is not None:
        rules = preset.rules
    elif rules.retention_preset != CUSTOM:
        raise InvalidInput("Rules: choose one of the presets or your own rules.", "retention_preset")
    cleaned = RetentionRules(**settings.validate(asdict(rules)))
    # Own numbers that match a preset are saved as that preset, so the screen names them.
    cleaned = replace(cleaned, retention_preset=preset_for(cleaned))
    with ctx.write() as session:
        before = read_rules(session)
        changed = {k: v for k, v in asdict(cleaned).items() if getattr(before, k) != v}
        if changed:
            settings.write(session, changed)
            audit.record(session, ctx.actor, "retention rules changed",
                         detail={"preset": cleaned.retention_preset, **cleaned.numbers()})
    return cleaned


# -- which cases, and when -------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _due_condition(rules: RetentionRules, on: date) -> ColumnElement[bool] | None:
    """A WHERE clause finding every case that may be due by `on` (and a few that are not)."""
    cutoffs = earliest_cutoffs(rules, on)
    archived = CaseStatus.ARCHIVED.value
    conditions: list[ColumnElement[bool]] = []
    if "archive_inactive" in cutoffs:
        conditions.append(and_(Case.status != archived,
                               Case.last_activity_at < _start_of(cutoffs["archive_inactive"])))
    if "archive_closed" in cutoffs:
        conditions.append(and_(Case.status == CaseStatus.CLOSED.value,
                               Case.closed_at < _start_of(cutoffs["archive_closed"])))
    if "destroy_inactive" in cutoffs:
        conditions.append(Case.last_activity_at < _start_of(cutoffs["destroy_inactive"]))
    if "destroy_child" in cutoffs:
        conditions.append(exists().where(Child.case_id == Case.id,
                                         Child.date_of_birth < cutoffs["destroy_child"]))
    return or_(*conditions) if conditions else None


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _clocks(session: Session, where: ColumnElement[bool]) -> list[CaseClock]:
    rows = session.execute(select(Case.id, Case.reference, Case.status, Case.last_activity_at,
                                  Case.closed_at, Case.legal_hold_reason)
                           .where(where).order_by(Case.id)).all()
    births: dict[int, date | None] = {}
    ids = [row.id for row in rows]
    for part in _chunks(ids):
        for case_id, youngest, children, known in session.execute(
                select(Child.case_id, func.max(Child.date_of_birth), func.count(),
                       func.count(Child.date_of_birth))
                .where(Child.case_id.in_(part)).group_by(Child.case_id)):
            # With any child's date of birth missing, nobody can say who is youngest.
            births[case_id] = youngest if known == children else None
    return [CaseClock(row.id, row.reference, row.status, row.last_activity_at.date(),
                      row.closed_at.date() if row.closed_at else None, row.legal_hold_reason,
                      births.get(row.id)) for row in rows]


def clock_of(session: Session, case_id: int) -> CaseClock | None:
    found = _clocks(session, Case.id == case_id)
    return found[0] if found else None


@dataclass(frozen=True)
class Decision:
    archive: Due | None
    destroy: Due | None
    held: bool  # destruction is due but a legal hold stops it


def decide(rules: RetentionRules, clock: CaseClock, on: date) -> Decision:
    """What a run on `on` does to this case."""
    destroy = destroy_due(rules, clock)
    if destroy is not None and destroy.on > on:
        destroy = None
    held = destroy is not None and bool(clock.legal_hold_reason)
    archive = archive_due(rules, clock)
    if archive is not None and (archive.on > on or (destroy is not None and not held)):
        archive = None
    return Decision(archive, None if held else destroy, held)


# -- the preview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewItem:
    case_id: int
    reference: str
    status: str
    action: str  # "archive" or "destroy"
    due: date
    rule: str
    next_run: bool  # due already: the next start does it
    legal_hold_reason: str | None = None  # destruction due but held

    @property
    def held(self) -> bool:
        return self.legal_hold_reason is not None


@dataclass(frozen=True)
class RetentionPreview:
    rules: RetentionRules
    today: date
    until: date
    items: tuple[PreviewItem, ...]  # soonest first

    def count(self, action: str, *, next_run: bool | None = None, held: bool = False) -> int:
        return sum(1 for item in self.items if item.action == action and item.held == held
                   and (next_run is None or item.next_run == next_run))


def preview(ctx: SignedIn, rules: RetentionRules | None = None, days: int = 90) -> RetentionPreview:
    """What the next run will archive and destroy, and what falls due in the next `days`.

    `rules` previews rules being edited before they are saved. Only references, dates and
    rules are shown, so no reason is needed for cases not assigned to the manager.
    """
    require_manager(ctx.actor, "see what retention will archive and destroy")
    today = now().date()
    until = today + timedelta(days=max(0, min(days, 3660)))
    with ctx.write() as session:
        rules = rules or read_rules(session)
        where = _due_condition(rules, until)
        clocks = _clocks(session, where) if where is not None else []
        audit.record(session, ctx.actor, "retention preview viewed", detail={"days": days})
    items: list[PreviewItem] = []
    for clock in clocks:
        destroy = destroy_due(rules, clock)
        archive = archive_due(rules, clock)
        if destroy is not None and destroy.on <= until:
            items.append(PreviewItem(clock.case_id, clock.reference, clock.status, "destroy",
                                     max(destroy.on, today), destroy.rule, destroy.on <= today,
                                     clock.legal_hold_reason or None))
            if not clock.legal_hold_reason and archive is not None and archive.on >= destroy.on:
                archive = None  # destroyed before it would be archived
        if archive is not None and archive.on <= until:
            items.append(PreviewItem(clock.case_id, clock.reference, clock.status, "archive",
                                     max(archive.on, today), archive.rule, archive.on <= today))
    items.sort(key=lambda item: (item.due, item.action != "destroy", item.reference))
    return RetentionPreview(rules, today, until, tuple(items))


# -- one case's dates, for its Retention tab -----------------------------------------------------


@dataclass(frozen=True)
class CaseSchedule:
    rules_title: str
    archive: Due | None
    destroy: Due | None
    legal_hold_reason: str | None


def case_schedule(ctx: SignedIn, case_id: int, reason: str | None = None) -> CaseSchedule:
    """When the current rules archive and destroy this case (dates only, nothing else)."""
    with ctx.write() as session:
        case = require_case(session, ctx.actor, case_id, reason, viewing=True)
        rules = read_rules(session)
        clock = clock_of(session, case.id)
    assert clock is not None  # require_case found the case in the same unit of work
    return CaseSchedule(title_of(rules), archive_due(rules, clock), destroy_due(rules, clock),
                        clock.legal_hold_reason or None)


# -- the run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionSummary:
    at: datetime
    rules_title: str
    archived: tuple[str, ...] = ()
    destroyed: tuple[str, ...] = ()
    held: tuple[str, ...] = ()  # destruction due, stopped by a legal hold
    failed: tuple[str, ...] = ()  # left as they were; tried again next start
    counts: dict[str, int] = field(default_factory=dict)
    copies_removed: int = 0
    seconds: float = 0.0
    summaries_cleared: int = 0  # anonymous calls' summaries, past the destroy period

    @property
    def anything(self) -> bool:
        return bool(self.summaries_cleared) or any(
            self.counts.get(k) for k in ("archived", "destroyed", "held", "failed"))

    def lines(self) -> list[str]:
        """The summary in plain words, for the manager."""
        c = self.counts
        lines = [f"Retention rules applied on {self.at:%d %B %Y} ({self.rules_title})."]
        if not self.anything:
            lines.append("Nothing was due: no case was archived or destroyed.")
        if c.get("archived"):
            lines.append(f"{c['archived']} case{_s(c['archived'])} archived: "
                         + _references(self.archived, c["archived"]) + ".")
        if c.get("destroyed"):
            lines.append(f"{c['destroyed']} case{_s(c['destroyed'])} destroyed (their calls stay "
                         "as anonymous statistics): " + _references(self.destroyed, c["destroyed"])
                         + ".")
        if c.get("held"):
            lines.append(f"{c['held']} case{_s(c['held'])} kept because of a legal hold: "
                         + _references(self.held, c["held"]) + ".")
        if c.get("failed"):
            lines.append(f"{c['failed']} case{_s(c['failed'])} could not be processed and will be "
                         "tried again next time: " + _references(self.failed, c["failed"]) + ".")
        if self.summaries_cleared:
            whose = "call's summary" if self.summaries_cleared == 1 else "calls' summaries"
            lines.append(f"{self.summaries_cleared} anonymous {whose} cleared after the destroy "
                         "period (the calls stay as statistics).")
        if self.copies_removed:
            lines.append(f"{self.copies_removed} automatic cop{'y' if self.copies_removed == 1 else 'ies'}"
                         " holding destroyed families removed.")
        if c.get("destroyed"):
            lines.append(COPIES_ELSEWHERE)
        return lines


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _references(refs: tuple[str, ...], total: int) -> str:
    text = ", ".join(refs)
    return text + (f" and {total - len(refs)} more" if total > len(refs) else "")


Progress = Callable[[int, int], None]


def _archive(session: Session, case: Case, due: Due, at: datetime) -> None:
    case.status = CaseStatus.ARCHIVED.value
    session.add(CaseStatusChange(case_id=case.id, status=CaseStatus.ARCHIVED.value, at=at,
                                 by_staff_id=None))
    # Archiving is not activity: last_activity_at stays, so the destroy clock keeps running.
    audit.record(session, None, "case archived", target=target(case), detail={"rule": due.rule})


Outcome = tuple[str, str]  # ("archived"|"destroyed"|"held"|"failed", case reference)


def _archive_one(session: Session, case: Case, clock: CaseClock,
                 decision: Decision) -> Outcome | None:
    if decision.archive is not None:
        _archive(session, case, decision.archive, now().replace(microsecond=0))
    if decision.held:
        return "held", clock.reference
    return ("archived", clock.reference) if decision.archive is not None else None


def _destroy(session: Session, doomed: list[tuple[Case, str]]) -> list[Outcome]:
    """Destroy the group's due cases together; if that fails, one at a time, so a case that
    cannot be destroyed is rolled back alone and the others still go."""
    references = [case.reference for case, _ in doomed]
    try:
        with session.begin_nested():
            destroy_cases(session, doomed, None)
        return [("destroyed", reference) for reference in references]
    except Exception as exc:
        log.warning("retention destroying %s cases together failed (%s); one at a time",
                    len(doomed), type(exc).__name__)
    outcomes: list[Outcome] = []
    for (case, rule), reference in zip(doomed, references, strict=True):
        try:
            with session.begin_nested():
                destroy_cases(session, [(case, rule)], None)
            outcomes.append(("destroyed", reference))
        except Exception as exc:
            # Rolled back to the savepoint: this case is as it was. Type only, never data.
            log.error("retention could not destroy case id %s: %s", case.id, type(exc).__name__)
            outcomes.append(("failed", reference))
    return outcomes


def _process_group(session: Session, rules: RetentionRules, case_ids: Sequence[int],
                   today: date) -> list[Outcome]:
    """One group of cases inside one unit of work; each case is untouched or fully done."""
    # Re-read inside the transaction: a case may have changed since the candidates were found.
    clocks = {clock.case_id: clock for clock in _clocks(session, Case.id.in_(case_ids))}
    found = {case.id: case for case in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    outcomes: list[Outcome] = []
    doomed: list[tuple[Case, str]] = []
    for case_id in case_ids:
        clock, case = clocks.get(case_id), found.get(case_id)
        if clock is None or case is None:
            continue  # gone since the candidates were read
        decision = decide(rules, clock, today)
        if decision.destroy is not None:
            doomed.append((case, RULE_PREFIX + decision.destroy.rule))
            continue
        try:
            with session.begin_nested():
                outcome = _archive_one(session, case, clock, decision)
        except Exception as exc:
            log.error("retention could not process case id %s: %s", case_id, type(exc).__name__)
            outcome = ("failed", clock.reference)
        if outcome is not None:
            outcomes.append(outcome)
    if doomed:
        outcomes += _destroy(session, doomed)
    return outcomes


def run(ctx: SignedIn, progress: Progress | None = None) -> RetentionSummary:
    """Apply the rules to every case due today. Runs as Confide itself, whoever is signed in.

    Cases are handled in groups of BATCH_CASES, each group one unit of work: with
    synchronous=FULL every commit waits for the disk, and SQLite's cost is mostly per
    statement, so the group's due cases are destroyed by one set of statements. Inside the
    group each archiving is its own nested transaction (SAVEPOINT), and the destructions one
    more; if that fails they are retried one case at a time, so a case that fails is rolled
    back alone and counted, and the others go on. A crash loses at most the uncommitted group,
    and every case in it is untouched; nothing is ever half destroyed, and the next start does
    the rest.
    """
    started = time.perf_counter()
    today = now().date()
    # Only finding the candidates: each group re-reads its cases under the writer lock.
    with ctx.read() as session:
        rules = read_rules(session)
        where = _due_condition(rules, today)
        due = [clock.case_id for clock in (_clocks(session, where) if where is not None else [])]
        unfinished = after_work_pending(session)
    done: dict[str, list[str]] = {"archived": [], "destroyed": [], "held": [], "failed": []}
    for position in range(0, len(due), BATCH_CASES):
        group_ids = due[position:position + BATCH_CASES]
        try:
            with ctx.write() as session:
                group = _process_group(session, rules, group_ids, today)
        except Exception as exc:
            # The group did not commit (a full disk, say): all of it is as it was.
            log.error("retention could not commit %s cases: %s", len(group_ids), type(exc).__name__)
            group = [("failed", f"id {case_id}") for case_id in group_ids]
        for kind, reference in group:
            done[kind].append(reference)
        if progress is not None:
            progress(position + len(group_ids), len(due))
    copies = after_destruction(ctx).copies_removed if done["destroyed"] or unfinished else 0
    with ctx.write() as session:
        cleared = anonymous_summaries.clear(session, rules, today)
        summary = RetentionSummary(
            at=now().replace(microsecond=0), rules_title=title_of(rules),
            **{kind: tuple(refs[:SUMMARY_REFERENCES]) for kind, refs in done.items()},
            counts={kind: len(refs) for kind, refs in done.items()}, copies_removed=copies,
            seconds=round(time.perf_counter() - started, 3), summaries_cleared=cleared)
        audit.record(session, None, "retention run", detail={
            **summary.counts, "preset": rules.retention_preset, "copies_removed": copies,
            "summaries_cleared": cleared, "signed_in": ctx.actor.username})
        settings.write(session, {LAST_RUN_SETTING: _summary_json(summary)})
    for kind, change in (("archived", changes.CASE_CHANGED), ("destroyed", changes.CASE_DESTROYED)):
        for reference in done[kind]:
            changes.publish(change, reference)
    return summary


def _summary_json(summary: RetentionSummary) -> dict[str, object]:
    values = asdict(summary)
    values["at"] = summary.at.isoformat()
    return values


def last_summary(ctx: SignedIn) -> RetentionSummary | None:
    """The summary of the latest run, for the manager's Retention tab."""
    require_manager(ctx.actor, "read the retention summary")
    with ctx.read() as session:
        stored = settings.read_private(session, LAST_RUN_SETTING)
    if not isinstance(stored, dict):
        return None
    try:
        return RetentionSummary(
            at=datetime.fromisoformat(stored["at"]), rules_title=stored["rules_title"],
            **{k: tuple(stored.get(k, ())) for k in ("archived", "destroyed", "held", "failed")},
            counts=dict(stored.get("counts", {})), copies_removed=int(stored.get("copies_removed", 0)),
            seconds=float(stored.get("seconds", 0.0)),
            summaries_cleared=int(stored.get("summaries_cleared", 0)))
    except (KeyError, TypeError, ValueError):
        return None  # written by another version: the audit trail still has every run
