"""Client use cases: add, edit, delete a client, read its card (its stage history, its people)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.domain.normalize import normalize_email, normalize_inn, normalize_phone
from app.domain.quotes import in_quotes
from app.domain.stages import Stage
from app.domain.timeutil import to_local
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, Contact, Employee, StageEvent, utcnow
from app.services.changes import Changes
from app.services.client_input import (
    CARD_FIELDS,
    ClientInput,
    PersonInput,
    _normal_field,
    _normalise,
    _raise_if_invalid,
    field_errors,
    judged_card,
)
from app.services.common import find_client
from app.sync.stages import move_order


@dataclass(frozen=True)
class StageEventRow:
    at: datetime  # local time (stored as UTC)
    from_stage: int
    to_stage: int
    who: str  # as recorded: a team login, or a local profile's name
    reason: str
    forced: bool
    who_name: str = ""  # as people read it: the member's full name when the roster here knows the login

    def shown_who(self) -> str:
        """Who moved the client, as the history shows people: the member's name, else what was recorded."""
        return self.who_name or self.who


@dataclass(frozen=True)
class ClientDetails:
    """Everything the client card edits and shows."""

    id: int
    uuid: str
    data: ClientInput
    stage: int
    stage_since: datetime
    history: list[StageEventRow]


def find_by_inn(s: Session, inn: str) -> Client | None:
    """The client with this ИНН in any spelling (full-width digits, spaces), or None."""
    return s.scalar(select(Client).where(Client.inn == normalize_inn(inn)))


def _check_unique_inn(s: Session, inn: str, own_id: int | None = None) -> None:
    existing = find_by_inn(s, inn)
    if existing is not None and existing.id != own_id:
        raise UserError(_("A client with INN {inn} already exists: «{name}» (No. {id}).").format(
            inn=normalize_inn(inn), name=in_quotes(existing.name), id=existing.id))  # as stored: not «７７０７…» typed


def _apply(client: Client, data: ClientInput, s: Session, *, revive: bool = False) -> None:
    for name in CARD_FIELDS:
        setattr(client, name, getattr(data, name))
    _sync_people(client.contacts, data.contacts, Contact, s, revive)
    _sync_people(client.employees, data.employees, Employee, s, revive)


def _sync_people(current: list, wanted: list[PersonInput], model, s: Session, revive: bool = False) -> None:
    """Update rows in place by UUID, add new ones, remove the ones gone — UUIDs stay stable. ``revive``: a wanted
    person with a UUID the client has no row for comes back under it (see ``update_client_in``)."""
    by_uuid = {row.uuid: row for row in current}
    keep = []
    for person in wanted:
        row = by_uuid.get(person.uuid) if person.uuid else None
        if row is None and revive and person.uuid:
            from sqlalchemy import delete

            from app.persistence.models import Tombstone

            s.execute(delete(Tombstone).where(Tombstone.kind == "delete", Tombstone.uuid == person.uuid))
            row = model(name=person.name.strip(), uuid=person.uuid)
            current.append(row)
        elif row is None:
            row = model(name=person.name.strip())
            current.append(row)
        row.name = person.name.strip()
        row.position = person.position.strip()
        row.phone = normalize_phone(person.phone)
        row.email = normalize_email(person.email)
        if hasattr(row, "department"):
            row.department = person.department.strip()
        keep.append(row)
    for row in list(current):
        if row not in keep:
            current.remove(row)
            if inspect(row).persistent:  # deleted by name, not only as an orphan at the flush: the audit hook
                s.delete(row)  # (before the flush) sees it and the trail says who removed the person, and when


# ------------------------------------------------------------------ actions


def add_client(db: Database, data: ClientInput) -> int:
    """Create a client at stage 0; returns its id."""
    _raise_if_invalid(data)
    data = _normalise(data)
    with db.unit() as s:
        return _add(s, data)


def _add(s: Session, data: ClientInput) -> int:
    _check_unique_inn(s, data.inn)
    client = Client(stage=int(Stage.NEW), stage_since=utcnow())
    s.add(client)
    _apply(client, data, s)
    s.flush()
    return client.id


def update_client(db: Database, client_id: int, data: ClientInput) -> Changes:
    """Save the whole card ``data`` (fields, contacts, employees) of the client ``client_id``: what the window's
    card saves. UserError when a field is invalid or the ИНН is another client's; nothing is written then."""
    data = judged_card(data)
    with db.unit() as s:
        return update_client_in(s, client_id, data)



def update_client_in(s: Session, client_id: int, data: ClientInput, *, revive: bool = False) -> Changes:
    """``update_client`` inside the session ``s`` for a card ``data`` already judged and normalised. ``revive``: a
    person whose UUID is not among the client's comes back under that UUID (an undo bringing back a removed
    contact), its deletion's tombstone lifted; otherwise such a row is added anew."""
    client = find_client(s, client_id)
    _check_unique_inn(s, data.inn, own_id=client.id)
    _apply(client, data, s, revive=revive)
    client.updated_at = utcnow()
    return Changes(clients=True, client_ids=frozenset({client.id}))


