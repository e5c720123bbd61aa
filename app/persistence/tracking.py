"""ORM change tracking: a deleted client-owned record leaves a tombstone, and ``updated_at`` never goes back.

Registered once, with the models (``models.py`` imports this module last). Deletions through the ORM
(a client with everything it owns, a contact removed from the card) are recorded in ``tombstone`` in the
same transaction, so bundles can carry them and no older bundle resurrects the record. A local edit stamps
``updated_at`` with the clock, but never earlier than the stamp the record already has (a clock set back,
or a record merged from a laptop whose clock ran ahead): the edit stays the newer version.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Table, event, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, attributes

from app.persistence.models import Base, Client, Synced, Tombstone, utcnow

_CHUNK = 500
# A client's deletion stamps its records' tombstones with its own time; those the ORM deletes first (its contacts and
# staff, each by its own event) are stamped a few microseconds before it. Within this much before the client's, a
# record's deletion of the same client went with it (``went_with``); a deletion made on its own is a separate act.
CASCADE_SLACK = timedelta(seconds=2)


def went_with(record_at: datetime, client_at: datetime | None) -> bool:
    """Whether a record's tombstone of ``record_at`` came with its client's deletion at ``client_at``."""
    return client_at is not None and client_at - CASCADE_SLACK <= record_at <= client_at


@cache
def synced_tables() -> tuple[Table, ...]:
    """The tables of client-owned records (those with a UUID and ``updated_at``)."""
    return tuple(m.local_table for m in Base.registry.mappers if issubclass(m.class_, Synced))  # type: ignore[misc]


def record_tombstones(connection: Connection, rows: Iterable[tuple[str, str]], kind: str, at: datetime,
                      client_uuid: str) -> int:
    """Add tombstones for ``(uuid, table name)`` pairs that have none of this ``kind`` yet; returns how many.

    ``kind`` is 'delete' or 'erase'; an existing erase tombstone gets the later of the two times."""
    t: Table = Tombstone.__table__  # type: ignore[assignment]
    wanted = {uuid: table for uuid, table in rows}
    added = 0
    items = sorted(wanted)
    for start in range(0, len(items), _CHUNK):
        chunk = items[start:start + _CHUNK]
        have = dict(connection.execute(select(t.c.uuid, t.c.at).where(t.c.kind == kind, t.c.uuid.in_(chunk))).all())
        new = [{"uuid": u, "table_name": wanted[u], "kind": kind, "at": at, "client_uuid": client_uuid}
               for u in chunk if u not in have]
        if new:
            connection.execute(insert(t), new)
            added += len(new)
        later = [u for u in chunk if u in have and have[u] < at]
        if later and kind == "erase":
            connection.execute(t.update().where(t.c.kind == kind, t.c.uuid.in_(later)).values(at=at))
    return added


def client_record_uuids(connection: Connection, client_id: int) -> list[tuple[str, str]]:
    """``(uuid, table)`` of the client and of every record it owns."""
    rows: list[tuple[str, str]] = []
    for table in synced_tables():
        if table.name == "client":
            rows.extend((u, "client") for u in connection.execute(
                select(table.c.uuid).where(table.c.id == client_id)).scalars())
        elif "client_id" in table.c:
            rows.extend((u, table.name) for u in connection.execute(
                select(table.c.uuid).where(table.c.client_id == client_id)).scalars())
    return rows


@event.listens_for(Base, "before_delete", propagate=True)
def _tombstone_on_delete(mapper, connection: Connection, target) -> None:
    if not isinstance(target, Synced):
        return
    now = utcnow()
    if isinstance(target, Client):
        # the database's ON DELETE CASCADE removes the rest without the ORM seeing it: name them all now
        record_tombstones(connection, client_record_uuids(connection, target.id), "delete", now, target.uuid)
        return
    client_id = getattr(target, "client_id", None)
    client_uuid = ""
    if client_id is not None:
        client_uuid = connection.execute(select(Client.__table__.c.uuid).where(
            Client.__table__.c.id == client_id)).scalar() or ""
    record_tombstones(connection, [(target.uuid, mapper.local_table.name)], "delete", now, client_uuid)


@event.listens_for(Session, "before_flush")
def _updated_at_moves_on(session: Session, _context, _instances) -> None:
    for obj in session.dirty:
        if not isinstance(obj, Synced) or not session.is_modified(obj, include_collections=False):
            continue
        # never loads: an expired stamp is not known here (the clock's value is used, as before)
        history = attributes.get_history(obj, "updated_at", passive=attributes.PASSIVE_NO_INITIALIZE)
        old = history.deleted[0] if history.deleted else (history.unchanged[0] if history.unchanged else None)
        stamp = history.added[0] if history.added else utcnow()
        if old is not None and stamp is not None and stamp <= old:
            stamp = old + timedelta(microseconds=1)
        obj.updated_at = stamp
