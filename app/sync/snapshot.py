"""A laptop's first sync: every synced table streamed from one server snapshot by COPY straight into SQLite.

The incremental pull (``pulling.pull``) converts each row to a JSON payload and back; for a laptop that has
nothing yet (422 000 rows at the bench size) that cost 110–196 s. Here, when the laptop's watermark is 0:

* **One consistent snapshot.** Connection A takes the shared form of the writers' advisory lock, reads the
  sequence's high mark and exports its snapshot (``pg_export_snapshot``); connection B imports it in a
  REPEATABLE READ transaction and A ends at once. Under the shared lock no writer holds a version, so every
  version up to the high mark is either in that snapshot or was rolled back — the same guarantee as the
  incremental pull, without blocking writers for the length of the copy. Only transaction-level locks are
  used (a pooler in transaction mode keeps working).
* **COPY (SELECT …) TO STDOUT** per table, parents first. The SELECT renders each value exactly as the
  SQLAlchemy column type stores it in SQLite (``to_char`` for dates and times, booleans as 0/1, foreign keys
  as the parent's UUID by LEFT JOIN), so the rows go into SQLite as they arrive, through ``executemany`` of
  the driver, with the laptop's client id mapped from the UUID in Python and other parents looked up by
  UUID inside the INSERT. Row-level security applies: a COPY of a SELECT reads under the member's own
  policies, exactly as the incremental pull's SELECT does.
* **One SQLite transaction** for the whole first sync (rows and the watermark). A kill or a dropped connection
  at any point leaves the laptop as it was before — nothing half-applied, nothing duplicated — and the next
  sync starts the first sync again. The secondary indexes and the outbox insert trigger of a table that
  was empty are dropped for the bulk and created again afterwards, in the same transaction (a rollback
  restores them).
* **Lazy bases.** No merge-base copy is written per row: an inserted row is its own base until it is first
  changed here, when a trigger keeps the copy (app/sync/bases.py, migration 0012).

Rows the laptop already knows (it joined the team with data of its own, already pushed; or a record in its
outbox) are not bulk-inserted: they are read as payloads from the same snapshot and go through the ordinary
per-record merge (``laptop_apply._apply``), as do the server's deletions of such records."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

import psycopg
from sqlalchemy import Boolean, Date, DateTime, Integer, String, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeDecorator

from app.persistence.counts import recount_all, trigger_names
from app.persistence.db import Database
from app.persistence.models import Client, Document, SyncTombstone
from app.persistence.page_cache import larger_page_cache
from app.sync import engine as _engine
from app.sync.answered import Answers
from app.sync.bases import base_versions
from app.sync.claims import record_claims
from app.sync.laptop_apply import _apply
from app.sync.pulling import pull_total
from app.sync.rows import FOREIGN, LOCAL_COLUMNS, TABLES, TRAVELS, IdMap, read_rows, table
from app.sync.stages import settle_stages

CHUNK = 20_000
CACHE_KIB = 131_072  # SQLite page cache during the bulk step (the indexes of 300 000 rows stay in memory)


def _kind(column) -> str:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer | String):
        return "plain"
    raise TypeError(f"{column.table.name}.{column.name}: no COPY rendering for {column.type!r}")


def statements(name: str) -> tuple[str, str, int, int | None]:
    """(the server's COPY statement, the laptop's INSERT, the uuid's position in a row, the client UUID's
    position or None) for table ``name``. Every column but ``id`` travels, rendered in SQLite's storage form;
    the caller puts the laptop's client id in place of the client's UUID (other parents are looked up by
    UUID inside the INSERT)."""
    t = table(name)
    server_exprs: list[str] = []
    columns: list[str] = []
    values: list[str] = []
    joins: list[str] = []
    local = LOCAL_COLUMNS.get(name, frozenset())
    for column in t.columns:
        if column.key == "id" or column.key in local:
            continue
        kind = _kind(column)
        value = "?"
        if column.key in FOREIGN:
            parent, _field = FOREIGN[column.key]
            # a join, not a subquery per row: under row-level security each lookup would run the policy again
            alias = f"p{len(joins)}"
            joins.append(f" LEFT JOIN {parent} {alias} ON {alias}.id = t.{column.name}")
            server_exprs.append(f"{alias}.uuid")
            if column.key != "client_id":
                value = f"(SELECT id FROM {parent} WHERE uuid = ?)"
        elif kind == "bool":
            server_exprs.append(f"t.{column.name}::int")
        elif kind == "datetime":
            server_exprs.append(f"to_char(t.{column.name}, 'YYYY-MM-DD HH24:MI:SS.US')")
        elif kind == "date":
            server_exprs.append(f"to_char(t.{column.name}, 'YYYY-MM-DD')")
        else:
            server_exprs.append(f"t.{column.name}")
        columns.append(column.name)
        values.append(value)
    where = f" WHERE t.{TRAVELS[name]}" if name in TRAVELS else ""
    copy = f"COPY (SELECT {', '.join(server_exprs)} FROM {name} t{''.join(joins)}{where}) TO STDOUT"
    uuid_at, client_at = columns.index("uuid"), columns.index("client_id") if "client_id" in columns else None
    # the installation's own columns (a checklist item's place in its list) come last, given by the caller
    columns += sorted(local)
    values += ["?"] * len(local)
    insert = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join(values)})"
    return copy, insert, uuid_at, client_at


@contextmanager
def _driver_errors(statement: str) -> Iterator[None]:
    """Errors of the drivers used directly (COPY, executemany) as SQLAlchemy's own classes, so the caller
    tells a dropped connection (OperationalError: "no connection, retried later") from a bug."""
    try:
        yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc


def snapshot_total(reader: Connection) -> int:
    """How many rows the first sync copies (the COPY statements' rows, as this member sees them in the snapshot):
    one statement for them all."""
    parts = []
    for name in TABLES:
        where = f" WHERE t.{TRAVELS[name]}" if name in TRAVELS else ""
        parts.append(f"(SELECT count(*) FROM {name} t{where})")
    return int(reader.exec_driver_sql(f"SELECT {' + '.join(parts)}").scalar() or 0)


def _known(lc: Connection, name: str) -> set[str]:
    """UUIDs of ``name`` this laptop already has in any form: the row, an outbox entry, a base."""
    t = table(name)
    known = set(lc.execute(select(t.c.uuid)).scalars())
    known.update(lc.execute(text("SELECT record_uuid FROM sync_outbox WHERE table_name = :n"), {"n": name}).scalars())
    known.update(lc.execute(text("SELECT record_uuid FROM sync_base WHERE table_name = :n"), {"n": name}).scalars())
    return known


def _open_snapshot(server: Engine) -> tuple[Connection, int]:
    """A server connection inside a REPEATABLE READ transaction on a snapshot that holds every version up to
    the returned high mark (see the module docstring); the caller closes it."""
    reader = server.connect().execution_options(isolation_level="REPEATABLE READ")
    try:
        with server.connect() as locker:
            locker.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({_engine.WRITE_LOCK})")
            snapshot, high = locker.exec_driver_sql(
                "SELECT pg_export_snapshot(), last_value FROM vn_row_version").one()
            reader.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            locker.rollback()  # the shared lock goes: writers may go on, the snapshot stays
    except BaseException:
        reader.close()
        raise
    return reader, int(high or 0)


def first_pull(local: Database, server: Engine, counts: _engine.Counts,
               progress: _engine.Progress | None = None) -> None:
    """Bring every record this member may see into a laptop that has never pulled, in one laptop
    transaction; the watermark is saved with it. Raises what the connections raise (nothing is kept then).
    ``progress(PULLED, done, total)``: the snapshot's rows (one count of them all) and those copied so far, after
    each chunk — inside the one transaction, so a callback that raises leaves the laptop as it was."""
    reader, high = _open_snapshot(server)
    try:
        told = _engine.Told(progress, _engine.PULLED, pull_total(
            local, None, 0, high, on_server=snapshot_total(reader)) if progress is not None else 0)
        pg = reader.connection.driver_connection
        assert pg is not None
        with _engine._local_begin(local.engine) as lc, lc.begin():
            sqlite = lc.connection.driver_connection
            assert sqlite is not None
            with larger_page_cache(lc, CACHE_KIB):
                _engine._guard(lc, True)
                ids_l = IdMap(lc)
                known_before: dict[str, set[str]] = {}
                on_server: dict[str, set[str]] = {}
                for name in TABLES:
                    known_before[name] = _known(lc, name)
                    on_server[name] = _copy_table(pg, sqlite, lc, name, known_before[name], ids_l, reader, counts,
                                                  told)
                    _engine.checkpoint("snapshot-table")
                _apply_deletions(lc, reader, ids_l, known_before, on_server, high, counts)
                counts.conflicts += record_claims(lc, _billing_clients(lc))  # a double billing told here too
                settle_stages(lc)  # each client where its last move went (app/sync/stages.py)
                _engine._set_setting(lc, _engine.PULLED_KEY, str(high))
                _engine._guard(lc, False)
    finally:
        reader.close()
    told.end()
    with local.engine.connect() as lc:  # move the bulk out of the write-ahead log now, not at the next edit
        lc.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _billing_clients(lc: Connection) -> set[str]:
    """UUIDs of the clients with two live acts or more here: the only ones whose acts' claims can clash
    (app/sync/claims.py ``record_claims``, as after an ordinary pull)."""
    return set(lc.execute(select(Client.uuid).join(Document, Document.client_id == Client.id).where(
        Document.kind == "act", Document.voided_on.is_(None)).group_by(Client.uuid)
        .having(func.count(Document.id) > 1)).scalars())


def _batches(pg, copy_sql: str) -> Iterator[list[tuple]]:
    """The rows of ``copy_sql`` in lists of CHUNK (each written by one ``executemany``). A thread reading
    the next list while SQLite writes the previous one was tried: no gain on a loaded 2-core machine."""
    with pg.cursor() as pg_cursor, pg_cursor.copy(copy_sql) as copy:
        rows = copy.rows()
        while batch := list(islice(rows, CHUNK)):
            yield batch


def _with_client_ids(batch: list[tuple], at: int, client_ids: dict[str, int]) -> list[tuple]:
    """Rows with the laptop's client id in place of the client's UUID; a row whose client is not on this
    laptop is left out (as ``values_for`` refuses it in the incremental pull)."""
    out = []
    for row in batch:
        client_id = client_ids.get(row[at])
        if client_id is not None:
            out.append((*row[:at], client_id, *row[at + 1:]))
    return out


def _copy_table(pg, sqlite, lc: Connection, name: str, known: set[str], ids_l: IdMap, reader: Connection,
                counts: _engine.Counts, told: _engine.Told | None = None) -> set[str]:
    """Stream table ``name`` from the snapshot into the laptop (``counts.pulled`` grows by the records
    applied); returns the UUIDs of the snapshot's rows that the laptop knew before."""
    copy_sql, insert_sql, uuid_at, client_at = statements(name)
    empty = lc.exec_driver_sql(f"SELECT NOT EXISTS (SELECT 1 FROM {name})").scalar()
    # an empty table is filled faster without its secondary indexes (built again below, in one pass each)
    # and without the outbox trigger (it writes nothing while the engine applies the server's rows anyway);
    # without the list counters' triggers too (without the indexes each would scan the table: all recounted below)
    triggers = (f"vn_outbox_{name}_ins", *trigger_names(name))
    marks = ", ".join("?" * len(triggers))
    dropped = lc.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
        f"AND (type = 'index' OR (type = 'trigger' AND name IN ({marks})))", (name, *triggers)).all() if empty else []
    for kind, object_name, _sql in dropped:
        lc.exec_driver_sql(f'DROP {kind.upper()} "{object_name}"')
    client_ids: dict[str, int] = dict(lc.exec_driver_sql("SELECT uuid, id FROM client").all()) if client_at is not None else {}
    deferred: list[str] = []
    cursor = sqlite.cursor()
    with _driver_errors(copy_sql):
        for batch in _batches(pg, copy_sql):
            if known:
                deferred += [r[uuid_at] for r in batch if r[uuid_at] in known]
                batch = [r for r in batch if r[uuid_at] not in known]
            read = len(batch)  # (the rows this laptop knew are told as _apply_known takes them)
            if client_at is not None:
                batch = _with_client_ids(batch, client_at, client_ids)
            if name == "checklist_template":  # an arriving item goes to the end of its stage's list
                stage_at = [c.key for c in table(name).columns if c.key not in ("id", "position")].index("stage")
                batch = [(*row, ids_l.next_position(int(row[stage_at]))) for row in batch]
            cursor.executemany(insert_sql, batch)
            if name == "audit_log":  # lines, not records: the report counts records (app/sync/engine.Counts)
                counts.lines += len(batch)
            else:
                counts.pulled += len(batch)
            if told is not None:
                told.add(read)
    cursor.close()
    for _type, _name, sql in dropped:
        lc.exec_driver_sql(sql)
    if any(object_name in trigger_names(name) for _kind, object_name, _sql in dropped):
        recount_all(lc)
    if deferred:
        taken = _apply_known(lc, reader, name, deferred, ids_l, counts)
        if told is not None:
            told.add(taken)
        if name == "audit_log":
            counts.lines += taken
        else:
            counts.pulled += taken
    return set(deferred)


