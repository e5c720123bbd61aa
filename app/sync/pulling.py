"""The pull of one sync: every row and deletion above the laptop's watermark, by version, page by page."""

from __future__ import annotations

import json
import operator
from functools import reduce

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine

from app.persistence.db import Database
from app.persistence.models import SyncOutbox, SyncTombstone
from app.sync import engine as sync_engine
from app.sync import handover, refused, refused_lift
from app.sync.answered import Answers
from app.sync.bases import base_versions
from app.sync.claims import record_claims
from app.sync.engine import (
    PULLED,
    PULLED_KEY,
    WRITE_LOCK,
    Counts,
    Progress,
    Result,
    Told,
    _guard,
    _local_begin,
    _set_setting,
    _setting,
)
from app.sync.laptop_apply import _apply, _record
from app.sync.rows import TABLES, IdMap, payload, table, values_for
from app.sync.stages import client_ids_of, settle_stages
from app.sync.visible import newly_visible

PAGE = 5000
SNAPSHOT_FIRST_SYNC = True  # a laptop that never pulled takes app/sync/snapshot.py (tests compare both ways)


def pull(local: Database, server: Engine, counts: Counts, progress: Progress | None = None) -> None:
    """Fetch every row and deletion with a version above the laptop's watermark, up to a safe high mark.

    A laptop that has never pulled takes the first-sync path instead (app/sync/snapshot.py: one server
    snapshot by COPY, one laptop transaction). ``progress(PULLED, done, total)``: the rows and deletions in that
    range (one count for the whole pull) and those taken so far, after each laptop transaction."""
    with local.engine.connect() as lc:
        low = int(_setting(lc, PULLED_KEY) or 0)
    if low == 0 and SNAPSHOT_FIRST_SYNC:
        from app.sync.snapshot import first_pull

        first_pull(local, server, counts, progress)
        return
    with server.begin() as sc:
        sc.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({WRITE_LOCK})")
        high = int(sc.execute(text("SELECT last_value FROM vn_row_version")).scalar() or 0)
    if high <= low:
        return
    with server.connect() as sc:
        told = Told(progress, PULLED, pull_total(local, sc, low, high) if progress is not None else 0)
        gone = [(str(n), str(u)) for n, u in sc.execute(
            select(SyncTombstone.table_name, SyncTombstone.record_uuid).where(
                SyncTombstone.row_version > low, SyncTombstone.row_version <= high)
            .order_by(SyncTombstone.row_version))]
        handed = handover.handed_away(gone)  # clients handed to others: gone from here unless still seen
        back = _came_back(sc, gone + [("client", u) for u in handed])
    # the deletions first, in one laptop transaction: a client deleted and added again with its ИНН elsewhere
    # must be gone here before the new one is inserted (this laptop's ИНН is unique); applied again harmlessly
    # if the pull is cut off before its watermark moves
    with _local_begin(local.engine) as lc, lc.begin():
        _guard(lc, True)
        ids_l = IdMap(lc)
        for name, uuid in gone:
            if name in TABLES and (name, uuid) not in back:
                counts.conflicts += _apply(lc, ids_l, Result(name, uuid, uuid, None, None, None, []), pushed=False)
                counts.pulled += 1  # a deletion by someone else is a change taken too
        for uuid in handed:
            if ("client", uuid) in back:
                continue
            if handover.unsent_here(lc, uuid):  # something of it is this laptop's alone: it stays, said once
                if uuid not in refused.open_refusals(lc):
                    counts.conflicts += _record(lc, Result("client", uuid, uuid, None, None, None, []),
                                                [handover.NOT_YOURS_CONFLICT])
            elif handover.drop_client(lc, uuid):
                ids_l.forget("client", uuid)
                counts.pulled += 1
        _guard(lc, False)
    told.add(len(gone))
    new_clients: list[str] = []  # clients new to this laptop (e.g. just assigned to this person)
    billing: set[str] = set()  # clients whose acts or work entries came in: their acts' claims are checked
    moved: set[str] = set()  # clients whose row or stage history came in: they stand where their last move went
    for name in TABLES:
        after = low
        while True:
            with server.connect() as sc:
                t = table(name)
                rows = sc.execute(select(t).where(t.c.row_version > after, t.c.row_version <= high)
                                  .order_by(t.c.row_version).limit(PAGE)).mappings().all()
                ids_s = IdMap(sc)
                if rows and "client_id" in rows[0]:
                    ids_s.load_ids("client", {r["client_id"] for r in rows})
                items = [(r["uuid"], int(r["row_version"]), payload(name, r, ids_s)) for r in rows]
                extra = []
                if "client_id" in t.c and new_clients and after == low:
                    # a client newly visible here (assigned to this person): its older records too
                    ids_s.load_uuids("client", new_clients)
                    cids = [c for c in (ids_s.id_of("client", u) for u in new_clients) if c]
                    older = sc.execute(select(t).where(t.c.client_id.in_(cids), t.c.row_version <= low)
                                       ).mappings().all()
                    extra = [(r["uuid"], int(r["row_version"]), payload(name, r, ids_s)) for r in older]
            if name in ("document", "work_log"):
                billing.update(str(d.get("client_uuid")) for _u, _v, d in extra + items if d.get("client_uuid"))
            elif name in ("client", "stage_event"):
                moved.update(str(u if name == "client" else d.get("client_uuid")) for u, _v, d in extra + items)
            fresh = apply_page(local, name, extra + items, counts, told)
            if name == "client" and low > 0:
                new_clients += fresh
            sync_engine.checkpoint("pulled-page")  # looked up here: tests replace it
            if len(rows) < PAGE:
                break
            after = items[-1][1]
        if name == "client" and low > 0:  # and those merged here by their ИНН or handed back (app/sync/visible.py)
            with local.engine.connect() as lc:
                new_clients += [u for u in newly_visible(lc) if u not in new_clients]
    with _local_begin(local.engine) as lc, lc.begin():
        _guard(lc, True)
        counts.conflicts += record_claims(lc, billing)  # another laptop's act billing work an act bills here
        settle_stages(lc, client_ids_of(lc, moved))  # once all pages are in: a client row comes before its moves
        _set_setting(lc, PULLED_KEY, str(high))
        _guard(lc, False)
    told.end()


