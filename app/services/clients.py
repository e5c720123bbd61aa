"""Client use cases: add, edit, list with counters (constant number of queries), find."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.stages import APPROACH_TITLES, STAGE_TITLES, Approach, Stage, parse_approach
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    Contact,
    Employee,
    Lesson,
    LessonProgress,
    StageEvent,
    utcnow,
)
from app.services.changes import Changes
from app.services.common import find_client


@dataclass
class PersonInput:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    department: str = ""
    uuid: str | None = None


@dataclass
class ClientInput:
    name: str
    inn: str
    approach: str
    kpp: str = ""
    contract_no: str = ""
    contract_date: date | None = None
    program_version: str = ""
    manager: str = ""
    address: str = ""
    city: str = ""
    signer_name: str = ""
    signer_position: str = ""
    notes: str = ""
    contacts: list[PersonInput] = field(default_factory=list)
    employees: list[PersonInput] = field(default_factory=list)


@dataclass(frozen=True)
class ClientSummary:
    """One row of the client list / one kanban card."""

    id: int
    uuid: str
    name: str
    inn: str
    approach: str
    stage: int
    stage_since: datetime
    contract_no: str
    contract_date: date | None
    program_version: str
    manager: str
    contact_name: str
    contact_phone: str
    search_text: str
    checklist_done: int
    checklist_total: int
    lessons_done: int
    lessons_total: int

    @property
    def stage_title(self) -> str:
        return STAGE_TITLES[Stage(self.stage)]

    @property
    def approach_title(self) -> str:
        return APPROACH_TITLES[Approach(self.approach)]

    def days_in_stage(self, today: date | None = None) -> int:
        return max(0, ((today or date.today()) - self.stage_since.date()).days)

    def as_json(self) -> dict:
        return {
            "id": self.id, "uuid": self.uuid, "name": self.name, "inn": self.inn, "approach": self.approach,
            "stage": self.stage, "stage_title": self.stage_title, "contract_no": self.contract_no,
            "contract_date": self.contract_date.isoformat() if self.contract_date else None,
            "program_version": self.program_version, "manager": self.manager,
            "contact": self.contact_name, "phone": self.contact_phone,
            "checklist_done": self.checklist_done, "checklist_total": self.checklist_total,
            "lessons_done": self.lessons_done, "lessons_total": self.lessons_total,
            "stage_since": self.stage_since.isoformat(timespec="seconds"),
        }


@dataclass(frozen=True)
class StageEventRow:
    at: datetime
    from_stage: int
    to_stage: int
    who: str
    reason: str
    forced: bool


@dataclass(frozen=True)
class ClientDetails:
    """Everything the client card edits and shows."""

    id: int
    uuid: str
    data: ClientInput
    stage: int
    stage_since: datetime
    history: list[StageEventRow]


# ------------------------------------------------------------------ validation


def field_errors(data: ClientInput) -> dict[str, str]:
    """Per-field messages for a client form; empty when everything is valid."""
    errors: dict[str, str] = {}

    def text(name: str, label: str, value: str, required: bool = False, max_len: int = v.MAX_TEXT) -> None:
        try:
            v.clean_text(value, label, required=required, max_len=max_len)
        except UserError as exc:
            errors[name] = exc.message

    text("name", _("Name"), data.name, required=True, max_len=300)
    inn_error = v.inn_error(data.inn)
    if inn_error:
        errors["inn"] = inn_error
    kpp_error = v.kpp_error(data.kpp)
    if kpp_error:
        errors["kpp"] = kpp_error
    try:
        parse_approach(data.approach)
    except UserError as exc:
        errors["approach"] = exc.message
    text("contract_no", _("Contract No."), data.contract_no, max_len=100)
    text("program_version", _("Program version"), data.program_version, max_len=50)
    text("manager", _("Manager"), data.manager, max_len=200)
    text("address", _("Address"), data.address)
    text("city", _("City"), data.city, max_len=100)
    text("signer_name", _("Signer"), data.signer_name, max_len=200)
    text("signer_position", _("Signer position"), data.signer_position, max_len=200)
    text("notes", _("Notes"), data.notes, max_len=10_000)
    if data.contract_date and not 1990 <= data.contract_date.year <= 2100:
        errors["contract_date"] = _("Contract date is out of range.")
    for kind, people in (("contacts", data.contacts), ("employees", data.employees)):
        for index, person in enumerate(people, start=1):
            problems = []
            if not person.name.strip():
                problems.append(_("name is required"))
            for value, check in ((person.email, v.email_error), (person.phone, v.phone_error)):
                message = check(value)
                if message:
                    problems.append(message)
            for value in (person.name, person.position, person.department):
                try:
                    v.clean_text(value, _("Name"), max_len=200)
                except UserError as exc:
                    problems.append(exc.message)
            if problems:
                errors[f"{kind}[{index}]"] = _("Row {n}: {problems}").format(n=index, problems="; ".join(problems))
    return errors


def _raise_if_invalid(data: ClientInput) -> None:
    errors = field_errors(data)
    if errors:
        messages = list(errors.values())
        raise UserError(messages[0] if len(messages) == 1 else _("The client card has errors:"),
                        details=[] if len(messages) == 1 else messages)


def _normalise(data: ClientInput) -> ClientInput:
    return replace(
        data,
        name=data.name.strip(), inn=data.inn.strip(), kpp=(data.kpp or "").strip(),
        approach=parse_approach(data.approach).value,
        contract_no=data.contract_no.strip(), program_version=data.program_version.strip(),
        manager=data.manager.strip(), address=data.address.strip(), city=data.city.strip(),
        signer_name=data.signer_name.strip(), signer_position=data.signer_position.strip(),
        notes=data.notes.strip(),
    )


def _check_unique_inn(s: Session, inn: str, own_id: int | None = None) -> None:
    existing = s.scalar(select(Client).where(Client.inn == inn))
    if existing is not None and existing.id != own_id:
        raise UserError(_("A client with INN {inn} already exists: «{name}» (No. {id}).").format(
            inn=inn, name=existing.name, id=existing.id))


def _apply(client: Client, data: ClientInput, s: Session) -> None:
    for name in ("name", "inn", "kpp", "approach", "contract_no", "contract_date", "program_version",
                 "manager", "address", "city", "signer_name", "signer_position", "notes"):
        setattr(client, name, getattr(data, name))
    _sync_people(client.contacts, data.contacts, Contact, s)
    _sync_people(client.employees, data.employees, Employee, s)


def _sync_people(current: list, wanted: list[PersonInput], model, s: Session) -> None:
    """Update rows in place by UUID, add new ones, remove the ones gone — UUIDs stay stable."""
    by_uuid = {row.uuid: row for row in current}
    keep = []
    for person in wanted:
        row = by_uuid.get(person.uuid) if person.uuid else None
        if row is None:
            row = model(name=person.name.strip())
            current.append(row)
        row.name = person.name.strip()
        row.position = person.position.strip()
        row.phone = person.phone.strip()
        row.email = person.email.strip()
        if hasattr(row, "department"):
            row.department = person.department.strip()
        keep.append(row)
    for row in list(current):
        if row not in keep:
            current.remove(row)


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
    _raise_if_invalid(data)
    data = _normalise(data)
    with db.unit() as s:
        client = find_client(s, client_id)
        _check_unique_inn(s, data.inn, own_id=client.id)
        _apply(client, data, s)
        client.updated_at = utcnow()
    return Changes(clients=True, client_ids=frozenset({client_id}))


def delete_client(db: Database, client_id: int) -> Changes:
    with db.unit() as s:
        s.delete(find_client(s, client_id))
    return Changes(clients=True, client_ids=frozenset({client_id}))


def get_client(db: Database, ref: int | str) -> ClientDetails:
    with db.read() as s:
        c = find_client(s, ref)
        people = [
            [PersonInput(name=p.name, position=p.position, phone=p.phone, email=p.email,
                         department=getattr(p, "department", ""), uuid=p.uuid) for p in rows]
            for rows in (c.contacts, c.employees)
        ]
        events = s.scalars(select(StageEvent).where(StageEvent.client_id == c.id)
                           .order_by(StageEvent.at, StageEvent.id)).all()
        data = ClientInput(
            name=c.name, inn=c.inn, approach=c.approach, kpp=c.kpp, contract_no=c.contract_no,
            contract_date=c.contract_date, program_version=c.program_version, manager=c.manager,
            address=c.address, city=c.city, signer_name=c.signer_name, signer_position=c.signer_position,
            notes=c.notes, contacts=people[0], employees=people[1],
        )
        return ClientDetails(
            id=c.id, uuid=c.uuid, data=data, stage=c.stage, stage_since=c.stage_since,
            history=[StageEventRow(e.at, e.from_stage, e.to_stage, e.who, e.reason, e.forced) for e in events],
        )


def list_clients(db: Database, ids: list[int] | None = None) -> list[ClientSummary]:
    """All clients (or the given ids) with counters, in a fixed number of SQL statements."""
    with db.read() as s:
        return summaries(s, ids)


def summaries(s: Session, ids: list[int] | None = None) -> list[ClientSummary]:
    query = select(Client.id, Client.uuid, Client.name, Client.inn, Client.approach, Client.stage,
                   Client.stage_since, Client.contract_no, Client.contract_date, Client.program_version,
                   Client.manager).order_by(Client.name, Client.id)
    if ids is not None:
        query = query.where(Client.id.in_(ids))
    rows = s.execute(query).all()

    totals_by_stage = dict(s.execute(select(ChecklistTemplate.stage, func.count()).group_by(ChecklistTemplate.stage)).all())
    done_q = (select(ChecklistState.client_id, ChecklistTemplate.stage, func.count())
              .join(ChecklistTemplate, ChecklistTemplate.code == ChecklistState.code)
              .where(ChecklistState.done.is_(True))
              .group_by(ChecklistState.client_id, ChecklistTemplate.stage))
    lessons_q = (select(LessonProgress.client_id, func.count())
                 .join(Lesson, Lesson.code == LessonProgress.lesson_code)
                 .where(LessonProgress.employee_uuid == "", LessonProgress.done.is_(True), Lesson.active.is_(True))
                 .group_by(LessonProgress.client_id))
    contacts_q = select(Contact.client_id, Contact.name, Contact.phone, Contact.email).order_by(Contact.id)
    if ids is not None:
        done_q = done_q.where(ChecklistState.client_id.in_(ids))
        lessons_q = lessons_q.where(LessonProgress.client_id.in_(ids))
        contacts_q = contacts_q.where(Contact.client_id.in_(ids))
    done = {(cid, stage): n for cid, stage, n in s.execute(done_q).all()}
    lessons_done = dict(s.execute(lessons_q).all())
    lessons_total = s.scalar(select(func.count()).select_from(Lesson).where(Lesson.active.is_(True))) or 0
    contacts: dict[int, list[tuple[str, str, str]]] = {}
    for cid, name, phone, email in s.execute(contacts_q).all():
        contacts.setdefault(cid, []).append((name, phone, email))

    result = []
    for r in rows:
        people = contacts.get(r.id, [])
        first = people[0] if people else ("", "", "")
        search = " ".join([r.name, r.inn, r.contract_no] + [" ".join(p) for p in people]).lower()
        result.append(ClientSummary(
            id=r.id, uuid=r.uuid, name=r.name, inn=r.inn, approach=r.approach, stage=r.stage,
            stage_since=r.stage_since, contract_no=r.contract_no, contract_date=r.contract_date,
            program_version=r.program_version, manager=r.manager, contact_name=first[0],
            contact_phone=first[1], search_text=search,
            checklist_done=done.get((r.id, r.stage), 0), checklist_total=totals_by_stage.get(r.stage, 0),
            lessons_done=lessons_done.get(r.id, 0), lessons_total=lessons_total,
        ))
    return result


def count_clients(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Client)) or 0
