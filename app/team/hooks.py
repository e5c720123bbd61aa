"""Authorship and the audit trail, recorded for every unit of work in ONE place: SQLAlchemy session events.

``install()`` (called once when app.persistence is imported) listens to every Session:

* ``before_flush``: each new or changed synced row gets ``updated_by`` = the signed-in person
  (:func:`app.team.author.current_author`); each changed field of an audited record becomes an
  :class:`~app.persistence.models.AuditEntry` (table, record, field, old, new, author, time), as do the
  inserts and deletes that matter (a client created, a document issued, a checklist item ticked or unticked,
  a tariff added);
* ``do_orm_execute``: Core-style ``update(Model)`` statements get ``updated_by`` too, and a stage move
  (an ``insert(StageEvent)``) becomes an audit entry of the client's ``stage``; an ORM bulk insert
  (``session.execute(insert(Model), [row, …])``, the CSV import) stamps ``updated_by`` in every row and
  writes the same insert entries as the flush would, in one executemany.

``app.services.progress.move_stage`` writes its rows through the connection (no hook sees them) and its
audit line with :func:`write_stage_audit`, the function the hook uses.

A session whose ``info["team.replaying"]`` is true (the sync engine applying the server's rows, which carry
their own authorship and audit entries) is left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Insert, Table, delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from app.persistence import models as m
from app.persistence.types import new_uuid

REPLAYING = "team.replaying"
_AUTHOR = "team.author"
_PENDING = "team.audit_pending"  # entries of this flush, written once its rows are (after_flush)
_AUDIT_TABLE: Table = m.AuditEntry.__table__  # type: ignore[assignment]  # Core: no ORM RETURNING per entry
_INSTALLED = False

# Audited classes -> whether an insert is itself an audit event (a document issued, an item ticked …).
AUDITED: dict[type, bool] = {
    m.Client: True, m.Contact: True, m.Employee: True, m.ChecklistState: True, m.LessonProgress: True,
    m.WorkLogEntry: True, m.Document: True, m.Tariff: True, m.ExchangeRate: True, m.Executor: False,
    m.Setting: False, m.PlannedEvent: True, m.Question: False, m.Estimate: True, m.VatRate: True,
    m.ChecklistTemplate: True,  # an item added, renamed, moved or deleted: a line of no client (team_history)
}
# a checklist item's fields that are this laptop's own (its place in the list: app/sync/rows.py LOCAL_COLUMNS)
TEMPLATE_LOCAL_FIELDS = frozenset({"position"})
# bookkeeping and bulky fields never listed in the trail
SKIPPED = frozenset({"id", "uuid", "updated_at", "updated_by", "row_version", "created_at", "search_text",
                     "content"})
MAX_VALUE = 2000


def author_of(session: Session) -> str:
    """The signed-in person for this session (looked up once per session)."""
    cached = session.info.get(_AUTHOR)
    if cached is None:
        from app.team.author import current_author

        with session.no_autoflush:
            cached = current_author(session)
        session.info[_AUTHOR] = cached
    return cached


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal | date | datetime | int | float):
        return str(value)
    return str(value)[:MAX_VALUE]


def _record_key(obj) -> str:
    if isinstance(obj, m.ChecklistTemplate):  # a user-added item by its sync UUID; a shipped one (no UUID, never
        return obj.uuid or obj.code  # travels) by its code — never given a UUID here, which would make it travel
    if isinstance(obj, m.Tariff | m.ExchangeRate | m.VatRate | m.Executor | m.Setting):
        from app.team.rights import record_key

        return record_key(obj.__tablename__, lambda key: getattr(obj, key, None))
    if getattr(obj, "uuid", None) is None:
        obj.uuid = new_uuid()
    return obj.uuid


def _client_uuid(session: Session, obj, cache: dict[int, str]) -> str:
    if isinstance(obj, m.Client):
        if obj.uuid is None:
            obj.uuid = new_uuid()
        return obj.uuid
    client_id = getattr(obj, "client_id", None)
    if client_id is None:
        client = getattr(obj, "client", None) if "client" in inspect(type(obj)).relationships else None
        if client is None:
            return ""
        if client.uuid is None:  # a client added in this flush: its UUID now, not at the INSERT, so the entry names it
            client.uuid = new_uuid()
        return client.uuid
    if client_id not in cache:
        loaded = session.identity_map.get(session.identity_key(m.Client, client_id))
        if loaded is not None and loaded.__dict__.get("uuid"):  # already in this session: no query
            cache[client_id] = loaded.uuid
        else:
            with session.no_autoflush:
                cache[client_id] = session.scalar(select(m.Client.uuid).where(m.Client.id == client_id)) or ""
    return cache[client_id]


def _before_flush(session: Session, _context, _instances) -> None:
    if session.info.get(REPLAYING):
        return
    _team_wide(session)
    if any(isinstance(obj, m.Setting | m.Executor) for obj in (*session.new, *session.dirty)):
        session.info.pop(_AUTHOR, None)  # the profile's or the specialist's name is being written: read it again
    author, now = author_of(session), m.utcnow()
    cache: dict[int, str] = {}
    entries: list[dict[str, Any]] = []

    def entry(obj, action: str, field: str = "", old=None, new=None) -> None:
        entries.append({"uuid": new_uuid(), "at": now, "author": author,
                        "client_uuid": _client_uuid(session, obj, cache), "table_name": obj.__tablename__,
                        "record_uuid": _record_key(obj), "action": action, "field": field,
                        "old_value": _text(old), "new_value": _text(new)})

    for obj in list(session.new):
        if isinstance(obj, m.Synced):
            obj.updated_by = author
        if AUDITED.get(type(obj)) or (isinstance(obj, m.Setting) and _team_setting(obj.key)):
            entry(obj, "insert", "", None, _summary(obj))  # a team setting's first value is a change too
            if isinstance(obj, m.Tariff | m.VatRate) and obj.reason:  # forced over billed work: why (tester N)
                entry(obj, "insert", "reason", None, obj.reason)
    for obj in list(session.dirty):
        if type(obj) not in AUDITED or not session.is_modified(obj, include_collections=False):
            continue
        changed = False
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in SKIPPED:
                continue
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _text(old) == _text(new):
                continue
            changed = True
            if attr.key == "billed_by_document_id":  # the act by its UUID: local ids differ between computers
                old, new = _document_uuid(session, old), _document_uuid(session, new)
            entry(obj, "update", attr.key, old, new)
        if changed and isinstance(obj, m.Synced):
            obj.updated_by = author
    for obj in list(session.deleted):
        if isinstance(obj, m.Client) and obj.id is not None:  # its records first: the card's line reads above
            entries += _cascaded_lines(session, obj, author, now)
        if type(obj) in AUDITED:
            entry(obj, "delete", "", _summary(obj), None)
    if entries:  # written after the flush's rows: on the server a line of a client's record is readable (and so
        # insertable with RETURNING) only once the client is there — a member creating a client would be refused
        session.info.setdefault(_PENDING, []).extend(entries)


# a client's records its deletion removes by the database's ON DELETE CASCADE (the flush never sees them), listed
# in the trail as records of their own: (class, the condition of those worth a line — a tick, not an unticked item)
CASCADED: tuple[tuple[type, Callable[[Any], Any] | None], ...] = (
    (m.WorkLogEntry, lambda c: c.deleted.is_(False)), (m.Document, None), (m.Estimate, None),
    (m.PlannedEvent, None), (m.ChecklistState, lambda c: c.done.is_(True)),
    (m.LessonProgress, lambda c: c.done.is_(True)))


def _cascaded_lines(session: Session, client: m.Client, author: str, now: datetime) -> list[dict[str, Any]]:
    """«удалено» lines of the records the deletion of ``client`` takes with it (``CASCADED``), one per record, in
    the deletion's unit of work: when an edit elsewhere brings the client back without them, the history of every
    computer says they went, instead of listing work that is not there (trial 17c, finding 3)."""
    lines: list[dict[str, Any]] = []
    with session.no_autoflush:
        for cls, worth in CASCADED:
            t = cls.__table__  # type: ignore[attr-defined]
            query = select(t).where(t.c.client_id == client.id)
            if worth is not None:
                query = query.where(worth(t.c))
            for row in session.connection().execute(query.order_by(t.c.id)).mappings():
                lines.append({"uuid": new_uuid(), "at": now, "author": author, "client_uuid": client.uuid or "",
                              "table_name": t.name, "record_uuid": row["uuid"] or "", "action": "delete",
                              "field": "", "old_value": _text(_describe(cls, row.get)), "new_value": None})
    return lines


def _after_flush(session: Session, _context) -> None:
    entries = session.info.pop(_PENDING, None)
    if entries:  # one executemany, not one INSERT per entry (the ORM would send one per row on SQLite)
        # (no RETURNING: a line of a client deleted in this flush is one a member may write, not read)
        session.execute(insert(_AUDIT_TABLE).inline(), entries)
        # an edit here of a field with an open conflict answers it (app/sync/answered.py; tester M, item 3)
        edited = {(e["table_name"], e["record_uuid"], e["field"]) for e in entries if e["action"] == "update"}
        # conflicts are a laptop's (its SQLite file): on the team server a member may not read them (the edit
        # failed «permission denied for table sync_conflict»); there `sync resolve` checks the value in effect
        if edited and session.connection().dialect.name == "sqlite":
            from app.sync.answered import settle_edited

            settle_edited(session, edited)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)  # a failed flush's entries are not written by the next one


def _team_setting(key: str) -> bool:
    from app.team.rights import team_setting

    return team_setting(key)


def _team_wide(session: Session) -> None:
    """Team-wide data in this flush (tariffs, rates, requisites, VAT, team settings: app/team/rights.py): refused
    (UserError, before anything is written) unless the signed-in person is the team's administrator or the
    computer is not in a team — the catch-all behind each writing service's own check; on an administrator's
    team laptop each such record is queued in ``sync_outbox`` under its name (``rights.record_key``), so the
    next sync sends it (app/sync/team_data.py)."""
    from app.team import rights

    touched: list[tuple[object, bool]] = []
    for obj in session.new:
        if rights.kind_of(obj):
            touched.append((obj, False))
    for obj in session.dirty:
        if rights.kind_of(obj) and session.is_modified(obj, include_collections=False):
            touched.append((obj, False))
    for obj in session.deleted:
        if rights.kind_of(obj):
            touched.append((obj, True))
    if not touched:
        return
    if not rights.is_admin(session):
        raise rights.refusal(session, rights.kind_of(touched[0][0]) or rights.SETTINGS)
    if not rights.admin_on_laptop(session):
        return
    outbox = m.SyncOutbox
    for obj, deleted in touched:
        name, key = obj.__tablename__, _record_key(obj)  # type: ignore[attr-defined]
        session.execute(delete(outbox).where(outbox.table_name == name, outbox.record_uuid == key))
        session.execute(insert(outbox).values(table_name=name, record_uuid=key, deleted=deleted))


def audit_updates(session: Session, table_name: str, client_uuid: str, record_uuids: list[str], field: str,
                  old: Any, new: Any) -> None:
    """The audit entries ``_before_flush`` writes for changed objects, for records that one bulk
    ``update(Model)`` statement changed instead (the flush never sees those): ``field`` from ``old`` to ``new``
    on each of ``record_uuids`` (UUIDs of ``table_name`` rows of the client ``client_uuid``), in one executemany.
    An act marking the entries it bills uses it (app/services/documents/issuing.py)."""
    if session.info.get(REPLAYING) or not record_uuids:
        return
    author, now = author_of(session), m.utcnow()
    # the session's connection, not the ORM's bulk insert: audit rows need none of its bookkeeping
    session.connection().execute(insert(_AUDIT_TABLE), [
        {"uuid": new_uuid(), "at": now, "author": author, "client_uuid": client_uuid, "table_name": table_name,
         "record_uuid": uuid, "action": "update", "field": field, "old_value": _text(old), "new_value": _text(new)}
        for uuid in record_uuids])


def template_line_travels(data: dict) -> bool:
    """Whether an audit line of a checklist item goes to the team server: a user-added item's addition, new
    wording or deletion does (the item travels, any member may make them); its place in a list and a shipped
    item's wording (recorded under its code, not a UUID) are this laptop's own, as the changes are."""
    record = str(data.get("record_uuid") or "")
    return data.get("field") not in TEMPLATE_LOCAL_FIELDS and len(record) == 36 and record.count("-") == 4


def _document_uuid(session: Session, document_id) -> str | None:
    """The UUID of the document with this local id (None for none; the id itself if it is gone)."""
    if document_id is None:
        return None
    with session.no_autoflush:
        document = session.get(m.Document, document_id)
    return document.uuid if document is not None and document.uuid else str(document_id)


def _summary(obj) -> str:
    """A short description of a whole record for insert/delete entries."""
    return _describe(type(obj), lambda key: getattr(obj, key, None))


def _describe(cls: type, value: Callable[[str], Any]) -> str:
    """``_summary`` of a record of class ``cls`` whose attributes ``value(name)`` gives (an object or a row)."""
    if issubclass(cls, m.Client):  # «7707083893 ООО «Ромашка»»: app/team/display.py ``summary_text`` reads it
        return f"{value('inn') or ''} {value('name') or ''}".strip()
    if issubclass(cls, m.Document):
        return f"{value('kind')} {value('number')}/{value('year')}"
    if issubclass(cls, m.ChecklistState):
        return f"{value('code')}: {'1' if value('done') else '0'}"
    if issubclass(cls, m.LessonProgress):
        return f"{value('lesson_code')}: {'1' if value('done') else '0'}"
    if issubclass(cls, m.Tariff):
        return f"{value('kind')} {value('rate')} с {value('valid_from')}"
    if issubclass(cls, m.ExchangeRate):
        return f"{value('currency')} {value('rate')} с {value('valid_from')}"
    if issubclass(cls, m.VatRate):
        return f"{value('mode')} {value('rate') or ''} с {value('valid_from')}".replace("  ", " ")
    if issubclass(cls, m.WorkLogEntry):
        return f"{value('on_date')} {value('kind')} {value('minutes') or value('days') or value('amount') or ''}".strip()
    if issubclass(cls, m.Estimate):  # app/team/display.py ``summary_text`` reads these back
        return f"{value('on_date')} {value('total')}"
    if issubclass(cls, m.PlannedEvent):
        starts, zone = value("starts_at"), value("time_zone")
        if starts is not None and zone:  # the wall-clock time typed, in the event's own zone
            from datetime import UTC
            from zoneinfo import ZoneInfo

            try:
                starts = starts.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
            except (ValueError, KeyError, OSError):
                pass
        return f"{starts.isoformat(timespec='minutes') if starts else ''} {value('kind')} {value('duration_min')}"
    if issubclass(cls, m.Setting):
        return str(value("value"))
    if issubclass(cls, m.ChecklistTemplate):  # «Настроить ЭДО»: app/team/display.py names the item by it
        return str(value("title") or value("code") or "")
    name = value("name")
    return str(name) if name else cls.__tablename__  # type: ignore[attr-defined]


def _do_orm_execute(state) -> Any:
    session = state.session
    if session.info.get(REPLAYING) or not (state.is_update or state.is_insert):
        return None
    mapper = state.bind_mapper
    entity = mapper.class_ if mapper is not None else None
    if entity is None:
        return None
    if state.is_update and issubclass(entity, m.Synced) and not state.parameters:
        state.statement = state.statement.values(updated_by=author_of(session))
        return None
    if state.is_insert and isinstance(state.parameters, list) and entity is not m.StageEvent:
        entries = _bulk_insert(session, entity, state.parameters)
        if entries:  # after the rows themselves, as after a flush (see ``_after_flush``)
            result = state.invoke_statement()
            session.execute(insert(_AUDIT_TABLE), entries)
            return result
        return None
    if state.is_insert and entity is m.StageEvent:
        values = _insert_values(state.statement)
        if values and "client_id" in values:
            client_id = int(values["client_id"])
            with session.no_autoflush:
                client_uuid = session.scalar(select(m.Client.uuid).where(m.Client.id == client_id)) or ""
            write_stage_audit(session.connection(), author=author_of(session), client_uuid=client_uuid,
                              from_stage=values.get("from_stage"), to_stage=values.get("to_stage"), at=m.utcnow())
        state.statement = state.statement.values(updated_by=author_of(session))
    return None


_IN_CHUNK = 10_000  # ids per IN list: below SQLite's 32 766 and PostgreSQL's 65 535 parameters


def _bulk_insert(session: Session, entity: type, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An ORM bulk insert of ``rows`` (dicts, stamped here in place): ``updated_by`` for synced records, and
    for audited ones an insert entry per row — the entries ``_before_flush`` writes for objects, returned for
    the caller to insert in one executemany once the rows are in, with the client UUIDs read in one statement
    per 10 000 clients."""
    if not issubclass(entity, m.Synced):
        return []
    author = author_of(session)
    for row in rows:
        row["updated_by"] = author
    if not AUDITED.get(entity) or not rows:
        return []
    client_uuids: dict[int, str] = {}
    if "client_id" in entity.__table__.c:  # type: ignore[attr-defined]
        wanted = sorted({int(row["client_id"]) for row in rows if row.get("client_id") is not None})
        client = m.Client.__table__.c
        with session.no_autoflush:
            for start in range(0, len(wanted), _IN_CHUNK):
                query = select(client.id, client.uuid).where(client.id.in_(wanted[start:start + _IN_CHUNK]))
                client_uuids.update((client_id, uuid) for client_id, uuid in session.execute(query))
    defaults = {column.key: column.default.arg for column in entity.__table__.c  # type: ignore[attr-defined]
                if column.default is not None and column.default.is_scalar}
    now = m.utcnow()
    entries = []
    for row in rows:
        if row.get("uuid") is None:
            row["uuid"] = new_uuid()

        def value(key: str, row: dict[str, Any] = row) -> Any:
            return row.get(key, defaults.get(key))

        # a client's own line names it; a record of a client, its client
        client_uuid = row["uuid"] if entity is m.Client else client_uuids.get(row.get("client_id"), "")  # type: ignore[arg-type]
        entries.append({"uuid": new_uuid(), "at": now, "author": author, "client_uuid": client_uuid,
                        "table_name": entity.__tablename__, "record_uuid": row["uuid"],  # type: ignore[attr-defined]
                        "action": "insert", "field": "", "old_value": None,
                        "new_value": _text(_describe(entity, value))})
    return entries


