"""The laptop's merge bases: the server's version and values of a record as this laptop last saw them.

A base is one of three things, all read back by :func:`read_bases` as the same sync payload (column -> JSON
value, foreign keys as the parent's UUID, see app/sync/rows.py):

* a ``sync_base`` row holding the payload as JSON — written by pushes and incremental pulls
  (``laptop_apply._apply``);
* nothing stored (a **lazy base**): a row with ``row_version > 0``, no ``sync_base`` row and no outbox entry
  came from the server and is unchanged since, so the row itself is the base. The first sync of a laptop
  (app/sync/snapshot.py) leaves its 400 000 rows so, with no copy made per row;
* a ``sync_base`` row in raw form, ``{"~raw": 1, column: stored value, …}`` — written by the SQLite triggers
  of migration 0012 just before the first local UPDATE or DELETE of a lazily based row (the engine's own
  writes excepted). Reading the stored values through the columns' own result conversions gives exactly
  the payload ``read_rows`` gave for that row before the change.

A bundle import that inserts a row leaves an outbox entry, so such a row is never taken for a lazy base."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.persistence.models import SyncBase, SyncOutbox
from app.sync.rows import FOREIGN, IdMap, payload, table, to_json

RAW = "~raw"
FILE = "~file"  # a base a bundle carried (app/exchange/carried_bases.py): the server's state, never synced here
_CHUNK = 500


def decode(conn: Connection, name: str, data: dict) -> dict:
    """The sync payload of a stored base (raw form converted by the columns' types; payload form as is)."""
    if FILE in data:
        data = {k: v for k, v in data.items() if k != FILE}
    if RAW not in data:
        return data
    t = table(name)
    fields = {field for _parent, field in FOREIGN.values()}
    out = {}
    for key, value in data.items():
        if key == RAW:
            continue
        if key in fields or key not in t.c:
            out[key] = value
            continue
        processor = t.c[key].type._cached_result_processor(conn.dialect, None)
        out[key] = to_json(processor(value) if processor is not None and value is not None else value)
    return out


def _lazy(conn: Connection, name: str, uuids: list[str]):
    """The rows among ``uuids`` that are their own base (synced, unchanged here since: see the docstring).

    Two indexed reads per chunk — the synced rows, then which of them wait in the outbox — not «uuid NOT IN
    (the table's whole outbox)»: SQLite builds that subquery's list per statement, 200 000 entries on a laptop
    that never synced (an export of 2 000 clients spent 8 of its 12 s there)."""
    t = table(name)
    for start in range(0, len(uuids), _CHUNK):
        rows = conn.execute(select(t).where(t.c.uuid.in_(uuids[start:start + _CHUNK]), t.c.row_version > 0)) \
            .mappings().all()
        if not rows:
            continue
        pending = set(conn.execute(select(SyncOutbox.record_uuid).where(
            SyncOutbox.table_name == name, SyncOutbox.record_uuid.in_([row["uuid"] for row in rows]))).scalars())
        yield from (row for row in rows if row["uuid"] not in pending)


def read_bases(conn: Connection, name: str, uuids: list[str]) -> dict[str, tuple[int, dict]]:
    """uuid -> (version, payload) of the bases of these records of table ``name`` (missing: never synced)."""
    out: dict[str, tuple[int, dict]] = {}
    for start in range(0, len(uuids), _CHUNK):
        rows = conn.execute(select(SyncBase.record_uuid, SyncBase.row_version, SyncBase.data).where(
            SyncBase.table_name == name, SyncBase.record_uuid.in_(uuids[start:start + _CHUNK])))
        out.update({u: (int(v), decode(conn, name, json.loads(d))) for u, v, d in rows})
    missing = [u for u in uuids if u not in out]
    if missing:
        ids = IdMap(conn)
        for row in _lazy(conn, name, missing):
            out[row["uuid"]] = (int(row["row_version"]), payload(name, row, ids))
    return out


def base_versions(conn: Connection, name: str, uuids: list[str]) -> dict[str, int]:
    """uuid -> the version of the base (without its values): enough to skip what is already applied."""
    out: dict[str, int] = {}
    for start in range(0, len(uuids), _CHUNK):
        rows = conn.execute(select(SyncBase.record_uuid, SyncBase.row_version).where(
            SyncBase.table_name == name, SyncBase.record_uuid.in_(uuids[start:start + _CHUNK])))
        out.update({u: int(v) for u, v in rows})
    missing = [u for u in uuids if u not in out]
    if missing:
        out.update({row["uuid"]: int(row["row_version"]) for row in _lazy(conn, name, missing)})
    return out


def carried_by_file(conn: Connection, name: str, uuids: list[str]) -> set[str]:
    """The records among ``uuids`` whose stored base came in a bundle (``FILE``), not from a sync of this laptop."""
    out: set[str] = set()
    for start in range(0, len(uuids), _CHUNK):
        rows = conn.execute(select(SyncBase.record_uuid, SyncBase.data).where(
            SyncBase.table_name == name, SyncBase.record_uuid.in_(uuids[start:start + _CHUNK]),
            SyncBase.data.contains(f'"{FILE}"')))
        out.update(u for u, d in rows if FILE in json.loads(d))
    return out
