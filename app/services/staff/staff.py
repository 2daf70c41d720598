"""Staff accounts: add, change role, deactivate, reset password. Managers only, all audited.

A password reset writes a new key slot and drops the old one; a deactivated account loses
its slot, so its password no longer opens the database at all.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.staff import Staff
from app.services import audit
from app.services.access import refuse_own_deactivation, require_manager
from app.services.clock import now
from app.services.context import SignedIn
from app.services.install import storage_access
from app.services.install.signing_in import find_staff
from app.services.install.signing_in import staff_member as _staff_member
from app.services.people import (
    InvalidInput,
    PermissionRefused,
    Role,
    StaffMember,
    check_full_name,
    check_password,
    check_username,
)


def list_staff(ctx: SignedIn) -> list[StaffMember]:
    require_manager(ctx.actor, "see the staff list")
    with ctx.read() as session:
        rows = session.scalars(select(Staff).order_by(Staff.active.desc(), Staff.full_name))
        return [_staff_member(row) for row in rows]


def _row(session: Session, staff_id: int) -> Staff:
    row = session.get(Staff, staff_id)
    if row is None:
        raise InvalidInput("That staff account no longer exists.")
    return row


def _other_active_managers(session: Session, staff_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Staff).where(
            Staff.role == Role.MANAGER.value, Staff.active.is_(True), Staff.id != staff_id
        )
    ) or 0


def add_staff(ctx: SignedIn, full_name: str, username: str, role: Role, password: str,
              confirm: str) -> StaffMember:
    require_manager(ctx.actor, "add staff accounts")
    name = check_full_name(full_name)
    username = check_username(username)
    check_password(password, confirm)
    role = Role(role)
    with ctx.write() as session:
        taken = find_staff(session, username) is not None
    if taken:
        raise InvalidInput("That username is already in use. Choose another.", "username")
    with storage_access.key_slots_of(ctx).slot_change(ctx, username, password) as slot_id, \
            ctx.write() as session:
        # Again under the writer lock: another desk may have taken it since the check above,
        # which only spares the person a slow key derivation before the refusal.
        if find_staff(session, username) is not None:
            raise InvalidInput("That username is already in use. Choose another.", "username")
        row = Staff(username=username, full_name=name, role=role.value, active=True,
                    created_at=now(), key_slot_id=slot_id, must_change_password=True)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "staff account created", target=f"staff:{row.id}",
                     detail={"role": role.value})
        return _staff_member(row)


def change_role(ctx: SignedIn, staff_id: int, role: Role) -> StaffMember:
    require_manager(ctx.actor, "change a staff member's role")
    role = Role(role)
    with ctx.write() as session:
        row = _row(session, staff_id)
        if row.role == role.value:
            return _staff_member(row)
        if row.role == Role.MANAGER.value and not _other_active_managers(session, row.id):
            raise PermissionRefused("Confide needs at least one active manager; add another first.")
        before = row.role
        row.role = role.value
        audit.record(session, ctx.actor, "staff role changed", target=f"staff:{row.id}",
                     detail={"from": before, "to": role.value})
        return _staff_member(row)


def deactivate(ctx: SignedIn, staff_id: int) -> StaffMember:
    require_manager(ctx.actor, "deactivate staff accounts")
    refuse_own_deactivation(ctx.actor, staff_id)
    with ctx.write() as session:
        row = _row(session, staff_id)
        if not row.active:
            return _staff_member(row)
        if row.role == Role.MANAGER.value and not _other_active_managers(session, row.id):
            raise PermissionRefused("Confide needs at least one active manager.")
        slot_id = row.key_slot_id
        row.active = False
        row.key_slot_id = None
        audit.record(session, ctx.actor, "staff account deactivated", target=f"staff:{row.id}")
        member = _staff_member(row)
    # After the commit: sign-in also refuses inactive accounts, so either order is safe.
    storage_access.key_slots_of(ctx).remove_slot(slot_id)
    return member


def reset_password(ctx: SignedIn, staff_id: int, password: str, confirm: str) -> StaffMember:
    """A new temporary password (and key slot); also reactivates a deactivated account."""
    require_manager(ctx.actor, "reset passwords")
    check_password(password, confirm)
    with ctx.write() as session:
        username = _row(session, staff_id).username
    # Same slot id for the same username: the new slot replaces the old one.
    with storage_access.key_slots_of(ctx).slot_change(ctx, username, password) as slot_id, \
            ctx.write() as session:
        row = _row(session, staff_id)
        row.key_slot_id = slot_id
        reactivated = not row.active
        row.active = True
        row.must_change_password = row.id != ctx.actor.id
        audit.record(session, ctx.actor, "password reset", target=f"staff:{row.id}",
                     detail={"reactivated": reactivated})
        return _staff_member(row)


def change_own_password(ctx: SignedIn, current: str, password: str, confirm: str) -> StaffMember:
    if not storage_access.key_slots_of(ctx).check_password(ctx.actor.username, current):
        raise InvalidInput("Your current password is not right.", "current")
    check_password(password, confirm)
    if password == current:
        raise InvalidInput("Choose a password different from the current one.", "password")
    with storage_access.key_slots_of(ctx).slot_change(ctx, ctx.actor.username, password) as slot_id, \
            ctx.write() as session:
        row = _row(session, ctx.actor.id)
        row.key_slot_id = slot_id
        row.must_change_password = False
        audit.record(session, ctx.actor, "password changed", target=f"staff:{row.id}")
        member = _staff_member(row)
    ctx.actor = member
    return member