def _apply_known(lc: Connection, reader: Connection, name: str, uuids: list[str], ids_l: IdMap,
                 counts: _engine.Counts) -> int:
    """The snapshot's rows of records this laptop already has: the ordinary per-record merge."""
    ids_s = IdMap(reader)
    rows = read_rows(reader, name, uuids, ids_s)
    versions = base_versions(lc, name, list(rows))
    answers = Answers(lc, name)  # the open field conflicts a later value of the team's answers (app/sync/answered.py)
    applied = 0
    for uuid, (version, data) in rows.items():
        if versions.get(uuid, -1) >= version:
            continue  # this laptop already holds that version (it pushed it just now)
        applied += 1
        counts.conflicts += _apply(lc, ids_l, _engine.Result(name, uuid, uuid, version, data, None, []),
                                   pushed=False, answers=answers)
    counts.answered += answers.closed
    return applied


def _apply_deletions(lc: Connection, reader: Connection, ids_l: IdMap, known: dict[str, set[str]],
                     on_server: dict[str, set[str]], high: int, counts: _engine.Counts) -> None:
    """The server's deletions of records this laptop had before (a laptop with nothing has none to apply).
    A record the snapshot still holds is not deleted by an older tombstone: it came back (a delete against
    an edit keeps the edit, docs/sync.md)."""
    for name in TABLES:
        if not known[name]:
            continue
        gone = reader.execute(select(SyncTombstone.record_uuid).where(
            SyncTombstone.table_name == name, SyncTombstone.row_version <= high)).scalars()
        for uuid in dict.fromkeys(u for u in gone if u in known[name] and u not in on_server[name]):
            counts.conflicts += _apply(lc, ids_l, _engine.Result(name, uuid, uuid, None, None, None, []),
                                       pushed=False)


__all__ = ["first_pull", "statements"]
