"""Client use cases: add, edit, list with counters (constant number of queries), find."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, func, inspect, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from app.domain import validation as v
from app.domain.client_summary import (
    ClientSummary,
    assemble,
    assemble_counted,
    assemble_totaled,
    group_contacts,
)
from app.domain.normalize import normalize_email, normalize_inn, normalize_kpp, normalize_phone
from app.domain.quotes import in_quotes
from app.domain.stages import Stage, codes_known, parse_approach
from app.domain.timeutil import to_local
from app.errors import UserError
from app.gcpause import paused_gc
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import (
    ChecklistState,
    ChecklistTemplate,
    Client,
    ClientCounts,
    Contact,
    Employee,
    Lesson,
    LessonProgress,
    StageEvent,
    utcnow,
)
from app.services.changes import Changes
from app.services.common import find_client, today
from app.sync.stages import move_order


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


# the card's own fields (not its people), in the card's order: what ``_apply`` stores and ``edit_client`` may change
CARD_FIELDS = ("name", "inn", "kpp", "approach", "contract_no", "contract_date", "program_version", "manager",
               "address", "city", "signer_name", "signer_position", "notes")


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


# ------------------------------------------------------------------ validation


def field_errors(data: ClientInput, *, person_rows: bool = True) -> dict[str, str]:
    """Per-field messages for a client form; empty when everything is valid. Identifiers are judged in
    their normalised form (``app.domain.normalize``), the way ``add_client`` stores them. A contact's or an
    employee's problems are prefixed «Строка N:» (its row in the card's table) unless ``person_rows`` is False
    (a CSV line holds one contact and names its own line: «Строка 2: Строка 1: …» said two different rows)."""
    errors: dict[str, str] = {}

    def text(name: str, label: str, value: str, required: bool = False, max_len: int = v.MAX_TEXT,
             paper: bool = True) -> None:
        try:  # ``paper``: the field is printed on the documents (its characters must be printable there)
            v.clean_text(value, label, required=required, max_len=max_len, paper=paper)
        except UserError as exc:
            errors[name] = exc.message

    text("name", _("Name"), data.name, required=True, max_len=300)
    inn_error = v.inn_error(data.inn)
    if inn_error:
        errors["inn"] = inn_error
    kpp_error = v.kpp_error(data.kpp, data.inn)
    if kpp_error:
        errors["kpp"] = kpp_error
    try:
        parse_approach(data.approach)
    except UserError as exc:
        errors["approach"] = exc.message
    text("contract_no", _("Contract No."), data.contract_no, max_len=100)
    text("program_version", _("Program version"), data.program_version, max_len=50)
    text("manager", _("Manager"), data.manager, max_len=200, paper=False)
    text("address", _("Address"), data.address)
    text("city", _("City"), data.city, max_len=100)
    text("signer_name", _("Signer"), data.signer_name, max_len=200)
    text("signer_position", _("Signer position"), data.signer_position, max_len=200)
    try:
        v.clean_multiline(data.notes, _("Notes"), max_len=10_000)
    except UserError as exc:
        errors["notes"] = exc.message
    if data.contract_date and not v.EARLIEST_YEAR <= data.contract_date.year <= v.LATEST_YEAR:
        errors["contract_date"] = _("Contract date is out of range.")
    elif data.contract_date and data.contract_date > today() + timedelta(days=366):
        # a contract is dated when signed: «2099» was taken, then every act was refused as earlier than it
        errors["contract_date"] = _("Contract date {date} is more than a year ahead: give the date it was "
                                    "signed.").format(date=data.contract_date.strftime("%d.%m.%Y"))
    for kind, people in (("contacts", data.contacts), ("employees", data.employees)):
        for index, person in enumerate(people, start=1):
            problems = []
            if not person.name.strip():
                problems.append(_("name is required"))
            for value, check in ((person.email, v.email_error), (person.phone, v.phone_error)):
                message = check(value)
                if message:
                    problems.append(message)
            for value, label, required in ((person.name, _("Full name"), bool(person.name.strip())),
                                           (person.position, _("Position"), False),
                                           (person.department, _("Department"), False)):
                try:
                    v.clean_text(value, label, required=required, max_len=200)
                except UserError as exc:
                    problems.append(exc.message)
            if problems:
                joined = v.joined(problems)
                errors[f"{kind}[{index}]"] = _("Row {n}: {problems}").format(n=index, problems=joined) \
                    if person_rows else joined
    return errors


def _raise_if_invalid(data: ClientInput) -> None:
    errors = field_errors(data)
    if errors:
        messages = list(errors.values())
        raise UserError(messages[0] if len(messages) == 1 else _("The client card has errors:"),
                        details=[] if len(messages) == 1 else messages)


def _person(person: PersonInput) -> PersonInput:
    return replace(person, name=person.name.strip(), position=person.position.strip(),
                   department=person.department.strip(), phone=normalize_phone(person.phone),
                   email=normalize_email(person.email))


# the card's names of people and of the company, kept with single spaces between words
ONE_LINE_NAMES = frozenset({"name", "manager", "signer_name", "signer_position"})


def _normal_field(name: str, value):
    """The stored form of one valid field of the card (``_normalise`` of that field alone)."""
    if name == "inn":
        return normalize_inn(value)
    if name == "kpp":
        return normalize_kpp(value)
    if name == "approach":
        return parse_approach(value).value
    if name == "notes":
        return v.clean_multiline(value, _("Notes"))
    if name in ONE_LINE_NAMES and isinstance(value, str):  # «Иванов   Иван» typed is «Иванов Иван»
        return " ".join(value.split())
    return value.strip() if isinstance(value, str) else value  # contract_date: a date or None


def _normalise(data: ClientInput) -> ClientInput:
    """The stored form of a valid card: text trimmed, identifiers normalised (ИНН/КПП ASCII, phones in
    the international format, e-mail domains in lower case), notes with ``\n`` line breaks."""
    return replace(
        data, **{name: _normal_field(name, getattr(data, name)) for name in CARD_FIELDS},
        contacts=[_person(p) for p in data.contacts], employees=[_person(p) for p in data.employees],
    )


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


def judged_card(data: ClientInput) -> ClientInput:
    """The card ``data`` as stored (``_normalise``); UserError when a field is invalid."""
    _raise_if_invalid(data)
    return _normalise(data)


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


def list_clients(db: Database, ids: list[int] | None = None) -> list[ClientSummary]:
    """All clients (or the given ids) with counters, in a fixed number of SQL statements."""
    with db.read() as s:
        return summaries(s, ids)


def summaries(s: Session, ids: list[int] | None = None, *, live: bool = False) -> list[ClientSummary]:
    """The list's rows in a fixed number of statements whatever the number of clients. On SQLite four: the
    clients with their two counters from ``client_counts`` (kept by triggers, migration 0016), checklist codes,
    active lessons, contacts. On PostgreSQL — or with ``live`` — six, the counters counted: done counts at each
    client's current stage and lessons done. Core rows (no ORM loading) and statements built once (building a
    select costs more than running it for one client)."""
    with paused_gc():  # thousands of acyclic rows: see app/gcpause.py
        rows = _summaries(s, ids, live)
    if not codes_known(rows):  # a stage or an approach another program wrote: named, not failed on far away
        from app.persistence.damaged import codes_refusal

        raise codes_refusal(rows, s.get_bind())
    return rows


def _summaries(s: Session, ids: list[int] | None, live: bool) -> list[ClientSummary]:
    conn = s.connection()
    counted = not live and conn.dialect.name == "sqlite"
    q = _statements(ids is not None, counted)
    params = {"ids": list(ids)} if ids is not None else {}
    if counted and ids is not None:  # a few rows after an action: their totals as columns, 2 statements not 4
        rows = conn.execute(q["clients_totals"], params).all()
        return assemble_totaled(rows, group_contacts(conn.execute(q["contacts"], params).all()))
    rows = conn.execute(q["clients"], params).all()
    # the stage of each checklist code, from the small template table: no join in the count below
    stage_of = tuple((code, stage) for code, stage in conn.execute(q["templates"]).all())
    active = [code for (code,) in conn.execute(q["active"])]
    if counted:
        contacts = group_contacts(conn.execute(q["contacts"], params).all())
        return assemble_counted(rows, stage_of, len(active), contacts)
    done = dict(conn.execute(_done_statement(ids is not None, stage_of), params).all()) if stage_of else {}
    lessons_done = dict(conn.execute(q["lessons"], {**params, "codes": active}).all()) if active else {}
    contacts = group_contacts(conn.execute(q["contacts"], params).all())
    return assemble(rows, stage_of, done, len(active), lessons_done, contacts)


@lru_cache(maxsize=4)
def _statements(with_ids: bool, counted: bool) -> dict[str, Select]:
    """``counted``: the clients' rows carry their two counters from ``client_counts`` (SQLite)."""
    c, lp, ct = Client.__table__.c, LessonProgress.__table__.c, Contact.__table__.c
    ids: BindParameter = bindparam("ids", expanding=True)
    columns = [c.id, c.uuid, c.name, c.inn, c.approach, c.stage, c.stage_since, c.contract_no,
               c.contract_date, c.program_version, c.manager]
    if counted:
        n = ClientCounts.__table__.c
        clients = (select(*columns, func.coalesce(n.done_at_stage, 0), func.coalesce(n.lessons_done, 0))
                   .outerjoin_from(Client.__table__, ClientCounts.__table__, n.client_id == c.id)
                   .order_by(c.name, c.id))
    else:
        clients = select(*columns).order_by(c.name, c.id)
    lessons = (select(lp.client_id, func.count())
               .where(lp.employee_uuid == "", lp.done.is_(True), lp.lesson_code.in_(bindparam("codes", expanding=True)))
               .group_by(lp.client_id))
    contacts = select(ct.client_id, ct.name, ct.phone, ct.email).order_by(ct.id)
    if with_ids:
        clients, lessons, contacts = clients.where(c.id.in_(ids)), lessons.where(lp.client_id.in_(ids)), \
            contacts.where(ct.client_id.in_(ids))
    t, lesson = ChecklistTemplate.__table__.c, Lesson.__table__.c
    items_total = select(func.count()).select_from(ChecklistTemplate.__table__).where(t.stage == c.stage)
    lessons_total = select(func.count()).select_from(Lesson.__table__).where(lesson.active.is_(True))
    totals = clients.add_columns(items_total.scalar_subquery(), lessons_total.scalar_subquery())
    return {"clients": clients, "templates": select(t.code, t.stage), "lessons": lessons, "contacts": contacts,
            "active": select(lesson.code).where(lesson.active.is_(True)), "clients_totals": totals}


