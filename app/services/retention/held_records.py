"""The pack's tables for records it does not lay out by hand: letters, appointments, and any
table with a `case_id` that comes after them.

Each is worded as a person would write it: a label for every column, staff by name, dates
spelt out, yes or no in words, and a stored file described ("PDF, 2 pages") rather than printed.
Letters and appointments have a layout here; a column a layout does not mention (a new one
added to the model later) is still shown, worded by its type, so nothing held is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column as TableColumn
from sqlalchemy import LargeBinary, Table, select
from sqlalchemy.orm import Session

from app.models.staff import Staff
from app.services.diary.fields import AppointmentKind, Venue, venue_text
from app.services.printouts.dates import clock_time, long_date, long_date_time, long_day

Row = Mapping[str, Any]
FORMER_COLLEAGUE = "a former colleague"


@dataclass(frozen=True)
class OtherRecords:
    """Rows of a table the pack does not lay out by hand, e.g. letters or appointments."""

    table: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Words:
    """How one value reads in the pack; knows the staff so that ids become names."""

    def __init__(self, staff: Mapping[int, str]) -> None:
        self.staff = staff

    def who(self, staff_id: int | None) -> str:
        return "" if staff_id is None else self.staff.get(staff_id, FORMER_COLLEAGUE)

    def at_by(self, what: str, at: datetime | None, staff_id: int | None) -> str:
        if at is None:
            return ""
        by = f" by {self.who(staff_id)}" if staff_id is not None else ""
        return f"{what} {long_date_time(at)}{by}"

    def value(self, value: Any, column: TableColumn[Any]) -> str:
        """Any column's value, worded by its type: for columns no layout mentions."""
        if value is None:
            return ""
        if isinstance(column.type, LargeBinary):
            return stored_file(value)
        if any(key.column.table.name == "staff" for key in column.foreign_keys):
            return self.who(value)
        if isinstance(value, datetime):
            return long_date_time(value)
        if isinstance(value, date):
            return long_day(value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)


def stored_file(content: bytes, pages: int | None = None) -> str:
    """A file kept in the database, described: the pack lists it, it does not reprint it."""
    if content.startswith(b"%PDF"):
        kind = "PDF"
    elif content.startswith((b"\x89PNG", b"\xff\xd8")):
        kind = "Picture"
    else:
        kind = "File"
    if pages:
        return f"{kind} kept, {pages} page{'s' if pages != 1 else ''}"
    return f"{kind} kept, not printed in this pack"


def label_of(name: str) -> str:
    """A column no layout names: its name made into words, without the "_id" of a key."""
    words = name.removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Field:
    label: str
    uses: tuple[str, ...]
    text: Callable[[Row, Words], str]


@dataclass(frozen=True)
class Layout:
    title: str
    fields: tuple[Field, ...]
    # Kept for Confide's own use and already shown another way (a template's key beside its title).
    hidden: frozenset[str] = frozenset()

    @property
    def covers(self) -> frozenset[str]:
        return self.hidden | {name for field in self.fields for name in field.uses}


def _addressee(row: Row, _: Words) -> str:
    third_party = row["addressee_kind"] == "third party"
    return row["addressee"] + (" (another organisation)" if third_party else "")


def _span(row: Row, _: Words) -> str:
    starts, ends = row["starts_at"], row["ends_at"]
    if long_date(starts) == long_date(ends):
        return f"{long_date(starts)}, {clock_time(starts)} to {clock_time(ends)}"
    return f"{long_date_time(starts)} to {long_date_time(ends)}"


def _kind(row: Row, _: Words) -> str:
    try:
        return AppointmentKind(row["kind"]).label
    except ValueError:
        return str(row["kind"])


def _where(row: Row, _: Words) -> str:
    try:
        return venue_text(Venue(row["venue"]), row["venue_name"] or "", row["room"])
    except ValueError:
        return " ".join(str(v) for v in (row["venue"], row["venue_name"], row["room"]) if v)


def _booking(row: Row, words: Words) -> str:
    return "\n".join(line for line in (
        words.at_by("Booked", row["created_at"], row["created_by"]),
        words.at_by("Changed", row["changed_at"], row["changed_by"]),
        words.at_by("Cancelled", row["cancelled_at"], row["cancelled_by"])) if line)


LAYOUTS: dict[str, Layout] = {
    "letter": Layout("Letters sent", (
        Field("Sent", ("created_at",), lambda r, _: long_date_time(r["created_at"])),
        Field("Letter", ("template_title",), lambda r, _: r["template_title"]),
        Field("To", ("addressee", "addressee_kind"), _addressee),
        Field("Subject", ("subject",), lambda r, _: r["subject"]),
        Field("Written by", ("author_id",), lambda r, w: w.who(r["author_id"]) or FORMER_COLLEAGUE),
        Field("Copy", ("pdf", "pages"), lambda r, _: stored_file(r["pdf"], r["pages"])),
    ), hidden=frozenset({"template_key"})),
    "appointment": Layout("Appointments", (
        Field("When", ("starts_at", "ends_at"), _span),
        Field("What", ("kind",), _kind),
        Field("Where", ("venue", "venue_name", "room"), _where),
        Field("About", ("purpose",), lambda r, _: r["purpose"] or ""),
        Field("With", ("adviser_id",), lambda r, w: w.who(r["adviser_id"])),
        Field("Booked", ("created_at", "created_by", "changed_at", "changed_by", "cancelled_at",
                         "cancelled_by"), _booking),
    )),
}


def _generic(column: TableColumn[Any]) -> Field:
    return Field(label_of(column.name), (column.name,),
                 lambda row, words: words.value(row[column.name], column))


def _layout(table: Table) -> Layout:
    """The table's layout, with a generic field for every column it does not cover."""
    known = LAYOUTS.get(table.name, Layout(label_of(table.name) + " records", ()))
    extra = tuple(_generic(c) for c in table.columns
                  if c.name not in known.covers | {"id", "case_id"})
    return Layout(known.title, known.fields + extra, known.hidden)


def records_of(session: Session, table: Table, case_id: int) -> OtherRecords | None:
    """The table's rows on the case, oldest first, as the pack prints them; None if it has none."""
    order = list(table.primary_key.columns) or list(table.columns)
    rows = session.execute(select(table).where(table.c.case_id == case_id).order_by(*order)).mappings().all()
    if not rows:
        return None
    layout = _layout(table)
    words = Words(dict(session.execute(select(Staff.id, Staff.full_name)).all()))
    return OtherRecords(table.name, layout.title, tuple(f.label for f in layout.fields),
                        tuple(tuple(f.text(row, words) for f in layout.fields) for row in rows))