@dataclass(frozen=True)
class FieldChange:
    """One field ``edit_client`` changed: its name in ``CARD_FIELDS`` and the stored values before and after."""

    field: str
    old: str | date | None
    new: str | date | None


@dataclass(frozen=True)
class EditResult:
    """What ``edit_client`` did: the client's id, the fields whose stored value changed (none: nothing was written)
    and the change description for the views."""

    client_id: int
    changed: list[FieldChange]
    changes: Changes


def edit_client(db: Database, ref: int | str, fields: dict[str, str | date | None]) -> EditResult:
    """Change only ``fields`` (names from ``CARD_FIELDS``) of the client ``ref`` (its id or ИНН) in one unit of work:
    the rest of the card, its contacts and employees stay as stored (read in the same transaction, so nothing
    saved meanwhile is overwritten). The values are judged as ``update_client`` judges a card — the same messages,
    in the card with the other fields as stored — and stored normalised; a value equal to the stored one is no
    change, and when nothing changes nothing is written. The audit trail records each changed field (the session
    hooks, app/team/hooks.py). UserError for an unknown client, an unknown field, an invalid value or an ИНН
    another client has; nothing is written then."""
    unknown = sorted(set(fields) - set(CARD_FIELDS))
    if unknown:
        raise ValueError(f"not fields of the client card: {unknown}")
    with db.unit() as s:
        client = find_client(s, ref)
        data = _card_input(client)
        for name, value in fields.items():
            setattr(data, name, value)
        # the card's rules (the КПП is judged with the ИНН), but only for what is changed: an old value elsewhere
        # in the card that today's rules refuse does not stop a correction (the window would show it in red)
        errors = [message for name, message in field_errors(data).items()
                  if name in fields or (name == "kpp" and "inn" in fields)]
        if errors:
            raise UserError(errors[0] if len(errors) == 1 else _("The client card has errors:"),
                            details=[] if len(errors) == 1 else errors)
        changed = []
        for name, value in fields.items():
            new = _normal_field(name, value)
            if new != getattr(client, name):
                changed.append(FieldChange(name, getattr(client, name), new))
        if not changed:
            return EditResult(client.id, [], Changes())
        if "inn" in fields:
            _check_unique_inn(s, data.inn, own_id=client.id)
        for change in changed:
            setattr(client, change.field, change.new)
        client.updated_at = utcnow()
        return EditResult(client.id, changed, Changes(clients=True, client_ids=frozenset({client.id})))


def delete_client(db: Database, client_id: int | str) -> Changes:
    """Delete the client (``client_id``: its id, or a CLIENT reference: the id or the ИНН) and everything it owns.
    UserError when it does not exist, or on a team laptop when it has issued documents and the signed-in member is
    not the team's administrator (app/team/rights.py)."""
    from app.sync.refused_delete import require_deletable

    with db.unit() as s:
        client = find_client(s, client_id)
        found = client.id
        require_deletable(s, client)
        s.delete(client)
    return Changes(clients=True, client_ids=frozenset({found}))


def _person_inputs(c: Client) -> tuple[list[PersonInput], list[PersonInput]]:
    """The client's contacts and employees as form rows (with their UUIDs, so a save keeps them)."""
    contacts, employees = (
        [PersonInput(name=p.name, position=p.position, phone=p.phone, email=p.email,
                     department=getattr(p, "department", ""), uuid=p.uuid) for p in rows]
        for rows in (c.contacts, c.employees)
    )
    return contacts, employees


def _card_input(c: Client) -> ClientInput:
    """The client's own fields as stored (no contacts, no employees)."""
    return ClientInput(**{name: getattr(c, name) for name in CARD_FIELDS})


def get_client(db: Database, ref: int | str) -> ClientDetails:
    """The card of the client ``ref`` (its id or INN, app/services/common.py ``find_client``): its fields, people
    and stage history in the team's order of moves, each move's author also by name (``StageEventRow.who_name``,
    from the roster this computer has). Raises UserError for an unknown client."""
    from app.team.author import member_names, shown_name

    with db.read() as s:
        c = find_client(s, ref)
        people = _person_inputs(c)
        # in the team's order of moves (app/sync/stages.py), so that the last line is where the client stands
        events = s.scalars(select(StageEvent).where(StageEvent.client_id == c.id)
                           .order_by(*move_order(StageEvent))).all()
        data = replace(_card_input(c), contacts=people[0], employees=people[1])
        names = member_names(s, {e.who for e in events})  # logins → names, as `audit` shows them
        return ClientDetails(
            id=c.id, uuid=c.uuid, data=data, stage=c.stage, stage_since=to_local(c.stage_since),
            history=[StageEventRow(to_local(e.at), e.from_stage, e.to_stage, e.who, e.reason, e.forced,
                                   shown_name(names, e.who)) for e in events],
        )