@lru_cache(maxsize=8)
def _done_statement(with_ids: bool, stage_of: tuple[tuple[str, int], ...]) -> Select:
    """Ticked items at each client's current stage: «stage = k and code in (codes of k)» for each k,
    from the template codes read before, not a join with the template table."""
    c, cs = Client.__table__.c, ChecklistState.__table__.c
    codes: dict[int, list[str]] = {}
    for code, stage in stage_of:
        codes.setdefault(stage, []).append(code)
    query = (select(cs.client_id, func.count())
             .join_from(ChecklistState.__table__, Client.__table__, c.id == cs.client_id)
             .where(cs.done.is_(True), or_(*[and_(c.stage == stage, cs.code.in_(group))
                                             for stage, group in sorted(codes.items())]))
             .group_by(cs.client_id))
    return query.where(cs.client_id.in_(bindparam("ids", expanding=True))) if with_ids else query


def count_clients(db: Database, at_most: int | None = None) -> int:
    """The number of clients; with ``at_most``, min(that number, at_most) read from at most that many rows — what
    a window asks before choosing to read in a worker, on its UI thread: constant time at any size (a full
    COUNT walks every client, ~3 ms at 50 000)."""
    with db.read() as s:
        if at_most is None:
            return s.scalar(select(func.count()).select_from(Client)) or 0
        rows = select(Client.id).limit(at_most).subquery()
        return s.scalar(select(func.count()).select_from(rows)) or 0
