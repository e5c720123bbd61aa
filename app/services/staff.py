"""Finding a client's staff member named in a planned event or a question (by id, UUID or name), and the names of
those an event or a question holds, the departed ones included."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable

from sqlalchemy import DateTime, func, literal, select, union_all
from sqlalchemy.orm import Session

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _
from app.persistence.models import AuditEntry, Client, Employee, Tombstone
from app.services.privacy import SCRUBBED


def _as_uuid(text: str) -> str | None:
    try:
        return str(uuid_module.UUID(text))
    except ValueError:
        return None


def staff_uuid(s: Session, client: Client, ref: str) -> str:
    """The UUID of ``client``'s employee given by id, UUID or name (case-insensitive).

    UserError naming the other client when the person is on another client's staff, or «not found»."""
    text = str(ref or "").strip()
    staff = list(s.scalars(select(Employee).where(Employee.client_id == client.id)))
    match = next((e for e in staff if text in (e.uuid, str(e.id))), None) or next(
        (e for e in staff if e.name.casefold() == text.casefold()), None)
    if match is not None:
        return match.uuid
    as_uuid = _as_uuid(text)
    condition = Employee.name == text if as_uuid is None else (Employee.uuid == as_uuid) | (Employee.name == text)
    other = s.scalar(select(Client.name).join(Employee, Employee.client_id == Client.id).where(condition).limit(1))
    if other is not None:
        raise UserError(_("«{name}» is on the staff of «{other}», not of «{client}».").format(
            name=in_quotes(text[:60]), other=in_quotes(other), client=in_quotes(client.name)))
    raise UserError(_("Employee «{name}» not found at this client.").format(name=in_quotes(text[:60])))


def staff_names(s: Session, uuids: Iterable[str]) -> dict[str, str]:
    """UUID -> name of the employees ``uuids`` names (an event's participants, a question's asker), in one
    statement: those on a client's staff by their card, those removed from it (someone who left) by the last name
    the audit trail holds for them (their insert, a rename, their removal), found through their delete tombstone (its
    index on the UUID, then the trail's on the client). A person whose name was erased (app/services/privacy.py) or
    who left no line is missing.

    A departed participant was listed as «?» by ``plan list`` and the agenda, and the forms could only say «Бывший
    сотрудник (не в штате)»: nobody could tell who took part (tester R, item 6)."""
    wanted = sorted({u for u in uuids if u})  # sent even when empty: a list's statements do not depend on its rows
    on_staff = select(Employee.uuid.label("uuid"), Employee.name.label("name"), literal(0).label("gone"),
                      literal(None, DateTime).label("at"), literal(0).label("line")).where(Employee.uuid.in_(wanted))
    removed = (select(AuditEntry.record_uuid, func.coalesce(AuditEntry.new_value, AuditEntry.old_value), literal(1),
                      AuditEntry.at, AuditEntry.id)
               .join(Tombstone, (Tombstone.client_uuid == AuditEntry.client_uuid)
                     & (Tombstone.uuid == AuditEntry.record_uuid))
               .where(Tombstone.uuid.in_(wanted), Tombstone.kind == "delete", Tombstone.table_name == "employee",
                      AuditEntry.table_name == "employee", AuditEntry.field.in_(("", "name"))))
    names: dict[str, str] = {}
    gone: dict[str, str] = {}
    for uuid, name, departed, _at, _line in s.execute(union_all(on_staff, removed).order_by("gone", "at", "line")):
        if not departed:
            names[uuid] = name
        elif (name or "").strip() and name != SCRUBBED:  # the latest line wins
            gone[uuid] = name.strip()
    return {**gone, **names}