@lru_cache(maxsize=1)
def _audit_insert() -> Insert:
    return insert(_AUDIT_TABLE)


def write_stage_audit(connection: Connection, *, author: str, client_uuid: str, from_stage: Any, to_stage: Any,
                      at: datetime) -> None:
    """The audit line of a stage move (client ``client_uuid`` from stage ``from_stage`` to ``to_stage``, numbers
    0–4), written through ``connection`` inside the move's transaction: one INSERT, no ORM object to flush nor
    id to read back. The client exists already, so the line may go before the move's own rows. Used by the
    hook for a StageEvent inserted through the ORM and by ``app.services.progress.move_stage``, which writes its
    rows through the connection."""
    connection.execute(_audit_insert(), {
        "uuid": new_uuid(), "at": at, "author": author, "client_uuid": client_uuid, "table_name": "client",
        "record_uuid": client_uuid, "action": "update", "field": "stage", "old_value": _text(from_stage),
        "new_value": _text(to_stage)})


def _insert_values(statement) -> dict:
    """The literal values of a single-row ``insert(...).values(...)`` (empty when not of that form)."""
    params = getattr(statement, "_values", None) or {}
    out = {}
    for column, value in params.items():
        key = getattr(column, "key", column)
        out[key] = getattr(value, "value", value)
    return out


def install() -> None:
    """Listen to every Session (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_rollback", _after_rollback)
    event.listen(Session, "do_orm_execute", _do_orm_execute)
    _INSTALLED = True
