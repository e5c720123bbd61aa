"""Finding a client's staff member named in a planned event or a question (by id, UUID or name)."""

from __future__ import annotations

import uuid as uuid_module

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _
from app.persistence.models import Client, Employee


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