def pull_total(local: Database, sc: Connection | None, low: int, high: int, on_server: int | None = None) -> int:
    """How many rows and deletions a pull of versions (low, high] takes: those the server holds in that range (as
    this member sees them; ``on_server`` when counted already) less the rows this laptop holds at such a version
    already — what its push just sent, which the pull reads back and skips. One statement on each side, by the
    version indexes the pages read by."""
    def counted(conn: Connection, tables: list) -> int:
        parts = [select(func.count()).select_from(t).where(t.c.row_version > low, t.c.row_version <= high)
                 .scalar_subquery() for t in tables]
        return int(conn.execute(select(reduce(operator.add, parts))).scalar() or 0)

    synced = [table(name) for name in TABLES]
    if on_server is None:
        assert sc is not None
        on_server = counted(sc, [*synced, SyncTombstone.__table__])
    with local.engine.connect() as lc:
        held = counted(lc, synced)
    return max(0, on_server - held)


def _came_back(sc: Connection, gone) -> set[tuple[str, str]]:
    """The deleted records the server holds again (a delete against an edit keeps the edit under the same
    UUID, docs/sync.md): their older tombstone must not delete them here."""
    by_table: dict[str, list[str]] = {}
    for name, uuid in gone:
        if name in TABLES:
            by_table.setdefault(name, []).append(uuid)
    back: set[tuple[str, str]] = set()
    for name, uuids in by_table.items():
        t = table(name)
        for start in range(0, len(uuids), 500):
            back.update((name, u) for u in sc.execute(select(t.c.uuid).where(t.c.uuid.in_(uuids[start:start + 500])))
                        .scalars())
    return back


def apply_page(local: Database, name: str, items: list, counts: Counts, told: Told | None = None) -> list[str]:
    """Apply one page of pulled rows in one laptop transaction; returns the UUIDs that were new here. ``told``:
    the rows taken (not those this laptop held already) are added to it once the transaction is committed."""
    if not items:
        return []
    taken = 0
    with _local_begin(local.engine) as lc, lc.begin():
        _guard(lc, True)
        ids_l = IdMap(lc)
        if name != "client":
            ids_l.load_uuids("client", {d.get("client_uuid") for _u, _v, d in items if d.get("client_uuid")})
        if name == "client":  # a client held here by its ИНН (others_inn), shown now: the laptop's joins it
            refused_lift.adopt_by_inn(lc, items)
        uuids = [u for u, _v, _d in items]
        bases = base_versions(lc, name, uuids)
        t = table(name)
        present: set[str] = set()
        for start in range(0, len(uuids), 500):
            chunk = uuids[start:start + 500]
            present.update(lc.execute(select(t.c.uuid).where(t.c.uuid.in_(chunk))).scalars())
            present.update(lc.execute(select(SyncOutbox.record_uuid).where(
                SyncOutbox.table_name == name, SyncOutbox.record_uuid.in_(chunk))).scalars())
        fresh_rows, fresh_bases = [], []
        answers = Answers(lc, name)  # the open field conflicts a pulled later value answers (app/sync/answered.py)
        for uuid, version, data in items:
            base = bases.get(uuid)
            if base is not None and base >= version:
                continue  # already applied (a resumed pull)
            taken += 1
            if name == "audit_log":
                counts.lines += 1
            else:
                counts.pulled += 1
            if uuid not in present and base is None:  # new to this laptop: inserted in bulk below
                values = values_for(name, data, ids_l)
                if values is not None:
                    fresh_rows.append({**values, "row_version": version})
                    fresh_bases.append({"table_name": name, "record_uuid": uuid, "row_version": version,
                                        "data": json.dumps(data, ensure_ascii=False, sort_keys=True)})
                continue
            counts.conflicts += _apply(lc, ids_l, Result(name, uuid, uuid, version, data, None, []), pushed=False,
                                       answers=answers)
        counts.answered += answers.closed
        if fresh_rows:  # the first sync of a laptop: thousands of rows per statement
            _bulk_insert(lc, name, fresh_rows)
            lc.exec_driver_sql("INSERT INTO sync_base (table_name, record_uuid, row_version, data) VALUES (?, ?, ?, ?)",
                               [(b["table_name"], b["record_uuid"], b["row_version"], b["data"]) for b in fresh_bases])
        _guard(lc, False)
    if told is not None:
        told.add(taken)
    return [b["record_uuid"] for b in fresh_bases]


def _bulk_insert(lc: Connection, name: str, rows: list[dict]) -> None:
    """Insert complete rows (every column but ``id``) with the column types' own conversions, straight
    through the driver's executemany (SQLAlchemy's per-row parameter handling costs more than SQLite)."""
    t = table(name)
    columns = [c for c in t.columns if c.key != "id"]
    processors = [c.type._cached_bind_processor(lc.dialect) for c in columns]
    sql = (f"INSERT INTO {name} ({', '.join(c.name for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    params = [tuple(p(r.get(c.key)) if p is not None else r.get(c.key) for c, p in zip(columns, processors, strict=True))
              for r in rows]
    lc.exec_driver_sql(sql, params)


__all__ = ["apply_page", "pull", "pull_total"]
