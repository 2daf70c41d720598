"""Service settings, declared once with type, default, bounds and description.

They concern the service (its name and address go on letters), so they live in the
encrypted database. Only harmless window geometry goes in QSettings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.foundation import Setting
from app.services import audit
from app.services.access import require_manager
from app.services.people import InvalidInput, check_characters, readable

if TYPE_CHECKING:
    from app.services.context import SignedIn


@dataclass(frozen=True)
class SettingSpec:
    name: str
    label: str
    description: str
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    required: bool = False
    # Text settings of several lines (each line a one-line value, so no tabs).
    multiline: bool = False
    # Text settings limited to a fixed set of values (such as the retention preset).
    choices: tuple[str, ...] = ()


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("service_name", "Service name", "Shown on letters, reports and the lock screen.",
                "", max_length=120, required=True),
    SettingSpec("service_address", "Address", "The service's postal address, for letterheads.",
                "", max_length=400, multiline=True),
    SettingSpec("service_phone", "Phone", "The number given to families and left in messages.",
                "", max_length=40),
    SettingSpec("service_email", "Email", "The service's email address, for letterheads.",
                "", max_length=120),
    SettingSpec("idle_lock_minutes", "Lock after (minutes idle)",
                "Confide locks itself when nobody has touched it for this long.",
                5, minimum=1, maximum=60),
    SettingSpec("interview_rooms", "Interview rooms",
                "One room per line. The diary refuses to book a room twice at the same time.",
                "Interview room 1\nInterview room 2", max_length=400, multiline=True),
)

# Retention rules: managed on their own Admin tab (with presets), stored like every setting.
# A number of 0 switches that rule off. The presets that fill these live in `retention`.
RETENTION_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("retention_preset", "Rules", "Which set of retention rules the service follows.",
                "default", choices=("default", "milton_keynes", "reading", "surrey", "schools",
                                    "custom")),
    SettingSpec("archive_inactive_months", "Archive after (months without activity)",
                "A case nobody has worked on for this long is archived: read-only and off the lists.",
                6, minimum=0, maximum=120),
    SettingSpec("archive_after_closure_months", "Archive after closing (months)",
                "A closed case is archived this long after it was closed.",
                12, minimum=0, maximum=120),
    SettingSpec("destroy_inactive_years", "Destroy after (years without activity)",
                "The family's details are destroyed this long after the last activity on the case.",
                6, minimum=0, maximum=50),
    SettingSpec("destroy_child_age", "Destroy when the youngest child reaches (age)",
                "The family's details are destroyed when the youngest child reaches this age.",
                0, minimum=0, maximum=40),
    SettingSpec("destroy_combine", "When both destroy rules apply",
                "Destroy at whichever date comes first, or at whichever comes later.",
                "first", choices=("first", "later")),
)
ALL_SPECS = SPECS + RETENTION_SPECS
_BY_NAME = {spec.name: spec for spec in ALL_SPECS}


@dataclass(frozen=True)
class ServiceSettings:
    service_name: str = ""
    service_address: str = ""
    service_phone: str = ""
    service_email: str = ""
    idle_lock_minutes: int = 5
    interview_rooms: str = "Interview room 1\nInterview room 2"

    @property
    def rooms(self) -> tuple[str, ...]:
        """The interview rooms, one per line, without blanks or repeats."""
        names = (" ".join(line.split()) for line in self.interview_rooms.splitlines())
        return tuple(dict.fromkeys(name for name in names if name))


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Cleaned values; raises InvalidInput naming the first field that is wrong."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        spec = _BY_NAME.get(name)
        if spec is None:
            raise InvalidInput(f"Unknown setting {name!r}.", name)
        if isinstance(spec.default, int):
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise InvalidInput(f"{spec.label}: enter a whole number.", name) from None
            if (spec.minimum is not None and number < spec.minimum) or (
                spec.maximum is not None and number > spec.maximum
            ):
                raise InvalidInput(
                    f"{spec.label}: choose between {spec.minimum} and {spec.maximum}.", name
                )
            cleaned[name] = number
            continue
        if spec.choices:
            if value not in spec.choices:
                raise InvalidInput(f"{spec.label}: choose one of {', '.join(spec.choices)}.", name)
            cleaned[name] = value
            continue
        text = check_characters(str(value).strip().replace("\r\n", "\n"), name, spec.label,
                                multiline=spec.multiline, tabs=False)
        if spec.required and not text:
            raise InvalidInput(f"{spec.label}: this cannot be left empty.", name)
        if spec.max_length and len(text) > spec.max_length:
            raise InvalidInput(
                f"{spec.label}: at most {spec.max_length} characters ({len(text)} typed).", name
            )
        cleaned[name] = text
    return cleaned


def read(session: Session) -> ServiceSettings:
    """The service settings inside the caller's unit of work (setup and sign-in use this)."""
    stored = {row.name: json.loads(row.value) for row in session.scalars(select(Setting))}
    # Before the text rule a service name could be stored with a broken character (a lone
    # surrogate) that every letter and report then failed on; such text is shown mended.
    stored = {k: readable(v) if isinstance(v, str) else v for k, v in stored.items()}
    known = {f.name for f in fields(ServiceSettings)}
    return ServiceSettings(**{k: v for k, v in stored.items() if k in known})


def load(ctx: SignedIn) -> ServiceSettings:
    with ctx.read() as session:
        return read(session)


def read_values(session: Session, specs: tuple[SettingSpec, ...]) -> dict[str, Any]:
    """Each of `specs` as stored, or its default; a stored value that no longer validates
    (a bound tightened in a later version) falls back to the default rather than failing."""
    names = [spec.name for spec in specs]
    stored = {row.name: json.loads(row.value)
              for row in session.scalars(select(Setting).where(Setting.name.in_(names)))}
    values: dict[str, Any] = {}
    for spec in specs:
        try:
            values[spec.name] = validate({spec.name: stored[spec.name]})[spec.name]
        except (KeyError, InvalidInput):
            values[spec.name] = spec.default
    return values


def write(session: Session, values: dict[str, Any]) -> None:
    for name, value in values.items():
        row = session.get(Setting, name)
        if row is None:
            session.add(Setting(name=name, value=json.dumps(value)))
        else:
            row.value = json.dumps(value)


def update(ctx: SignedIn, values: dict[str, Any]) -> ServiceSettings:
    require_manager(ctx.actor, "change the service settings")
    service_names = {spec.name for spec in SPECS}
    unknown = [name for name in values if name not in service_names]
    if unknown:
        # Retention rules have their own service, which also checks they make sense together.
        raise InvalidInput(f"Unknown setting {unknown[0]!r}.", unknown[0])
    cleaned = validate(values)
    with ctx.write() as session:
        before = read(session)
        changed = {k: v for k, v in cleaned.items() if getattr(before, k) != v}
        if changed:
            write(session, changed)
            audit.record(session, ctx.actor, "settings changed", detail={"fields": sorted(changed)})
        return replace(before, **changed)


def read_private(session: Session, name: str) -> str | None:
    """Internal values that are not service settings (such as the audit sealing key)."""
    row = session.get(Setting, name)
    return json.loads(row.value) if row else None
